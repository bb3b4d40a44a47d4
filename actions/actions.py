"""The custom actions. Each decides *which* content to send; the text is in content/.

action_answer_question    questions for information, follow-ups, known metastases
                          (actions/decide.py chooses; actions/replies.py composes)
action_answer_personal    no diagnosis, no personal prognosis, no treatment choice or dose
action_respond_to_complaints  orientation on described complaints (never a diagnosis)
action_respond_to_alarm   the advice of the alarm level, and nothing that distracts from it
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import decide, replies
from actions.content import SITES, content
from actions.frame import Understanding, understand

# Personal questions: never a diagnosis or a personal prognosis (content/answers.yml personal)
PERSONAL_INTENTS = {
    "ask_personal_diagnosis": "diagnose",
    "ask_personal_prognosis": "prognose",
    "ask_personal_treatment": "behandelkeuze",
}
KNOWN_INTENT = "share_diagnosis"


def send(dispatcher: CollectingDispatcher, messages: List[Dict[Text, Any]]) -> None:
    for message in messages:
        dispatcher.utter_message(
            text=message["text"], buttons=message.get("buttons", []), tags=message.get("tags", [])
        )


def context_events(plan: decide.Plan, u: Understanding) -> List[EventType]:
    """Remember the site, topic and person the conversation is about now."""
    events: List[EventType] = [SlotSet("awaiting", None)]
    if plan.site:
        events.append(SlotSet("site", plan.site))
    if plan.topic or plan.site:
        events.append(SlotSet("topic", plan.topic))
    if u.person:
        events.append(SlotSet("person", u.person))
    if plan.kind == "ask_topic":
        events.append(SlotSet("awaiting", "topic"))
    return events


def is_known_statement(u: Understanding) -> bool:
    """"Mijn moeder heeft uitzaaiingen in haar lever": told, not asked."""
    return (u.intent == KNOWN_INTENT or (u.known and not u.asks)) and not (
        u.topics and u.asks) and not u.uncovered


class ActionAnswerQuestion(Action):
    """Answers a question about metastases from the text, using the conversation's context."""

    def name(self) -> Text:
        return "action_answer_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        c, u = content(), understand(tracker)
        person = tracker.get_slot("person")
        if is_known_statement(u) and u.intent not in decide.GENERAL_INTENTS:
            plan = decide.plan_known(c, u, person)
            plan.empathy = False
        else:
            plan = decide.plan_question(c, u, tracker.get_slot("site"),
                                        tracker.get_slot("topic"), person)
        messages = replies.compose(c, plan)
        if plan.kind == "ask_topic":
            dispatcher.utter_message(response="utter_ask_topic")
        elif not messages:
            dispatcher.utter_message(response="utter_rephrase")
            return [SlotSet("awaiting", None)]
        send(dispatcher, messages)
        return context_events(plan, u)


class ActionAnswerPersonal(Action):
    """Kindly declines to diagnose, predict or choose a treatment; offers general facts.

    Someone who tells they already have metastases gets warmth and the information offer for
    their site, not "only a doctor can say whether you have metastases"."""

    def name(self) -> Text:
        return "action_answer_personal"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        c, u = content(), understand(tracker)
        kind = PERSONAL_INTENTS.get(u.intent, "diagnose")
        person = u.person or tracker.get_slot("person")
        site: Optional[Text] = next((s for s in u.sites if s in SITES), None) or (
            tracker.get_slot("site") if tracker.get_slot("site") in SITES else None)
        if kind == "diagnose" and u.known and site and not u.complaints:
            plan = decide.plan_known(c, u, person)
            send(dispatcher, replies.compose(c, plan))
            return context_events(plan, u)
        fact = None
        if kind == "behandelkeuze":
            if "dose" in u.cues:
                kind = "dosering"
            else:
                fact = decide.choose_fact(c, u, site, None)
        messages = replies.personal_answer(c, kind, site, u.complaints, person, fact)
        if u.upset:
            messages = [replies.empathy(c, person)] + messages
        send(dispatcher, messages)
        events: List[EventType] = [SlotSet("awaiting", None)]
        if site:
            events.append(SlotSet("site", site))
        if u.person:
            events.append(SlotSet("person", u.person))
        return events


class ActionRespondToComplaints(Action):
    """Orientation on described complaints: which site the text links them to. No diagnosis."""

    def name(self) -> Text:
        return "action_respond_to_complaints"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        c, u = content(), understand(tracker)
        person = u.person or tracker.get_slot("person")
        if not u.complaints and (u.topics or u.sites):
            # a question after all ("waar moet ik op letten bij leveruitzaaiingen?")
            return ActionAnswerQuestion().run(dispatcher, tracker, domain)
        messages = replies.orientation(c, u.complaints, person=person)
        if u.upset:
            messages = [replies.empathy(c, person)] + messages
        send(dispatcher, messages)
        events: List[EventType] = [SlotSet("awaiting", None)]
        sites = [s for s in SITES if any(s in c.complaints[x].sites for x in u.complaints)]
        if len(sites) == 1:
            events += [SlotSet("site", sites[0]), SlotSet("topic", "symptomen")]
        if u.person:
            events.append(SlotSet("person", u.person))
        return events


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
        send(dispatcher, replies.alarm_reply(c, level, complaints))
        return [SlotSet("awaiting", None)]

