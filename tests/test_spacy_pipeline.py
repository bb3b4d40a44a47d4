"""Which spaCy pipeline is used, and that the trained model records it."""
from __future__ import annotations

import importlib.util

import pytest

from components.spacy_nlp import DutchSpacyNLP, recorded_in_archive
from tests.servers import MODELS, newest_model

HAS_REAL_MODEL = importlib.util.find_spec("nl_core_news_sm") is not None


def test_resolve_uses_real_model_or_the_named_offline_stand_in():
    model = DutchSpacyNLP.resolve(DutchSpacyNLP.get_default_config())
    if HAS_REAL_MODEL:
        assert model.model_name == "nl_core_news_sm"
    else:
        assert model.model_name == "nl_offline_lookup"
        assert "NOT nl_core_news_sm" in model.model.meta["description"]
        assert model.model.meta["name"] != "core_news_sm"


@pytest.mark.skipif(not list(MODELS.glob("*.tar.gz")), reason="no trained model in models/")
def test_trained_model_records_its_spacy_pipeline():
    record = recorded_in_archive(newest_model())
    assert record is not None
    assert record["pipeline"] in ("nl_core_news_sm", "nl_offline_lookup")
    assert record["requested"] == "nl_core_news_sm"
    assert record["is_fallback"] == (record["pipeline"] != "nl_core_news_sm")
    assert record["spacy_version"].startswith("3.4.")


@pytest.mark.skipif(not HAS_REAL_MODEL, reason="nl_core_news_sm 3.4.0 is not installed (offline install)")
def test_real_model_lemmatises_dutch_plurals():
    model = DutchSpacyNLP.resolve(DutchSpacyNLP.get_default_config()).model
    assert [t.lemma_ for t in model("botten klieren")] == ["bot", "klier"]
