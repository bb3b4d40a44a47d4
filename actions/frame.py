"""What the latest message says, as the actions need it: read from the parse's `frame`
(components/frame.py, built by the NLU pipeline from the content/ lexicons) and entities.

The sentence that asks weighs most: real people tell a story first and ask last, and name
several places while asking about one ("het zit in haar botten en lever; wat doen ze aan die
lever?").
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Dict, List, Optional, Sequence, Set

from rasa_sdk import Tracker

from actions.content import GENERAL, SITES, TOPICS

NUMBER = re.compile(r"\d|\b(helft|derde|kwart|tien|twintig|dertig|veertig|vijftig|zestig|"
                    r"zeventig|tachtig|negentig|honderd|maanden|jaar|jaren|weken)\b", re.I)


@dataclasses.dataclass
class Understanding:
    intent: str
    sites: List[str]  # sites to answer about, most relevant first (may be empty)
    topics: List[str]  # topics named or asked with a question word, most relevant first
    named_topic: bool  # a topic word was named (not only a question word)
    cues: Set[str]
    treatments: List[str]
    person: Optional[str]
    upset: bool
    known: bool
    uncovered: List[str]
    refers_back: bool
    elsewhere: bool
    asks: bool
    complaints: List[str]
    tokens: int


def _ordered(values: Sequence[str]) -> List[str]:
    return list(dict.fromkeys(values))


def understand(tracker: Tracker) -> Understanding:
    latest: Dict[str, Any] = tracker.latest_message or {}
    shape: Dict[str, Any] = latest.get("frame") or {}
    matches = [m for m in shape.get("matches") or [] if not m.get("negated")]
    asking = set(shape.get("questions") or [])
    sentences = shape.get("sentences") or 1
    # sentences in order of weight: the last asking sentence first, then earlier asking
    # ones, then the last sentence, then the rest from the end
    order = sorted(asking, reverse=True) + [s for s in range(sentences - 1, -1, -1)
                                            if s not in asking]
    weight = {s: i for i, s in enumerate(order)}

    def ids(kind: str) -> List[str]:
        found = sorted((m for m in matches if m["kind"] == kind),
                       key=lambda m: (weight.get(m["sentence"], 99), -m["first"]))
        return _ordered(m["id"] for m in found)

    def best_sentence(kind: str) -> int:
        return min((weight.get(m["sentence"], 99) for m in matches if m["kind"] == kind),
                   default=100)

    def in_focus(kind: str) -> List[str]:
        """Ids of `kind` in the most relevant sentence that has any."""
        best = best_sentence(kind)
        return _ordered(m["id"] for m in sorted(matches, key=lambda m: -m["first"])
                        if m["kind"] == kind and weight.get(m["sentence"], 99) == best)

    sites = [s for s in in_focus("site") if s in SITES + (GENERAL,)]
    named = [t for t in ids("topic") if t in TOPICS]
    focus_named = [t for t in in_focus("topic") if t in TOPICS]
    hinted = [t for t in in_focus("topic_hint") if t in TOPICS]
    topics = _ordered(focus_named + hinted + named + [t for t in ids("topic_hint")])
    intent = (latest.get("intent") or {}).get("name") or ""
    text = latest.get("text") or ""
    return Understanding(
        intent=intent,
        sites=sites,
        topics=[t for t in topics if t in TOPICS],
        named_topic=bool(focus_named or named),
        cues=set(ids("cue")),
        treatments=in_focus("treatment"),
        person=(ids("person") or [None])[0],
        upset=bool(ids("emotion")),
        known=bool(ids("known")),
        # a place the text does not cover counts when no covered place is asked about as much
        uncovered=in_focus("uncovered") if best_sentence("uncovered") < best_sentence("site")
        or not [x for x in sites if x in SITES] else [],
        refers_back=bool(ids("anaphora")),
        elsewhere=bool(ids("elsewhere")) and bool(NUMBER.search(text)),
        asks=bool(asking),
        complaints=[c["id"] for c in latest.get("complaints") or [] if not c.get("negated")],
        tokens=int(shape.get("tokens") or 0),
    )

