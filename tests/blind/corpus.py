"""The blind corpora (tests/blind/dev, tests/blind/final): loading, as conversations of turns.

A single message is a conversation of one turn. Writers w1-w4 wrote the understanding corpus
(questions and conversations), the others the safety corpus (alarms and near-misses); which is
which follows from the labels, not from the writer.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import yaml

BLIND = Path(__file__).resolve().parent
PARTS = ("dev", "final")
SAFETY_KINDS = {"alarm", "near_miss"}


@dataclasses.dataclass(frozen=True)
class Turn:
    text: str
    expect: Dict[str, object]
    index: int  # 0 for the first turn of a conversation

    @property
    def kind(self) -> str:
        return str(self.expect["kind"])


@dataclasses.dataclass(frozen=True)
class Conversation:
    id: str
    part: str
    writer: str
    persona: str
    turns: List[Turn]

    @property
    def corpus(self) -> str:
        """`safety` for single alarm and near-miss messages, `understanding` for the rest
        (the understanding writers wrote alarms only inside conversations)."""
        if len(self.turns) == 1 and self.turns[0].kind in SAFETY_KINDS:
            return "safety"
        return "understanding"


def load(part: str, directory: Path = BLIND) -> List[Conversation]:
    """Every conversation of a part (`dev` or `final`), in file and id order."""
    conversations: List[Conversation] = []
    for path in sorted((directory / part).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        writer = str(data.get("writer", path.stem))
        if "conversations" in data:
            for c in data["conversations"]:
                turns = [Turn(t["text"], t["expect"], i) for i, t in enumerate(c["turns"])]
                conversations.append(
                    Conversation(c["id"], part, writer, c.get("persona", ""), turns))
        else:
            for item in data["items"]:
                conversations.append(
                    Conversation(item["id"], part, writer, item.get("persona", ""),
                                 [Turn(item["text"], item["expect"], 0)]))
    return conversations


def texts(parts=PARTS, directory: Path = BLIND) -> Iterator[str]:
    for part in parts:
        for conversation in load(part, directory):
            for turn in conversation.turns:
                yield turn.text


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: for the overlap test."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def facts(directory: Path = BLIND) -> Dict[str, Dict[str, str]]:
    data = yaml.safe_load((directory / "facts.yml").read_text(encoding="utf-8"))
    return {f["id"]: f for f in data["facts"]}


def find(conversation_id: str, part: Optional[str] = None) -> Conversation:
    for p in [part] if part else PARTS:
        for conversation in load(p):
            if conversation.id == conversation_id:
                return conversation
    raise KeyError(conversation_id)
