"""Rasa NLU component around components/lexicon.py.

LexiconEntityExtractor  site and topic entities (values are canonical ids), and three output
                        properties on the parse result:
                        `complaints` (complaints.yml) and `alarms` (alarms.yml), each a list of
                        {id, text, negated, sentence}; and `frame` (components/frame.py): the
                        message's sentences, which ones ask, and every lexicon match (cues,
                        topic hints, people, emotion, known metastases, places the text does
                        not cover, treatments, triage markers), without any user text.
                        Words after "ik heet", "dokter", ... that look like a name are left out
                        of the matching: "Ik heet Piet Borst" names no body part.
Whether an alarm sign counts is decided after the classifiers, by components/alarm_triage.py.
"""
from __future__ import annotations

from typing import Any, Dict, List, Set, Text

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

from components import frame
from components.dictionary import dutch_words
from components.lexicon import Lexicon, Match, Word, default_lexicon

ENTITY_KINDS = ("site", "topic")
COMPLAINTS = "complaints"
ALARMS = "alarms"
FRAME = "frame"
# A message longer than this is matched on its first MAX_TOKENS tokens only.
MAX_TOKENS = 400
NAME_INTRODUCERS = {"heet", "heten", "naam", "genaamd"}  # the next words are a name
MAX_NAME_WORDS = 3
NAME_STOP = {",", ".", "!", "?", ";", ":", "en", "ik", "uit", "van", "met", "maar", "want"}


QUOTES = set("'\"‘’‚“”„`´«»")


def words_of(message: Message) -> List[Word]:
    """The message's words; a quotation mark is none ("hij belde om 'afscheid te nemen'"
    says what "hij belde om afscheid te nemen" says)."""
    tokens: List[Token] = message.get(TOKENS_NAMES[TEXT]) or []
    return [Word.of(t.text, t.lemma, t.start, t.end) for t in tokens[:MAX_TOKENS]
            if not set(t.text) <= QUOTES]


def name_positions(words: List[Word], text: str, markers: List[Match]) -> Set[int]:
    """Token positions that are a name: after "heet"/"mijn naam is" (any word), after
    "dokter"/"meneer"/... (only words written with a capital)."""
    names: Set[int] = set()
    for marker in markers:
        if marker.id != "name":
            continue
        introduced = words[marker.last].text in NAME_INTRODUCERS or words[marker.last].text == "is"
        for i in range(marker.last + 1, min(len(words), marker.last + 1 + MAX_NAME_WORDS)):
            if words[i].text == ":" and i == marker.last + 1:
                continue
            original = text[words[i].start:words[i].end]
            if words[i].text in NAME_STOP or not original[:1].isalpha():
                break
            if not (introduced or original[:1].isupper()):
                break
            names.add(i)
    return names


def describe(match: Match, words: List[Word], text: Text, sentences: List[int]) -> Dict[str, Any]:
    start, end = words[match.first].start, words[match.last].end
    return {"id": match.id, "text": text[start:end], "negated": match.negated,
            "sentence": sentences[match.first]}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class LexiconEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds sites, topics, complaints, alarm signs and the frame with the content/ lexicons."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        dutch_words()  # load the word list now, not on the first message

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
        names = name_positions(words, text, self.lexicon.find(words, ["marker"]))
        if names:
            words = [Word("_", "_", w.start, w.end) if i in names else w
                     for i, w in enumerate(words)]
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
        shape = frame.build(words, text, matches)
        sentences = frame.sentence_of(words, text)
        for kind, key in (("complaint", COMPLAINTS), ("alarm", ALARMS)):
            found = [describe(m, words, text, sentences) for m in matches if m.kind == kind]
            message.set(key, found, add_to_output=True)
        message.set(FRAME, shape, add_to_output=True)


def force_intent(message: Message, name: Text) -> None:
    """Set the message's intent to `name` with confidence 1.0, first in the ranking."""
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [intent] + [
        r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
