"""Puts answers together from the content: which entries, in which order, with which buttons.

Every function returns a list of messages ({"text", "buttons", "tags"}) for the dispatcher.
Tags say what was answered (`content:lever/behandeling`, `fact:<id>`, `alarm:spoed`,
`refusal:prognose`, ...): they are stored with the bot's message, never shown, and let the
blind evaluation (scripts/blind_eval.py) and a reader of a conversation see why the bot said
what it said. Every medical answer's last message ends with the disclaimer.
"""
from __future__ import annotations

import json
from typing import Dict, Iterable, List, Optional, Sequence

from actions.content import GENERAL, SITES, TOPICS, Content, Fact
from actions.decide import Plan

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


def person_words(content: Content, person: Optional[str]):
    return content.person(person)


def with_disclaimer(messages: List[Message], content: Content,
                    person: Optional[str] = None) -> List[Message]:
    """Append (for a relative, a line about them and) the disclaimer to the last message."""
    last = dict(messages[-1])
    words = person_words(content, person)
    about = ""
    if words:
        about = content.frame["about_other"].format(persoon=words[0], zijn=words[1]) + "\n\n"
    last["text"] = f"{last['text']}\n\n{about}{content.disclaimer}"
    return messages[:-1] + [last]


def heading(content: Content, site: str, topic: str) -> str:
    return f"{content.site_labels[site]}: {content.topic_labels[topic].lower()}"


def section(content: Content, site: str, topic: str) -> Optional[Message]:
    entry = content.answer(site, topic)
    if entry is None:
        return None
    text = entry.render()
    if site in SITES:
        text = f"{heading(content, site, topic)}\n{text}"
    if topic == "levensverwachting":
        text = f"{text}\n\n{content.prognosis_note}"
    return {"text": text, "tags": [f"content:{site}/{topic}"]}


def site_topic_answer(content: Content, site: str, topics: Sequence[str],
                      person: Optional[str] = None) -> List[Message]:
    """The whole sections for one site (or `algemeen`) and one or more topics."""
    messages = [m for m in (section(content, site, t) for t in topics) if m]
    if not messages:
        return []
    if site in SITES:
        buttons = topic_buttons(content, site, skip=topics)
        if buttons:
            messages[-1] = {**messages[-1], "buttons": buttons}
    return with_disclaimer(messages, content, person)


def fact_answer(content: Content, fact: Fact, person: Optional[str] = None) -> List[Message]:
    """One fact first, in a sentence or two; the whole section behind a button."""
    text = f"{heading(content, fact.site, fact.topic)}\n{fact.answer}"
    if fact.topic == "levensverwachting":
        text = f"{text}\n\n{content.prognosis_note}"
    buttons = [{"title": f"Alles over: {content.topic_labels[fact.topic].lower()}",
                "payload": payload("inform", site=fact.site, topic=fact.topic)}]
    buttons += topic_buttons(content, fact.site, skip=[fact.topic])
    message = {"text": f"{text}\n\n{content.frame['more']}", "buttons": buttons,
               "tags": [f"fact:{fact.id}", f"section:{fact.site}/{fact.topic}"]}
    return with_disclaimer([message], content, person)


def general_answer(content: Content, key: str, person: Optional[str] = None) -> List[Message]:
    entry = content.general[key]
    message: Message = {"text": entry.render(), "tags": [f"content:{GENERAL}/{key}"]}
    if key in TOPICS:
        message["buttons"] = site_buttons(content, key)[:-1]
    return with_disclaimer([message], content, person)


def treatment_answer(content: Content, treatment_id: str, site: Optional[str],
                     person: Optional[str] = None) -> List[Message]:
    """Exactly what the text says about one treatment, and where."""
    treatment = content.treatments[treatment_id]
    lines = []
    if site in SITES and site not in treatment.sites():
        lines.append(content.frame["treatment_not_here"].format(
            site=content.site_names[site], treatment=treatment.label))
    lines.append(content.frame["treatment_intro"].format(treatment=treatment.label))
    lines += [f"• {text}" for _, text, _ in treatment.where]
    buttons = [{"title": f"{content.site_labels[s]}: behandeling",
                "payload": payload("inform", site=s, topic="behandeling")}
               for s in treatment.sites() if s in SITES]
    message = {"text": "\n".join(lines), "buttons": buttons,
               "tags": [f"treatment:{treatment_id}"]}
    if site in SITES and site not in treatment.sites():
        # "is immunotherapie daarbij ook een optie?": what the text does name there
        return [message] + site_topic_answer(content, site, ["behandeling"], person)
    return with_disclaimer([message], content, person)


