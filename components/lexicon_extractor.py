"""Rasa NLU components around components/lexicon.py.

LexiconEntityExtractor  site and topic entities (values are canonical ids), plus two output
                        properties on the parse result: `complaints` (complaints.yml) and
                        `alarms` (alarms.yml), each a list of {id, text, negated}.
AlarmIntentOverride     safety net after all classifiers: a message with a non-negated alarm
                        sign gets intent `report_alarm` with confidence 1.0, whatever the
                        statistical classifier thought; except urgent (not life-threatening)
                        signs in a question for information, as content/alarms.yml says.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.lexicon import CONTENT_DIR, Lexicon, Match, Word, default_lexicon

ENTITY_KINDS = ("site", "topic")
COMPLAINTS = "complaints"
ALARMS = "alarms"
ALARM_INTENT = "report_alarm"
# Questions for information: an urgent sign named in one is not reported, it is asked about.
INFORMATION_INTENTS = {
    "ask_topic", "inform", "ask_definition", "ask_spread", "ask_same_cancer",
    "ask_spread_vs_metastasis", "ask_common_locations", "ask_discovery_prognosis",
}
# A message longer than this is matched on its first MAX_TOKENS tokens only.
MAX_TOKENS = 400


def words_of(message: Message) -> List[Word]:
    tokens: List[Token] = message.get(TOKENS_NAMES[TEXT]) or []
    return [Word.of(t.text, t.lemma, t.start, t.end) for t in tokens[:MAX_TOKENS]]


def describe(match: Match, words: List[Word], text: Text) -> Dict[Text, Any]:
    start, end = words[match.first].start, words[match.last].end
    return {"id": match.id, "text": text[start:end], "negated": match.negated}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class LexiconEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds sites, topics, complaints and alarm signs with the content/ lexicons."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LexiconEntityExtractor":
        return cls(default_lexicon())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        words = words_of(message)
        matches = self.lexicon.find(words)
        entities = [
            {
                ENTITY_ATTRIBUTE_TYPE: m.kind,
                ENTITY_ATTRIBUTE_VALUE: m.id,
                ENTITY_ATTRIBUTE_START: words[m.first].start,
                ENTITY_ATTRIBUTE_END: words[m.last].end,
                ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                EXTRACTOR: self.__class__.__name__,
            }
            for m in matches
            if m.kind in ENTITY_KINDS  # "waarom kan het niet geopereerd worden" asks too
        ]
        message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        for kind, key in (("complaint", COMPLAINTS), ("alarm", ALARMS)):
            found = [describe(m, words, text) for m in matches if m.kind == kind]
            message.set(key, found, add_to_output=True)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class AlarmIntentOverride(GraphComponent):
    """Makes a message with a non-negated alarm sign a `report_alarm`."""

    def __init__(self, always: Dict[Text, bool]) -> None:
        self.always = always  # alarm id -> an alarm even in a question for information?

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "AlarmIntentOverride":
        alarms = yaml.safe_load((CONTENT_DIR / "alarms.yml").read_text(encoding="utf-8"))
        levels = alarms["levels"]
        return cls(
            {a["id"]: levels[a["level"]]["in_information_questions"] for a in alarms["entries"]}
        )

    def is_alarm(self, message: Message) -> bool:
        found = [a["id"] for a in message.get(ALARMS) or [] if not a["negated"]]
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent in INFORMATION_INTENTS:
            return any(self.always[a] for a in found)
        return bool(found)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self.is_alarm(message):
                force_intent(message, ALARM_INTENT)
        return messages


def force_intent(message: Message, name: Text) -> None:
    """Set the message's intent to `name` with confidence 1.0, first in the ranking."""
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [intent] + [
        r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
