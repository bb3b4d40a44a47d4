"""The custom actions. Each decides *which* content to send; the text is in content/."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.content import GENERAL, SITES, TOPICS, content

# Intents answered by a general entry of content/answers.yml
GENERAL_INTENTS = {
    "ask_definition": "definitie",
    "ask_spread": "verspreiding",
    "ask_same_cancer": "zelfde_kanker",
    "ask_spread_vs_metastasis": "verschil_verspreiding",
    "ask_common_locations": "voorkeursplaatsen",
    "ask_discovery_prognosis": "ontdekking_prognose",
}
# Personal questions: never a diagnosis or a personal prognosis (content/answers.yml personal)
PERSONAL_INTENTS = {
    "ask_personal_diagnosis": "diagnose",
    "ask_personal_prognosis": "prognose",
    "ask_personal_treatment": "behandelkeuze",
}
# Alarm id used when the classifier recognised an emergency but no known alarm sign matched
UNRECOGNISED_ALARM = "onbekende_nood"


def entity_values(tracker: Tracker, entity: Text, allowed: tuple) -> List[Text]:
    """Distinct values of an entity in the latest message, in order of appearance."""
    values = [
        e.get("value")
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") == entity
    ]
    return [v for v in dict.fromkeys(values) if v in allowed]


def send(dispatcher: CollectingDispatcher, messages: List[Dict[Text, Any]]) -> None:
    for message in messages:
        dispatcher.utter_message(text=message["text"], buttons=message.get("buttons", []))


class ActionAnswerQuestion(Action):
    """Answers a question about a site and topic, asking for whichever is missing.

    Context: a follow-up (`inform`, or any answer to our own question) reuses the site or
    topic of the conversation so far; a new full question (`ask_topic`) does not.
    """

    def name(self) -> Text:
        return "action_answer_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        if intent in GENERAL_INTENTS:
            send(dispatcher, replies.general_answer(content(), GENERAL_INTENTS[intent]))
            return [SlotSet("site", GENERAL), SlotSet("topic", None), SlotSet("awaiting", None)]

        sites = entity_values(tracker, "site", SITES + (GENERAL,))
        topics = entity_values(tracker, "topic", TOPICS)
        awaiting = tracker.get_slot("awaiting")
        if intent == "inform" or awaiting:
            if not sites and tracker.get_slot("site"):
                sites = [tracker.get_slot("site")]
            if not topics and tracker.get_slot("topic"):
                topics = [tracker.get_slot("topic")]

        if sites and topics:
            for site in sites:
                send(dispatcher, replies.site_topic_answer(content(), site, topics))
            return [
                SlotSet("site", sites[-1]),
                SlotSet("topic", topics[-1]),
                SlotSet("awaiting", None),
            ]
        if topics:
            dispatcher.utter_message(response="utter_ask_site")
            return [SlotSet("topic", topics[-1]), SlotSet("site", None), SlotSet("awaiting", "site")]
        if sites:
            dispatcher.utter_message(response="utter_ask_topic")
            return [SlotSet("site", sites[-1]), SlotSet("topic", None), SlotSet("awaiting", "topic")]
        dispatcher.utter_message(response="utter_rephrase")
        return [SlotSet("awaiting", None)]


class ActionRespondToComplaints(Action):
    """Alarm advice first, then orientation on described complaints. Never a diagnosis."""

    def name(self) -> Text:
        return "action_respond_to_complaints"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        latest = tracker.latest_message
        alarms = [a["id"] for a in latest.get("alarms") or [] if not a.get("negated")]
        complaints = [c["id"] for c in latest.get("complaints") or [] if not c.get("negated")]
        if not alarms and latest.get("intent", {}).get("name") == "report_alarm":
            alarms = [UNRECOGNISED_ALARM]

        messages = replies.alarm_advice(content(), alarms)
        if complaints or not alarms:
            messages += replies.orientation(content(), complaints)
        else:
            messages = replies.with_disclaimer(messages, content())
        send(dispatcher, messages)
        return [SlotSet("awaiting", None)]


class ActionAnswerPersonal(Action):
    """Kindly declines to diagnose, predict or choose a treatment; offers general facts."""

    def name(self) -> Text:
        return "action_answer_personal"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        kind = PERSONAL_INTENTS.get(intent, "diagnose")
        sites = entity_values(tracker, "site", SITES)
        site: Optional[Text] = sites[0] if sites else tracker.get_slot("site")
        complaints = [
            c["id"]
            for c in tracker.latest_message.get("complaints") or []
            if not c.get("negated")
        ]
        send(dispatcher, replies.personal_answer(content(), kind, site, complaints))
        events: List[EventType] = [SlotSet("awaiting", None)]
        if sites:
            events.append(SlotSet("site", sites[0]))
        return events