def known_answer(content: Content, site: Optional[str], person: Optional[str]) -> List[Message]:
    """Warmth and the offer of what the text says about the site, for someone who knows."""
    words = person_words(content, person)
    if site in SITES:
        key = "known_other" if words else "known_self"
        text = content.frame[key].format(site=content.site_names[site],
                                         persoon=words[0] if words else "")
        buttons = topic_buttons(content, site)
    else:
        text, buttons = content.frame["known_general"], site_buttons(content)[:-1]
    return [{"text": text, "buttons": buttons, "tags": [f"known:{site or GENERAL}", "empathy"]}]


def not_covered_answer(content: Content, subjects: Sequence[str],
                       general: Optional[str] = None) -> List[Message]:
    """The text does not cover this; then what it does say that helps, if anything."""
    names = [content.not_covered_names.get(s, s) for s in subjects]
    text = content.frame["not_covered"].format(subject=_join(names))
    buttons = [{"title": "Wat zijn uitzaaiingen?", "payload": payload("ask_definition")}]
    buttons += [{"title": content.site_labels[s], "payload": payload("inform", site=s)}
                for s in SITES]
    messages: List[Message] = [
        {"text": text, "buttons": buttons, "tags": [f"not_covered:{s}" for s in subjects]}]
    also = general or next((content.not_covered_also[s] for s in subjects
                            if s in content.not_covered_also), None)
    if also:
        messages = [{**messages[0], "buttons": []}] + general_answer(content, also)
    return messages


def empathy(content: Content, person: Optional[str]) -> Message:
    words = person_words(content, person)
    if words:
        text = content.frame["empathy_other"].format(persoon=words[0])
    else:
        text = content.frame["empathy_self"]
    return {"text": text, "tags": ["empathy"]}


def compose(content: Content, plan: Plan) -> List[Message]:
    """The messages for a plan of actions/decide.py (frame responses such as utter_rephrase
    are sent by the action itself)."""
    if plan.kind == "not_covered":
        messages = not_covered_answer(content, plan.subjects, plan.general)
        if plan.treatment:
            messages = [{**messages[0], "buttons": []}] + treatment_answer(
                content, plan.treatment, None, plan.person)
    elif plan.kind == "refusal":
        messages = personal_answer(content, plan.refusal, plan.site, plan.complaints,
                                   plan.person, plan.fact)
    elif plan.kind == "orientation":
        messages = orientation(content, plan.complaints, only_described=plan.again,
                               person=plan.person)
    elif plan.kind == "known":
        messages = known_answer(content, plan.site, plan.person)
    elif plan.kind == "fact" and plan.fact is not None:
        messages = fact_answer(content, plan.fact, plan.person)
    elif plan.kind == "section":
        messages = site_topic_answer(content, plan.site, [plan.topic], plan.person)
    elif plan.kind == "general":
        messages = general_answer(content, plan.general, plan.person)
    elif plan.kind == "treatment":
        messages = treatment_answer(content, plan.treatment, plan.site, plan.person)
    else:
        return []
    if plan.elsewhere and plan.kind in ("fact", "section", "general") and (
            plan.topic in ("levensverwachting", "behandeling") or plan.general in TOPICS):
        first = dict(messages[0])
        first["text"] = f"{content.frame['elsewhere']}\n\n{first['text']}"
        first["tags"] = list(first.get("tags") or []) + ["elsewhere"]
        messages = [first] + messages[1:]
    if not any("empathy" in (m.get("tags") or []) for m in messages):
        if plan.empathy:
            messages = [empathy(content, plan.person)] + messages
        elif plan.empathy_follow_up:
            messages = [{"text": plan.empathy_follow_up, "tags": ["empathy"]}] + messages
    return messages


