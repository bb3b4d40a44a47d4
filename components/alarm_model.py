"""The second safety net: a small classifier that reads a message in pieces.

An emergency is often one sentence in the middle of a story ("... we spraken over de
bestraling. Nu zit ze naast me en krijgt haar zin niet af. Kan dit wachten?"): a classifier
of the whole message hears mostly the story. This one scores the whole message and each
sentence, and reports the highest probability per alarm level. In training it also reads
overlapping stretches of WINDOW words of the long sentences of ordinary examples, as more
"geen" text; at work it does not: measured on the dev part of the safety corpus
(2026-11-26), stretches cut out of their sentence ("... een knobbeltje in mijn borst en alles
ging heel snel ...") raised false alarms on ordinary questions from 5 to 9 of 466 and on
near-misses, and found no alarm that the sentences and the lexicon missed.

Features: word (1-2) and character (2-5, within words) n-grams, hashed (nothing to store but
the weights); multinomial logistic regression with balanced class weights, trained on the
NLU training data: the examples of the alarm intents (content/alarms.yml `intent`) per level,
every other example as `geen`. Pure scikit-learn and numpy; weights saved as .npz.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple

import numpy as np
from scipy import sparse

from components.dictionary import normalize

NONE = "geen"
WINDOW, STRIDE = 12, 6
N_FEATURES = 2 ** 18
# inverse regularisation; measured on the dev parts of batches 1-6 of the safety corpus with
# the shipped thresholds (2026-11-26): C=8 36 false alarms on 619 near-misses and 23 on 1906
# other messages, C=16 33 and 19, C=32 33 and 17, the same recall; C=16 also trains in a
# third of the time (saga converges sooner); C=1-4 doubled the false alarms
C = 16.0
WEIGHTS_FILE = "alarm_model.npz"


@functools.lru_cache(maxsize=1)
def _vectorizers():
    """Built once: stateless, and building them per message cost part of a millisecond."""
    from sklearn.feature_extraction.text import HashingVectorizer

    common = dict(n_features=N_FEATURES, alternate_sign=False, norm="l2", lowercase=False)
    return (HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b",
                              **common),
            HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common))


def features(texts: Sequence[str]):
    words, chars = _vectorizers()
    texts = [normalize(t) for t in texts]
    return sparse.hstack([words.transform(texts), chars.transform(texts)]).tocsr()


class AlarmModel:
    def __init__(self, labels: List[str], coef: np.ndarray, intercept: np.ndarray) -> None:
        self.labels, self.intercept = labels, intercept
        # features x classes, contiguous: a sparse row times it reads only the row's features
        # (with coef.T, scipy copied the whole transposed matrix: 4 ms per message); kept
        # once, not beside the classes x features original
        self._weights = np.ascontiguousarray(coef.T)

    @property
    def coef(self) -> np.ndarray:
        """classes x features, as scikit-learn gives and the weights file stores them"""
        return self._weights.T

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], c: float = C) -> "AlarmModel":
        """Fit on the examples, plus every sentence and stretch of the examples that are no
        alarm, as `geen`: at work the model also reads pieces, and an innocent piece of a
        story must not look like an emergency only because it is short."""
        from sklearn.linear_model import LogisticRegression

        texts, labels = list(texts), list(labels)
        for text, label in list(zip(texts, labels)):
            if label == NONE:
                extra = pieces_of_text(text)[1:]
                texts += extra
                labels += [NONE] * len(extra)
        # saga: a few seconds on 500,000 hashed features, where lbfgs takes 40 s; tol 3e-3
        # (was 1e-3) since 2026-11-27: 86 instead of 106 passes, 2 s less training, the same
        # recall and false alarms on the dev parts of batches 1-12
        model = LogisticRegression(C=c, class_weight="balanced", solver="saga", max_iter=300,
                                   tol=3e-3, random_state=42)
        model.fit(features(texts), list(labels))
        return cls(list(model.classes_), model.coef_.astype(np.float32),
                   model.intercept_.astype(np.float32))

    def save(self, directory: Path) -> None:
        np.savez_compressed(directory / WEIGHTS_FILE, labels=np.array(self.labels),
                            coef=self.coef, intercept=self.intercept)

    @classmethod
    def load(cls, directory: Path) -> "AlarmModel":
        data = np.load(directory / WEIGHTS_FILE)
        return cls([str(x) for x in data["labels"]], data["coef"], data["intercept"])

    def probabilities(self, texts: Sequence[str]) -> List[Dict[str, float]]:
        # float32 like the weights: a float64 matrix made scipy convert all the weights
        scores = features(texts).astype(np.float32) @ self._weights + self.intercept
        scores = np.asarray(scores)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        probs = exp / exp.sum(axis=1, keepdims=True)
        return [dict(zip(self.labels, row.tolist())) for row in probs]


def pieces(text: str, spans: Sequence[Tuple[int, int]], sentence_of: Sequence[int],
           skip: Iterable[int] = (), windows: bool = False) -> List[str]:
    """The whole message, each sentence, and (with `windows`) WINDOW-word stretches of long
    sentences; the sentences in `skip` are left out (and then the whole message too).
    `spans` are the (start, end) character offsets of the message's words."""
    skip = set(skip)
    found = [] if skip else [text]
    by_sentence: Dict[int, List[Tuple[int, int]]] = {}
    for span, n in zip(spans, sentence_of):
        if n not in skip:
            by_sentence.setdefault(n, []).append(span)
    for words in by_sentence.values():
        if len(by_sentence) > 1 or skip:
            found.append(text[words[0][0]:words[-1][1]])
        if windows and len(words) > WINDOW + STRIDE:
            for i in range(0, len(words) - WINDOW + STRIDE, STRIDE):
                chunk = words[i:i + WINDOW]
                found.append(text[chunk[0][0]:chunk[-1][1]])
    return found


def pieces_of_text(text: str) -> List[str]:
    """pieces() with windows, for a training text: words split on spaces, sentences on . ! ? ;"""
    import re

    spans, sentence, numbers = [], 0, []
    for match in re.finditer(r"\S+", text):
        spans.append((match.start(), match.end()))
        numbers.append(sentence)
        if match.group()[-1] in ".!?;":
            sentence += 1
    return pieces(text, spans, numbers, windows=True)


def highest(model: AlarmModel, texts: Sequence[str]) -> Dict[str, float]:
    """The highest probability of each alarm level over the pieces."""
    best: Dict[str, float] = {}
    for probs in model.probabilities(texts):
        for label, p in probs.items():
            if label != NONE and p > best.get(label, 0.0):
                best[label] = p
    return best
