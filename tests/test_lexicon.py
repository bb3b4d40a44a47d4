"""The lexicon matcher, on real spaCy tokens: synonyms, lemmas, typos, negation, several sites."""
from __future__ import annotations

from typing import List

import pytest

from actions.content import content
from components.lexicon import Word, default_lexicon, normalize, within_one_edit
from components.spacy_nlp import DutchSpacyNLP


@pytest.fixture(scope="module")
def nlp():
    return DutchSpacyNLP.resolve(DutchSpacyNLP.get_default_config()).model


def matches(nlp, text: str, kind: str, negated: bool = False) -> List[str]:
    """Ids of `kind` found in `text`, tokenised the way Rasa does (lower-cased spaCy doc)."""
    doc = nlp(text.lower())
    words = [Word.of(t.text, t.lemma_, t.idx, t.idx + len(t.text)) for t in doc]
    return [m.id for m in default_lexicon().find(words, [kind]) if m.negated == negated]


# At least two differently worded descriptions per complaint (issue 4, acceptance 1).
COMPLAINT_DESCRIPTIONS = {
    "misselijkheid": ["Ik ben de hele dag misselijk", "ik moet steeds overgeven", "ik braak alles uit"],
    "minder_eetlust": ["Ik heb geen trek meer in eten", "mijn eetlust is weg"],
    "vermoeidheid": ["ik ben zo moe", "Ik voel me compleet uitgeput", "ik heb geen energie meer"],
    "gewichtsverlies": ["ik ben 5 kilo afgevallen zonder reden", "Ik val steeds af"],
    "opgezette_lever": ["mijn buik is dik en opgezet", "de dokter voelde een vergrote lever"],
    "buikpijn": ["ik heb buikpijn", "pijn rechts in mijn buik", "Mijn buik doet pijn"],
    "geelzucht": ["mijn ogen zijn geel", "Mijn huid is geel geworden", "ik heb geelzucht"],
    "botpijn": ["ik heb al weken pijn in mijn heup", "mijn botten doen zeer", "zeurende rugpijn"],
    "gezwollen_gewricht": ["mijn knie is dik", "een gezwollen gewricht", "mijn gewricht is opgezet"],
    "moeite_bewegen": ["ik heb moeite met lopen", "ik kan mijn arm niet goed bewegen"],
    "botbreuk": ["mijn bot is zomaar gebroken", "de arts zag een breuk in mijn arm"],
    "knobbel_onder_huid": ["ik voel een knobbeltje onder de huid", "er zit een bult op mijn scheenbeen"],
    "zwelling_hals": ["ik heb een zwelling in mijn hals", "mijn nek is dik aan één kant"],
    "grotere_lymfeklier": ["ik heb een dikke klier", "mijn lymfeklieren zijn opgezet", "een gezwollen klier in mijn oksel"],
}


@pytest.mark.parametrize(
    "complaint,text",
    [(c, t) for c, texts in COMPLAINT_DESCRIPTIONS.items() for t in texts],
)
def test_each_complaint_is_recognised_in_several_wordings(nlp, complaint, text):
    assert complaint in matches(nlp, text, "complaint")


def test_every_complaint_in_the_lexicon_is_covered_by_these_tests():
    assert set(COMPLAINT_DESCRIPTIONS) == set(content().complaints)


def test_complaints_from_different_sites_are_all_found(nlp):
    found = matches(nlp, "mijn ogen zijn geel, mijn heup doet pijn en mijn hals is dik", "complaint")
    sites = {s for c in found for s in content().complaints[c].sites}
    assert {"geelzucht", "botpijn", "zwelling_hals"} <= set(found)
    assert sites == {"lever", "bot", "lymfeklieren"}


@pytest.mark.parametrize(
    "text,complaint",
    [
        ("ik heb geen pijn in mijn rug", "botpijn"),
        ("ik ben niet misselijk", "misselijkheid"),
        ("geen geelzucht gelukkig", "geelzucht"),
    ],
)
def test_negated_complaints_are_marked_negated(nlp, text, complaint):
    assert complaint in matches(nlp, text, "complaint", negated=True)
    assert complaint not in matches(nlp, text, "complaint")


def test_negation_stops_at_the_clause(nlp):
    text = "ik heb geen koorts maar wel buikpijn"
    assert "buikpijn" in matches(nlp, text, "complaint")


def test_negation_stops_at_a_new_subject_without_punctuation(nlp):
    assert "suicidale_gedachten" in matches(nlp, "het lukt niet meer hij wil dood", "alarm")
    assert "buikpijn" in matches(nlp, "geen trek meer ik heb nu buikpijn", "complaint")
    assert "suicidale_gedachten" in matches(nlp, "ik wil echt niet dood", "alarm", negated=True)


def test_unrelated_text_matches_nothing(nlp):
    text = "ik heb een vraag over mijn afspraak van dinsdag"
    assert matches(nlp, text, "complaint") == []
    assert matches(nlp, text, "alarm") == []


@pytest.mark.parametrize(
    "text,site",
    [
        ("levermetastasen", "lever"),
        ("leveruitzaaiing", "lever"),
        ("uitzaaiingen in de levr", "lever"),  # typo
        ("botmetastase", "bot"),
        ("uitzaaiing in het skelet", "bot"),
        ("de botten", "bot"),
        ("klieren in de hals", "lymfeklieren"),
        ("lymfeklieruitzaaiingen", "lymfeklieren"),
        ("in het algemeen", "algemeen"),
    ],
)
def test_site_synonyms(nlp, text, site):
    assert site in matches(nlp, text, "site")