def alarm_reply(content: Content, level: str, complaint_ids: Sequence[str],
                also: Sequence[str] = (), signs: Sequence[str] = ()) -> List[Message]:
    """The advice of the level first. After 112 or 113 only one warm closing line; after the
    urgent advice, the orientation on the complaints described and nothing more. `also`:
    levels the other net heard beside it (thoughts of suicide beside an urgent sign): their
    short line after the advice, and then nothing but the closing line. `signs`: the signs
    found; where all of the level's signs have advice of their own, that advice is said."""
    advice = content.alarm_levels[level]
    own = {content.sign_advice.get(s) for s in signs
           if content.alarm_level_of.get(s) == level}
    text = own.pop() if len(own) == 1 and None not in own else advice.advice
    messages: List[Message] = [{"text": text, "tags": [f"alarm:{level}"]}]
    extra = [content.alarm_levels[a] for a in also
             if a != level and a in content.alarm_levels and content.alarm_levels[a].also]
    messages += [{"text": a.also, "tags": [f"alarm:{a.name}"]} for a in extra]
    if level in ("levensbedreigend", "zelfdoding") or extra:
        return messages + [{"text": content.alarm_closing, "tags": ["alarm_closing"]}]
    if complaint_ids:
        messages += orientation(content, complaint_ids, only_described=True)
    else:
        messages = with_disclaimer(messages, content)
    return messages


def orientation(content: Content, complaint_ids: Sequence[str],
                only_described: bool = False, person: Optional[str] = None) -> List[Message]:
    """Which sites the text links the complaints to (and, unless `only_described`, what else
    it lists there), that many other causes are possible, and advice."""
    words = content.orientation
    found = [content.complaints[c] for c in dict.fromkeys(complaint_ids)]
    if not found:
        return with_disclaimer([{"text": words["unknown"], "tags": ["orientation:none"]}],
                               content, person)
    paragraphs: List[str] = []
    sites_named: List[str] = []
    tags: List[str] = []
    for site in SITES:
        here = [c for c in found if site in c.sites]
        if not here:
            continue
        sites_named.append(site)
        text = words["per_site"].format(
            complaints=_join([c.label for c in here]), site=content.site_names[site])
        others = [c.label for c in content.complaints_listed_for(site) if c not in here]
        if others and not only_described:
            text += " " + words["also_listed"].format(others=_join(others))
            tags = ["also_listed"]
        paragraphs.append(text)
    paragraphs.append(words["not_a_diagnosis"])
    buttons = [
        {"title": f"{content.site_labels[s]}: klachten",
         "payload": payload("inform", site=s, topic="symptomen")}
        for s in sites_named
    ]
    message: Message = {"text": "\n\n".join(paragraphs), "buttons": buttons,
                        "tags": [f"orientation:{s}" for s in sites_named] + tags}
    return with_disclaimer([message], content, person)


def personal_answer(content: Content, kind: str, site: Optional[str],
                    complaint_ids: Sequence[str] = (), person: Optional[str] = None,
                    fact: Optional[Fact] = None) -> List[Message]:
    """A kind refusal to diagnose, predict or choose, with the general information that fits.

    "Is dit kanker? Ik heb een bult in mijn nek": the orientation on the complaints follows.
    "Hoe lang heeft mijn vader nog, met uitzaaiingen in zijn lever?": the text's general
    figures for the lever follow, with the note that they say nothing certain about one person.
    """
    refusal = {"text": content.personal[kind].render(), "tags": [f"refusal:{kind}"]}
    if kind in ("diagnose", "prognose"):
        refusal["tags"].append("empathy")  # "Ik begrijp dat u dit graag wilt weten."
    if kind == "diagnose" and complaint_ids:
        return [refusal] + orientation(content, complaint_ids, person=person)
    if kind == "prognose" and site in SITES:
        return [refusal] + site_topic_answer(content, site, ["levensverwachting"], person)
    if kind == "dosering":
        return with_disclaimer([refusal], content, person)
    if kind == "behandelkeuze" and fact is not None:
        short = {"text": content.personal_short[kind], "tags": [f"refusal:{kind}"]}
        return [short] + fact_answer(content, fact, person)
    topic = {"diagnose": "symptomen", "prognose": "levensverwachting"}.get(kind, "behandeling")
    sites = [site] if site in SITES else list(SITES)
    refusal["buttons"] = [
        {"title": f"{content.site_labels[s]}: {content.topic_labels[topic].lower()}",
         "payload": payload("inform", site=s, topic=topic)}
        for s in sites
    ]
    if kind == "diagnose":
        refusal["buttons"].insert(
            0, {"title": "Wat zijn uitzaaiingen?", "payload": payload("ask_definition")})
    return with_disclaimer([refusal], content, person)


def _join(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]
