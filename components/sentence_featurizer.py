"""Rasa's CountVectorsFeaturizer without the per-token features no component of ours reads.

The stock featurizer gives every message two matrices for its text: one row of counts per
token (sequence features, for DIET and other sequence models) and one row for the whole
message (sentence features). Our pipeline has no sequence model: the intent classifier
(components/intent_classifier.py) reads the sentence features only, and nothing else reads
either. The per-token rows were most of the featurizers' work: measured 2026-11-27 on the
training data, the character n-gram featurizer spent 6 s of a 52 s `rasa train` building
them, one sklearn `transform` per message and one row per token.

This subclass builds the very same sentence rows (the same vocabulary, the same
`" ".join(tokens)` text, the same counts: tests/test_nlu_pipeline.py compares them with the
stock featurizer's over the whole training data) and leaves the sequence features of the
message text out; other attributes (intent names in training) are featurized as before. In
training it transforms all texts in one call instead of one call per message.
"""
from __future__ import annotations

from typing import List, Optional, Tuple

import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """CountVectorsFeaturizer giving the message text sentence features only."""

    def _create_features(
        self, attribute: str, all_tokens: List[List[str]]
    ) -> Tuple[List[Optional[scipy.sparse.spmatrix]], List[Optional[scipy.sparse.spmatrix]]]:
        if attribute != TEXT or not self.vectorizers.get(attribute):
            return super()._create_features(attribute, all_tokens)
        sentence: List[Optional[scipy.sparse.spmatrix]] = [None] * len(all_tokens)
        rows = [i for i, tokens in enumerate(all_tokens) if tokens]
        if rows:
            matrix = self.vectorizers[attribute].transform(
                [" ".join(all_tokens[i]) for i in rows]).tocsr()
            for n, i in enumerate(rows):
                row = matrix[n]
                row.sort_indices()
                sentence[i] = row.tocoo()
        return [None] * len(all_tokens), sentence

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        messages = training_data.training_examples
        if self.vectorizers is None:
            return super().process_training_data(training_data)
        for attribute in self._attributes:
            if attribute == TEXT:
                self._add_features(messages, attribute)
            else:
                for message in messages:
                    self._add_features([message], attribute)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self.vectorizers is None:
            return super().process(messages)
        for message in messages:
            for attribute in self._attributes:
                self._add_features([message], attribute)
        return messages

    def _add_features(self, messages: List[Message], attribute: str) -> None:
        tokens = [self._get_processed_message_tokens_by_attribute(m, attribute)
                  for m in messages]
        sequence, sentence = self._create_features(attribute, tokens)
        for message, seq, sent in zip(messages, sequence, sentence):
            self.add_features_to_message(seq, sent, attribute, message)
