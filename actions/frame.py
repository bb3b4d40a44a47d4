"""What the latest message says, as the actions need it: read from the parse's `frame`
(components/frame.py, built by the NLU pipeline from the content/ lexicons) and entities.

The sentence that asks weighs most: real people tell a story first and ask last, and name
several places while asking about one ("het zit in haar botten en lever; wat doen ze aan die
lever?"). `focus` is that sentence: the last one that asks, or the last one.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Dict, List, Optional, Sequence, Set

from rasa_sdk import Tracker

from actions.content import GENERAL, ORGANS, SITES, TOPICS, content

LEXICON_EXTRACTOR = "LexiconEntityExtractor"
# what a sentence can be about by itself (else "wat bedoelt hij daarmee?" leans on the one before)
OWN_SUBJECT = {"site", "topic", "cue", "treatment", "general_hint", "uncovered", "complaint"}
# diseases of their own, not places: "is lymfeklierkanker hetzelfde als uitzaaiingen in de
# lymfeklieren?" is about lymphoma even with the covered site beside it
UNCOVERED_DISEASES = {"lymfoom", "leukemie", "diabetes"}
# a verb of the first person without its subject, as people type on a phone ("heb kanker
# gehad", "voel een bult"): the message is about the writer
SUBJECTLESS_FIRST_PERSON = re.compile(
    r"(^|[,.;:!?]\s*|\b(maar|en|want|ook)\s+)(heb|had|voel|voelde|ben)\s+"
    r"(?!ik\b|je\b|jij\b|u\b|ge\b|k\b)\w")
# subjects, not places: "wat mag hij eten met leveruitzaaiingen?" asks about diet
UNCOVERED_SUBJECTS = {"voeding", "bijwerkingen", "alternatief"}
# cues that say how something is asked, not what about ("hoe vaak", "wat kan dat zijn")
HOW_CUES = {"what_is_it", "tell_about", "choice", "persuade", "frequency", "count", "belongs_to",
            "every_swelling", "what_then", "spreads_to", "share", "other_than"}
ABOUT_KINDS = {"site", "topic_hint", "general_hint"}
# cues that name the cancer where it began ("borstkanker", "darmkanker", "longk"): in a
# question, usually the story (actions/decide.py)
PRIMARY_CUES = {"breast_prostate", "thyroid", "gut", "other_primaries", "head_neck"}
# cues that name a treatment or what it does ("bestralen", "uit voorzorg")
TREATMENT_CUES = {"radiation", "chemo", "infusion", "surgery", "ablation", "hormonal", "targeted",
                  "painkillers", "pain_relief", "preventive"}
ABOUT_CUES = {"future", "maybe_spread", "own_diagnosis"}  # "geen honger meer heb ik nu kanker"
# the more specific general topic first when several are hinted
GENERAL_PRIORITY = ["verschil_verspreiding", "zelfde_kanker", "ontdekking_prognose",
                    "voorkeursplaatsen", "verspreiding", "oorzaak", "definitie"]
NUMBER = re.compile(r"\d|\b(helft|derde|kwart|tien|twintig|dertig|veertig|vijftig|zestig|"
                    r"zeventig|tachtig|negentig|honderd|maanden|jaar|jaren|weken)\b", re.I)


@dataclasses.dataclass
class Understanding:
    intent: str
    sites: List[str]  # covered sites to answer about, most relevant first (may be empty)
    asked_sites: List[str]  # covered sites in the clauses that ask ("hoe komen ze in de klieren?")
    general_site: bool  # "in het algemeen", "alle uitzaaiingen"
    topics: List[str]  # topics named or asked in the focus sentence, then named elsewhere
    focus_topics: List[str]  # topics named or asked in the focus sentence, in text order
    hinted_topics: List[str]  # topics asked with a question word in the focus sentence
    named_focus_topics: List[str]  # topic words (not question words) in the focus sentence
    named_topics: List[str]  # topic words anywhere
    scene_topics: List[str]  # topic words that only set the scene ("na een operatie")
    named_topic: bool  # a topic word was named (not only a question word)
    cues: Set[str]  # fact cues anywhere
    focus_cues: Set[str]  # fact cues in the focus sentence
    focus_topic_cues: Set[str]  # focus cues that are not part of a place ("klieren" is swelling too)
    asking_cues: Set[str]  # cues in the clauses of the focus sentence that ask
    asking_subject: Optional[str]  # who those clauses ask about: "personal", "generic", None
    treatments: List[str]
    told_treatments: List[str]  # also the refused ones: "hij wil geen chemo meer"
    focus_treatments: List[str]
    general_hints: List[str]  # general topics (definitie, zelfde_kanker, ...) in the focus
    person: Optional[str]
    personal: bool  # the message is about the writer or someone they know
    generic: bool  # the focus sentence asks in general ("kan je ...", "is elke bult ...")
    upset: bool
    farewell: bool  # the message takes leave ("merci, salut")
    thanks: bool  # a word of thanks ("dankjewel", "merci", "fijn dat")
    robot: bool  # the message asks what the bot is ("ben jij een bot?", "ben je een mens?")
    help_request: bool  # how to use the bot ("wat moet ik hier doen?")
    # a greeting that announces questions to come ("Goedenavond. Ik heb een paar vragen namens
    # mijn man."): a greeting, nothing asked yet
    greets_to_ask: bool
    acts_on_advice: bool  # "moet dat vandaag nog?", "bellen we 1733?" (after an alarm)
    told_time: bool  # "sinds vorig jaar heb ik uitzaaiingen": said as a statement, in the
    #                  sentence of the words that would ask for a diagnosis
    known: bool
    # covered sites told as known in a sentence before the one that asks ("het zit in de lever.
    # ... Kan dat van die lever komen?")
    known_sites: List[str]
    uncovered: List[str]
    refers_back: bool
    refers_back_focus: bool  # "hoe werkt dat?": the focus sentence leans on an earlier one
    about_metastases: bool  # the focus sentence speaks of metastases ("uitzaaiing", "meta")
    practical: bool  # insurance, parking, work, a wig: not medical information
    elsewhere: bool
    asks: bool
    complaints: List[str]
    tokens: int


def _ordered(values: Sequence[str]) -> List[str]:
    return list(dict.fromkeys(values))


# words between "begonnen in" and the organ ("begonnen in zijn linker long")
ORIGIN_REACH = 4


def _overlaps(a: Dict[str, Any], b: Dict[str, Any]) -> bool:
    return a["first"] <= b["last"] and b["first"] <= a["last"]


def _inside(m: Dict[str, Any], spans: Sequence[Dict[str, Any]]) -> bool:
    """Does match m lie within one of the matches `spans`?"""
    return any(s["first"] <= m["first"] and m["last"] <= s["last"] for s in spans)


def _just_after(m: Dict[str, Any], markers: Sequence[Dict[str, Any]]) -> bool:
    """Does match m follow one of `markers` closely in its sentence ("begonnen in zijn linker
    long", "melanoom op mijn rug")?"""
    return any(o["sentence"] == m["sentence"] and 0 < m["first"] - o["last"] <= ORIGIN_REACH
               for o in markers)


def understand(tracker: Tracker) -> Understanding:
    latest: Dict[str, Any] = tracker.latest_message or {}
    shape: Dict[str, Any] = latest.get("frame") or {}
    # a negated word still says what the message is about ("de helft haalt het jaar niet",
    # "ze gaat het niet redden"); complaints, alarm signs and the other cues do not count when
    # negated, nor does a negated treatment word or question ("als ze niet behandeld wordt",
    # "als het niet weggehaald kan worden" ask the outlook)
    # (a negated treatment in a clause that asks, not as a condition, is asked about:
    # "kunnen ze het dan niet wegbranden?"); a word that points back still points back ("ik
    # snap niet hoe dat zo gekomen is")
    asking_clauses = set(shape.get("question_clauses") or [])
    matches = [m for m in shape.get("matches") or [] if not m.get("negated") or (
        (m["kind"] in ABOUT_KINDS and m["id"] != "behandeling") or m["kind"] == "anaphora"
        or (m["kind"] == "cue" and m["id"] in ABOUT_CUES)
        or ((m["kind"] == "treatment" or (m["kind"] == "cue" and m["id"] in TREATMENT_CUES))
            and m.get("clause") in asking_clauses and not m.get("context")))]
    # "ben jij een bot?" asks about the bot itself, not about bones
    robot = [m for m in matches if m["kind"] == "marker" and m["id"] == "robot"]
    matches = [m for m in matches if not (m["kind"] == "site" and any(
        r["first"] <= m["first"] <= r["last"] for r in robot))]
    # a place inside a described complaint of another site is where it hurts, not a site
    # asked about ("druk onder mijn ribben rechts": the liver's complaint, not the bones)
    complaints = content().complaints
    described = [m for m in matches if m["kind"] == "complaint" and m["id"] in complaints]
    matches = [m for m in matches if not (m["kind"] == "site" and any(
        _inside(m, [c]) and m["id"] not in complaints[c["id"]].sites for c in described))]
    # "en als opereren niet kan": the treatment inside a "cannot be operated" says what the
    # outlook is asked under, as a negated one does ("als ze niet kunnen opereren")
    inoperable = [m for m in matches if m["kind"] == "cue" and m["id"] == "not_operable"]
    matches = [m for m in matches if not (
        (m["kind"] in ("treatment", "topic") or (m["kind"] == "cue" and m["id"] in TREATMENT_CUES))
        and _inside(m, inoperable))]
    # "ze is vorig jaar behandeld voor borstkanker": a treatment in the history, no topic asked
    history = [m for m in matches if m["kind"] == "marker" and m["id"] == "treated_before"]
    matches = [m for m in matches if not (
        (m["kind"] in ("treatment", "topic") or (m["kind"] == "cue" and m["id"] == "found_treated"))
        and _inside(m, history))]
    # "ik heb een knobbel gevonden in mijn nek": a lump was found, not metastases (a known
    # match inside a described complaint); "hij valt af zonder dat hij op dieet is": a subject
    # inside a described complaint is part of the complaint, not a question about diets
    matches = [m for m in matches if not (
        m["kind"] in ("known", "uncovered") and _inside(m, described))]
    # "de dokter heeft gezegd dat ik uitzaaiingen heb": told by the doctor, not asked (a
    # told fact that starts before the words that could ask, unlike "heb ik nu uitzaaiingen")
    known_matches = [m for m in matches if m["kind"] == "known"]
    matches = [m for m in matches if not (
        m["kind"] == "cue" and m["id"] == "own_diagnosis"
        and any(k["first"] < m["first"] <= k["last"] for k in known_matches))]
    # "het is begonnen in zijn long": the organ where the cancer began is no subject of its own
    origins = [m for m in matches if m["kind"] == "marker" and m["id"] == "origin"]
    matches = [m for m in matches if not (
        m["kind"] == "uncovered" and m["id"] in ORGANS and _just_after(m, origins))]
    # "rugpijn sinds paar wk, longk in 2022, kan dat ergens mee te maken hebben": the first
    # cancer told beside described complaints that are asked about is their history
    if described and any(m["kind"] == "cue" and m["id"] == "what_is_it" for m in matches):
        primaries = [m for m in matches if m["kind"] == "cue" and m["id"] in PRIMARY_CUES]
        matches = [m for m in matches if not (
            m["kind"] == "uncovered" and m["id"] in ORGANS
            and any(_overlaps(m, p) for p in primaries))]
    # "een melanoom op mijn rug": the skin of the back, not its bones
    skin = [m for m in matches if m["kind"] == "marker" and m["id"] == "skin_origin"]
    matches = [m for m in matches if not (m["kind"] == "site" and _just_after(m, skin))]
    uncovered_matches = [m for m in matches if m["kind"] == "uncovered"]
    # "lymfeklierkanker" is a disease the text does not cover, not the site lymfeklieren
    matches = [m for m in matches if not (m["kind"] == "site" and any(
        _overlaps(m, u) for u in uncovered_matches))]
    asking = set(shape.get("questions") or [])
    sentences = shape.get("sentences") or 1
    # sentences in order of weight: the last asking sentence first, then earlier asking
    # ones, then the last sentence, then the rest from the end
    order = sorted(asking, reverse=True) + [s for s in range(sentences - 1, -1, -1)
                                            if s not in asking]
    weight = {s: i for i, s in enumerate(order)}
    focus = order[0] if order else 0
    # "De uroloog had het over een pathologische fractuur. Wat bedoelt hij daarmee?": an
    # asking sentence that only points back asks about the sentence before it
    focus_set = {focus}
    if focus > 0 and any(m["kind"] == "anaphora" and m["sentence"] == focus for m in matches) \
            and not any(m["sentence"] == focus and m["kind"] in OWN_SUBJECT
                        and not (m["kind"] == "cue" and m["id"] in HOW_CUES) for m in matches):
        focus_set.add(focus - 1)

    def of(kind: str) -> List[Dict[str, Any]]:
        return [m for m in matches if m["kind"] == kind]

    def ids(kind: str, last_first: bool = True,
            sentences: Optional[Set[int]] = None) -> List[str]:
        """The ids of a kind, the weightiest sentence first (only in `sentences`, if given)."""
        found = sorted((m for m in of(kind) if sentences is None or m["sentence"] in sentences),
                       key=lambda m: (weight.get(m["sentence"], 99),
                                      -m["first"] if last_first else m["first"]))
        return _ordered(m["id"] for m in found)

    def best_sentence(kind: str) -> int:
        return min((weight.get(m["sentence"], 99) for m in of(kind)), default=100)

    def in_focus(kind: str) -> List[str]:
        return _ordered(m["id"] for m in sorted(of(kind), key=lambda m: -m["first"])
                        if m["sentence"] in focus_set)

    def in_best(kind: str) -> List[str]:
        best = best_sentence(kind)
        return _ordered(m["id"] for m in sorted(of(kind), key=lambda m: -m["first"])
                        if weight.get(m["sentence"], 99) == best)

    # the clauses of the focus sentence that ask ("mijn vader heeft het in de lever, hoe lang
    # kun je daarmee leven?" asks in general; "..., hoe lang kan hij nog?" about him)
    question_clauses = set(shape.get("question_clauses") or [])
    in_focus_sentence = [m for m in matches if m["sentence"] in focus_set]
    asking_matches = [m for m in in_focus_sentence if m.get("clause") in question_clauses] or (
        in_focus_sentence if focus in asking else [])
    # "ze" is the patient where the future is asked ("gaat ze het redden?"), else often the
    # doctors ("hadden ze het niet kunnen zien?")
    subject_ids = {"personal", "she"} if any(
        m["kind"] == "cue" and m["id"] == "future" for m in asking_matches) else {"personal"}
    asking_subject = None
    # "denk je", "wat denkt u" speak to the bot: their je/u is no general subject
    addressing = [m for m in matches if m["kind"] == "marker" and m["id"] == "addressing"]
    if any(m["kind"] == "marker" and m["id"] == "generic_subject" and not any(
            a["first"] <= m["first"] <= a["last"] for a in addressing) for m in asking_matches):
        asking_subject = "generic"
    elif any(m["kind"] == "person" or (m["kind"] == "marker" and m["id"] in subject_ids)
             for m in asking_matches):
        asking_subject = "personal"

    # entities of a button payload (/inform{"site":"lever","topic":"behandeling"}) come first
    given = [e for e in latest.get("entities") or []
             if e.get("extractor") != LEXICON_EXTRACTOR and e.get("entity") in ("site", "topic")]
    given_sites = [e["value"] for e in given if e["entity"] == "site"]
    given_topics = [e["value"] for e in given if e["entity"] == "topic" and e["value"] in TOPICS]
    covered = [s for s in ids("site") if s in SITES]
    site_sentences = [s for s in in_best("site") if s in SITES]
    sites = _ordered([s for s in given_sites if s in SITES] + (site_sentences or covered))
    named = [t for t in ids("topic", last_first=False) if t in TOPICS]
    in_sentence = sorted((m for m in of("topic") + of("topic_hint")
                          if m["sentence"] in focus_set and m["id"] in TOPICS),
                         key=lambda m: m["first"])
    # "ze heeft al een tijd last van haar rug, wat kunnen ze tegen die pijn doen?": where a
    # clause of the sentence asks with a topic word of its own, that clause says the topic
    if any(m.get("clause") in question_clauses and not m.get("context") for m in in_sentence):
        in_sentence = [m for m in in_sentence if m.get("clause") in question_clauses]
    # a topic word asked about first, then a question word, then a topic word that only sets
    # the scene ("na een operatie")
    named_focus = [m["id"] for m in in_sentence if m["kind"] == "topic" and not m.get("context")]
    # question words: the symptom words ("pijn", "last") last, they are often only the scene
    # (a question word of a condition only sets the scene too: "als ze het weghalen, ...")
    hinted = [m["id"] for m in sorted((m for m in in_sentence if m["kind"] == "topic_hint"
                                       and not m.get("context")),
                                      key=lambda m: m["id"] == "symptomen")]
    scene = [m["id"] for m in in_sentence if m["kind"] in ("topic", "topic_hint")
             and m.get("context")]
    # (not when the sentence names a site and a fact of its own: "Nu heeft ze pijn in haar
    # bekken. Is het normaal dat schildklierkanker naar de botten gaat?" asks that fact)
    own_fact = any(m["sentence"] == focus for m in of("site")) and any(
        m["sentence"] == focus and m["id"] not in HOW_CUES
        and not any(_overlaps(m, p) for p in of("site")) for m in of("cue"))
    if not named_focus and not hinted and in_focus("anaphora") and not own_fact:
        # "Iemand zei dat het nog maar een paar maanden is. Klopt dat?": the sentence before,
        # or the one before that when it has no topic of its own ("Ik las dat de helft het
        # jaar niet haalt. Mijn man heeft dat nu ook. Is dat waar?")
        for back in (1, 2):
            before = [m for m in of("topic") + of("topic_hint")
                      if m["sentence"] == focus - back and m["id"] in TOPICS]
            hinted = [m["id"] for m in sorted(before, key=lambda m: (m["kind"] != "topic",
                                                                     m["id"] == "symptomen"))]
            if hinted:
                break
    if hinted == ["oorzaak"] and not named_focus and not any(
            m["sentence"] == focus and m["kind"] not in (
                "topic_hint", "treatment", "anaphora", "marker", "person")
            and not (m["kind"] == "cue" and m["id"] in TREATMENT_CUES)
            for m in matches) and any(
            focus - 2 <= m["sentence"] <= focus and not m.get("context") and (
                m["kind"] == "treatment" or m["id"] in TREATMENT_CUES)
            for m in of("treatment") + of("cue")):
        # "Ze krijgt bestraling en chemo tegelijk. Waarom allebei?", "ze bestralen de
        # klieren ook, waarom?": why a treatment is given is about the treatment (the sentence
        # before may be two back: "... niks zit?? waarom")
        hinted = ["behandeling"]
    elif "behandeling" in hinted[1:] and not named_focus and in_focus("anaphora") and any(
            m["sentence"] == focus - 1 and not m.get("context") for m in of("treatment")):
        # "Mijn oncoloog wil doelgerichte therapie proberen. Wat doet dat bij
        # botuitzaaiingen?": "dat" is the treatment of the sentence just before
        hinted = ["behandeling"] + [t for t in hinted if t != "behandeling"]
    named_focus = given_topics + named_focus
    named = given_topics + named
    focus_topics = _ordered(named_focus + hinted)
    # a treatment that only sets the scene ("leeft men nog vijf jaar na een operatie") is
    # not what is asked about
    # the last named is asked about ("hij krijgt chemo, wat is bestraling?"), but in a
    # comparison the first ("is immunotherapie hetzelfde als chemo?")
    compare = any(m["kind"] == "marker" and m["id"] == "compare" and m["sentence"] in focus_set
                  for m in matches)
    focus_treatments = _ordered(m["id"] for m in sorted(
        of("treatment"), key=lambda m: m["first"] if compare else -m["first"])
                                if m["sentence"] in focus_set and not m.get("context"))
    scene_treatments = {m["id"] for m in of("treatment") if m.get("context")}
    intent = (latest.get("intent") or {}).get("name") or ""
    text = latest.get("text") or ""
    personal_ids = {"personal"}
    # ... or a verb of the first person without its subject, as people type on a phone
    # ("bultje op scheenbeen, heb kanker gehad, wat kan het zijn")
    personal = any(m["kind"] == "person" or (m["kind"] == "marker" and m["id"] in personal_ids)
                   for m in matches) or bool(SUBJECTLESS_FIRST_PERSON.search(text.lower()))
    generic = any(m["sentence"] == focus and (
        (m["kind"] == "marker" and m["id"] == "generic") or (
            m["kind"] == "cue" and m["id"] == "every_swelling")) for m in matches)
    uncovered = in_best("uncovered")
    emotions = set(ids("emotion"))
    # ... unless only the uncovered place is in the clause that asks ("uitzaaiingen in de lever
    # en nu ook in de longen, wat doen ze aan die longen")
    asked_only_uncovered = any(m["kind"] == "uncovered" for m in asking_matches) and not any(
        m["kind"] == "site" for m in asking_matches) and len(asking_matches) < len(
        in_focus_sentence)
    # ... or the last place named where it asks is uncovered and pointed at, in a message
    # without commas ("uitgezaaid naar de longen en een beetje naar de lever ... wat ik wil
    # weten is wat ze aan die longen kunnen doen")
    places = sorted((m for m in asking_matches if m["kind"] in ("site", "uncovered")),
                    key=lambda m: m["first"])
    pointed = {m["first"] + 1 for m in matches if m["kind"] == "marker" and m["id"] == "pointed"}
    if places and places[-1]["kind"] == "uncovered" and places[-1]["first"] in pointed:
        asked_only_uncovered = True
    if uncovered and best_sentence("site") <= best_sentence("uncovered") and sites and not (
            set(uncovered) & (UNCOVERED_DISEASES | UNCOVERED_SUBJECTS)) \
            and not asked_only_uncovered:
        uncovered = []  # a covered place is asked about at least as much
    if "onderzoek" in uncovered and "onderzoek" not in in_focus("uncovered") and (
            named_focus or hinted or in_focus("general_hint")):
        # a test told in the story is no subject of its own, unlike a place: "er komt een
        # PET-scan. ... Wat voor behandelingen bestaan er?"
        uncovered = [x for x in uncovered if x != "onderzoek"]
    return Understanding(
        intent=intent,
        sites=sites,
        asked_sites=_ordered(m["id"] for m in asking_matches
                             if m["kind"] == "site" and m["id"] in SITES),
        general_site=GENERAL in ids("site") or GENERAL in given_sites,
        topics=_ordered(focus_topics + [t for t in named if t not in scene]),
        scene_topics=scene,
        focus_topics=focus_topics,
        hinted_topics=hinted,
        named_focus_topics=_ordered(named_focus),
        named_topics=named,
        named_topic=bool(named),
        cues=set(ids("cue")),
        focus_cues=set(in_focus("cue")),
        focus_topic_cues={m["id"] for m in of("cue") if m["sentence"] in focus_set and not any(
            _overlaps(m, p) for p in of("site"))},
        asking_cues={m["id"] for m in asking_matches if m["kind"] == "cue"},
        asking_subject=asking_subject,
        treatments=focus_treatments or [t for t in in_best("treatment") if t not in scene_treatments],
        focus_treatments=focus_treatments,
        told_treatments=_ordered(m["id"] for m in shape.get("matches") or []
                                 if m["kind"] == "treatment"),
        general_hints=sorted(in_focus("general_hint"), key=GENERAL_PRIORITY.index),
        # who the message is about: a person in the asking sentence; else the nearest person
        # in a sentence that tells of the metastases, a site or a complaint ("De knobbel in
        # zijn hals bleek een uitzaaiing, zei de arts tegen mijn vader. Mijn moeder huilt. Wat
        # doen ze nu?": the father, not the mother who only cries); else the nearest person
        person=(ids("person", sentences=focus_set) or ids("person", sentences={
            m["sentence"] for m in matches if m["kind"] in ("known", "meta", "site", "complaint")})
            or ids("person") or [None])[0],
        personal=personal,
        generic=generic,
        upset=bool(emotions - {"in_a_long_story"}) or (
            bool(ids("known") or ids("meta") or "in_a_long_story" in emotions)
            and int(shape.get("tokens") or 0) >= LONG_STORY),
        farewell=any(m["kind"] == "marker" and m["id"] == "farewell" for m in matches),
        thanks=any(m["kind"] == "marker" and m["id"] == "thanks" for m in matches),
        robot=bool(robot),
        help_request=any(m["kind"] == "marker" and m["id"] == "help_request" for m in matches),
        greets_to_ask=all(any(m["kind"] == "marker" and m["id"] == k for m in matches)
                          for k in ("greeting", "announce")),
        told_time=bool({m["sentence"] for m in matches if m["id"] == "told_time"} & {
            m["sentence"] for m in of("cue") if m["id"] == "own_diagnosis"}),
        # negated too: "kan dat niet tot morgen wachten?"
        acts_on_advice=any(m["kind"] == "marker" and m["id"] == "act_on_advice"
                           for m in shape.get("matches") or []),
        known=bool(ids("known")),
        known_sites=_ordered(m["id"] for m in of("site") if m["id"] in SITES and m["sentence"] < focus
                             and any(k["sentence"] == m["sentence"] for k in of("known"))),
        uncovered=uncovered,
        refers_back=bool(ids("anaphora")),
        refers_back_focus=bool(in_focus("anaphora")),
        about_metastases=bool(in_focus("meta")),
        # "Iemand van de mutualiteit zei ... jaren kunt leven. Klopt da?" asks about the
        # outlook: a practical word in the sentence pointed back to only counts without a
        # site or topic there
        practical=any(m["kind"] == "practical" and m["sentence"] == focus for m in matches) or (
            bool(in_focus("practical")) and not any(
                m["sentence"] in focus_set and (m["kind"] == "topic" or (
                    m["kind"] == "site" and m["id"] in SITES)) for m in matches)),
        elsewhere=bool(ids("elsewhere")) and bool(NUMBER.search(text)),
        asks=bool(asking),
        complaints=[c["id"] for c in latest.get("complaints") or [] if not c.get("negated")],
        tokens=int(shape.get("tokens") or 0),
    )


# A message this long that tells of metastases found (or says "alleen", as in "ik hoorde
# alleen nog geruis") is a story told in shock: one empathic sentence first.
LONG_STORY = 35
