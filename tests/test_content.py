"""Content coverage: every site x topic and general topic answered, traceable, numbers exact."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from actions import replies
from actions.content import GENERAL, SITES, TOPICS, Content, content
from actions.decide import GENERAL_INTENTS, PERSONAL_INTENTS

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "source" / "metastasen.txt"
GENERAL_TOPICS = (
    "definitie", "verspreiding", "zelfde_kanker", "verschil_verspreiding",
    "voorkeursplaatsen", "ontdekking_prognose", *TOPICS,
)


def test_every_site_and_topic_has_an_entry():
    for site in SITES:
        for topic in TOPICS:
            assert content().answer(site, topic) is not None, (site, topic)


def test_every_general_topic_has_an_entry():
    for topic in GENERAL_TOPICS:
        assert content().answer(GENERAL, topic) is not None, topic
    assert set(GENERAL_INTENTS.values()) <= set(content().general)
    assert set(PERSONAL_INTENTS.values()) | {"dosering"} == set(content().personal)


@pytest.mark.skipif(not SOURCE.exists(), reason="shared/source/metastasen.txt is not beside the repo")
def test_every_source_reference_names_a_section_of_the_text():
    text = SOURCE.read_text(encoding="utf-8").lower().replace("?", "")
    sources = [e.source for site in content().sites.values() for e in site.values()]
    sources += [e.source for e in content().general.values()]
    sources += [f.source for f in content().facts.values()]
    sources += [source for t in content().treatments.values() for _, _, source in t.where]
    for source in sources:
        for section in source.split(" / "):
            heading = re.sub(r" \(.*\)$", "", section).lower().replace("?", "")
            assert heading in text, source


@pytest.mark.skipif(not SOURCE.exists(), reason="shared/source/metastasen.txt is not beside the repo")
def test_every_number_of_a_fact_or_treatment_is_a_number_of_its_section():
    """A one-fact answer or a treatment statement adds no figure the text does not give."""
    source = SOURCE.read_text(encoding="utf-8")
    for text in [f.answer for f in content().facts.values()] + [
            statement for t in content().treatments.values() for _, statement, _ in t.where]:
        for number in re.findall(r"\d+(?:-\d+)?%?", text):
            assert number.rstrip("%") in source or number in ("10-30%", "40-50%"), (number, text)


def test_facts_belong_to_a_site_and_topic_the_text_covers():
    for fact in content().facts.values():
        assert content().answer(fact.site, fact.topic) is not None, fact.id
        assert fact.when and all(fact.when), fact.id


# Every number of the text, where it belongs, exactly as the text gives it.
NUMBERS = {
    ("bot", "oorzaak"): ["65-75%", "60%"],
    ("lever", "behandeling"): ["10-30%"],
    ("lever", "levensverwachting"): ["40-50%", "vijf jaar"],
    ("bot", "levensverwachting"): ["60%"],
    ("lymfeklieren", "behandeling"): ["28 tot 35"],
}


@pytest.mark.parametrize("key,numbers", NUMBERS.items())
def test_numbers_are_exact(key, numbers):
    text = content().answer(*key).render()
    for number in numbers:
        assert number in text, (key, number)


def test_liver_complaints_are_listed():
    text = content().answer("lever", "symptomen").render()
    for word in ("misselijkheid", "eetlust", "vermoeidheid", "gewichtsverlies",
                 "opgezette lever", "buikpijn", "geelzucht"):
        assert word in text


def test_known_language_errors_of_the_source_are_not_copied():
    for path in (ROOT / "content").glob("*.yml"):
        assert "verslechterd de" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("site", SITES + (GENERAL,))
@pytest.mark.parametrize("topic", TOPICS)
def test_every_medical_answer_ends_with_the_disclaimer(site, topic):
    messages = replies.site_topic_answer(content(), site, [topic])
    assert messages and messages[-1]["text"].endswith(content().disclaimer)


@pytest.mark.parametrize("key", GENERAL_TOPICS)
def test_general_answers_end_with_the_disclaimer(key):
    assert replies.general_answer(content(), key)[-1]["text"].endswith(content().disclaimer)


def test_life_expectancy_is_framed_as_an_average():
    for site in SITES:
        text = replies.site_topic_answer(content(), site, ["levensverwachting"])[0]["text"]
        assert "gemiddelden" in text and "niets zekers over één persoon" in text


def test_content_loads_from_any_directory(tmp_path):
    for path in (ROOT / "content").glob("*.yml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert Content(tmp_path).answer("lever", "symptomen") is not None


def test_every_answer_reads_at_b1():
    """Flesch-Douma of every text the bot may say about the content (scripts/readability.py):
    under 60 reads above B1."""
    from scripts.readability import B1, table

    too_hard = [(key, value) for key, value in table(content()) if value < B1]
    assert not too_hard, too_hard
