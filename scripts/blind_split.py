"""Split newly written blind corpus files into a dev part (read to find failures) and a final
part (only scored), by a hash of each item's id: about 60% dev, 40% final.

    .venv/bin/python scripts/blind_split.py        # tests/blind/incoming/*.yml -> dev/, final/

Prints only counts, never a final item. An incoming file is removed once split.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

BLIND = Path(__file__).resolve().parent.parent / "tests" / "blind"
DEV_SHARE = 60  # percent


def part_of(item_id: str) -> str:
    bucket = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest(), 16) % 100
    return "dev" if bucket < DEV_SHARE else "final"


def split(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    key = "conversations" if "conversations" in data else "items"
    parts = {"dev": [], "final": []}
    for item in data[key]:
        parts[part_of(item["id"])].append(item)
    for name, items in parts.items():
        out = BLIND / name / path.name
        if out.exists():
            sys.exit(f"{out} exists already: give the new writer another name")
        out.write_text(
            yaml.safe_dump({"writer": data["writer"], key: items}, allow_unicode=True,
                           sort_keys=False, width=100),
            encoding="utf-8",
        )
    print(f"{path.name}: {len(parts['dev'])} dev, {len(parts['final'])} final ({key})")
    path.unlink()


if __name__ == "__main__":
    for incoming in sorted((BLIND / "incoming").glob("*.yml")):
        split(incoming)
