"""The shape of a message: its sentences, which of them ask something, and where each lexicon
match stands. Pure Python, used by components/lexicon_extractor.py to build the `frame` of a
parse (read by components/alarm_triage.py and by the actions, actions/frame.py).

Real people tell a story first and ask last ("Mijn vader had darmkanker. Nu zit het in zijn
lever. Hoe lang heeft hij nog?"): the sentence that asks is the one to answer.
"""
from __future__ import annotations

import re
from typing import Dict, List, Sequence, Set, Tuple

from components.lexicon import Match, Word, variants

SENTENCE_ENDS = {".", "!", "?", ";", "…"}
ANSWER_NO = {"nee", "neen", "nope", "neeje"}
CLAUSE_ENDS = SENTENCE_ENDS | {",", ":", "(", ")", "-"}
CLAUSE_STARTS = {"maar", "want", "omdat", "terwijl", "toen", "dus", "doch", "alleen"}
QUESTION_STARTS = {
    "wat", "wa", "wadde", "hoe", "waarom", "wanneer", "welke", "welk", "waar", "wie", "hoeveel",
    "hoelang", "hoevaak", "kan", "kun", "kunt", "kunnen", "is", "heeft", "hebben", "krijg",
    "krijgt", "krijgen", "moet", "moeten", "mag", "mogen", "wordt", "worden", "gaat", "gaan",
    "komt", "komen", "doet", "doen", "helpt", "helpen", "zou", "zouden", "zal", "zullen", "valt",
    "bestaat", "klopt", "betekent", "betekend", "blijft", "geeft", "geven", "merk", "merkt", "voel", "voelt",
    "waardoor", "vanwaar", "hoort", "ontstaat", "overleeft", "overleven", "weet", "vertel", "leg",
    "zit", "zitten", "heb", "hebt", "maakt", "scheelt",
    # a yes/no question puts its verb first ("zaait een grote tumor sneller uit?")
    # (not verbs that also start a told sign on a phone: "lukt niet meer om adem te halen")
    "zaait", "zaaien", "verspreidt", "verspreiden", "groeit", "groeien", "speelt", "spelen",
    "bepaalt", "bepalen", "verandert", "denk", "denkt",
}
# a question inside a sentence ("ze krijgt hormoonpillen is dat normaal", "al weken moe zou
# ik nu uitzaaiingen hebben"), unless it is "ik weet niet wat ..."
MID_QUESTION = re.compile(
    r"\b(is (dat|het|da|dit|zo'n|t) \w+|kan (dat|het|da)\b|klopt (dat|het|da)|waarom|hoeveel|"
    r"hoelang|hoe lang|welke|hoe komt|(wat|wa) is|(wat|wa) zijn|(wat|wa) doen|(wat|wa) kan|"
    r"(wat|wa) moet|hoe gaat|(wat|wa) (bedoelen|bedoelt|bedoeld) (ze|ge|de|hij|zij|u|je|jij)\b|"
    r"(wat|wa) voor \w+ (kan|kunnen|krijg|krijgt|merk|merkt|geeft|geven|zijn|is|heeft)|"
    r"hoe wordt|hoe worden|hoe merk|hoe zit|komt dat|komt het|gebeurt dat|lukt dat|hoort dat|"
    # ("wat betekent dat voor ..." asks; "ogen ineens geel, wat betekent dat" tells a sign)
    r"(wat|wa) betekent (dat|da|dit|het) (\w+ ){0,5}(voor|als|dan)\b|hoe vaak|hoe dikwijls|hoevaak|"
    r"wat verstaat|wat verstaan|(wat|wa) (houdt|houd|hout) (dat|het|da|dit) (\w+ ){0,2}in\b|"
    r"waar moet|waar moeten|waarop|waaraan|is dat normaal|is da normaal|"
    r"hoe (ontstaat|ontstaan|werkt|voelt|merkt) (dat|het|da|die|dit|ze|je|ge)|"
    r"wanneer \w+ (je|ge|men|u)|hoe weet (je|ge|men|u)|"
    # ("heb ik uitzaaiingen" asks mid-sentence, but not after "nu", "toen", ...: "en nu heb ik
    # zelf uitzaaiingen gekregen" tells)
    r"(zou (ik|hij|ze|zij)|(?<!nu )(?<!toen )(?<!dus )(?<!daarna )(?<!inmiddels )"
    r"heb ik( nu| dan| ook)?|heeft (hij|ze|zij) (nu|dan)|ben ik( nu| dan| al)?) (\w+ ){0,2}"
    r"(uitzaai\w*|uitgezaaid|kanker|metast\w*))\b")
