"""The blind corpora (tests/blind/) stay apart from the training data, and are large enough.

The corpora were written by helper sessions that saw only the source text, the writers' brief
(tests/blind/BRIEF.md) and REAL-LANGUAGE.md, never data/ (tests/blind/README.md).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.blind import corpus, scoring

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
KINDS = set(scoring.KINDS)


def training_texts():
    """Every training example, rule and story text under data/, normalised."""
    found = set()
    for path in DATA.rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line[2:])
                    text = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text)
                    found.add(corpus.normalise(text))
        for story in (data.get("stories") or []) + (data.get("rules") or []):
            for step in story.get("steps") or []:
                if step.get("user"):
                    found.add(corpus.normalise(step["user"]))
    return found


def test_no_blind_utterance_occurs_in_the_training_data():
    train = training_texts()
    assert len(train) > 1000
    # incoming/: a batch written for the next decision, not yet split into dev and final
    blind = corpus.texts(tuple(corpus.PARTS) + ("incoming",))
    overlap = sorted({t for t in map(corpus.normalise, blind) if t in train})
    assert not overlap, f"{len(overlap)} blind utterances are in data/: {overlap[:10]}"


def test_the_corpora_are_as_large_as_the_issues_ask():
    conversations = [c for part in corpus.PARTS for c in corpus.load(part)]
    understanding = [c for c in conversations if c.corpus == "understanding"]
    single = [c for c in understanding if len(c.turns) == 1]
    multi = [c for c in understanding if len(c.turns) > 1]
    safety = [c.turns[0] for c in conversations if c.corpus == "safety"]
    assert len(single) >= 500 and len(multi) >= 80
    assert all(2 <= len(c.turns) <= 4 for c in multi)
    assert sum(t.kind == "alarm" for t in safety) >= 400
    assert sum(t.kind == "near_miss" for t in safety) >= 300


def test_dev_is_about_sixty_percent():
    dev = sum(len(c.turns) for c in corpus.load("dev"))
    final = sum(len(c.turns) for c in corpus.load("final"))
    assert 0.5 <= dev / (dev + final) <= 0.7


@pytest.mark.parametrize("part", corpus.PARTS)
def test_every_label_is_one_the_scorer_knows(part):
    facts = corpus.facts()
    for conversation in corpus.load(part):
        for turn in conversation.turns:
            assert turn.kind in KINDS, (conversation.id, turn.kind)
            if turn.expect.get("fact"):
                assert turn.expect["fact"] in facts, (conversation.id, turn.expect["fact"])
            if turn.kind == "alarm":
                assert turn.expect.get("level") in scoring.ACCEPTED_LEVELS, conversation.id


def test_parts_do_not_share_an_id():
    ids = {part: {c.id for c in corpus.load(part)} for part in corpus.PARTS}
    assert not ids["dev"] & ids["final"]


def test_the_false_alarm_rate_counts_only_near_misses_that_were_escalated():
    """A near-miss answered without the empathic sentence an upset writer needs is wrong,
    but it is no false alarm."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "blind_report", Path(__file__).resolve().parents[1] / "scripts" / "blind_report.py")
    report = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(report)
    near = [dict(kind="near_miss", part="dev", right=False,
                 problems=["no empathic sentence for an upset writer"]),
            dict(kind="near_miss", part="dev", right=False, problems=["false alarm ['spoed']"]),
            dict(kind="near_miss", part="dev", right=True, problems=[])]
    assert [report.false_alarm(r) for r in near] == [False, True, False]
    assert "escalated by mistake: 1 " in "\n".join(report.safety_table(near))
