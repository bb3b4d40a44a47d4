"""Puts answers together from the content: which entries, in which order, with which buttons.

Every function returns a list of messages ({"text": ..., "buttons": [...]}) for the
dispatcher. Every medical answer's last message ends with the disclaimer.
"""
from __future__ import annotations

import json
from typing import Dict, Iterable, List, Optional, Sequence

from actions.content import GENERAL, SITES, TOPICS, Content

Message = Dict[str, object]


def payload(intent: str, **entities: str) -> str:
    """A button payload such as /inform{"site":"lever"}; short enough for Telegram (64 B)."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, separators=(',', ':'), ensure_ascii=True)}"


def topic_buttons(content: Content, site: str, skip: Iterable[str] = ()) -> List[dict]:
    return [
        {"title": content.topic_labels[t], "payload": payload("inform", site=site, topic=t)}
        for t in TOPICS
        if t not in set(skip) and content.answer(site, t) is not None
    ]


def site_buttons(content: Content, topic: Optional[str] = None) -> List[dict]:
    extra = {"topic": topic} if topic else {}
    buttons = [
        {"title": content.site_labels[s], "payload": payload("inform", site=s, **extra)}
        for s in SITES
    ]
    buttons.append({"title": "Algemeen", "payload": payload("inform", site=GENERAL, **extra)})
    return buttons


def with_disclaimer(messages: List[Message], content: Content) -> List[Message]:
    """Append the disclaimer to the last message (kept in the same bubble as its buttons)."""
    last = dict(messages[-1])
    last["text"] = f"{last['text']}\n\n{content.disclaimer}"
    return messages[:-1] + [last]


def site_topic_answer(content: Content, site: str, topics: Sequence[str]) -> List[Message]:
    """The answers for one site (or `algemeen`) and one or more topics."""
    messages: List[Message] = []
    for topic in topics:
        entry = content.answer(site, topic)
        if entry is None:
            continue
        heading = content.site_labels.get(site)
        text = entry.render()
        if heading:
            text = f"{heading}: {content.topic_labels[topic].lower()}\n{text}"
        if topic == "levensverwachting":
            text = f"{text}\n\n{content.prognosis_note}"
        messages.append({"text": text})
    if not messages:
        return []
    if site in SITES:
        buttons = topic_buttons(content, site, skip=topics)
        if buttons:
            messages[-1] = {**messages[-1], "buttons": buttons}
    return with_disclaimer(messages, content)


def general_answer(content: Content, key: str) -> List[Message]:
    entry = content.general[key]
    return with_disclaimer([{"text": entry.render()}], content)


def alarm_advice(content: Content, alarm_ids: Iterable[str]) -> List[Message]:
    """One message per alarm level found, the most urgent first."""
    levels = {content.alarm_levels[content.alarm_level_of[a]] for a in alarm_ids}
    return [{"text": level.advice} for level in sorted(levels, key=lambda lv: lv.rank)]


def orientation(content: Content, complaint_ids: Sequence[str]) -> List[Message]:
    """Which sites the text links the complaints to, what else it lists there, and advice."""
    words = content.orientation
    found = [content.complaints[c] for c in dict.fromkeys(complaint_ids)]
    if not found:
        return with_disclaimer([{"text": words["unknown"]}], content)
    paragraphs: List[str] = []
    sites_named: List[str] = []
    for site in SITES:
        here = [c for c in found if site in c.sites]
        if not here:
            continue
        sites_named.append(site)
        others = [c.label for c in content.complaints_listed_for(site) if c not in here]
        text = words["per_site"].format(
            complaints=_join([c.label for c in here]), site=content.site_names[site]
        )
        if others:
            text += " " + words["also_listed"].format(others=_join(others))
        paragraphs.append(text)
    paragraphs.append(words["not_a_diagnosis"])
    buttons = [
        {
            "title": f"{content.site_labels[s]}: klachten",
            "payload": payload("inform", site=s, topic="symptomen"),
        }
        for s in sites_named
    ]
    message: Message = {"text": "\n\n".join(paragraphs), "buttons": buttons}
    return with_disclaimer([message], content)


def personal_answer(
    content: Content, kind: str, site: Optional[str], complaint_ids: Sequence[str] = ()
) -> List[Message]:
    """A kind refusal to diagnose or predict, with a way to the general information.

    "Is dit kanker? Ik heb een bult in mijn nek": no diagnosis, but the orientation on the
    complaints the user named follows the refusal.
    """
    if kind == "diagnose" and complaint_ids:
        return [{"text": content.personal[kind].render()}] + orientation(content, complaint_ids)
    topic = {"diagnose": "symptomen", "prognose": "levensverwachting"}.get(kind, "behandeling")
    sites = [site] if site in SITES else list(SITES)
    buttons = [
        {
            "title": f"{content.site_labels[s]}: {content.topic_labels[topic].lower()}",
            "payload": payload("inform", site=s, topic=topic),
        }
        for s in sites
    ]
    if kind == "diagnose":
        buttons.insert(0, {"title": "Wat zijn uitzaaiingen?", "payload": payload("ask_definition")})
    message: Message = {"text": content.personal[kind].render(), "buttons": buttons}
    return with_disclaimer([message], content)


def _join(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]
