"""Summarise `rasa test nlu` reports: intent accuracy and F1, entity F1.

Usage: python scripts/nlu_summary.py results/nlu

Reads <dir>/intent_report.json and every entity extractor report <dir>/<Extractor>_report.json
(Rasa names them after the component, e.g. LexiconEntityExtractor_report.json), prints a short
summary and writes it to <dir>/summary.md.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Dict, List, Optional

NOT_ENTITY_REPORTS = {"intent_report.json", "response_selection_report.json"}
AVERAGES = ("accuracy", "micro avg", "macro avg", "weighted avg")


def load(path: Path) -> Dict:
    return json.loads(path.read_text(encoding="utf-8"))


def f1(report: Dict, key: str) -> Optional[float]:
    entry = report.get(key)
    return entry.get("f1-score") if isinstance(entry, dict) else None


def pct(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def worst_labels(report: Dict, n: int = 5) -> List[str]:
    labels = [
        (v["f1-score"], k, v.get("support", 0))
        for k, v in report.items()
        if k not in AVERAGES and isinstance(v, dict) and "f1-score" in v
    ]
    return [f"{k} (F1 {pct(score)}, n={support})" for score, k, support in sorted(labels)[:n]]


def summarise(results: Path) -> List[str]:
    intent_path = results / "intent_report.json"
    if not intent_path.exists():
        raise SystemExit(f"{intent_path} not found: run `make evaluate` (rasa test nlu) first")
    intents = load(intent_path)
    accuracy = intents.get("accuracy")
    if accuracy is None:  # sklearn reports micro avg instead when labels are a subset
        accuracy = f1(intents, "micro avg")
    support = (intents.get("weighted avg") or {}).get("support")
    lines = [
        "# NLU evaluation on tests/nlu",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| test utterances | {support if support is not None else 'n/a'} |",
        f"| intent accuracy | {pct(accuracy)} |",
        f"| intent F1 (macro) | {pct(f1(intents, 'macro avg'))} |",
        f"| intent F1 (weighted) | {pct(f1(intents, 'weighted avg'))} |",
    ]
    entity_reports = sorted(
        p for p in results.glob("*_report.json") if p.name not in NOT_ENTITY_REPORTS
    )
    for path in entity_reports:
        report = load(path)
        name = path.name[: -len("_report.json")]
        lines += [
            f"| entity F1 (micro), {name} | {pct(f1(report, 'micro avg'))} |",
            f"| entity F1 (weighted), {name} | {pct(f1(report, 'weighted avg'))} |",
        ]
    if not entity_reports:
        lines.append("| entity F1 | no entity report found |")
    lines += ["", "Lowest intent F1: " + "; ".join(worst_labels(intents)) + "."]
    for path in entity_reports:
        lines.append(f"Entity labels ({path.name}): " + "; ".join(worst_labels(load(path))) + ".")
    return lines


def main(argv: List[str]) -> int:
    results = Path(argv[1] if len(argv) > 1 else "results/nlu")
    lines = summarise(results)
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (results / "summary.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