NOT_ASKING = re.compile(r"\b(weet|snap|begrijp) (ik )?(niet|nie|geen|echt niet)\b")
# ... but not knowing how or why something came is asking it ("ik snap gewoon niet hoe dat
# zo gekomen is")
ASKING_WHY = re.compile(r"\b(snap|begrijp|snappen|begrijpen) (ik |we |wij )?(\w+ )?(niet|nie) "
                        r"(hoe|waarom|waardoor)\b")
# "bij mij is het uitgezaaid naar ...", "gisteren is het weggehaald": a short phrase put first,
# then the verb, tells (a question inside a sentence follows a whole clause)
FRONTED = re.compile(r"^((en|maar) )?(bij|in|volgens|sinds|na|nu|toen|gisteren|vandaag|vanmiddag|"
                     r"vanochtend|vanmorgen|vanavond|inmiddels|intussen|ondertussen|helaas|"
                     r"daarom|dus|uiteindelijk|eindelijk|ook|nog|sindsdien|daarna|nadien|"
                     r"gelukkig|tegenwoordig|momenteel)\b(\W+\w+){0,2}\W*$")
FRONTED_VERBS = ("is ", "kan ", "klopt ", "komt ", "gebeurt ", "lukt ", "hoort ", "zou ", "heb ",
                 "heeft ")


def mid_question(span: str) -> bool:
    """Does a question start inside this (lower-case) sentence or clause?"""
    if ASKING_WHY.search(span):
        return True
    if NOT_ASKING.search(span):
        return False
    return any(not (m.group().startswith(FRONTED_VERBS) and FRONTED.search(
        # the phrase put first may follow an "en" ("ik ben toen bestraald en sindsdien is het
        # stil")
        re.split(r"\ben\b", span[:m.start()])[-1].lstrip()))
               for m in MID_QUESTION.finditer(span))
# words between "ik wil" and "weten", in both word orders ("ik wil gewoon weten", "nu wil ik
# van u weten")
ASK_FILLERS = "gewoon |alleen |toch |echt |van u |van jou "
ASKING = re.compile(
    r"\b(ik (wil|wou|wilde) (graag |eerst |nu |even |eigenlijk |vooral |nog |" + ASK_FILLERS
    + r")*(weten|weeten)|"
    # "nu wil ik graag weten of ...": the verb first after a word put first
    r"(wil|wou|wilde) ik (graag |nog |even |eigenlijk |" + ASK_FILLERS + r")*(weten|weeten)|"
    r"ik vraag me af|vraag ik me af|ik zou (graag )?willen weten|graag weten|"
    r"(ik )?graag zou willen weten|zou ik graag willen weten|"
    # "ik wou u vragen of ...", "mag ik iets vragen"
    r"ik (wil|wou|wilde|zou) (u |je |jou |graag |even |eens |iets |willen )*vragen|"
    r"(wil|wou|wilde) ik (u |je |jou |graag |even |eens )*vragen|mag ik (u |je )?(iets |even )?vragen|"
    r"mijn vraag|vraagje|vraagske|weet u|weet jij|weet je|wie weet|klopt (het|dat)|"
    r"is (het|dat) waar|kan iemand|kunt u|kan je|kun je|kan men|kun men|vertel|leg uit|"
    r"ik vraag (het|dit|dat)|ja of nee|ja of neen|"
    # "ik snap niet goed hoe dat komt" asks how (where "ik weet niet wat ik moet doen" does not)
    r"(snap|begrijp|snappen|begrijpen) (ik |we |wij )?(niet|nie|nooit)( zo| echt| goed| zo goed)* "
    r"(hoe|waarom|waardoor|vanwaar))\b")


