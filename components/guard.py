"""OverlongMessageGuard: first in the NLU pipeline, so an overlong message is never analysed.

A message longer than MAX_MESSAGE_CHARS (serving/settings.py, default 1000 characters) is
replaced, before any other component sees it, by Rasa's intent shortcut
`/send_overlong_message`: the tokenizer and featurizers then work on those few characters
only, and Rasa's RegexMessageHandler (always last in the pipeline) sets that intent with
confidence 1.0. data/rules/input.yml answers it with `utter_message_too_long`. The tracker
store (serving/tracker_store.py) keeps only the start of the original text, redacted.
"""
from __future__ import annotations

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


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class OverlongMessageGuard(GraphComponent):
    """Turns a message over the length limit into the `send_overlong_message` shortcut."""

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
            if len(message.get(TEXT) or "") > self.max_chars:
                message.set(TEXT, f"{INTENT_MESSAGE_PREFIX}{OVERLONG_INTENT}")
        return messages
