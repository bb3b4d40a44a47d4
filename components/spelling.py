"""Spelling correction that never turns a real Dutch word into another word.

`SpellingCorrector` (an NLU component right after the tokenizer) looks at each word of a
message that is not a Dutch word and not a word the bot knows (its training data and the
content/ lexicons). If one word the bot knows is within one typo of it (two for words of 8+
letters; same first letter), the token's lemma becomes that word: "uitzaaing" is read as
"uitzaaiing", "levr" as "lever". Its text stays as written, so the character n-gram features
still see what the user typed. A real Dutch word is never changed ("maken" stays "maken",
never "manken"): the Dutch word list is components/dictionary.py, which the lexicon
matcher's own typo rule asks too (components/lexicon.py).

A compound written as two words ("levens verwachting", "pijn stillers", "lever uitzaaiingen")
is read as the compound when the two words joined are a word of the content/ lexicons (or
start with one of their word* stems): the first token's lemma becomes the compound.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.dictionary import dutch_words
from components.lexicon import default_lexicon, edit_distance, normalize

VOCABULARY_FILE = "vocabulary.json"
MIN_LENGTH = 4  # shorter words are too easily another word
MIN_COMPOUND = 8  # a shorter join is too easily a word nobody meant ("na dat")


def allowed_distance(word: str) -> int:
    return 2 if len(word) >= 8 else 1


class Corrector:
    """Maps a word that is no Dutch word to the closest word the bot knows, if any."""

    def __init__(self, known: Iterable[str], prefixes: Iterable[str] = ()) -> None:
        self.known: Set[str] = {w for w in (normalize(k) for k in known) if w.isalpha()}
        self.prefixes = tuple(prefixes)
        self._by_first: Dict[str, List[str]] = {}
        for word in self.known:
            if len(word) >= MIN_LENGTH:
                self._by_first.setdefault(word[0], []).append(word)
        for words in self._by_first.values():
            words.sort()

    def correct(self, word: str) -> Optional[str]:
        word = normalize(word)
        if (len(word) < MIN_LENGTH or not word.isalpha() or word in self.known
                or word.startswith(self.prefixes) or word in dutch_words()):
            return None
        limit = allowed_distance(word)
        best, best_distance = None, limit + 1
        for candidate in self._by_first.get(word[0], []):
            if abs(len(candidate) - len(word)) > limit:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance < best_distance:
                best, best_distance = candidate, distance
        return best


def lexicon_words() -> Set[str]:
    """The literal words of every content/ lexicon pattern, and the prefixes (word*)."""
    words = set()
    for pattern in default_lexicon().patterns:
        for word, _ in pattern.steps:
            words.add(word)
    return words


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class SpellingCorrector(GraphComponent):
    """Sets the lemma of a misspelled token to the word the bot knows (see module doc)."""

    def __init__(self, vocabulary: Set[str], model_storage: ModelStorage, resource: Resource):
        self._model_storage, self._resource = model_storage, resource
        self._build(vocabulary)

    def _build(self, vocabulary: Set[str]) -> None:
        lexicon = lexicon_words()
        prefixes = [w[:-1] for w in lexicon if w.endswith("*") and len(w) > 4]
        self.compounds = {w for w in lexicon if not w.endswith("*") and w.isalpha()
                          and len(w) >= MIN_COMPOUND}
        self.compound_stems = tuple(p for p in prefixes if len(p) >= MIN_COMPOUND - 2)
        self.vocabulary = vocabulary
        self.corrector = Corrector(
            vocabulary | {w for w in lexicon if not w.endswith("*")}, prefixes)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SpellingCorrector":
        return cls(set(), model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SpellingCorrector":
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            words = []
        return cls(set(words), model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: Set[str] = set()
        for example in training_data.intent_examples:
            for token in example.get(TOKENS_NAMES[TEXT]) or []:
                word = normalize(token.text)
                if word.isalpha() and len(word) >= MIN_LENGTH:
                    vocabulary.add(word)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps(sorted(vocabulary), ensure_ascii=False), encoding="utf-8")
        self._build(vocabulary)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def compound(self, first: str, second: str) -> Optional[str]:
        """The lexicon word two written words make together, if any."""
        if not (first.isalpha() and second.isalpha()) or len(first) < 2 or len(second) < 3:
            return None
        joined = first + second
        if len(joined) < MIN_COMPOUND:
            return None
        if joined in self.compounds or joined.startswith(self.compound_stems):
            return joined
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            for token in tokens:
                corrected = self.corrector.correct(token.text)
                if corrected is not None:
                    token.lemma = corrected
            for first, second in zip(tokens, tokens[1:]):
                if second.start - first.end != 1:
                    continue  # written together with a sign between, or far apart
                joined = self.compound(normalize(first.text), normalize(second.text))
                if joined is not None:
                    first.lemma = joined
        return messages
