"""Readability of every answer text: Flesch-Douma (the Dutch Flesch reading ease, textstat with
pyphen's Dutch hyphenation for syllables), per entry of content/.

    .venv/bin/python scripts/readability.py          # table into results/readability.md

Flesch-Douma reads 60-70 as "vrij makkelijk" and 70+ as "makkelijk"; this project reads a text
under 60 as above B1, to be rewritten (tests/test_content.py checks every entry). Lists with
bullets are scored as sentences, one per item.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.content import Content, content  # noqa: E402

B1 = 60.0
# what the frame texts' placeholders are filled with when measured
EXAMPLE = {"site": "de lever", "persoon": "uw vader", "zijn": "zijn", "treatment": "chemo",
           "subject": "uitzaaiingen in de longen", "complaints": "misselijkheid",
           "others": "vermoeidheid en buikpijn"}


def score(text: str) -> float:
    import textstat

    textstat.set_lang("nl")
    sentences = text.replace("•", ". ").replace(":\n", ". ").replace("\n", " ")
    return float(textstat.flesch_reading_ease(sentences))


def texts(c: Content) -> Dict[str, str]:
    """Every text the bot may say about the content, by a readable key."""
    found: Dict[str, str] = {}
    for site, entries in c.sites.items():
        for topic, entry in entries.items():
            found[f"sites.{site}.{topic}"] = entry.render()
    for key, entry in c.general.items():
        found[f"general.{key}"] = entry.render()
    for key, entry in c.personal.items():
        found[f"personal.{key}"] = entry.render()
    for key, text in c.frame.items():
        found[f"frame.{key}"] = text.format(**EXAMPLE)
    for key, text in c.orientation.items():
        found[f"orientation.{key}"] = text.format(**EXAMPLE)
    for fact in c.facts.values():
        found[f"facts.{fact.id}"] = fact.answer
    for treatment in c.treatments.values():
        for site, text, _ in treatment.where:
            found[f"treatments.{treatment.id}.{site}"] = text
    for name, level in c.alarm_levels.items():
        found[f"alarms.{name}"] = level.advice
    found["disclaimer"] = c.disclaimer
    found["prognosis_note"] = c.prognosis_note
    return found


def table(c: Content) -> List[Tuple[str, float]]:
    return sorted(((key, round(score(text), 1)) for key, text in texts(c).items()),
                  key=lambda kv: kv[1])


def main() -> int:
    rows = table(content())
    lines = ["# Readability of the answers (Flesch-Douma)", "",
             f"Under {B1:.0f} reads above B1 and is rewritten. Lowest first.", "",
             "| entry | Flesch-Douma |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in rows]
    out = ROOT / "results" / "readability.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    low = [r for r in rows if r[1] < B1]
    print(f"{len(rows)} texts, lowest {rows[0][0]} {rows[0][1]}, median "
          f"{rows[len(rows) // 2][1]}; under {B1:.0f}: {len(low)}; written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