def sentence_of(words: Sequence[Word], text: str) -> List[int]:
    """The sentence number of every word: a new sentence after . ! ? ; or a line break."""
    numbers, current = [], 0
    for i, word in enumerate(words):
        if i and (words[i - 1].text in SENTENCE_ENDS
                  or "\n" in text[words[i - 1].end:word.start]):
            current += 1
        numbers.append(current)
    return numbers


def clause_of(words: Sequence[Word], text: str) -> List[int]:
    """The clause number of every word: a new clause after punctuation or a line break, and
    at "maar", "want", "toen", ... (what is old, mild or new is said per clause)."""
    numbers, current = [], 0
    for i, word in enumerate(words):
        if i and (words[i - 1].text in CLAUSE_ENDS or word.text in CLAUSE_STARTS
                  or "\n" in text[words[i - 1].end:word.start]
                  or (word.text == "en" and i + 1 < len(words)
                      and words[i + 1].text in ("nu", "sinds", "vandaag", "toen", "ik", "wij",
                                                "we", "daarnet", "zonet", "net", "vanmorgen",
                                                "vanochtend", "vanmiddag", "vanavond",
                                                "vannacht", "gisteren", "ineens", "opeens",
                                                "plots"))):
            current += 1
        numbers.append(current)
    return numbers


def questions(words: Sequence[Word], sentences: Sequence[int], text: str) -> Set[int]:
    """Sentences that ask something: a question mark, a question word first, or "ik wil
    weten ..."."""
    asked: Set[int] = set()
    by_sentence: Dict[int, List[int]] = {}
    for i, n in enumerate(sentences):
        by_sentence.setdefault(n, []).append(i)
    for n, indexes in by_sentence.items():
        sentence_words = [words[i] for i in indexes if words[i].text not in SENTENCE_ENDS]
        if not sentence_words:
            continue
        span = text[words[indexes[0]].start:words[indexes[-1]].end].lower()
        first = without_leading(sentence_words)
        # (a phone spelling of the verb counts as the verb: "kn een gewricht dik worden")
        verb = variants().get(first[0].text, first[0].text)
        if (words[indexes[-1]].text == "?" or "?" in span
                or (verb in QUESTION_STARTS and not (
                    # "heb ze zelf in mn dijbeen": "ik" left out, as on a phone; a question
                    # would be "heb ik", "heb je"
                    first[0].text in FIRST_PERSON_VERBS and len(first) > 1
                    and first[1].text not in SECOND_OR_FIRST_PERSON))
                or ASKING.search(span)
                or mid_question(span)):
            asked.add(n)
    return asked


NEGATION_WORDS = {"niet", "nie", "geen", "gene", "nooit", "niks", "niets"}
FIRST_PERSON_VERBS = {"heb", "krijg", "denk"}
SECOND_OR_FIRST_PERSON = {"ik", "je", "jij", "ge", "gij", "u", "k"}
WH_WORDS = {"wat", "wa", "wadde", "hoe", "waarom", "wanneer", "welke", "welk", "waar", "wie",
            "hoeveel", "hoelang", "hoevaak", "waardoor", "vanwaar"}
# after a verb first, these make a question ("kan een uitzaaiing ...", "heeft hij ...");
# other words make a statement without its subject, as people type on a phone ("kan niet
# meer staan", "heeft uitzaaiingen in de lever")
INVERTED_SUBJECTS = {"ik", "je", "jij", "u", "hij", "ze", "zij", "we", "wij", "het", "dat",
                     "dit", "een", "de", "mijn", "men", "iemand", "ge", "gij", "er", "da",
                     "uitzaaiingen", "kanker", "zo'n", "zoiets", "mensen", "elke", "iedere",
                     "iedereen", "alle", "jullie", "men"}


