"""Deterministic phrase matching over spaCy tokens: the one matcher behind entities
(site, topic), complaints and alarm signs. Pure Python; the lexicons are YAML files in content/.

Pattern syntax (one string per way of saying it):
  words       each word matches a token whose text or lemma equals it, after lower-casing
              and removing accents; words of 6+ letters also match a token with one typo,
              but only a token that is no Dutch word (components/dictionary.py): "slikken"
              never matches "stikken", "maken" never "manken"
  word*       any token starting with `word` (compounds: lever* = leveruitzaaiing, levertumor)
  a ~ b       up to 3 other tokens may stand between a and b ("pijn ~ rug": pijn in mijn rug)
  a ~~ b      up to 8 other tokens, within one clause (no comma, full stop, "maar" ...
              between): "pijn op een vaste plek in haar rug", "buik staat de laatste tijd zo bol"
  $           (last) the clause ends here: end of message or punctuation ("wil niet meer $")
A match directly preceded (within 3 tokens, same clause) by a negation word, or with a negation
word in one of its gaps ("ik wil niet dood" for "wil ~ dood"), is marked negated.
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

from components.dictionary import is_dutch_word, normalize

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
GAP = "~"
LONG_GAP = "~~"
END = "$"
MAX_GAP = 3
MAX_LONG_GAP = 8
# kinds whose different ids may share words ("hoe vaak" is both a frequency and a count;
# "plots ne felle pijn in mijne borst" is sudden pain and chest pain)
OVERLAPPING_KINDS = {"cue", "marker", "topic_hint", "general_hint", "alarm", "meta", "practical"}
LEXICON_FILES = ("entities.yml", "complaints.yml", "alarms.yml", "cues.yml", "treatments.yml")
NEGATIONS = {"geen", "niet", "nooit", "niks", "niets", "noch", "nergens", "nie", "gene", "geene"}
CLAUSE_BREAKS = {",", ".", ";", ":", "!", "?", "maar", "wel", "want", "alleen"}
SENTENCE_ENDS = {".", ";", "!", "?"}
NEGATION_WINDOW = 3
# a negation before one of these words does not reach past it: "ze zegt niks en reageert niet";
# a subject starts a new clause where people write without punctuation ("ik kan niet meer ik
# wil dood", "geen honger meer heb ik nu ..."); a negated stopping is no negated sign ("ik
# kan niet stoppen met huilen" cries)
NEGATION_STOPS = {"en", "als", "toen", "terwijl", "omdat", "dus", "want", "nu", "of", "dan",
                  "ik", "hij", "zij", "we", "wij", "stoppen", "stop", "ophouden", "ophoudt",
                  # "... dat ik er niet meer was het hoeft voor mij niet meer": a clause ended
                  "was", "waren"}
# a negation after these ("het bloeden stopt niet", "het houd maar niet op") denies the
# stopping, not a sign that follows
ONGOING_VERBS = {"stopt", "stop", "stopte", "stoppen", "houdt", "houd", "hou", "hield", "ophoudt"}
# words a negation reaches across without counting: "het is niet zoiets als een beroerte"
NEGATION_FILLERS = {"zoiets", "zoals", "een", "de", "het", "echt", "eens", "helemaal", "zo"}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once); limit+1 when above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (ca != cb))
            if (previous2 is not None and i > 1 and j > 1 and ca == b[j - 2]
                    and a[i - 2] == cb):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def within_one_edit(a: str, b: str) -> bool:
    """True if a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@dataclasses.dataclass(frozen=True)
class Word:
    """One token of a user message, as the matcher sees it."""

    text: str
    lemma: str
    start: int = 0
    end: int = 0

    @classmethod
    def of(cls, text: str, lemma: Optional[str] = None, start: int = 0, end: int = 0):
        """A token; a variant spelling (content/variants.yml) gets the common word as lemma."""
        text = normalize(text)
        return cls(text, variants().get(text) or normalize(lemma or text), start, end)


@dataclasses.dataclass(frozen=True)
class Pattern:
    kind: str
    id: str
    steps: Tuple[Tuple[str, int], ...]  # (word, tokens that may stand before it)
    source: str
    typos: bool = True  # may a word of 6+ letters match with one typo?
    negative: bool = False  # does it say a negative itself ("reageert ~ niet ~ meer")?

    @classmethod
    def parse(cls, kind: str, id_: str, text: str) -> "Pattern":
        steps, gap = [], 0
        for raw in normalize(text).split():
            if raw in (GAP, LONG_GAP):
                gap = MAX_LONG_GAP if raw == LONG_GAP else MAX_GAP
                continue
            steps.append((raw, gap))
            gap = 0
        if not steps:
            raise ValueError(f"empty pattern for {kind}:{id_}")
        return cls(kind, id_, tuple(steps), text,
                   negative=any(word in NEGATIONS for word, _ in steps))


