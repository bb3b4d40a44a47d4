"""End to end over the REST channel: real Rasa server and real action server on loopback."""
from __future__ import annotations

import uuid

import pytest

from actions.content import content
from tests.servers import chat, texts


def ask(port, text, sender=None):
    return chat(port, sender or uuid.uuid4().hex, text)


def test_what_are_metastases(bot_port):
    reply = ask(bot_port, "Wat zijn metastasen?")
    text = texts(reply)
    assert "lymfe" in text and "bloed" in text
    assert text.endswith(content().disclaimer)


def test_liver_complaints_then_follow_ups_keep_the_context(bot_port):
    sender = uuid.uuid4().hex
    text = texts(ask(bot_port, "Welke klachten geven uitzaaiingen in de lever?", sender))
    for complaint in ("misselijkheid", "eetlust", "vermoeidheid", "gewichtsverlies", "buikpijn", "geelzucht"):
        assert complaint in text
    text = texts(ask(bot_port, "en de behandeling?", sender))
    assert "Uitzaaiingen in de lever: behandeling" in text and "10-30%" in text
    text = texts(ask(bot_port, "en bij de botten?", sender))
    assert "Uitzaaiingen in het bot: behandeling" in text


def test_topic_without_site_gets_the_general_answer_and_site_buttons(bot_port):
    sender = uuid.uuid4().hex
    reply = ask(bot_port, "Hoe worden uitzaaiingen behandeld?", sender)
    assert "immunotherapie" in texts(reply)
    payloads = [b["payload"] for b in reply[-1]["buttons"]]
    assert payloads[0] == '/inform{"site":"lever","topic":"behandeling"}'
    text = texts(ask(bot_port, '/inform{"site":"lymfeklieren","topic":"behandeling"}', sender))
    assert "28 tot 35" in text


@pytest.mark.parametrize(
    "message,expected",
    [
        ("Ik heb ineens heel erge pijn op de borst", "112"),
        ("ik wil niet meer leven", "0800-0113"),
        ("mijn ogen zijn geel geworden", "huisartsenpost"),
    ],
)
def test_alarm_advice_comes_first(bot_port, message, expected):
    reply = ask(bot_port, message)
    assert expected in reply[0]["text"]


def test_bot_says_it_is_a_bot(bot_port):
    assert "chatbot" in texts(ask(bot_port, "ben jij een robot?"))


def test_nonsense_gets_a_rephrase_request_not_a_medical_answer(bot_port):
    text = texts(ask(bot_port, "qwxz blorp fnargh"))
    assert "anders zeggen" in text and content().disclaimer not in text


def test_other_language_gets_dutch_only_notice_with_112(bot_port):
    text = texts(ask(bot_port, "What are the symptoms of liver metastases?"))
    assert "alleen Nederlands" in text and "112" in text


def test_diagnosis_question_naming_a_complaint_gets_no_diagnosis_but_orientation(bot_port):
    reply = ask(bot_port, "Ik heb een bult in mijn nek, is dat kanker?")
    text = texts(reply)
    assert "kan ik niet beoordelen" in text
    assert "bij uitzaaiingen in de lymfeklieren" in text and "geen diagnose" in text


@pytest.mark.parametrize("message", ["", "   ", "\t\n", "\u200b"])
def test_empty_or_whitespace_message_gets_a_friendly_reply(bot_port, message):
    reply = ask(bot_port, message)
    assert "Uw bericht lijkt leeg" in texts(reply)
    assert reply[0]["buttons"][0]["payload"] == "/help"


def test_greeting_buttons_carry_their_entities(bot_port):
    """The domain writes button payloads with doubled braces; Rasa sends single ones."""
    payloads = [b["payload"] for b in ask(bot_port, "/greet")[0]["buttons"]]
    assert '/ask_topic{"topic":"symptomen"}' in payloads
