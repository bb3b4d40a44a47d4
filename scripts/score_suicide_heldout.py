"""Score the held-out corpus of veiled suicide messages (tests/corpora/suicide_heldout.yml)
through the trained model's NLU: the lexicon and the classifier of the safety net, as the
Rasa server runs them (the reply itself is scored by `make evaluate` on the blind corpus).

    .venv/bin/python scripts/score_suicide_heldout.py [MODEL]

Prints the share of the alarms that get the advice of 113 (alone, or beside the urgent
advice) and the share of the near-misses that get any alarm. Prints counts only, never a
message: the corpus is for measuring, not for reading case by case (tests/corpora/README.md).
"""
from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "corpora" / "suicide_heldout.yml"


def main() -> None:
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent

    from tests.servers import newest_model

    model = sys.argv[1] if len(sys.argv) > 1 else str(newest_model())
    agent = Agent.load(model)
    loop = asyncio.new_event_loop()
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))

    def alarm(text: str) -> dict:
        return loop.run_until_complete(agent.parse_message(text)).get("alarm") or {}

    found = [alarm(item["text"]) for item in data["alarms"]]
    caught = sum(1 for a in found if a.get("level") == "zelfdoding"
                 or "zelfdoding" in (a.get("also") or []))
    false = sum(1 for item in data["near_misses"] if alarm(item["text"]))
    print(f"model: {Path(model).name}")
    print(f"veiled suicide messages given the advice of 113: {caught}/{len(found)} "
          f"({100 * caught / len(found):.1f}%)")
    print(f"near-misses escalated: {false}/{len(data['near_misses'])} "
          f"({100 * false / len(data['near_misses']):.1f}%)")


if __name__ == "__main__":
    main()
