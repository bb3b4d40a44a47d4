"""Custom actions with the real domain, real trackers and a CollectingDispatcher."""
from __future__ import annotations

import re

import pytest
from rasa_sdk.events import SlotSet

from actions.actions import (
    ActionAnswerPersonal,
    ActionAnswerQuestion,
    ActionRespondToComplaints,
)
from actions.content import content
from tests.conftest import make_tracker


def entity(kind, value):
    return {"entity": kind, "value": value, "extractor": "LexiconEntityExtractor"}


def run(action, dispatcher, domain, tracker):
    events = action.run(dispatcher, tracker, domain)
    for message in dispatcher.messages:
        if message.get("response"):
            assert message["response"] in domain["responses"], message["response"]
    return events


def said(dispatcher) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


def test_question_with_site_and_topic_is_answered(dispatcher, domain):
    tracker = make_tracker(
        "ask_topic", "Welke klachten geven uitzaaiingen in de lever?",
        [entity("topic", "symptomen"), entity("site", "lever")],
    )
    events = run(ActionAnswerQuestion(), dispatcher, domain, tracker)
    assert events == [SlotSet("site", "lever"), SlotSet("topic", "symptomen"), SlotSet("awaiting", None)]
    text = said(dispatcher)
    assert "Uitzaaiingen in de lever" in text and "geelzucht" in text and "buikpijn" in text
    assert dispatcher.messages[-1]["text"].endswith(content().disclaimer)
    titles = [b["title"] for b in dispatcher.messages[-1]["buttons"]]
    assert titles == ["Oorzaak", "Behandeling", "Levensverwachting"]


def test_topic_without_site_asks_which_site(dispatcher, domain):
    tracker = make_tracker("ask_topic", "hoe worden uitzaaiingen behandeld?", [entity("topic", "behandeling")],
                           slots={"site": "lever"})
    events = run(ActionAnswerQuestion(), dispatcher, domain, tracker)
    assert dispatcher.messages == [_response("utter_ask_site")]
    assert events == [SlotSet("topic", "behandeling"), SlotSet("site", None), SlotSet("awaiting", "site")]


def test_reply_to_the_site_question_is_answered_with_the_remembered_topic(dispatcher, domain):
    tracker = make_tracker("inform", "de botten", [entity("site", "bot")],
                           slots={"topic": "behandeling", "awaiting": "site"})
    events = run(ActionAnswerQuestion(), dispatcher, domain, tracker)
    assert "Uitzaaiingen in het bot: behandeling" in said(dispatcher)
    assert SlotSet("site", "bot") in events and SlotSet("awaiting", None) in events


def test_site_without_topic_asks_what_to_know(dispatcher, domain):
    tracker = make_tracker("ask_topic", "vertel over lymfeklieruitzaaiingen", [entity("site", "lymfeklieren")])
    events = run(ActionAnswerQuestion(), dispatcher, domain, tracker)
    assert dispatcher.messages == [_response("utter_ask_topic")]
    assert SlotSet("awaiting", "topic") in events


def test_follow_up_topic_reuses_the_site(dispatcher, domain):
    tracker = make_tracker("inform", "en de behandeling?", [entity("topic", "behandeling")],
                           slots={"site": "lever", "topic": "symptomen"})
    run(ActionAnswerQuestion(), dispatcher, domain, tracker)
    text = said(dispatcher)
    assert "Uitzaaiingen in de lever: behandeling" in text and "10-30%" in text


def test_follow_up_site_switches_site_and_keeps_topic(dispatcher, domain):
    tracker = make_tracker("inform", "en bij de botten?", [entity("site", "bot")],
                           slots={"site": "lever", "topic": "symptomen"})
    events = run(ActionAnswerQuestion(), dispatcher, domain, tracker)
    assert "Uitzaaiingen in het bot: klachten" in said(dispatcher)
    assert SlotSet("site", "bot") in events and SlotSet("topic", "symptomen") in events


def test_general_topic_via_algemeen(dispatcher, domain):
    tracker = make_tracker("inform", "algemeen", [entity("site", "algemeen")],
                           slots={"topic": "oorzaak", "awaiting": "site"})
    run(ActionAnswerQuestion(), dispatcher, domain, tracker)
    assert "DNA" in said(dispatcher)


def test_definition_question(dispatcher, domain):
    events = run(ActionAnswerQuestion(), dispatcher, domain, make_tracker("ask_definition", "Wat zijn metastasen?"))
    text = said(dispatcher)
    assert "lymfe" in text and "bloed" in text and text.endswith(content().disclaimer)
    assert SlotSet("site", "algemeen") in events


def test_nothing_recognised_asks_to_rephrase(dispatcher, domain):
    run(ActionAnswerQuestion(), dispatcher, domain, make_tracker("ask_topic", "tja"))
    assert dispatcher.messages == [_response("utter_rephrase")]


# --- complaints and alarms ---------------------------------------------------------------

def complaints_tracker(intent, complaints=(), alarms=(), negated=()):
    return make_tracker(
        intent, "...",
        complaints=[{"id": c, "text": c, "negated": c in negated} for c in complaints],
        alarms=[{"id": a, "text": a, "negated": a in negated} for a in alarms],
    )


def test_orientation_names_the_site_and_other_complaints(dispatcher, domain):
    run(ActionRespondToComplaints(), dispatcher, domain,
        complaints_tracker("describe_symptoms", ["geelzucht", "misselijkheid"]))
    text = said(dispatcher)
    assert "bij uitzaaiingen in de lever" in text
    assert "vermoeidheid" in text  # another complaint the text lists there
    assert "geen diagnose" in text and "huisarts" in text
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == '/inform{"site":"lever","topic":"symptomen"}'


