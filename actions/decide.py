"""Which answer fits the message: one decision per message, from what it says
(actions/frame.py), the classifier's intent, and what the conversation was about (slots
`site`, `topic`, `person`).

Deterministic and auditable: the checks in `plan` run in a fixed order of precedence, and every
reply is tagged with what was chosen (actions/replies.py). The classifier's intent is one piece
of evidence; words that say more precisely what is asked win over it: "hoeveel oxycodon mag
ik?" is a dose question whatever the intent, "is elke dikke klier een uitzaaiing?" asks for
information, not for a diagnosis.
"""
from __future__ import annotations

import dataclasses
from typing import List, Optional, Sequence, Set

from actions.content import GENERAL, ORGANS, SITES, TOPICS, Content, Fact
from actions.frame import HOW_CUES, PRIMARY_CUES, Understanding

# Intents answered by a general entry of content/answers.yml
GENERAL_INTENTS = {
    "ask_definition": "definitie",
    "ask_spread": "verspreiding",
    "ask_same_cancer": "zelfde_kanker",
    "ask_spread_vs_metastasis": "verschil_verspreiding",
    "ask_common_locations": "voorkeursplaatsen",
    "ask_discovery_prognosis": "ontdekking_prognose",
}
PERSONAL_INTENTS = {
    "ask_personal_diagnosis": "diagnose",
    "ask_personal_prognosis": "prognose",
    "ask_personal_treatment": "behandelkeuze",
}
KNOWN_INTENT = "share_diagnosis"
# uncovered places that are organs (content/cues.yml): a metastasis there is still the first
# cancer, as everywhere
# Small talk, answered with its response of domain.yml unless the message asks for content
# after all ("Hallo, hoe ontstaan botuitzaaiingen?", "wa is immunotherapie eigenlijk?")
SMALL_TALK = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_you_are_welcome",
    "bot_challenge": "utter_iamabot",
    "help": "utter_help",
}
COMPLAINT_INTENT = "describe_symptoms"
# Short messages without a site or topic of their own lean on the conversation.
FOLLOW_UP_TOKENS = 12
SEARCH_TOKENS = 6


@dataclasses.dataclass
class Plan:
    kind: str  # section, fact, treatment, general, known, not_covered, orientation, refusal,
    #            ask_topic, out_of_scope, rephrase
    site: Optional[str] = None
    topic: Optional[str] = None
    fact: Optional[Fact] = None
    treatment: Optional[str] = None
    general: Optional[str] = None
    refusal: Optional[str] = None
    subjects: List[str] = dataclasses.field(default_factory=list)
    complaints: List[str] = dataclasses.field(default_factory=list)
    person: Optional[str] = None
    empathy: bool = False
    # the writer was upset in the message before and this one answers on: a shorter word
    empathy_follow_up: str = ""
    elsewhere: bool = False
    response: Optional[str] = None  # a response of domain.yml (small talk)
    thanked: bool = False  # a goodbye that also thanks ("dank u en nog een fijne dag")
    # an orientation asked about again ("moet ik daarmee naar de dokter?"): only the
    # complaints described, not the site's other complaints once more
    again: bool = False


def follows_advice(u: Understanding) -> bool:
    """A short question about following an alarm's advice ("moet dat vandaag nog of kan het
    tot maandag wachten?", "bellen we dan 1733?"), with no new subject of its own; not thanks
    ("oké, ik bel meteen de huisarts, bedankt")."""
    return u.acts_on_advice and u.asks and u.tokens <= FOLLOW_UP_TOKENS and not (
        u.sites or u.named_topics or u.treatments or u.general_hints or u.uncovered)


def only_cues(u: Understanding) -> bool:
    """Nothing but fact cues says what the message is about."""
    return not (u.sites or u.named_topics or u.treatments or u.complaints or u.general_hints
                or u.uncovered or u.known)


def asks_for_content(u: Understanding) -> bool:
    # ... or a follow-up whose question word carries the topic ("waar komt zoiets door?")
    return not only_cues(u) or bool(u.focus_cues - HOW_CUES) or bool(
        u.asks and u.hinted_topics and u.refers_back_focus and not u.robot)