# "is pijn op de borst een symptoom van ...", "kan koorts door uitzaaiingen komen": a verb
# of being or causing, then a complaint as the subject, asks (where "heeft pijn op de borst"
# tells, phone style)
SUBJECT_VERBS = {"is", "zijn", "kan", "kunnen", "betekent", "hoort"}
COMPLAINT_SUBJECTS = {"pijn", "koorts", "geelzucht", "benauwdheid", "kortademigheid", "bloed",
                      "bloeding", "verlamming", "hoofdpijn", "rugpijn", "buikpijn", "botpijn",
                      "misselijkheid", "jeuk", "vermoeidheid", "geel", "gele", "hoge",
                      "plotselinge", "ernstige", "zwakte"}


# a verb first, then a word of the subject matter, asks ("kan botuitzaaiing in de rug
# verlamming geven", "geeft leverkanker jeuk"); "kan niet meer staan" tells, phone style
SUBJECT_STEMS = ("uitzaai", "bot", "lever", "klier", "lymf", "meta", "kanker", "tumor", "chemo",
                 "bestral", "immuno", "operatie", "kuur", "kuren")


# a follow-up often starts with a conjunction: "en wat als je het niet laat behandelen"
LEADING = {"en", "of", "ok", "oke", "oké", "ah", "oh", "allee", "awel", "nou"}


def without_leading(sentence_words: Sequence[Word]) -> Sequence[Word]:
    return sentence_words[1:] if len(sentence_words) > 1 and \
        sentence_words[0].text in LEADING else sentence_words


def asks_first(clause_words: Sequence[Word]) -> bool:
    clause_words = without_leading(clause_words)
    first = clause_words[0].text
    if first in WH_WORDS:
        return True
    following = clause_words[1].text if len(clause_words) > 1 else ""
    return first in QUESTION_STARTS and (
        following in INVERTED_SUBJECTS or following.startswith(SUBJECT_STEMS)) or (
        first in SUBJECT_VERBS and following in COMPLAINT_SUBJECTS)


def question_clauses(words: Sequence[Word], clauses: Sequence[int],
                     text: str) -> Tuple[Set[int], Set[int]]:
    """Clauses that ask: a question word first (or a verb with its subject after it), a
    question phrase in them, or a question mark at their end. "Pijn achter mijn borstbeen,
    zweet ervan, normaal?" asks only in its last clause; the pain is told, not asked about.
    Returns them, and among them those that ask by nothing but a question mark ("ogen opeens
    geel??")."""
    asked: Set[int] = set()
    marked: Set[int] = set()
    by_clause: Dict[int, List[int]] = {}
    for i, n in enumerate(clauses):
        by_clause.setdefault(n, []).append(i)
    for n, indexes in by_clause.items():
        content_words = [words[i] for i in indexes if words[i].text not in CLAUSE_ENDS]
        if not content_words:
            continue
        span = text[words[indexes[0]].start:words[indexes[-1]].end].lower()
        after = text[words[indexes[-1]].end:words[indexes[-1]].end + 3]
        ends_asking = text[words[indexes[-1]].end:].split("\n")[0].rstrip().endswith("?") or \
            "?" in text[words[indexes[-1]].end:].split(".")[0]
        by_words = (asks_first(content_words)
                    or (ends_asking and content_words[0].text in QUESTION_STARTS | WH_WORDS
                        and not (len(content_words) > 1
                                 and content_words[1].text in NEGATION_WORDS))
                    or ASKING.search(span)
                    or mid_question(span))
        if by_words or "?" in span or "?" in after[:2]:
            asked.add(n)
            if not by_words:
                marked.add(n)
    return asked, marked


# a topic word after these in its clause sets the scene: "leeft men nog vijf jaar na een
# operatie", "... nadat de uitzaaiingen zijn weggehaald" (and any topic word after "zodat",
# see describe())
CONTEXT_WORDS = {"na", "nadat", "tijdens", "sinds", "voordat"}
CONDITION_WORDS = {"als", "indien", "wanneer", "mocht", "mochten"}
CONDITION_SUBJECTS = {"ze", "zij", "hij", "het", "je", "men", "u", "ge", "ze", "de", "die",
                      "dat", "da"}