@pytest.mark.parametrize(
    "text,topic",
    [
        ("welke klachten", "symptomen"),
        ("de verschijnselen", "symptomen"),
        ("symtomen", "symptomen"),  # typo
        ("therapie", "behandeling"),
        ("bestraling", "behandeling"),
        ("chemo", "behandeling"),
        ("de prognose", "levensverwachting"),
        ("hoe lang kun je nog leven", "levensverwachting"),
        ("overlevingskans", "levensverwachting"),
        ("hoe ontstaan ze", "oorzaak"),
    ],
)
def test_topic_synonyms(nlp, text, topic):
    assert topic in matches(nlp, text, "topic")


def test_leven_is_not_lever(nlp):
    assert "lever" not in matches(nlp, "hoe lang kan ik nog leven", "site")


def test_clause_end_marker(nlp):
    assert "suicidale_gedachten" in matches(nlp, "ik wil niet meer", "alarm")
    assert "suicidale_gedachten" not in matches(nlp, "ik wil niet meer eten", "alarm")


def test_normalize_and_edit_distance():
    assert normalize("Geëxciteerd") == "geexciteerd"
    assert within_one_edit("behandeling", "behandling")
    assert within_one_edit("symptomen", "sypmtomen")  # swapped letters
    assert not within_one_edit("lever", "leven!")


@pytest.mark.parametrize(
    "text",
    [
        "ik heb moeite met slikken",  # not "stikken": no typos in alarm signs
        "wie kan mijn kinderen opvangen",  # not "ophangen"
        "ik kan er niet over praten met mijn kinderen",
    ],
)
def test_ordinary_sentences_are_no_alarm(nlp, text):
    assert matches(nlp, text, "alarm") == []


def test_negation_inside_a_pattern_gap(nlp):
    assert matches(nlp, "ik wil niet dood", "alarm") == []
    assert "suicidale_gedachten" in matches(nlp, "ik wil niet dood", "alarm", negated=True)
    assert "suicidale_gedachten" in matches(nlp, "ik wil dood", "alarm")


def test_a_negation_after_the_word_put_first_counts(nlp):
    # the word first, then its verb, its subject and the negation
    assert "hoge_koorts_chemo" in matches(
        nlp, "ik ben moe, maar koorts na de chemo had ik gelukkig niet", "alarm", negated=True)
    # "nog nooit" says it is new, and a relative clause negates something else
    assert "plotselinge_hevige_pijn" in matches(nlp, "zo een hevige pijn heb ik nog nooit gehad",
                                                "alarm")
    assert "pijn_op_de_borst" in matches(nlp, "ik heb pijn op de borst die niet weggaat", "alarm")


def test_a_second_negation_stresses_a_negative_sign(nlp):
    # "reageert ~ nergens ~ op" says a negative itself: another negation in its gap stresses it
    assert "bewusteloos" in matches(
        nlp, "oma reageert nergens meer op, ook niet als ik haar hand vastpak", "alarm")


def test_a_modal_verb_put_after_the_sign_then_a_negation_negates_it(nlp):
    assert "suicidale_gedachten" in matches(
        nlp, "dood wil ik voorlopig nog niet, eerst de bruiloft van mijn kleinzoon", "alarm",
        negated=True)
    assert "suicidale_gedachten" in matches(nlp, "ik wil dood, ik kan niet meer", "alarm")


def test_what_does_not_stop_is_no_negation_of_what_follows(nlp):
    assert "hevige_bloeding" in matches(
        nlp, "het bloeden stopt niet en de handdoek is al helemaal rood", "alarm")
    # written as it is said ("houd" for "houdt")
    assert "hevige_bloeding" in matches(
        nlp, "zijn arm bloedt en het houd maar niet op, de theedoek is al helemaal rood", "alarm")


def test_a_negation_reaches_over_of_to_the_second_word(nlp):
    assert "bewusteloos" in matches(nlp, "hij is niet misselijk of bewusteloos geweest", "alarm",
                                    negated=True)


# --- typo tolerance never turns a real Dutch word into another word (issue 11) -------------

def frequent_dutch_words():
    from components.dictionary import most_frequent

    return most_frequent(5000)


def test_the_typo_rule_never_reads_a_frequent_dutch_word_as_another_word():
    """The 5,000 most frequent words of the Dutch word list against every lexicon's words
    ("maken" is no "manken", "slikken" no "stikken")."""
    from components.lexicon import word_matches

    pattern_words = {w for p in default_lexicon().patterns for w, _ in p.steps
                     if not w.endswith("*") and len(w) >= 6}
    wrong = []
    for text in frequent_dutch_words():
        word = Word.of(text)
        wrong += [(text, p) for p in pattern_words
                  if p not in (word.text, word.lemma) and word_matches(p, word, True)]
    assert not wrong, wrong[:20]


def test_the_spelling_corrector_never_changes_a_frequent_dutch_word():
    from components.spelling import Corrector, lexicon_words

    corrector = Corrector({w for w in lexicon_words() if not w.endswith("*")})
    assert not [w for w in frequent_dutch_words() if corrector.correct(w)]


@pytest.mark.parametrize("typed,meant", [("uitzaaing", "uitzaaiing"), ("bestralling", "bestraling"),
                                         ("immunoterapie", "immunotherapie")])
def test_a_misspelling_that_is_no_dutch_word_is_read_as_the_word_the_bot_knows(typed, meant):
    from components.spelling import Corrector, lexicon_words

    corrector = Corrector({w for w in lexicon_words() if not w.endswith("*")} | {meant})
    assert corrector.correct(typed) == meant
