"""AlarmTriage: the safety net, after every classifier. Two independent nets, joined:

1. the lexicon (content/alarms.yml): an alarm sign found in the message counts unless
   - it is negated ("geen pijn op de borst"),
   - a figure of speech or another word stands against it ("verlamd van schrik",
     "gebroken nacht", "bloedonderzoek"),
   - its sentence tells of the past and nothing says it is happening now ("vorig jaar mijn
     arm gebroken"), or of something mild or long-standing that is not getting worse ("al
     maanden een beetje benauwd bij het traplopen"); never for thoughts of suicide,
   - its sentence is a general question about the sign, with nobody in it ("kan je van
     uitzaaiingen pijn op de borst krijgen?");
2. the intent classifier: it is at least `classifier_threshold` confident that the message
   reports an emergency (report_emergency, report_suicidal_thoughts,
   report_urgent_complaint, ask_urgent_help); the threshold was chosen for recall first on
   the dev part of the safety corpus (tests/blind/, README "Safety").

The most urgent level of either net wins; the message's intent becomes that level's intent
(content/alarms.yml `levels.<level>.intent`) with confidence 1.0, and the parse gets
`alarm: {level, signs, by}`. Without an alarm, a classifier guess of an alarm intent is
replaced by its best other intent, so no alarm is raised below the threshold.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Text, Tuple

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.lexicon import CONTENT_DIR
from components.lexicon_extractor import ALARMS, FRAME, force_intent

ALARM = "alarm"
SUICIDE_LEVEL = "zelfdoding"
FIGURE_REACH = 2  # a figure of speech this close after a sign word speaks against it


class Levels:
    """The alarm levels of content/alarms.yml: rank, intent, and each sign's level."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self.rank = {name: raw["rank"] for name, raw in data["levels"].items()}
        self.intent = {name: raw["intent"] for name, raw in data["levels"].items()}
        self.level_of_intent = {intent: name for name, intent in self.intent.items()}
        self.of_sign = {entry["id"]: entry["level"] for entry in data["entries"]}

    @classmethod
    def load(cls) -> "Levels":
        return cls(yaml.safe_load((CONTENT_DIR / "alarms.yml").read_text(encoding="utf-8")))

    def most_urgent(self, levels: List[str]) -> Optional[str]:
        return min(levels, key=lambda level: self.rank[level]) if levels else None


def markers_by_sentence(shape: Dict[str, Any]) -> Dict[int, List[Dict[str, Any]]]:
    found: Dict[int, List[Dict[str, Any]]] = {}
    for m in shape.get("matches") or []:
        if m["kind"] in ("marker", "person") and not m["negated"]:
            found.setdefault(m["sentence"], []).append(m)
    return found


def sign_counts(sign: Dict[str, Any], level: str, shape: Dict[str, Any],
                markers: Dict[int, List[Dict[str, Any]]], span: Tuple[int, int]) -> bool:
    """Does this (not negated) sign report an alarm? See the module docstring."""
    here = markers.get(sign["sentence"], [])
    ids: Set[str] = {m["id"] if m["kind"] == "marker" else "personal" for m in here}
    first, last = span
    for m in here:
        if m["id"] == "figurative" and m["first"] <= last + FIGURE_REACH and m["last"] >= first:
            return False
    if level != SUICIDE_LEVEL:
        if "old" in ids and "present" not in ids:
            return False
        if "mild" in ids and not ids & {"worse", "present"}:
            return False
    if sign["sentence"] in (shape.get("questions") or []) and "personal" not in ids:
        return False
    return True


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class AlarmTriage(GraphComponent):
    """Decides whether a message is an emergency, and how urgent (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"classifier_threshold": 0.5}

    def __init__(self, config: Dict[Text, Any], levels: Levels) -> None:
        self.threshold = float(config["classifier_threshold"])
        self.levels = levels

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "AlarmTriage":
        return cls(config, Levels.load())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def lexicon_signs(self, message: Message) -> List[Tuple[str, str]]:
        """(sign id, level) of every sign that counts."""
        shape = message.get(FRAME) or {}
        markers = markers_by_sentence(shape)
        spans = {(m["id"], m["sentence"]): (m["first"], m["last"])
                 for m in shape.get("matches") or [] if m["kind"] == "alarm"}
        counted = []
        for sign in message.get(ALARMS) or []:
            if sign["negated"]:
                continue
            level = self.levels.of_sign[sign["id"]]
            span = spans.get((sign["id"], sign["sentence"]), (0, 0))
            if sign_counts(sign, level, shape, markers, span):
                counted.append((sign["id"], level))
        return counted

    def classifier_level(self, message: Message) -> Optional[str]:
        for ranked in message.get(INTENT_RANKING_KEY) or []:
            level = self.levels.level_of_intent.get(ranked.get(INTENT_NAME_KEY))
            if level and (ranked.get(PREDICTED_CONFIDENCE_KEY) or 0) >= self.threshold:
                return level
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            signs = self.lexicon_signs(message)
            by_classifier = self.classifier_level(message)
            candidates = [level for _, level in signs] + ([by_classifier] if by_classifier else [])
            level = self.levels.most_urgent(candidates)
            if level:
                force_intent(message, self.levels.intent[level])
                message.set(ALARM, {
                    "level": level,
                    "signs": sorted({sign for sign, _ in signs}),
                    "by": "lexicon" if signs else "classifier",
                }, add_to_output=True)
            else:
                message.set(ALARM, None, add_to_output=True)
                self._demote(message)
        return messages

    def _demote(self, message: Message) -> None:
        """An alarm intent the nets did not confirm gives way to the best other intent."""
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent not in self.levels.level_of_intent:
            return
        others = [r for r in message.get(INTENT_RANKING_KEY) or []
                  if r.get(INTENT_NAME_KEY) not in self.levels.level_of_intent]
        if others:
            message.set(INTENT, dict(others[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, others, add_to_output=True)
