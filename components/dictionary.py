"""The Dutch word list: is a word a real Dutch word? (Asked before any typo is corrected.)

pyspellchecker's Dutch dictionary (a maintained package; about 340,000 words that occur in
Dutch subtitles), lower-cased and without accents, loaded once per process (about 0.3 s).
"""
from __future__ import annotations

import functools
import gzip
import json
import unicodedata
from pathlib import Path
from typing import FrozenSet


def normalize(word: str) -> str:
    """Lower-case, strip accents and curly quotes: 'Geëxciteerd' -> 'geexciteerd'."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def dutch_words() -> FrozenSet[str]:
    import spellchecker

    path = Path(spellchecker.__file__).parent / "resources" / "nl.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(normalize(w) for w in json.load(handle))


def is_dutch_word(word: str) -> bool:
    return normalize(word) in dutch_words()


def most_frequent(n: int) -> list:
    """The n most frequent words of the list (for tests of the typo rules)."""
    import spellchecker

    path = Path(spellchecker.__file__).parent / "resources" / "nl.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        counts = json.load(handle)
    return [normalize(w) for w, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:n]]