# cues that ask for a number ("hoe vaak moet hij bestraald worden?"): no treatment choice
NUMBER_CUES = {"count", "frequency"}
# ... nor do these: a number, or what a treatment is for ("is dat om hem te genezen of om tijd
# te rekken?")
NOT_A_CHOICE = NUMBER_CUES | {"purpose"}


def choose_fact(c: Content, u: Understanding, site: Optional[str],
                named: Sequence[str] = (), asked: Sequence[str] = (),
                asked_by_context: bool = False) -> Optional[Fact]:
    """The most specific fact whose cues the message has, at least one of them in the
    sentence that asks; for the site (or a standalone one when no site is known).

    A fact of two cues or more, all in the asking sentence ("snel" + "behandeld",
    "bestraling" + "hoeveel keer"), says precisely what is asked and wins over topic and
    question words. A fact of one cue must fit a topic word of the asking sentence if there
    is one ("pas laat klachten" with "klachten"), else a question word's topic, or in a
    follow-up the conversation's topic (`asked`: "hoeveel procent leeft nog ... van
    darmkanker" asks the outlook, not why the lever gets tumours from the bowel); only
    "waarom" and "hoe komt het" are too loose to rule a fact out ("waarom kan het niet
    helemaal weg?", "hoe kan het dat niemand het eerder zag?"), except for a fact whose only
    cue names the first cancer ("waarom gaat het naar de klieren in de hals, hij heeft
    keelkanker": the story, not the question). A fact of another topic than the one the
    sentence names (or asks with a precise question word) does not fit when the sentence's
    other cues speak for that topic, and a fact of two cues does not win over a precise
    question word of another topic ("halen ze alle klieren weg?" asks the treatment, not
    whether every swelling is a metastasis). Among the facts that fit, one of a named topic
    comes first, then the most specific, then one of the question word's topic. A topic that
    comes from the conversation only (`asked_by_context`) does not stop a fact of two cues or
    more, all in the asking sentence ("Als ze hem gaan bestralen, hoe vaak moet hij dan naar
    het ziekenhuis?" after a question of the outlook)."""
    loose = {"oorzaak"}

    def only_story(f: Fact) -> bool:
        """Does every cue group of the fact only name the first cancer?"""
        return all(set(g) <= PRIMARY_CUES for g in f.when)

    def fits(f: Fact) -> bool:
        # ... unless one cue only names the first cancer and the sentence names another topic
        # ("hoe behandelen ze botuitzaaiingen bij borstkanker meestal?" asks the treatment)
        story = any(set(g) <= PRIMARY_CUES for g in f.when)
        # ... unless other cues of the sentence speak for the named topic ("halen ze alle
        # klieren weg?" asks the treatment, not whether every swelling is a metastasis)
        own = {cue for g in f.when for cue in g}
        other_topics = cue_topics(c, u.focus_cues - own)
        wanted = set(named) | (set(asked) - loose)  # topic words, else precise question words
        if f.topic not in wanted and not set(f.asked_with) & wanted and other_topics & wanted:
            return False
        # (... but not over a share of people asked with a word of the outlook: "en als die
        # operatie lukt, hoeveel mensen zijn er na vijf jaar nog?")
        survival = "share" in u.asking_cues and "levensverwachting" in named
        if len(f.when) >= 2 and f.matches(u.focus_cues) and not (
                (story and named and f.topic not in named)
                or (survival and f.topic != "levensverwachting")
                or (not named and wanted and f.topic not in wanted and not asked_by_context)):
            return True
        if named:
            return f.topic in named or bool(set(f.asked_with) & set(named))
        if set(asked) - loose or (asked and only_story(f)):
            return f.topic in asked
        return True

    # a fact that only names the first cancer, told before a question of how often ("Ik heb
    # schildklierkanker gehad. Hoe vaak gaat dat naar de botten?"): the story is the fact asked
    how_often = "frequency" in u.focus_cues
    # (a topic word of the story does not stand against it where the asking clause asks only
    # how often a site is reached: "Ik ben behandeld voor schildklierkanker. Hoe vaak gaat dat
    # naar de botten?")
    def story_asked(f: Fact) -> bool:
        return how_often and "frequency" in u.asking_cues and bool(u.asked_sites) and not (
            set(u.named_focus_topics) - {"oorzaak"} or set(u.hinted_topics) - {
                "oorzaak", "behandeling"} or u.focus_treatments) and only_story(f)

    candidates = [
        f for f in c.facts.values()
        if f.matches(u.cues) and (any(set(g) & u.focus_cues for g in f.when) or (
            how_often and only_story(f)))
        and (f.site == site or (site is None and f.standalone)) and (fits(f) or story_asked(f))
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda f: (f.topic in named, len(f.when), f.topic in asked))