def word_matches(pattern_word: str, word: Word, typos: bool = True) -> bool:
    if pattern_word.endswith("*"):
        stem = pattern_word[:-1]
        return word.text.startswith(stem) or word.lemma.startswith(stem)
    if pattern_word in (word.text, word.lemma):
        return True
    return (
        typos
        and len(pattern_word) >= 6
        and len(word.text) >= 5
        and word.text[0] == pattern_word[0]
        and within_one_edit(pattern_word, word.text)
        and not is_dutch_word(word.text)
    )


@dataclasses.dataclass(frozen=True)
class Match:
    kind: str
    id: str
    first: int  # token index of the first matched word
    last: int  # token index of the last matched word
    negated: bool
    pattern: str

    @property
    def length(self) -> int:
        return self.last - self.first + 1


class Lexicon:
    """A set of patterns, each naming a kind (site, topic, complaint, alarm) and an id."""

    def __init__(self, patterns: Iterable[Pattern]):
        self.patterns = list(patterns)
        # index by first word, so a message is compared only with patterns that can start
        # at each of its words: exact words, prefixes (word*), and typo candidates
        self._exact: Dict[str, List[Pattern]] = {}
        self._prefix: Dict[str, List[Pattern]] = {}
        self._fuzzy: Dict[str, List[str]] = {}
        self._typo_tolerant: Dict[str, List[Pattern]] = {}
        for pattern in self.patterns:
            first = pattern.steps[0][0]
            if first.endswith("*"):
                self._prefix.setdefault(first[:-1], []).append(pattern)
            else:
                self._exact.setdefault(first, []).append(pattern)
                if pattern.typos and len(first) >= 6:
                    self._typo_tolerant.setdefault(first, []).append(pattern)
        for first in self._typo_tolerant:
            self._fuzzy.setdefault(first[0], []).append(first)
        # prefixes by their first letter: a word is compared with the stems it can start with
        self._prefix_by_initial: Dict[str, List[Tuple[str, List[Pattern]]]] = {}
        for stem, patterns in self._prefix.items():
            self._prefix_by_initial.setdefault(stem[:1], []).append((stem, patterns))

    def _starting_at(self, word: Word) -> List[Pattern]:
        found = self._exact.get(word.text, []) + (
            self._exact.get(word.lemma, []) if word.lemma != word.text else []
        )
        initials = {word.text[:1], word.lemma[:1], ""}
        for initial in sorted(initials):
            for stem, patterns in self._prefix_by_initial.get(initial, []):
                if word.text.startswith(stem) or word.lemma.startswith(stem):
                    found += patterns
        if len(word.text) >= 5 and not is_dutch_word(word.text):
            for first in self._fuzzy.get(word.text[:1], []):
                if first != word.text and first != word.lemma and within_one_edit(first, word.text):
                    found += self._typo_tolerant[first]
        return found

    def _match_at(
        self, pattern: Pattern, words: Sequence[Word], i: int
    ) -> Optional[Tuple[int, bool]]:
        """(index of the last word, negation in a gap) if `pattern` matches at word i."""
        position, negated_in_gap = i, False
        for n, (pattern_word, gap) in enumerate(pattern.steps):
            if pattern_word == END:
                after = position + 1
                if after < len(words) and words[after].text not in CLAUSE_BREAKS:
                    return None
                continue
            if n == 0:
                if not word_matches(pattern_word, words[i], pattern.typos):
                    return None
                continue
            window = range(position + 1, min(len(words), position + 2 + gap))
            found = None
            for j in window:
                if word_matches(pattern_word, words[j], pattern.typos):
                    found = j
                    break
                if words[j].text in (CLAUSE_BREAKS if gap > MAX_GAP else SENTENCE_ENDS):
                    break  # a gap never runs into the next sentence (a long one: clause)
            if found is None:
                return None
            # a pattern that says a negative itself ("reageert ~ niet ~ als ~ ik") is not
            # undone by another negation in a gap: "reageert nergens op, ook niet als ik ..."
            # stresses it, as Dutch double negatives do
            if not pattern.negative:
                negated_in_gap |= any(w.text in NEGATIONS for w in words[position + 1 : found])
            position = found
        return position, negated_in_gap

    def find(self, words: Sequence[Word], kinds: Optional[Iterable[str]] = None) -> List[Match]:
        """All non-overlapping matches per kind (per kind and id for OVERLAPPING_KINDS),
        longest first, in text order."""
        wanted = set(kinds) if kinds else None
        candidates: List[Match] = []
        for i, word in enumerate(words):
            for pattern in self._starting_at(word):
                if wanted and pattern.kind not in wanted:
                    continue
                matched = self._match_at(pattern, words, i)
                if matched is not None:
                    last, negated_in_gap = matched
                    negated = negated_in_gap or is_negated(words, i) or is_negated_after(
                        words, last)
                    candidates.append(Match(pattern.kind, pattern.id, i, last, negated, pattern.source))
        candidates.sort(key=lambda m: (-m.length, m.first, m.kind, m.id))
        taken: Dict[str, set] = {}
        chosen: List[Match] = []
        for match in candidates:
            key = f"{match.kind}:{match.id}" if match.kind in OVERLAPPING_KINDS else match.kind
            used = taken.setdefault(key, set())
            span = set(range(match.first, match.last + 1))
            if used & span:
                continue
            used |= span
            chosen.append(match)
        return sorted(chosen, key=lambda m: (m.first, m.kind))


