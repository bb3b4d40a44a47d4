"""Redact obvious personal data from user text before it is stored.

Patterns (always on, microseconds per message), case-insensitive and for accented letters:
e-mail addresses, IBANs, Dutch phone numbers (06, 0xx, +31, 0031), BSNs (9 digits passing the
11-proof), other long numbers, postcodes (1234 AB, 1234ab, with a house number when given),
street addresses ("Kerkstraat 12", "de kerkstraat 12a"), dates (12-03-1961, 1961-03-12,
12 maart 1961, 12 maart '61, 3 mei, maart 1961) and names introduced as "mijn naam is ...",
"mijn naam is: ...", "ik heet ...", "naam: ..." (any case: "ik heet éva de vries").
deduce 2.5 (REDACT_NAMES=deduce) adds person names, places and institutions. It works offline;
building its lookup lists takes about a minute of CPU, so it is loaded once per process in a
background thread (`NameRedactor.start`), and each message then takes about 1 ms.
"""
from __future__ import annotations

import re
import threading
from typing import Any, Callable, List, Optional, Tuple

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec"
)
_SEP = r"[\s.\-]?"
_LETTER = r"[^\W\d_]"  # any letter, accented ones included
_APOSTROPHE = "'’‘`"
_YEAR = rf"(?:\d{{4}}|[{_APOSTROPHE}]\d{{2}})"

EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b", re.IGNORECASE)
PHONE = re.compile(
    r"(?<![\w+])(?:\+31|0031|0)[\s\-]?(?:\(0\)[\s\-]?)?[1-9](?:[\s\-]?\d){8}(?!\d)"
)
DATE = re.compile(
    rf"(?<!\w)(?:\d{{1,2}}[\-/.]\d{{1,2}}[\-/.](?:\d{{4}}|[{_APOSTROPHE}]?\d{{2}})"
    r"|\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}"
    rf"|\d{{1,2}}(?:e|ste|de)?\s+(?:{MONTHS})\b\.?(?:\s+(?:{_YEAR}|\d{{2}})(?!\w))?"
    rf"|(?:{MONTHS})\b\.?\s+{_YEAR})(?![\w{_APOSTROPHE}])",
    re.IGNORECASE,
)
NINE_DIGITS = re.compile(rf"(?<![\d\w])\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d(?![\d\w])")
LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s.\-]?\d){6,}(?!\d)")
_HOUSE_NUMBER = r"\d{1,5}(?:[\s\-]?(?:[a-z]|\d{1,3})(?!\w))?"
POSTCODE = re.compile(
    rf"(?<!\w)[1-9]\d{{3}}\s?(?P<letters>[a-z]{{2}})(?!\w)(?:[\s,]+(?:nr\.?\s*)?{_HOUSE_NUMBER})?",
    re.IGNORECASE,
)
# "1234 en ..." and "1000 mg" are no postcodes: lower-case letters that form a word or a unit
NOT_POSTCODE_LETTERS = {
    "af", "al", "de", "en", "er", "ge", "ik", "in", "is", "ja", "je", "me", "na", "nr", "nu",
    "of", "om", "op", "te", "uw", "we", "ze", "zo", "an", "at", "by", "he", "it", "on", "or",
    "to", "mg", "ml", "kg", "km", "cm", "mm", "dl", "cl", "gr", "ug", "mu", "ie", "eu", "pm",
    "am", "uu", "st", "jr", "mb", "gb", "kb",
}
POSTCODE_UNUSED = {"SA", "SD", "SS"}
STREET = re.compile(
    rf"(?<!\w){_LETTER}[\w\-]*?(?:straat|str\.|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|"
    rf"steeg|park|dreef|baan|markt|wal|erf|plantsoen|boulevard)\s*{_HOUSE_NUMBER}",
    re.IGNORECASE,
)
NAME_LEAD = re.compile(
    r"(?<!\w)(?:mijn\s+(?:voor|achter|volledige\s+)?naam\s+is|(?:voor|achter)?naam\s*:"
    r"|ik\s+heet|heet\s+ik)(?:\s*[:\-–]|\s+is)?\s*",
    re.IGNORECASE,
)
NAME_WORD = re.compile(rf"{_LETTER}\.|(?:{_LETTER}|[{_APOSTROPHE}\-])+")
TUSSENVOEGSELS = {
    "van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "'t", "’t", "d'", "la",
    "le", "du", "des", "von", "zu", "da", "di", "del", "dos", "el", "al", "vd", "v.d.",
}
# Words that end a name written in lower case ("mijn naam is jan en ik heb ...")
NOT_A_NAME = {
    "aan", "al", "alleen", "als", "ben", "bij", "dan", "dat", "die", "dit", "doe", "door", "dus",
    "een", "en", "er", "ga", "had", "heb", "heeft", "hem", "hier", "hij", "hoe", "hun", "ik",
    "is", "ja", "je", "kan", "kom", "kun", "maar", "me", "meer", "met", "mij", "mijn", "na",
    "nee", "niet", "nog", "nu", "of", "om", "ons", "ook", "over", "sinds", "tot", "u", "uit",
    "uw", "voor", "waar", "wat", "was", "we", "wel", "wie", "wil", "woon", "word", "wordt",
    "zal", "ze", "zij", "zijn", "zo", "zou", "graag", "vraag", "vragen", "heel", "erg",
    "hallo", "hoi", "dag", "goedemorgen", "goedemiddag", "goedenavond", "geboren", "bel",
}
MAX_NAME_WORDS = 4