def cue_topics(c: Content, cues: Set[str]) -> Set[str]:
    """The topics the fact cues of a sentence stand for (not the cues of how something is
    asked, nor those naming the first cancer: they are the story)."""
    return {c.cue_topics[cue] for cue in cues - HOW_CUES - PRIMARY_CUES if cue in c.cue_topics}


def cue_topic(c: Content, cues: Set[str]) -> Optional[str]:
    """The one topic the fact cues of a sentence stand for, or None."""
    topics = cue_topics(c, cues)
    return next(iter(topics)) if len(topics) == 1 else None


def story_cues(u: Understanding) -> List[str]:
    """What a message told or asked that a follow-up may lean on ("ik begin aan 33
    bestralingen" ... "is dat aantal normaal?"): its fact cues, not how it asked."""
    return sorted(u.cues - HOW_CUES)


def own_case(u: Understanding) -> bool:
    """Is the focus sentence about the writer or someone they know (not a general question)?"""
    return u.personal or u.person is not None


def own_question(u: Understanding, context_topic: Optional[str]) -> Optional[str]:
    """A question about one person's own case, said in general words: the clause that asks
    has a named person as its subject (ik, hij, ze, mijn vader, ons ma; not je, men, mensen)
    and a predicate of the future ("hoe lang kan hij nog", "gaat ze het redden"), of having
    metastases ("zou ik nu uitzaaiingen hebben?") or of choosing a treatment ("is dat een
    verstandige keuze?", "zou dat iets voor hem zijn?", with a treatment in the message or
    the conversation). The refusal it gets, or None."""
    if not u.asks or u.asking_subject != "personal":
        return None
    # (what a treatment is for is no question about the future: "is dat om hem te genezen of
    # om tijd te rekken?")
    if ("future" in u.asking_cues and "purpose" not in u.asking_cues) or (
            "belongs_to" in u.asking_cues and "future" in u.cues):
        return "prognose"  # ... "hoort zij bij de groep die het haalt?"
    if "maybe_spread" in u.asking_cues:
        return "diagnose"
    # ("hoe vaak moet hij bestraald worden?" asks a number, not a choice)
    # ... or whether that person qualifies ("komt hij daarvoor in aanmerking?")
    if u.asking_cues & {"choice", "eligible"} and not u.asking_cues & NOT_A_CHOICE and (
            u.told_treatments or "behandeling" in u.topics or context_topic == "behandeling"):
        return "behandelkeuze"
    return None


