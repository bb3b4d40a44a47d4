"""OverlongMessageGuard: first in the NLU pipeline, so that no other component ever sees a
message it cannot handle.

- A message with nothing visible in it (empty, spaces, line breaks, control or format
  characters only) is replaced by Rasa's intent shortcut `/send_empty_message`; the
  classifier would otherwise fail on a message without tokens, and the user would get no
  answer at all. data/rules/input.yml answers it with `utter_empty_message`.
- A message longer than MAX_MESSAGE_CHARS (serving/settings.py, default 1000 characters) is
  replaced by `/send_overlong_message`: the tokenizer and featurizers then work on those few
  characters only. data/rules/input.yml answers it with `utter_message_too_long`. The tracker
  store (serving/tracker_store.py) keeps only the start of the original text, redacted.
- Lone UTF-16 surrogates (which JSON allows as `\\ud800`, but no UTF-8 text can hold) become
  U+FFFD, so spaCy can tokenize the rest.

Rasa's RegexMessageHandler (always last in the pipeline) sets a shortcut's intent with
confidence 1.0.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from serving import settings

OVERLONG_INTENT = "send_overlong_message"
EMPTY_INTENT = "send_empty_message"
SURROGATE = re.compile("[\ud800-\udfff]")
INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def is_empty(text: Text) -> bool:
    """Nothing to read: only whitespace, control and format characters (or nothing)."""
    return not text.strip() or all(
        unicodedata.category(char) in INVISIBLE_CATEGORIES for char in text
    )


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class OverlongMessageGuard(GraphComponent):
    """Turns empty and overlong messages into their intent shortcuts."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "OverlongMessageGuard":
        return cls(settings.load().max_message_chars)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if is_empty(text):
                message.set(TEXT, f"{INTENT_MESSAGE_PREFIX}{EMPTY_INTENT}")
            elif len(text) > self.max_chars:
                message.set(TEXT, f"{INTENT_MESSAGE_PREFIX}{OVERLONG_INTENT}")
            elif SURROGATE.search(text):
                message.set(TEXT, SURROGATE.sub("\ufffd", text))
        return messages
