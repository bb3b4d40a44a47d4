"""Loads the medical content (content/*.yml) once and answers lookups on it.

Nothing medical is written in Python: this module only reads the YAML files and puts their
pieces together. What each piece says, and which source section it comes from, is in content/.
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
SITES = ("lever", "bot", "lymfeklieren")
TOPICS = ("oorzaak", "symptomen", "behandeling", "levensverwachting")
GENERAL = "algemeen"
# organs the text does not cover (content/cues.yml, kind uncovered)
ORGANS = frozenset({"longen", "hersenen", "buikvlies", "bijnieren", "huid", "nieren", "eierstokken",
                    "milt"})


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
    intent: str
    advice: str
    also: Optional[str] = None  # said after another level's advice (content/alarms.yml)


@dataclasses.dataclass(frozen=True)
class Fact:
    id: str
    site: str
    topic: str
    when: Tuple[Tuple[str, ...], ...]
    answer: str
    source: str
    standalone: bool = False
    # topic words that ask for it too: "waarom lukt het niet om de tumor weg te halen?" names
    # the treatment, and asks what the outlook section says
    asked_with: Tuple[str, ...] = ()

    def matches(self, cues) -> bool:
        return all(any(c in cues for c in group) for group in self.when)


@dataclasses.dataclass(frozen=True)
class Treatment:
    id: str
    label: str
    where: Tuple[Tuple[str, str, str], ...]  # (site, text, source)

    def sites(self) -> List[str]:
        return [site for site, _, _ in self.where]


def _entry(raw: dict) -> Entry:
    return Entry(text=raw["text"].strip(), source=raw["source"], items=tuple(raw.get("list", ())))


def _text(raw: str) -> str:
    return " ".join(str(raw).split())


class Content:
    """All answers, facts, treatments, complaints and alarm levels, from one directory."""

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
        self.personal_short: Dict[str, str] = {
            k: _text(v["short"]) for k, v in answers["personal"].items() if "short" in v
        }
        frame = answers["frame"]
        self.frame: Dict[str, str] = {k: _text(v) for k, v in frame.items() if isinstance(v, str)}
        self.empathy_later: List[str] = [_text(v) for v in frame["empathy_later"]]
        self.not_covered_names: Dict[str, str] = frame["not_covered_names"]
        self.not_covered_also: Dict[str, str] = frame["not_covered_also"]
        self.people: Dict[str, Tuple[str, str]] = {k: tuple(v) for k, v in frame["people"].items()}
        self.site_names: Dict[str, str] = {}
        self.site_labels: Dict[str, str] = {}
        self.sites: Dict[str, Dict[str, Entry]] = {}
        for site, raw in answers["sites"].items():
            self.site_names[site] = raw["name"]
            self.site_labels[site] = raw["label"]
            self.sites[site] = {topic: _entry(raw[topic]) for topic in TOPICS if topic in raw}

        # a fact with `or_when` is asked in more than one way: one Fact per way, same id
        self.facts: Dict[str, Fact] = {
            f["id"] + ("" if n == 0 else f"#{n}"): Fact(
                f["id"], f["site"], f["topic"], tuple(tuple(g) for g in when),
                _text(f["answer"]), f["source"], bool(f.get("standalone")),
                tuple(f.get("asked_with") or ()))
            for f in _read(directory / "facts.yml")["entries"]
            for n, when in enumerate([f["when"]] + list(f.get("or_when") or []))
        }
        # the topic a fact cue stands for: each cue of content/facts.yml is used by the facts
        # of one topic only ("eruit snijden" -> behandeling, "niet te opereren" ->
        # levensverwachting); a cue of several topics stands for none
        cue_topics: Dict[str, set] = {}
        for fact in self.facts.values():
            for group in fact.when:
                for cue in group:
                    cue_topics.setdefault(cue, set()).add(fact.topic)
        self.cue_topics: Dict[str, str] = {
            cue: next(iter(topics)) for cue, topics in cue_topics.items() if len(topics) == 1}
        self.treatments: Dict[str, Treatment] = {
            t["id"]: Treatment(t["id"], t["label"], tuple(
                (w["site"], _text(w["text"]), w["source"]) for w in t["where"]))
            for t in _read(directory / "treatments.yml")["entries"]
        }
        complaints = _read(directory / "complaints.yml")
        self.complaints: Dict[str, Complaint] = {
            c["id"]: Complaint(c["id"], tuple(c["sites"]), c["label"], c["source"])
            for c in complaints["entries"]
        }
        alarms = _read(directory / "alarms.yml")
        self.alarm_levels: Dict[str, AlarmLevel] = {
            name: AlarmLevel(name, raw["rank"], raw["intent"], _text(raw["advice"]),
                             _text(raw["also"]) if raw.get("also") else None)
            for name, raw in alarms["levels"].items()
        }
        self.alarm_closing: str = _text(alarms["closing"])
        self.alarm_level_of: Dict[str, str] = {a["id"]: a["level"] for a in alarms["entries"]}
        # a sign with advice of its own says it instead of its level's ("112 is gebeld": stay
        # with them and follow the operator, not "bel nu 112")
        self.sign_advice: Dict[str, str] = {
            a["id"]: _text(a["advice"]) for a in alarms["entries"] if a.get("advice")}
        self.level_of_intent: Dict[str, str] = {
            level.intent: name for name, level in self.alarm_levels.items()
        }

    def answer(self, site: str, topic: str) -> Optional[Entry]:
        """The entry for a site (or `algemeen`) and topic, if the text covers it."""
        if site == GENERAL:
            return self.general.get(topic)
        return self.sites.get(site, {}).get(topic)

    def complaints_listed_for(self, site: str) -> List[Complaint]:
        return [c for c in self.complaints.values() if site in c.sites]

    def person(self, person_id: Optional[str]) -> Optional[Tuple[str, str]]:
        """("uw vader", "zijn") for a person id of content/cues.yml, None for the writer."""
        return self.people.get(person_id) if person_id else None


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def content() -> Content:
    return Content()