def plan(c: Content, u: Understanding, context_site: Optional[str],
         context_topic: Optional[str], context_person: Optional[str],
         context_cues: Sequence[str] = (), context_complaints: Sequence[str] = ()) -> Plan:
    """What to answer, in order of precedence. `context_cues`: the fact cues of the message
    the conversation is about (story_cues), for a follow-up that leans on it;
    `context_complaints`: the complaints the bot's last answer oriented on."""
    person = u.person or context_person
    base = dict(person=person, empathy=u.upset, elsewhere=u.elsewhere)
    if u.practical and u.asks and u.intent in SMALL_TALK:
        return Plan("out_of_scope", **base)  # "hoi, wordt het morgen mooi weer?"
    # a fact cue alone asks for content only in a question ("u bent een grote hulp, dank u");
    # thanks and goodbyes only in a question ("dankjewel, ik haal hem zo op bij de bestraling")
    # (thanks or a goodbye without words of thanks or leave in a search-box query are none:
    # "doelgerichte therapie uitleg")
    leave = (u.intent == "thank" and u.thanks) or (u.intent == "goodbye" and (
        u.farewell or u.tokens > SEARCH_TOKENS))
    if (u.intent in ("greet", "bot_challenge") or (u.intent == "goodbye" and not u.farewell)) \
            and u.thanks and not u.asks:
        # "merci he, ik bel maandag mijn huisarts": thanks, not a greeting ("bedankt dat je
        # er bent, ook al ben je maar een computer": not a question whether it is a bot; "ok ik
        # bel morgen de huisarts. bedankt": thanks without a word of leave)
        u = dataclasses.replace(u, intent="thank")
        leave = True
    if u.intent not in SMALL_TALK and (u.thanks or u.farewell) and not u.asks \
            and only_cues(u) and not u.focus_cues - HOW_CUES:
        # "ik heb mijn zus gebeld, ze komt naar me toe. dank je", "jammer. dan bel ik zelf
        # wel. doei.": thanks or a goodbye after a story with nothing of the text in it
        if u.farewell:
            return Plan("smalltalk", response=SMALL_TALK["goodbye"], thanked=u.thanks)
        return Plan("smalltalk", response=SMALL_TALK["thank"], empathy=u.upset)
    if u.greets_to_ask and only_cues(u) and not u.focus_cues - HOW_CUES and not u.asks:
        # "Goedenavond. Ik heb een paar vragen namens mijn man.": a greeting
        return Plan("smalltalk", response=SMALL_TALK["greet"])
    if u.intent in SMALL_TALK and not (asks_for_content(u) and (u.asks or not (
            only_cues(u) or leave))):
        if u.intent in ("thank", "greet") and u.farewell:
            # "merci, salut"; "goed, dan bel ik maandag de huisarts, dag hoor"
            return Plan("smalltalk", response=SMALL_TALK["goodbye"], thanked=u.thanks)
        # thanks from someone who says how hard it is ("merci, ik ben gewoon kapot") get a
        # warm word first
        return Plan("smalltalk", response=SMALL_TALK[u.intent],
                    empathy=u.upset and u.intent == "thank")
    if u.help_request and only_cues(u) and not u.focus_cues - HOW_CUES:
        # "ik ben niet zo handig met de computer ... wat moet ik hier doen"
        return Plan("smalltalk", response=SMALL_TALK["help"])
    site = next((s for s in u.sites if s in SITES), None) or (
        context_site if context_site in SITES else None)
    if u.uncovered and set(u.uncovered) <= ORGANS and (
            u.intent == "ask_same_cancer" or "zelfde_kanker" in u.general_hints) and not (
            any(s in SITES for s in u.sites) or u.named_topics or u.treatments):
        # "borstkanker en nu iets op haar longen: is da dan longkanker?": whether a metastasis
        # is another cancer is said in general, for any organ
        return Plan("general", site=GENERAL, general="zelfde_kanker", **base)
    if u.uncovered:
        general = u.general_hints[0] if u.general_hints else None
        # "wat zijn de bijwerkingen van bestraling?": not in the text, but what it does say
        # about that treatment follows
        treatment = u.focus_treatments[0] if set(u.uncovered) == {"bijwerkingen"} and \
            u.focus_treatments and not general and not any(s in SITES for s in u.sites) else None
        return Plan("not_covered", subjects=u.uncovered, general=general, treatment=treatment,
                    **base)
    if "dose" in u.focus_cues:
        return Plan("refusal", refusal="dosering", site=site, **base)
    # (a story of known metastases that tells something practical without asking anything is
    # the news told: "uitzaaiingen in mijn klieren. Ik zit in de auto op de parkeerplaats")
    if u.practical and not u.complaints and (u.asks or not u.known):
        return Plan("out_of_scope", **base)
    # the cues themselves name the person ("heeft ze het?", "gaat hij dood?")
    # ... asked, not told: "bij mijn moeder zit het nu ook in de klieren" tells
    # (not where the clauses that ask, ask something else: "... kwam uit dat hij kanker heeft
    # ... hoe kan dat dat ze het zo laat pas vinden")
    if "own_diagnosis" in u.focus_cues and "zelfde_kanker" not in u.general_hints and u.asks \
            and not u.told_time and (
                "own_diagnosis" in u.asking_cues or not u.asking_cues - HOW_CUES):
        return Plan("refusal", refusal="diagnose", site=site, complaints=u.complaints, **base)
    # ... unless it asks a share of everyone, with nobody named ("hoeveel procent haalt het na
    # een leveroperatie?" is the section's figures; "hoeveel kans heeft hij" stays refused)
    if "own_future" in u.focus_cues and not (
            "share" in u.asking_cues and u.asking_subject != "personal"
            and u.person is None and not u.personal):
        return Plan("refusal", refusal="prognose", site=site, **base)
    if "persuade" in u.focus_cues or ("choice" in u.focus_cues and not (
            u.asking_cues & NOT_A_CHOICE) and (
            u.told_treatments or "behandeling" in u.topics
            or u.intent == "ask_personal_treatment")):
        return Plan("refusal", refusal="behandelkeuze", site=site,
                    fact=choose_fact(c, u, site), **base)
    refusal = own_question(u, context_topic)
    if refusal:
        return Plan("refusal", refusal=refusal, site=site, complaints=u.complaints,
                    fact=choose_fact(c, u, site) if refusal == "behandelkeuze" else None, **base)
    kind = PERSONAL_INTENTS.get(u.intent)
    # the intent alone does not refuse a question that names what it asks about ("kan
    # zoiets erfelijk zijn?", "halen ze die dan allemaal weg?", "is elke zwelling ...?")
    # (spreads_to only where no one's own body is the subject: the lemma of "is het naar zijn
    # lever uitgezaaid" is "uitzaaien" too)
    # (nor a frequency: "Ik heb schildklierkanker. Komt een botuitzaaiing daarbij vaak voor?";
    # nor "wat kunnen ze nog doen aan die botten?", which asks what can be done, not what is
    # best)
    # (nor a question about a treatment: "die hormoonbehandeling die hij krijgt, doet die iets
    # tegen de uitzaaiingen?"; nor one about a first cancer told, without complaints: "hij heeft
    # vroeger keelkanker gehad, maakt da iets uit?")
    general_question = bool(
        set(u.named_focus_topics) - {"symptomen"}
        or u.asking_cues & ({"every_swelling"} | PRIMARY_CUES | {"frequency"})
        or ("spreads_to" in u.asking_cues and u.asking_subject != "personal")
        or u.focus_treatments
        or (u.focus_cues & PRIMARY_CUES and not u.complaints))
    if kind and own_case(u) and not (kind == "diagnose" and (
            u.known or "zelfde_kanker" in u.general_hints or general_question)) and not (
            kind == "behandelkeuze" and (u.treatments or u.focus_cues
                                         or "behandeling" in u.hinted_topics)) and not (
            # "hoeveel mensen zijn er nog na zo'n operatie?" asks a share of everyone
            kind == "prognose" and "share" in u.asking_cues
            and u.asking_subject != "personal") and not (
            # "Is het erfelijk? Kunnen mijn kinderen het ook krijgen?" names another topic
            kind == "prognose" and set(u.named_focus_topics) & {"oorzaak", "behandeling"}):
        return Plan("refusal", refusal=kind, site=site, complaints=u.complaints, **base)
    if context_complaints and "what_is_it" in u.focus_cues and not (
            u.complaints or u.sites or u.named_topics or u.treatments or u.general_hints
            or u.uncovered or u.known):
        # right after an orientation, "moet ik daarmee naar de dokter?" or "kan het iets
        # ergs zijn?" asks about the same complaints
        return Plan("orientation", complaints=list(context_complaints), again=True, **base)
    # a question about another topic than the complaints ("... nu zit het in zijn oksel.
    # Hoe wordt zoiets behandeld?") is answered as that question, not as an orientation
    other_question = u.asks and bool(set(u.focus_topics) - {"symptomen"}) and not (
        u.focus_cues & {"what_is_it", "belongs_to"})
    # complaints told, then "waar kan zoiets bij passen?": an orientation whatever the intent
    # (someone who knows the site asks whether it belongs to it: the site's complaints)
    # (whether it can belong to something else than the known site: "kan dat bij iets anders
    # horen dan die klieren?")
    # (... or whether a complaint of another site than the known one belongs to it)
    elsewhere_asked = bool(u.complaints) and ("other_than" in u.focus_cues or (
        "belongs_to" in u.focus_cues and bool(u.known_sites)
        and not set(u.asked_sites) & set(u.known_sites) and all(
            not set(c.complaints[cid].sites) & set(u.known_sites) for cid in u.complaints)))
    describes = (u.intent == COMPLAINT_INTENT or "what_is_it" in u.focus_cues or (
        u.complaints and "belongs_to" in u.focus_cues and not u.known)
        or elsewhere_asked) and not other_question
    # ... or the question names the site the person knows about ("het zit in de lever. Ze is zo
    # moe. Kan dat van die lever komen?")
    # (not a complaint of another site than the known one: "ik heb uitzaaiingen in mijn lever
    # ... nu een verdikking in mijn hals, zou dat daar ook bij horen?")
    if not elsewhere_asked and (u.complaints and "belongs_to" in u.focus_cues and site and (
            not u.sites or (u.sites == [site] and (context_site == site or (
                u.known and "what_is_it" not in u.focus_cues
                and (not u.known_sites or site in u.known_sites))))) or (
            u.complaints and site and site in u.asked_sites
            and (site in u.known_sites or context_site == site)
            and u.focus_cues & {"belongs_to", "what_is_it"})):
        # "hij eet haast niks meer, hoort dat erbij?" in a conversation about the lever (or
        # "mijn heup is dik en stijf, hoort dat erbij?" in one about the bones, or "mijn man
        # heeft leveruitzaaiingen en eet bijna niks meer, hoort dat erbij?")
        return plan_question(c, u, site, "symptomen", person, dict(base), force_topic="symptomen")
    # a complaint asked about in general in a conversation about a site ("kan een gewricht ook
    # dik worden daarvan?"): the site's complaints, no orientation of nobody's complaints
    if describes and u.complaints and u.asks and not own_case(u) and not u.sites \
            and context_site in SITES and "what_is_it" not in u.focus_cues:
        return plan_question(c, u, context_site, "symptomen", person, dict(base),
                             force_topic="symptomen")
    # someone who knows about metastases and asks about a new complaint ("ik heb
    # leveruitzaaiingen en nu een knobbel in mijn lies, waar kan die bij horen?") is oriented
    asks_about_complaint = bool(u.focus_cues & {"what_is_it", "belongs_to"})
    if (describes and u.complaints and not (u.about_metastases and not asks_about_complaint)
            and not (u.known and not asks_about_complaint)
            and not (u.generic and not own_case(u))):
        # complaints described (one's own or a relative's): what the text links them to
        return Plan("orientation", complaints=u.complaints, **base)
    # ("krijgt hij daar pijn van?" asks about the conversation's site: not this)
    leans_on_site = u.asks and u.refers_back_focus and site is not None and not u.complaints
    if (u.intent == COMPLAINT_INTENT and not asks_for_content(u) and not leans_on_site) or (
            "what_is_it" in u.focus_cues and (own_case(u) or u.intent == COMPLAINT_INTENT)
            and not u.complaints
            and not (u.sites or u.named_topics or u.treatments or u.general_hints
                     or u.uncovered or u.known)):
        # complaints the text does not name ("jeuk", "ons ma hoest al ne maand, wa kan da
        # zijn?", "al weken duizelig, waar kan dat van komen"): it says nothing about them
        return Plan("orientation", complaints=[], **base)
    # what the story names ("operatie, chemo, alles gehad") is no question
    # a search-box query names its topic without asking ("levensverwachting ossale metastasen")
    query = u.asks or (u.tokens <= SEARCH_TOKENS and bool(u.named_focus_topics))
    if (u.intent == KNOWN_INTENT or u.known) and not (query and (
            u.focus_topics or u.focus_treatments or u.focus_cues - HOW_CUES
            or u.general_hints)):
        if not u.asks or u.intent == KNOWN_INTENT:
            known_site = next((s for s in u.sites if s in SITES), None)
            # a treatment the story names is what the conversation is about now
            told = "behandeling" if u.treatments else cue_topic(c, u.cues)
            return Plan("known", site=known_site, topic=told, person=person)
    if context_cues and not any(s in SITES for s in u.sites) and (
            u.refers_back or u.tokens <= FOLLOW_UP_TOKENS):
        # a follow-up: what the earlier message named counts as said ("hoeveel keer?" after
        # "ik moet bestraald worden"), the asking sentence still decides what is asked
        u = dataclasses.replace(u, cues=u.cues | set(context_cues),
                                refers_back=u.refers_back or bool(u.focus_cues))
    return plan_question(c, u, context_site, context_topic, person, base)