def is_bsn(digits: str) -> bool:
    """The 11-proof: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a positive multiple of 11."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total > 0 and total % 11 == 0


def _bsn(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[bsn]" if is_bsn(digits) else "[nummer]"


def _postcode(match: re.Match) -> str:
    letters = match.group("letters")
    if letters.upper() in POSTCODE_UNUSED:
        return match.group(0)
    if not letters.isupper() and letters.lower() in NOT_POSTCODE_LETTERS:
        return match.group(0)
    return "[postcode]"


def _name_end(text: str, start: int) -> int:
    """Where the name that starts at `start` ends: its first word always belongs to it; then
    tussenvoegsels and further words, capitalised if the first one was, up to a word that is
    no name, punctuation, or MAX_NAME_WORDS words."""
    end = position = start
    words, capitalised = 0, False
    while words < MAX_NAME_WORDS:
        gap = re.match(r"[ \t]*", text[position:])
        word = NAME_WORD.match(text, position + gap.end())
        if word is None or (words and not gap.end()):
            break
        lower = word.group(0).lower()
        if words == 0:
            capitalised = word.group(0)[0].isupper()
        elif lower in TUSSENVOEGSELS:
            position = word.end()  # part of the name only if a name word follows
            continue
        elif lower in NOT_A_NAME or (capitalised and not word.group(0)[0].isupper()):
            break
        words += 1
        end = position = word.end()
    return end


def _redact_names(text: str) -> str:
    out, position = [], 0
    for lead in NAME_LEAD.finditer(text):
        if lead.start() < position:
            continue
        end = _name_end(text, lead.end())
        if end == lead.end():
            continue
        out.append(text[position:lead.end()] + "[naam]")
        position = end
    out.append(text[position:])
    return "".join(out)


RULES: List[Tuple[re.Pattern, Callable[[re.Match], str] | str]] = [
    (EMAIL, "[e-mail]"),
    (IBAN, "[iban]"),
    (PHONE, "[telefoonnummer]"),
    (DATE, "[datum]"),
    (NINE_DIGITS, _bsn),
    (LONG_NUMBER, "[nummer]"),
    (POSTCODE, _postcode),
    (STREET, "[adres]"),
]


def redact_patterns(text: str) -> str:
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return _redact_names(text)


class NameRedactor:
    """deduce, loaded once per process in the background; `redact` waits until it is ready."""

    TAGS = {
        "persoon": "[naam]", "patient": "[naam]", "locatie": "[plaats]",
        "instelling": "[instelling]", "ziekenhuis": "[instelling]",
    }
    _instance: Optional["NameRedactor"] = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._deduce = None
        self._error: Optional[BaseException] = None
        self._ready = threading.Event()
        threading.Thread(target=self._load, name="deduce-loader", daemon=True).start()

    @classmethod
    def start(cls) -> "NameRedactor":
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _load(self) -> None:
        try:
            from deduce import Deduce

            self._deduce = Deduce()
        except BaseException as error:  # reported on first use, never silently ignored
            self._error = error
        finally:
            self._ready.set()

    def wait(self, timeout: Optional[float] = None) -> bool:
        return self._ready.wait(timeout)

    def redact(self, text: str) -> str:
        self._ready.wait()
        if self._error is not None:
            raise RuntimeError("deduce could not be loaded") from self._error
        doc = self._deduce.deidentify(text)
        spans = sorted(
            (a for a in doc.annotations if a.tag.split("_")[0] in self.TAGS),
            key=lambda a: a.start_char, reverse=True,
        )
        end_of_previous = len(text) + 1
        for a in spans:  # right to left, skipping overlaps
            if a.end_char > end_of_previous:
                continue
            text = text[: a.start_char] + self.TAGS[a.tag.split("_")[0]] + text[a.end_char:]
            end_of_previous = a.start_char
        return text


def redact(text: str, names: Optional[NameRedactor] = None) -> str:
    """The text with personal data replaced by [tags]; names too when `names` is given."""
    if not text:
        return text
    if names is not None:
        text = names.redact(text)
    return redact_patterns(text)


def redact_value(value: Any, names: Optional[NameRedactor] = None) -> Any:
    """`value` with every text in it redacted: strings, and strings in lists and dicts."""
    if isinstance(value, str):
        return redact(value, names)
    if isinstance(value, dict):
        return {key: redact_value(item, names) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(item, names) for item in value]
    return value