def describe(match: Match, words: Sequence[Word], sentences: Sequence[int],
             clauses: Sequence[int]) -> Dict[str, object]:
    described = {"kind": match.kind, "id": match.id, "first": match.first, "last": match.last,
                 "sentence": sentences[match.first], "clause": clauses[match.first],
                 "negated": match.negated}
    if match.kind in ("topic", "treatment", "topic_hint"):
        start = match.first
        while start > 0 and clauses[start - 1] == clauses[match.first]:
            start -= 1
        before = {w.text for w in words[start:match.first]}
        # "als ze het weghalen, hoeveel mensen leven er dan nog?": a condition sets the scene
        # (a "dan" well after it ends the condition without a comma: "is het waar dat als ze
        # je lever opereren dat dan de helft nog 5 jaar leeft")
        condition = any(words[k].text in CONDITION_WORDS and words[k + 1].text in CONDITION_SUBJECTS
                        and not any(words[j].text == "dan" for j in range(k + 4, match.first))
                        for k in range(start, match.first - 1))
        # "wat kunnen ze tegen die pijn doen?": the complaint is what a treatment is for
        treated = match.id == "symptomen" and match.kind == "topic" and any(
            w.text == "tegen" for w in words[max(start, match.first - 2):match.first])
        # ("na vijf jaar" is a time, not a scene, for a question word; after "zodat" a question
        # word is what the asked-for thing is for: "... zodat ze niet zo veel pijn heeft")
        described["context"] = condition or treated or (
            match.kind != "topic_hint" and bool(before & CONTEXT_WORDS)) or "zodat" in before
    return described


SPELLED_OUT = 3  # words; (a number of weeks or months spells a "how long" out)
OWN_CONTENT = {"site", "topic", "topic_hint", "treatment", "cue", "uncovered", "complaint",
               "alarm", "general_hint", "known", "meta"}


def build(words: Sequence[Word], text: str, matches: Sequence[Match]) -> Dict[str, object]:
    """The frame of a message: sentence count, asking sentences, every match (no user text)."""
    sentences = sentence_of(words, text)
    clauses = clause_of(words, text)
    asked = questions(words, sentences, text)
    asked_clauses, marked_clauses = question_clauses(words, clauses, text)
    # "Heeft hij bloed opgehoest? Nee, helemaal niet.": a question the writer answers no; not a
    # negative question, whose "nee" agrees with it ("Krijgt hij geen lucht? Nee.")
    # (the words of each sentence are counted in the same pass, for the questions below)
    firsts: Dict[int, str] = {}
    negative: Set[int] = set()
    size: Dict[int, int] = {}
    for w, n in zip(words, sentences):
        firsts.setdefault(n, w.text.lower())
        if w.text.lower() in NEGATION_WORDS:
            negative.add(n)
        if w.text not in SENTENCE_ENDS:
            size[n] = size.get(n, 0) + 1
    answered_no = sorted(n for n in asked if firsts.get(n + 1) in ANSWER_NO and n not in negative)
    # "Hoe lang heeft hij nog? Maanden? Een jaar?": a question of a few words after another,
    # with nothing of its own, only spells the one before out
    own = {sentences[m.first] for m in matches
           if m.kind in OWN_CONTENT and not (m.kind == "cue" and m.id == "count")}
    asked = {n for n in asked if not (n - 1 in asked and size.get(n, 0) <= SPELLED_OUT
                                      and n not in own)}
    return {
        "tokens": len(words),
        "sentences": (sentences[-1] + 1) if sentences else 0,
        "questions": sorted(asked),
        "question_clauses": sorted(asked_clauses),
        "marked_clauses": sorted(marked_clauses),
        "answered_no": answered_no,
        "matches": [describe(m, words, sentences, clauses) for m in matches],
    }