def test_complaints_of_several_sites_are_named_per_site(dispatcher, domain):
    run(ActionRespondToComplaints(), dispatcher, domain,
        complaints_tracker("describe_symptoms", ["buikpijn", "botpijn", "zwelling_hals"]))
    text = said(dispatcher)
    for site in ("in de lever", "in het bot", "in de lymfeklieren"):
        assert f"bij uitzaaiingen {site}" in text
    assert len(dispatcher.messages[-1]["buttons"]) == 3


def test_unknown_complaint_gets_an_honest_answer(dispatcher, domain):
    run(ActionRespondToComplaints(), dispatcher, domain, complaints_tracker("describe_symptoms"))
    text = said(dispatcher)
    assert "zegt de tekst" in text and "niets" in text and "huisarts" in text


def test_negated_complaints_are_not_oriented_on(dispatcher, domain):
    run(ActionRespondToComplaints(), dispatcher, domain,
        complaints_tracker("describe_symptoms", ["buikpijn"], negated=["buikpijn"]))
    assert "buikpijn" not in said(dispatcher)


ALARM_NUMBERS = {"levensbedreigend": "112", "spoed": "huisartsenpost", "zelfdoding": "0800-0113"}


def alarm_ids():
    return sorted(content().alarm_level_of)


@pytest.mark.parametrize("alarm", alarm_ids())
def test_every_alarm_sign_gets_its_advice_first(dispatcher, domain, alarm):
    run(ActionRespondToComplaints(), dispatcher, domain,
        complaints_tracker("report_alarm", ["buikpijn"], [alarm]))
    level = content().alarm_level_of[alarm]
    first = dispatcher.messages[0]["text"]
    assert first == content().alarm_levels[level].advice
    assert ALARM_NUMBERS.get(level, "112") in first
    assert "bij uitzaaiingen in de lever" in said(dispatcher)  # orientation after the advice


def test_the_most_urgent_level_comes_first(dispatcher, domain):
    run(ActionRespondToComplaints(), dispatcher, domain,
        complaints_tracker("report_alarm", alarms=["nieuwe_geelzucht", "pijn_op_de_borst", "suicidale_gedachten"]))
    firsts = [m["text"] for m in dispatcher.messages]
    assert "112" in firsts[0] and "0800-0113" in firsts[1] and "huisartsenpost" in firsts[2]
    assert firsts[-1].endswith(content().disclaimer)


def test_alarm_intent_without_a_known_sign_still_gets_emergency_numbers(dispatcher, domain):
    run(ActionRespondToComplaints(), dispatcher, domain, complaints_tracker("report_alarm"))
    first = dispatcher.messages[0]["text"]
    assert "112" in first and "huisartsenpost" in first and "113" in first


# --- personal questions: never a diagnosis or a personal prognosis ------------------------

FORBIDDEN = [
    r"\bu (heeft|hebt) (waarschijnlijk |misschien |zeker )?(uitzaaiingen|kanker|een uitzaaiing)",
    r"\bje hebt (waarschijnlijk |misschien )?(uitzaaiingen|kanker)",
    r"\bdit (zijn|is) (waarschijnlijk |zeker )?(uitzaaiingen|een uitzaaiing|kanker)",
    r"\buw (levensverwachting|prognose) is\b",
    r"\bu (leeft|heeft) nog (ongeveer )?\d",
    r"\b\d+ (maanden|jaar|weken) te leven",
    r"\bu moet (chemo|bestraling|een operatie)",
    r"\bneem (dan )?\d+ ?(mg|milligram|tabletten)",
    r"\bgeen zorgen\b",
]


def assert_no_forbidden_phrasing(text):
    for pattern in FORBIDDEN:
        assert not re.search(pattern, text.lower()), (pattern, text)


@pytest.mark.parametrize("intent", ["ask_personal_diagnosis", "ask_personal_prognosis", "ask_personal_treatment"])
@pytest.mark.parametrize("site", [None, "lever", "bot", "lymfeklieren"])
def test_personal_questions_get_no_diagnosis_or_prognosis(dispatcher, domain, intent, site):
    entities = [entity("site", site)] if site else []
    run(ActionAnswerPersonal(), dispatcher, domain, make_tracker(intent, "...", entities))
    text = said(dispatcher)
    assert_no_forbidden_phrasing(text)
    assert "arts" in text and text.endswith(content().disclaimer)
    assert dispatcher.messages[-1]["buttons"]


@pytest.mark.parametrize(
    "complaints",
    [[c] for c in sorted(content().complaints)] + [sorted(content().complaints)],
)
def test_orientation_never_diagnoses(dispatcher, domain, complaints):
    run(ActionRespondToComplaints(), dispatcher, domain, complaints_tracker("describe_symptoms", complaints))
    assert_no_forbidden_phrasing(said(dispatcher))


def _response(name):
    return {
        "text": None, "buttons": [], "elements": [], "custom": {}, "template": name,
        "response": name, "image": None, "attachment": None,
    }


def test_diagnosis_question_with_a_complaint_gets_refusal_then_orientation(dispatcher, domain):
    tracker = make_tracker(
        "ask_personal_diagnosis", "ik heb een bult in mijn nek, is dat kanker?",
        [entity("site", "lymfeklieren")],
        complaints=[{"id": "zwelling_hals", "text": "bult in mijn nek", "negated": False}],
    )
    events = run(ActionAnswerPersonal(), dispatcher, domain, tracker)
    first, last = dispatcher.messages[0]["text"], dispatcher.messages[-1]["text"]
    assert first == content().personal["diagnose"].render()
    assert "bij uitzaaiingen in de lymfeklieren" in last and "geen diagnose" in last
    assert last.endswith(content().disclaimer)
    assert_no_forbidden_phrasing(first + last)
    assert SlotSet("site", "lymfeklieren") in events