def plan_question(c: Content, u: Understanding, context_site: Optional[str],
                  context_topic: Optional[str], person: Optional[str], base: dict,
                  force_topic: Optional[str] = None) -> Plan:
    """The plan for a question for information (or a follow-up, or an unclear message)."""
    general = GENERAL_INTENTS.get(u.intent)
    hinted = u.general_hints[0] if u.general_hints else None
    named_site = next((s for s in u.sites if s in SITES), None)
    # "Mijn vrouw begint met immunotherapie. Hoe werkt dat?": the treatment of the story
    # (not when the asking sentence's own cues or question words ask something else: "De
    # chirurg zei dat mijn tumor fors was. Zaait een grote tumor sneller uit?", "Bestaat er
    # een DNA-onderzoek dat kan voorspellen of kanker uitzaait? Mijn vrouw is net geopereerd";
    # the word "pijn" asks nothing else: "Wat doen pijnstillers? Nemen die alleen de pijn weg?")
    treatment = u.focus_treatments[0] if u.focus_treatments else (
        u.treatments[0] if u.treatments and u.refers_back_focus and not named_site and (
            "behandeling" in u.named_focus_topics
            or not (cue_topics(c, u.focus_cues) | set(u.focus_topics)) - {"behandeling",
                                                                          "symptomen"})
        else None)
    if "alternatives" in u.focus_cues:
        treatment = None  # "is da altijd chemo of zijn er nog andere dingen?": all treatments
    told_sites = {s for s in u.sites if s in SITES}
    if hinted == "verspreiding" and (len(u.asked_sites) == 1 or (
            # "Ik heb uitzaaiingen in mijn halsklieren. Hoe komen die cellen daar terecht?"
            not u.asked_sites and u.refers_back_focus and len(told_sites) == 1
            and u.asking_subject != "generic")) and not (
            u.named_focus_topics or u.focus_treatments or u.general_site):
        # "hoe komen die kankercellen in zijn klieren?": why they end up at that site
        return plan_question(c, dataclasses.replace(u, general_hints=[]), context_site,
                             context_topic, person, base, force_topic="oorzaak")
    # ... but a fact of the site asked about, of two cues or more, says more than the hint
    # ("Ik heb een melanoom ... Gaan andere kankers ook vaak naar de lever?")
    site_fact = choose_fact(c, u, named_site) if (
        named_site in u.asked_sites and "frequency" in u.focus_cues) else None
    if hinted and not treatment and (not named_site or not (u.named_focus_topics
                                                            or u.focus_treatments)) and not (
            site_fact is not None and len(site_fact.when) >= 2):
        # (a hint that is a topic, "oorzaak", is the conversation's topic from now on)
        return Plan("general", site=GENERAL, general=hinted,
                    topic=hinted if hinted in TOPICS else None, **base)
    follow_up = not named_site and (u.refers_back or u.tokens <= FOLLOW_UP_TOKENS
                                    or u.intent == "inform")
    if general and not named_site and not u.treatments and not u.topics and not (
            follow_up and context_site in SITES):
        return Plan("general", site=GENERAL, general=general, **base)
    complaint_sites = sorted({s for cid in u.complaints for s in c.complaints[cid].sites})
    if not named_site and len(complaint_sites) == 1:
        named_site = complaint_sites[0]  # "helpt bestraling tegen de botpijn?"
    # a short follow-up that asks a topic in its own words stays at the conversation's site
    # ("waar moet ik op letten bij haar" after her bones)
    site = named_site or (context_site if context_site in SITES and (
        asks_for_content(u) or u.refers_back or (follow_up and u.focus_topics)) else None)
    topic = force_topic or (u.focus_topics[0] if u.focus_topics else None)
    if (topic == "oorzaak" and not force_topic and "oorzaak" not in u.named_focus_topics
            and u.complaints and (u.known or context_site in SITES)
            and not u.focus_cues - HOW_CUES):
        # "ik heb levermetastasen, waarom ben ik zo moe?": why a complaint, at a known site,
        # asks what the site's complaints are, not how metastases arise
        topic = "symptomen"
    if treatment and not set(u.named_focus_topics) - {"behandeling"}:
        topic = "behandeling"  # "doet bestraling pijn?" asks about the treatment
    # a follow-up without a topic or question word of its own asks within the conversation's
    # topic ("hoe wordt het behandeld?" ... "en wie niet geopereerd kan worden, wat dan")
    asked = u.hinted_topics or (
        [context_topic] if follow_up and context_topic and not u.named_focus_topics else [])
    fact = choose_fact(c, u, site, u.named_focus_topics, asked,
                       asked_by_context=not u.hinted_topics)
    if fact is None and not u.hinted_topics and not u.named_focus_topics and not (
            "what_then" in u.asking_cues and context_topic):
        # ... unless no fact of that topic fits, and what it asks names another topic by its
        # facts ("en wat als je het niet laat behandelen?" after its complaints: the outlook;
        # "wat bedoelen ze als de behandeling 'palliatief' is?" after the liver's complaints)
        for own in sorted(cue_topics(c, u.asking_cues)):
            fact = choose_fact(c, u, site, u.named_focus_topics, [own])
            if fact is not None:
                break
    if fact is not None:
        site, topic = fact.site, fact.topic
    if treatment and fact is None and (topic in (None, "behandeling")) and (
            site is None or treatment not in _treatments_at(c, site)):
        return Plan("treatment", site=site, topic="behandeling", treatment=treatment, **base)
    if topic is None and u.topics:
        topic = u.topics[0]
    if topic is None and u.treatments:
        topic = "behandeling"
    if u.intent == "ask_personal_prognosis" and "levensverwachting" in u.focus_topics and (
            fact is None or fact.topic != "levensverwachting"):
        # the prognosis intent and a word of the outlook agree ("van de mensen die ze wel
        # opereren, hoeveel zijn er vijf jaar later nog?"): the outlook, whatever set the scene
        topic = "levensverwachting"
        fact = choose_fact(c, u, site, ["levensverwachting"], ["levensverwachting"])
    if topic is None and u.intent == "ask_personal_prognosis":
        # a prognosis not refused (asked of everyone: "hoeveel mensen zijn er nog na zo'n
        # operatie?") is a question about the outlook, whatever set the scene
        topic = "levensverwachting"
    if topic is None and u.complaints and u.asks and site in SITES:
        topic = "symptomen"  # "kan je geel worden van leveruitzaaiingen?"
    if topic is None and context_topic and (named_site or follow_up) and (
            asks_for_content(u) or u.refers_back) and "tell_about" not in u.focus_cues:
        topic = context_topic  # "en bij de botten?", "en hoe zit dat bij de lever dan"
    if topic is None:
        topic = cue_topic(c, u.focus_topic_cues)  # "kunnen ze zoiets eruit snijden?"
    if topic is None and u.scene_topics:
        topic = u.scene_topics[0]
    if site and topic:
        return Plan("fact" if fact else "section", site=site, topic=topic, fact=fact, **base)
    if topic:
        return Plan("general", site=GENERAL, topic=topic, general=topic, **base)
    if general:
        return Plan("general", site=GENERAL, general=general, **base)
    if site:
        return Plan("ask_topic", site=site, **base)
    if u.intent == "out_of_scope":
        return Plan("out_of_scope", **base)
    return Plan("rephrase", **base)


def _treatments_at(c: Content, site: Optional[str]) -> List[str]:
    return [t.id for t in c.treatments.values() if site in t.sites()]

