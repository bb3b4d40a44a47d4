"""The custom actions. Each decides *which* content to send; the text is in content/.

action_answer_question   every message that is not small talk or an emergency: questions,
                         follow-ups, known metastases, described complaints, personal
                         questions. actions/decide.py decides (no diagnosis, no personal
                         prognosis, no treatment choice or dose), actions/replies.py composes.
action_respond_to_alarm  the advice of the alarm level, and nothing that distracts from it
"""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import decide, replies
from actions.content import SITES, content
from actions.frame import Understanding, understand

ANYTHING_ELSE = "utter_anything_else"  # after plain thanks: whether there is more
# answers that start with a short word for how hard it is, right after an upset message
CARRIES_EMPATHY = {"section", "fact", "general", "treatment", "not_covered", "orientation",
                   "refusal", "known"}
# Plans answered with a response of domain.yml rather than from the content
FRAME_RESPONSES = {
    "ask_topic": "utter_ask_topic",
    "out_of_scope": "utter_out_of_scope",
    "rephrase": "utter_rephrase",
}


def send(dispatcher: CollectingDispatcher, messages: List[Dict[Text, Any]]) -> None:
    for message in messages:
        dispatcher.utter_message(
            text=message["text"], buttons=message.get("buttons", []), tags=message.get("tags", [])
        )


def follow_up_word(c: Any, tracker: Tracker) -> str:
    """The short word for how hard it is: right after the upset message the first one, later
    in the conversation one of the others, by turn (the same conversation gives the same
    words; no one reads the same sentence four times)."""
    if tracker.get_slot("upset"):
        return c.frame["empathy_follow_up"]
    later = c.empathy_later
    turns = sum(1 for e in tracker.events if e.get("event") == "user")
    return later[turns % len(later)]


def context_events(plan: decide.Plan, u: Understanding) -> List[EventType]:
    """Remember the site, topic and person the conversation is about now."""
    events: List[EventType] = [SlotSet("awaiting", "topic" if plan.kind == "ask_topic" else None),
                               SlotSet("alarm", None)]
    # a general answer keeps the site of the conversation, unless "in het algemeen" was asked
    if plan.site in SITES or (plan.site == "algemeen" and u.general_site and not u.sites):
        events.append(SlotSet("site", plan.site))
        events.append(SlotSet("topic", plan.topic))
    elif plan.kind == "general" and plan.topic:
        events.append(SlotSet("topic", plan.topic))  # "... en bij de lymfeklieren specifiek?"
    elif plan.kind == "orientation":
        sites = [s for s in SITES
                 if any(s in content().complaints[c].sites for c in plan.complaints)]
        if len(sites) == 1:
            events += [SlotSet("site", sites[0]), SlotSet("topic", "symptomen")]
    elif plan.kind == "not_covered" and u.focus_topics:
        # "en die bijnieren, wat doen ze daaraan" -> "en aan die in de lever?" asks the same
        events.append(SlotSet("topic", u.focus_topics[0]))
    if plan.kind in ("general", "not_covered") and plan.site not in SITES and \
            len(u.sites) == 1 and u.sites[0] in SITES:
        # "een uitzaaiing in een klier onder haar oksel, is dat lymfeklierkanker?" ... "en hoe
        # pakken ze zoiets aan?" asks about that site
        events.append(SlotSet("site", u.sites[0]))
    # the complaints an orientation (or a refused diagnosis) named, for a follow-up about them
    events.append(SlotSet("complaints", list(plan.complaints) or None))
    if u.person:
        events.append(SlotSet("person", u.person))
    told = decide.story_cues(u)
    if told or u.sites or u.named_topics or u.general_hints:
        events.append(SlotSet("cues", told))  # a new subject starts afresh
    return events


class ActionAnswerQuestion(Action):
    """Answers from the text what the message asks, using the conversation's context."""

    def name(self) -> Text:
        return "action_answer_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        c, u = content(), understand(tracker)
        level = tracker.get_slot("alarm")
        if level in c.alarm_levels and decide.follows_advice(u):
            # "moet dat echt vandaag nog?" right after the urgent advice: the advice again
            send(dispatcher, replies.alarm_reply(c, level, []))
            return [SlotSet("alarm", level)]
        plan = decide.plan(c, u, tracker.get_slot("site"), tracker.get_slot("topic"),
                           tracker.get_slot("person"), tracker.get_slot("cues") or [],
                           tracker.get_slot("complaints") or [])
        # "Ik ben er kapot van, ze heeft het in haar lever ..." then "en wat doen ze daaraan?":
        # the answer to the next question starts with a short word for how hard it is; later
        # answers of the same conversation too, in other words each time (someone in shock
        # stays in shock when a question sounds calm)
        upset_before = bool(tracker.get_slot("upset") or tracker.get_slot("upset_earlier"))
        if upset_before and not plan.empathy and plan.kind in CARRIES_EMPATHY:
            plan = dataclasses.replace(plan, empathy_follow_up=follow_up_word(c, tracker))
        slots = [SlotSet("upset", bool(u.upset)),
                 SlotSet("upset_earlier", bool(u.upset) or upset_before)]
        if plan.response:
            thanks = plan.response == decide.SMALL_TALK["thank"]
            if plan.empathy or (upset_before and (thanks or plan.thanked)):
                send(dispatcher, [{"text": c.frame["empathy_thanks"], "tags": ["empathy"]}])
            # thanks that also take leave ("dank u wel en nog een fijne dag"): "graag gedaan",
            # then the goodbye; plain thanks: "graag gedaan", then whether there is more
            if plan.thanked:
                dispatcher.utter_message(response=decide.SMALL_TALK["thank"])
            dispatcher.utter_message(response=plan.response)
            if thanks:
                dispatcher.utter_message(response=ANYTHING_ELSE)
            return [SlotSet("alarm", None)] + slots
        if plan.kind in FRAME_RESPONSES:
            if plan.empathy:
                # "Ik ben me rot geschrokken van de scan. Wat kan dat betekenen?": the warm word
                # comes before the question back, too
                send(dispatcher, [replies.empathy(c, plan.person)])
            dispatcher.utter_message(response=FRAME_RESPONSES[plan.kind])
        else:
            send(dispatcher, replies.compose(c, plan))
        return context_events(plan, u) + slots


class ActionRespondToAlarm(Action):
    """The advice of the alarm level first (content/alarms.yml); after 112 or 113 nothing but
    one warm closing line; after the urgent advice only the complaints the person described."""

    def name(self) -> Text:
        return "action_respond_to_alarm"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        c = content()
        latest = tracker.latest_message or {}
        alarm = latest.get("alarm") or {}
        intent = (latest.get("intent") or {}).get("name")
        level = alarm.get("level") or c.level_of_intent.get(intent, "onbekend")
        complaints = [x["id"] for x in latest.get("complaints") or [] if not x.get("negated")]
        send(dispatcher, replies.alarm_reply(c, level, complaints, alarm.get("also") or (),
                                             alarm.get("signs") or ()))
        sites = [e["value"] for e in latest.get("entities") or []
                 if e.get("entity") == "site" and e.get("value") in SITES]
        # someone who needed the advice of an alarm is in a hard moment: the answers that
        # follow start with a short warm word too
        return [SlotSet("awaiting", None), SlotSet("alarm", level), SlotSet("complaints", None),
                SlotSet("upset_earlier", True)] + (
            [SlotSet("site", sites[-1])] if sites else [])
