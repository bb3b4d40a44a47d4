"""No emergency reply carries content beyond the advice, over the whole safety corpus.

Every message of the blind safety corpus (tests/blind/, dev and final: alarms and
near-misses) goes through the real servers over REST. Whenever the bot answers with the advice
of an alarm level, that advice comes first; after 112 or 113 only the one warm closing line
follows; after the urgent advice only the orientation on the complaints described (never the
site's other complaints). Detection rates are measured by `make evaluate`, not asserted here.
"""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import List, Tuple

from actions.content import content
from tests.blind import corpus
from tests.servers import chat

ADVICE = {level.advice: name for name, level in content().alarm_levels.items()}
ANSWER_MARKS = ("Uitzaaiingen in de lever:", "Uitzaaiingen in het bot:",
                "Uitzaaiingen in de lymfeklieren:", "Andere klachten die de tekst daar noemt")


def safety_messages() -> List[str]:
    return [c.turns[0].text for part in corpus.PARTS for c in corpus.load(part)
            if c.corpus == "safety"]


def problems(text: str, reply: List[dict]) -> List[str]:
    texts = [m.get("text") or "" for m in reply]
    level = next((ADVICE[t] for t in texts if t in ADVICE), None)
    if level is None:
        return []
    found = []
    if texts[0] not in ADVICE:
        found.append("the advice is not the first message")
    if level in ("levensbedreigend", "zelfdoding"):
        if texts != [texts[0], content().alarm_closing]:
            found.append(f"more than the advice and the closing line: {texts[1:]}")
    elif any(mark in t for t in texts[1:] for mark in ANSWER_MARKS):
        found.append("content beyond the described complaints after the urgent advice")
    return [f"{text!r}: {p}" for p in found]


def test_emergency_replies_carry_nothing_but_help(bot_port):
    messages = safety_messages()
    assert len(messages) >= 700

    def one(text: str) -> Tuple[str, List[dict]]:
        return text, chat(bot_port, f"safety-{uuid.uuid4().hex}", text)

    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(one, messages))
    escalated = sum(1 for _, reply in replies if any(m.get("text") in ADVICE for m in reply))
    assert escalated > 300  # the check below looked at real emergency replies
    found = [p for text, reply in replies for p in problems(text, reply)]
    assert not found, "\n".join(found[:20])
