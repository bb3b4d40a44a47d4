"""What the NLU pipeline makes of a message, without a trained model: real spaCy tokens, the
real lexicon components (entities, complaints, alarm signs, the frame) and the alarm triage by
the lexicon alone; the intent is given by the test, as the classifier would have chosen it.
For tests of the actions and the triage that must not depend on a trained classifier.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Optional

from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk import Tracker

from components.alarm_triage import AlarmTriage, Levels
from components.lexicon import default_lexicon
from components.lexicon_extractor import LexiconEntityExtractor
from components.spacy_nlp import DutchSpacyNLP

SLOTS = {"site": None, "topic": None, "awaiting": None, "person": None, "cues": None}


@functools.lru_cache(maxsize=1)
def _nlp():
    return DutchSpacyNLP.resolve(DutchSpacyNLP.get_default_config()).model


@functools.lru_cache(maxsize=1)
def _components():
    triage = AlarmTriage(AlarmTriage.get_default_config(), Levels.load(), None, None)
    return LexiconEntityExtractor(default_lexicon()), triage


def parse(text: str, intent: str = "ask_topic") -> Dict[str, Any]:
    """The parse data the actions read: intent, entities, complaints, alarms, frame, alarm."""
    doc = _nlp()(text.lower())
    message = Message(data={TEXT: text})
    message.set(TOKENS_NAMES[TEXT], [Token(t.text, t.idx, lemma=t.lemma_) for t in doc])
    message.set(INTENT, {"name": intent, "confidence": 1.0})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}])
    extractor, triage = _components()
    extractor.process([message])
    triage.process([message])
    data = {key: message.get(key) for key in (ENTITIES, "complaints", "alarms", "frame", "alarm")}
    return dict(data, text=text, intent=message.get(INTENT))


def tracker(text: str, intent: str = "ask_topic", slots: Optional[Dict[str, Any]] = None) -> Tracker:
    """A real rasa_sdk Tracker whose latest message is `text`, parsed as above."""
    return Tracker(
        sender_id="test", slots={**SLOTS, **(slots or {})}, latest_message=parse(text, intent),
        events=[], paused=False, followup_action=None, active_loop={},
        latest_action_name="action_listen",
    )
