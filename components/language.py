"""Which language a message is in: Dutch (Flemish included) or clearly another one.

A word-frequency model per language, from pyspellchecker's word lists (a maintained package;
word counts from subtitles): the 20,000 most frequent words of Dutch, English, German, French,
Spanish, Italian and Portuguese, each with its log relative frequency. A message scores the
sum over its words per language (a word a language does not have scores a small floor); the
words of the bot's own training data count as Dutch too ("wa", "da", "allez", "merci" are
Flemish). Two uses, in components/unknown_words.py:

- `clearly_other`: at least three words, and another language scores higher than Dutch by at
  least one unit of log-frequency per word ("Wie werden Knochenmetastasen behandelt?": every
  word is also a Dutch word, but "werden" is frequent German and rare Dutch). The intent
  classifier learned only a few dozen foreign examples, so it misses such messages.
- `clearly_dutch`: Dutch scores best and at least 60% of the words are Dutch words. The
  classifier's `use_other_language` is overruled then ("Wa is immunotherapie?", "erfelijk?").

Messages in a language without a word list (Turkish, Polish, Arabic, Russian) are left to the
classifier, which learned examples of them.
"""
from __future__ import annotations

import functools
import gzip
import heapq
import json
import math
import os
import re
from pathlib import Path
from typing import AbstractSet, Dict, List, Mapping, Sequence, Tuple

from components.dictionary import normalize

LANGUAGES = ("nl", "en", "de", "fr", "es", "it", "pt")
TOP_WORDS = 20000
FLOOR = math.log(1e-7)  # a word the language's list does not have
OWN_WORD = math.log(1e-4)  # a word of the training data, as Dutch: a fairly frequent word
MIN_WORDS = 3
MARGIN_PER_WORD = 1.0
DUTCH_SHARE = 0.6
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

Table = Mapping[str, Mapping[str, float]]


# the table built from pyspellchecker's lists, kept between trainings (build/ is not in git):
# building it took 2.1 s of every `rasa train` (measured 2026-11-27); `make install` builds it
CACHE_FILE = Path(__file__).resolve().parent.parent / "build" / "language_table.json"


@functools.lru_cache(maxsize=1)
def frequency_table() -> Dict[str, Dict[str, float]]:
    """Per language, the log relative frequency of its most frequent words: read from
    CACHE_FILE when it was built from the installed word lists with these settings, else
    built (about 2 s) and kept there."""
    import spellchecker

    key = {"pyspellchecker": getattr(spellchecker, "__version__", "?"),
           "languages": list(LANGUAGES), "top_words": TOP_WORDS}
    try:
        stored = json.loads(CACHE_FILE.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return stored["table"]
    except (OSError, ValueError, AttributeError):
        pass
    table = build_frequency_table()
    try:
        CACHE_FILE.parent.mkdir(parents=True, exist_ok=True)
        partial = CACHE_FILE.with_name(f"{CACHE_FILE.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"key": key, "table": table}, ensure_ascii=False),
                           encoding="utf-8")
        partial.replace(CACHE_FILE)
    except OSError:
        pass  # a read-only checkout builds it each time
    return table


def build_frequency_table() -> Dict[str, Dict[str, float]]:
    import spellchecker

    resources = Path(spellchecker.__file__).parent / "resources"
    table: Dict[str, Dict[str, float]] = {}
    for language in LANGUAGES:
        with gzip.open(resources / f"{language}.json.gz", "rt", encoding="utf-8") as handle:
            counts = json.load(handle)
        top = heapq.nsmallest(TOP_WORDS, counts.items(), key=lambda kv: (-kv[1], kv[0]))
        total = sum(count for _, count in top)
        words: Dict[str, float] = {}
        for word, count in top:
            words.setdefault(normalize(word), round(math.log(count / total), 3))
        table[language] = words
    return table


def words_of(text: str) -> List[str]:
    if text.lstrip().startswith("/"):
        return []  # an intent payload of a button, not text
    return [normalize(w) for w in WORD.findall(text)]


def scores(words: Sequence[str], table: Table, own: AbstractSet[str] = frozenset()
           ) -> Dict[str, float]:
    result = {}
    for language, known in table.items():
        total = 0.0
        for word in words:
            p = known.get(word, FLOOR)
            if language == "nl" and word in own:
                p = max(p, OWN_WORD)
            total += p
        result[language] = total
    return result


def judge(words: Sequence[str], table: Table, own: AbstractSet[str] = frozenset()
          ) -> Tuple[str, float, float]:
    """(best language, its margin over Dutch per word, share of Dutch words) of a message's
    words (words_of). `own`: the bot's own Dutch words, a set (not copied: per message)."""
    if not words:
        return "nl", 0.0, 1.0
    per_language = scores(words, table, own)
    best = max(per_language, key=lambda lang: (per_language[lang], lang == "nl"))
    margin = (max(v for k, v in per_language.items() if k != "nl") - per_language["nl"]) / len(words)
    dutch = sum(w in table["nl"] or w in own for w in words) / len(words)
    return best, margin, dutch


def clearly_other(text: str, table: Table, own: AbstractSet[str] = frozenset()) -> bool:
    words = words_of(text)
    if len(words) < MIN_WORDS:
        return False
    best, margin, _ = judge(words, table, own)
    return best != "nl" and margin >= MARGIN_PER_WORD


def clearly_dutch(text: str, table: Table, own: AbstractSet[str] = frozenset()) -> bool:
    words = words_of(text)
    if not words:
        return False
    best, _, dutch = judge(words, table, own)
    return best == "nl" and dutch >= DUTCH_SHARE
