"""Never guess on text without a single known word.

A statistical classifier always picks some intent, even for "asdf" or a question in English;
with a few dozen intents its confidence for such input can still pass the fallback threshold.
This component learns the content words (not stop words) of the training data, and turns a
message that contains none of them, and no site, topic, complaint or alarm from the lexicons,
into `nlu_fallback`: the bot then asks the user to rephrase, in Dutch. A message that is
clearly in another language (components/language.py: clearly English by its function words,
or another language's word frequencies fit it much better than Dutch) becomes
`use_other_language`: the bot says it only understands Dutch, and names 112. The other way
round, the classifier's `use_other_language` gives way to its best other intent when the
message is clearly Dutch ("Wa is immunotherapie?": Flemish, not foreign).

The word-frequency table of components/language.py is built at training time and kept with
the model (building it reads pyspellchecker's word lists, a few seconds).
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.nl.stop_words import STOP_WORDS

from components import language
from components.lexicon import normalize
from components.lexicon_extractor import ALARMS, COMPLAINTS, force_intent

FALLBACK_INTENT = "nlu_fallback"
OTHER_LANGUAGE_INTENT = "use_other_language"
VOCABULARY_FILE = "vocabulary.json"
LANGUAGE_FILE = "languages.json"
STOP = {normalize(w) for w in STOP_WORDS}
ENGLISH_ONLY = {normalize(w) for w in ENGLISH_STOP_WORDS} - STOP
DUTCH_ONLY = STOP - {normalize(w) for w in ENGLISH_STOP_WORDS}


def looks_english(message: Message) -> bool:
    words = [normalize(t.text) for t in message.get(TOKENS_NAMES[TEXT]) or []]
    english = sum(w in ENGLISH_ONLY for w in words)
    return english >= 2 and english > sum(w in DUTCH_ONLY for w in words)


def demote(message: Message, name: Text) -> None:
    """The classifier's intent `name` gives way to its best other intent."""
    others = [r for r in message.get(INTENT_RANKING_KEY) or []
              if r.get(INTENT_NAME_KEY) != name]
    if others:
        message.set(INTENT, dict(others[0]), add_to_output=True)
        message.set(INTENT_RANKING_KEY, others, add_to_output=True)


def content_words(message: Message) -> Set[Text]:
    words = set()
    for token in message.get(TOKENS_NAMES[TEXT]) or []:
        for form in (normalize(token.text), normalize(token.lemma or token.text)):
            if form not in STOP and any(c.isalpha() for c in form):
                words.add(form)
    return words


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class UnknownWordsFallback(GraphComponent):
    """Falls back when a message has no known content word and no lexicon match."""

    def __init__(self, vocabulary: Set[Text], model_storage: ModelStorage, resource: Resource,
                 dutch: Set[Text] = frozenset(), table: Dict[Text, Dict[Text, float]] = None):
        self.vocabulary = vocabulary
        self.dutch = dutch  # the words of the training examples that are not foreign
        self.table = table or {}
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnknownWordsFallback":
        return cls(set(), model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "UnknownWordsFallback":
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
                stored = json.loads((directory / LANGUAGE_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            words, stored = [], {}
        return cls(set(words), model_storage, resource, set(stored.get("dutch") or []),
                   stored.get("table") or {})

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: Set[Text] = set()
        dutch: Set[Text] = set()
        for example in training_data.intent_examples:
            words = content_words(example)
            vocabulary |= words
            if example.get("intent") != OTHER_LANGUAGE_INTENT:
                dutch |= {normalize(w) for w in language.words_of(example.get(TEXT) or "")}
        table = language.frequency_table()
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps(sorted(vocabulary), ensure_ascii=False), encoding="utf-8"
            )
            (directory / LANGUAGE_FILE).write_text(
                json.dumps({"dutch": sorted(dutch), "table": table}, ensure_ascii=False,
                           separators=(",", ":")), encoding="utf-8")
        self.vocabulary, self.dutch, self.table = vocabulary, dutch, table
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if looks_english(message) or (
                    self.table and language.clearly_other(text, self.table, self.dutch)):
                force_intent(message, OTHER_LANGUAGE_INTENT)
            elif self._understood_nothing(message):
                force_intent(message, FALLBACK_INTENT)
            elif intent == OTHER_LANGUAGE_INTENT and self.table and language.clearly_dutch(
                    text, self.table, self.dutch):
                demote(message, OTHER_LANGUAGE_INTENT)
        return messages

    def _understood_nothing(self, message: Message) -> bool:
        if message.get(ENTITIES) or message.get(COMPLAINTS) or message.get(ALARMS):
            return False
        return not (content_words(message) & self.vocabulary)
