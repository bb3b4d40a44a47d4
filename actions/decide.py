"""Which answer fits the question: one decision per message, from what it says
(actions/frame.py) and what the conversation was about (slots `site`, `topic`, `person`).

Deterministic and auditable: every reply is tagged with what was chosen (actions/replies.py),
and the order of the checks below is the order of precedence.
"""
from __future__ import annotations

import dataclasses
from typing import List, Optional

from actions.content import GENERAL, SITES, TOPICS, Content, Fact
from actions.frame import Understanding

# Intents answered by a general entry of content/answers.yml
GENERAL_INTENTS = {
    "ask_definition": "definitie",
    "ask_spread": "verspreiding",
    "ask_same_cancer": "zelfde_kanker",
    "ask_spread_vs_metastasis": "verschil_verspreiding",
    "ask_common_locations": "voorkeursplaatsen",
    "ask_discovery_prognosis": "ontdekking_prognose",
}
# Short messages without a site or topic of their own lean on the conversation.
FOLLOW_UP_TOKENS = 12


@dataclasses.dataclass
class Plan:
    kind: str  # section, fact, treatment, general, known, not_covered, ask_site, ask_topic,
    #            refusal, rephrase
    site: Optional[str] = None
    topic: Optional[str] = None
    fact: Optional[Fact] = None
    treatment: Optional[str] = None
    general: Optional[str] = None
    refusal: Optional[str] = None
    subjects: List[str] = dataclasses.field(default_factory=list)
    person: Optional[str] = None
    empathy: bool = False
    elsewhere: bool = False


def choose_site(u: Understanding, context_site: Optional[str]) -> Optional[str]:
    if u.sites:
        return u.sites[0]
    if context_site in SITES:
        return context_site
    return None


def choose_fact(c: Content, u: Understanding, site: Optional[str],
                topic: Optional[str]) -> Optional[Fact]:
    """The most specific fact whose cues the message has, for the site (or a standalone one
    when no site is known), and for the named topic if one is named."""
    candidates = [
        f for f in c.facts.values()
        if f.matches(u.cues) and (f.site == site or (site is None and f.standalone))
        and (topic is None or not u.named_topic or f.topic == topic)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda f: len(f.when))


def choose_topic(u: Understanding, site: Optional[str]) -> Optional[str]:
    if u.topics:
        return u.topics[0]
    if u.treatments:
        return "behandeling"
    if u.complaints and u.asks and site in SITES:
        return "symptomen"  # "kan je geel worden van leveruitzaaiingen?"
    return None


def plan_question(c: Content, u: Understanding, context_site: Optional[str],
                  context_topic: Optional[str], context_person: Optional[str]) -> Plan:
    """The plan for a question for information (or a follow-up, or an unclear message)."""
    person = u.person or context_person
    base = dict(person=person, empathy=u.upset, elsewhere=u.elsewhere)
    if u.uncovered:
        return Plan("not_covered", subjects=u.uncovered, **base)
    if u.intent in GENERAL_INTENTS and not [s for s in u.sites if s in SITES]:
        return Plan("general", site=GENERAL, general=GENERAL_INTENTS[u.intent], **base)
    follow_up = not u.sites and (u.refers_back or u.tokens <= FOLLOW_UP_TOKENS
                                 or u.intent == "inform")
    site = choose_site(u, context_site if follow_up or not u.sites else None)
    topic = choose_topic(u, site)
    fact = choose_fact(c, u, site, topic)
    if fact is not None:
        site = fact.site
        topic = topic if u.named_topic and topic == fact.topic else fact.topic
    if u.treatments and fact is None and (site is None or site == GENERAL or u.treatments[0]
                                          not in _treatments_at(c, site)):
        if not topic or topic == "behandeling":
            return Plan("treatment", site=site, topic="behandeling", treatment=u.treatments[0],
                        **base)
    if topic is None and u.sites and context_topic and u.tokens <= FOLLOW_UP_TOKENS:
        topic = context_topic  # "en bij de botten?"
    if topic is None and follow_up and context_topic and not u.sites:
        topic = context_topic
    if site == GENERAL and topic not in TOPICS:
        return Plan("general", site=GENERAL, general="definitie", **base)
    if site and topic:
        return Plan("fact" if fact else "section", site=site, topic=topic, fact=fact, **base)
    if topic:
        return Plan("general", site=GENERAL, topic=topic, general=topic, **base)
    if site:
        return Plan("ask_topic", site=site, **base)
    return Plan("rephrase", **base)


def _treatments_at(c: Content, site: Optional[str]) -> List[str]:
    return [t.id for t in c.treatments.values() if site in t.sites()]


def plan_known(c: Content, u: Understanding, context_person: Optional[str]) -> Plan:
    site = next((s for s in u.sites if s in SITES), None)
    return Plan("known", site=site, person=u.person or context_person, empathy=False)