def is_negated(words: Sequence[Word], first: int) -> bool:
    """A negation word among the NEGATION_WINDOW words before `first`, in the same clause."""
    budget, j = NEGATION_WINDOW, first - 1
    while j >= 0 and budget > 0:
        text = words[j].text
        filler = text in NEGATION_FILLERS or (
            text == "als" and j > 0 and words[j - 1].text in ("zoiets", "zo"))
        if text == "of" and j >= 2 and words[j - 2].text in NEGATIONS:
            return True  # "niet uitgedroogd of flauwgevallen", "geen koorts of rillingen"
        if not filler and (text in CLAUSE_BREAKS or text in NEGATION_STOPS):
            return False
        if text in NEGATIONS:
            # "het stopt niet, de handdoek is rood": the stopping is negated, not what follows
            before = j - 1
            while before > 0 and words[before].text in ("maar", "gewoon", "echt"):
                before -= 1  # "het houdt maar niet op"
            return not (before >= 0 and words[before].text in ONGOING_VERBS)
        budget -= 0 if filler else 1
        j -= 1
    return False


# a match put first, then its verb, its subject and a negation: "koorts heb ik nooit gehad",
# "geel is ze niet"; not "nog nooit" ("zo'n pijn heb ik nog nooit gehad" says it is new), nor
# a relative clause ("een druk op mijn borst heb die niet weggaat")
AFTER_VERBS = {"heb", "hebt", "heeft", "had", "hebben", "hadden", "is", "was", "ben", "bent",
               "zijn", "waren", "krijg", "krijgt", "kreeg", "kregen", "zie", "ziet", "zag",
               "merk", "merkt", "merkte", "voel", "voelt", "voelde"}
AFTER_SUBJECTS = {"ik", "je", "jij", "ge", "gij", "u", "hij", "ze", "zij", "we", "wij", "het",
                  "er", "da", "dat", "ik'", "k"}
AFTER_WINDOW = 2
# a match that ends in its own verb, then its subject: "dood wil ik nog lang niet"
MODAL_VERBS = {"wil", "wilt", "wou", "wilde"}


def is_negated_after(words: Sequence[Word], last: int) -> bool:
    """The match is followed by its verb (or ends in a modal verb), its subject and, within
    AFTER_WINDOW words, a negation (not after "nog": "zo'n pijn heb ik nog niet gehad")."""
    if words[last].text in MODAL_VERBS and last + 1 < len(words) and \
            words[last + 1].text in AFTER_SUBJECTS:
        # "dood wil ik nog lang niet": "nog" does not say new here
        start, window, new_after_nog = last + 2, AFTER_WINDOW + 1, False
    elif last + 2 >= len(words) or words[last + 1].text not in AFTER_VERBS or \
            words[last + 2].text not in AFTER_SUBJECTS:
        return False
    else:
        start, window, new_after_nog = last + 3, AFTER_WINDOW, True
    for j in range(start, min(len(words), start + window)):
        text = words[j].text
        if text in NEGATIONS:
            return not (new_after_nog and words[j - 1].text == "nog")
        if text in CLAUSE_BREAKS or text in NEGATION_STOPS:
            return False
    return False


def load_patterns(path: Path, kind_key: str = "kind") -> List[Pattern]:
    """Read a lexicon YAML file: `entries` (each with id, kind or the file's kind, say) and,
    if any, `markers` (kind `marker`, content/alarms.yml)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    patterns = []
    for key, default_kind in (("entries", data.get(kind_key)), ("markers", "marker")):
        for entry in data.get(key) or []:
            kind = entry.get(kind_key, default_kind)
            for text in entry["say"]:
                patterns.append(Pattern.parse(kind, entry["id"], str(text)))
    return patterns


@functools.lru_cache(maxsize=1)
def variants(content_dir: Path = CONTENT_DIR) -> Dict[str, str]:
    """Variant spellings (Flemish, spoken, phone) -> the word the lexicons use."""
    data = yaml.safe_load((content_dir / "variants.yml").read_text(encoding="utf-8"))
    return {normalize(k): normalize(v) for k, v in data["variants"].items() if " " not in k}


@functools.lru_cache(maxsize=None)
def default_lexicon(content_dir: Path = CONTENT_DIR) -> Lexicon:
    """Sites and topics (entities), complaints and alarm signs, from content/."""
    patterns: List[Pattern] = []
    for name in LEXICON_FILES:
        patterns += load_patterns(content_dir / name)
    return Lexicon(patterns)
