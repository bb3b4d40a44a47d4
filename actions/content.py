"""Loads the medical content (content/*.yml) once and answers lookups on it.

Nothing medical is written in Python: this module only reads the YAML files and puts their
pieces together. What each piece says, and which source section it comes from, is in content/.
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Dict, List, Optional

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
SITES = ("lever", "bot", "lymfeklieren")
TOPICS = ("oorzaak", "symptomen", "behandeling", "levensverwachting")
GENERAL = "algemeen"


@dataclasses.dataclass(frozen=True)
class Entry:
    text: str
    source: str
    items: tuple = ()

    def render(self) -> str:
        bullets = "\n".join(f"• {item}" for item in self.items)
        return f"{self.text}\n{bullets}" if bullets else self.text


@dataclasses.dataclass(frozen=True)
class Complaint:
    id: str
    sites: tuple
    label: str
    source: str


@dataclasses.dataclass(frozen=True)
class AlarmLevel:
    name: str
    rank: int
    advice: str


def _entry(raw: dict) -> Entry:
    return Entry(text=raw["text"].strip(), source=raw["source"], items=tuple(raw.get("list", ())))


class Content:
    """All answers, complaints and alarm levels, read from one content directory."""

    def __init__(self, directory: Path = CONTENT_DIR):
        answers = _read(directory / "answers.yml")
        self.disclaimer: str = answers["disclaimer"].strip()
        self.prognosis_note: str = answers["prognosis_note"].strip()
        self.topic_labels: Dict[str, str] = answers["topic_labels"]
        self.orientation: Dict[str, str] = {
            k: v.strip() for k, v in answers["orientation"].items()
        }
        self.general: Dict[str, Entry] = {k: _entry(v) for k, v in answers["general"].items()}
        self.personal: Dict[str, Entry] = {k: _entry(v) for k, v in answers["personal"].items()}
        self.site_names: Dict[str, str] = {}
        self.site_labels: Dict[str, str] = {}
        self.sites: Dict[str, Dict[str, Entry]] = {}
        for site, raw in answers["sites"].items():
            self.site_names[site] = raw["name"]
            self.site_labels[site] = raw["label"]
            self.sites[site] = {topic: _entry(raw[topic]) for topic in TOPICS if topic in raw}

        complaints = _read(directory / "complaints.yml")
        self.complaints: Dict[str, Complaint] = {
            c["id"]: Complaint(c["id"], tuple(c["sites"]), c["label"], c["source"])
            for c in complaints["entries"]
        }
        alarms = _read(directory / "alarms.yml")
        self.alarm_levels: Dict[str, AlarmLevel] = {
            name: AlarmLevel(name, raw["rank"], raw["advice"].strip())
            for name, raw in alarms["levels"].items()
        }
        self.alarm_level_of: Dict[str, str] = {
            a["id"]: a["level"] for a in alarms["entries"] + alarms["unrecognised"]
        }

    def answer(self, site: str, topic: str) -> Optional[Entry]:
        """The entry for a site (or `algemeen`) and topic, if the text covers it."""
        if site == GENERAL:
            return self.general.get(topic)
        return self.sites.get(site, {}).get(topic)

    def complaints_listed_for(self, site: str) -> List[Complaint]:
        return [c for c in self.complaints.values() if site in c.sites]


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def content() -> Content:
    return Content()
