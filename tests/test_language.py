"""Language of a message (components/language.py): Dutch and Flemish stay Dutch, clearly
foreign messages are recognised by their word frequencies. Sentences written for this test."""
import pytest

from components import language

# a few words of the bot's own (Flemish) training vocabulary, as the trained model has them
OWN = {"wa", "da", "allez", "merci", "nie", "immunotherapie", "uitzaaiing", "uitzaaiingen"}


@pytest.fixture(scope="module")
def table():
    return language.frequency_table()


@pytest.mark.parametrize("text", [
    "Wo genau sitzen die Metastasen bei Brustkrebs meistens?",
    "Kann man mit Knochenmetastasen noch lange leben?",
    "What is the life expectancy with liver metastases?",
    "Est-ce que les métastases osseuses font toujours mal ?",
    "¿Cuánto tiempo se puede vivir con metástasis en el hígado?",
])
def test_foreign_messages_are_recognised(table, text):
    assert language.clearly_other(text, table, OWN)
    assert not language.clearly_dutch(text, table, OWN)


@pytest.mark.parametrize("text", [
    "wa is da eigenlijk, immunotherapie",
    "Allez, en hoe lang duurt zo'n bestraling dan?",
    "Mijn vader heeft uitzaaiingen in de lever, wat nu?",
    "merci voor de uitleg",
    "hoe wordt dat behandeld",
    "erfelijk?",
])
def test_dutch_and_flemish_stay_dutch(table, text):
    assert not language.clearly_other(text, table, OWN)


@pytest.mark.parametrize("text", ["wa is immunotherapie", "erfelijk?", "hoe wordt dat behandeld"])
def test_clearly_dutch_overrules_the_classifier(table, text):
    assert language.clearly_dutch(text, table, OWN)


def test_short_and_payload_messages_are_left_to_the_classifier(table):
    assert not language.clearly_other("ciao bella", table, OWN)  # fewer than three words
    assert not language.clearly_other("/send_empty_message", table, OWN)
    assert language.words_of("/greet") == []


def test_the_kept_language_table_is_the_one_built_from_the_word_lists(tmp_path, monkeypatch):
    from components import language

    monkeypatch.setattr(language, "CACHE_FILE", tmp_path / "language_table.json")
    language.frequency_table.cache_clear()
    built = language.frequency_table()  # builds and keeps it
    assert (tmp_path / "language_table.json").exists()
    language.frequency_table.cache_clear()
    assert language.frequency_table() == built == language.build_frequency_table()
    language.frequency_table.cache_clear()
