"""Redact obvious personal data from user text before it is stored.

Patterns (always on, microseconds per message): e-mail addresses, IBANs, Dutch phone numbers
(06, 0xx, +31, 0031), BSNs (9 digits passing the 11-proof), other long numbers, postcodes
(with a house number when given), street addresses, dates (12-03-1961, 1961-03-12,
12 maart 1961) and names introduced as "mijn naam is ..." / "ik heet ...".
deduce 2.5 (REDACT_NAMES=deduce) adds person names, places and institutions. It works offline;
building its lookup lists takes about a minute of CPU, so it is loaded once per process in a
background thread (`NameRedactor.start`), and each message then takes about 1 ms.
"""
from __future__ import annotations

import re
import threading
from typing import Callable, List, Optional, Tuple

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_SEP = r"[\s.\-]?"

EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b", re.IGNORECASE)
PHONE = re.compile(
    r"(?<![\w+])(?:\+31|0031|0)[\s\-]?(?:\(0\)[\s\-]?)?[1-9](?:[\s\-]?\d){8}(?!\d)"
)
DATE = re.compile(
    r"\b(?:\d{1,2}[\-/.]\d{1,2}[\-/.](?:\d{4}|\d{2})"
    r"|\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}"
    rf"|\d{{1,2}}\s+(?:{MONTHS})\.?\s+\d{{4}})\b",
    re.IGNORECASE,
)
NINE_DIGITS = re.compile(rf"(?<![\d\w])\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d(?![\d\w])")
LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s.\-]?\d){6,}(?!\d)")
POSTCODE = re.compile(
    r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b(?:[\s,]+(?:nr\.?\s*)?\d{1,5}(?:\s?[a-zA-Z]\b)?)?"
    r"|\b[1-9]\d{3}[a-z]{2}\b"
)
STREET = re.compile(
    r"\b[A-Z][\w\-]*(?:straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|steeg|park|"
    r"dreef|baan|markt|veld|wal)\s+\d{1,5}(?:\s?[a-zA-Z]\b)?"
)
INTRODUCED_NAME = re.compile(
    r"\b(?P<lead>(?i:mijn naam is|ik heet|naam:))\s+"
    r"(?P<name>[A-Z][\w'\-]+(?:\s+(?:van|de|der|den|het|ter|ten|te|in|'t|[A-Z][\w'\-]+))*)",
    re.UNICODE,
)


def is_bsn(digits: str) -> bool:
    """The 11-proof: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a positive multiple of 11."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total > 0 and total % 11 == 0


def _bsn(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[bsn]" if is_bsn(digits) else "[nummer]"


def _name(match: re.Match) -> str:
    return f"{match.group('lead')} [naam]"


RULES: List[Tuple[re.Pattern, Callable[[re.Match], str] | str]] = [
    (EMAIL, "[e-mail]"),
    (IBAN, "[iban]"),
    (PHONE, "[telefoonnummer]"),
    (DATE, "[datum]"),
    (NINE_DIGITS, _bsn),
    (LONG_NUMBER, "[nummer]"),
    (POSTCODE, "[postcode]"),
    (STREET, "[adres]"),
    (INTRODUCED_NAME, _name),
]


def redact_patterns(text: str) -> str:
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


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
