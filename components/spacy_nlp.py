"""SpacyNLP that falls back, loudly, to a named offline Dutch pipeline and records its choice.

config.yml stays the single source of truth: it names the wanted pipeline (`model`) and the
stand-in (`fallback_model`). At training time the first one installed is used; which one is
logged at WARNING level when it is the stand-in, and written into the trained model as
`spacy_pipeline.json` (name, version, spaCy version, whether it is the fallback). When the
model is loaded for serving, exactly that recorded pipeline is loaded again, so a model is
never served with features from a different pipeline than it was trained with.
"""
from __future__ import annotations

import json
import logging
import tarfile
from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

RECORD_FILE = "spacy_pipeline.json"
_loaded: Dict[Text, SpacyModel] = {}


def recorded_in_archive(model: Path) -> Optional[Dict[Text, Any]]:
    """The spaCy pipeline record inside a trained model archive (models/*.tar.gz), if any."""
    with tarfile.open(model) as archive:
        for member in archive.getmembers():
            if member.name.endswith(RECORD_FILE):
                return json.loads(archive.extractfile(member).read().decode("utf-8"))
    return None


def describe_pipeline(model: SpacyModel, wanted: Text) -> Dict[Text, Any]:
    """What is recorded in the trained model about the spaCy pipeline."""
    import spacy

    meta = model.model.meta
    return {
        "pipeline": model.model_name,
        "version": meta.get("version"),
        "spacy_version": spacy.about.__version__,
        "components": list(model.model.pipe_names),
        "requested": wanted,
        "is_fallback": model.model_name != wanted,
    }


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=True,
    model_from="DutchSpacyNLP",
)
class DutchSpacyNLP(SpacyNLP):
    """Provides the Dutch spaCy pipeline to SpacyTokenizer and the lexicon components."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **SpacyNLP.get_default_config(),
            "model": "nl_core_news_sm",
            "fallback_model": "nl_offline_lookup",
        }

    @classmethod
    def _load_cached(cls, name: Text) -> SpacyModel:
        if name not in _loaded:
            _loaded[name] = cls.load_model(name)
            cls.ensure_proper_language_model(_loaded[name].model)
        return _loaded[name]

    @classmethod
    def resolve(cls, config: Dict[Text, Any]) -> SpacyModel:
        """Load the wanted pipeline, or the fallback with a loud warning."""
        wanted, fallback = config["model"], config["fallback_model"]
        try:
            return cls._load_cached(wanted)
        except InvalidModelError as missing:
            if not fallback:
                raise
            logger.debug("Cannot load %s: %s", wanted, missing)
        logger.warning(
            "spaCy pipeline '%s' is not installed: using the OFFLINE stand-in '%s' "
            "(tokenizer, stop words, lookup lemmas; not %s). Run `make install` online "
            "to get the real pipeline.",
            wanted,
            fallback,
            wanted,
        )
        return cls._load_cached(fallback)

    @staticmethod
    def _recorded(
        model_storage: ModelStorage, resource: Resource
    ) -> Optional[Dict[Text, Any]]:
        try:
            with model_storage.read_from(resource) as directory:
                return json.loads((directory / RECORD_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            return None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DutchSpacyNLP:
        config = {**cls.get_default_config(), **config}
        model = cls.resolve(config)
        return cls(model, config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> DutchSpacyNLP:
        """Load the pipeline the model was trained with (recorded by `train`)."""
        config = {**cls.get_default_config(), **config}
        # The recipe gives the model-providing node its own name ("provide_...");
        # the record lives with the trained node of the same component ("train_...").
        train_resource = Resource(
            execution_context.node_name.replace("provide_", "train_", 1).replace(
                "run_", "train_", 1
            )
        )
        record = cls._recorded(model_storage, resource) or cls._recorded(
            model_storage, train_resource
        )
        if record is None:
            return cls.create(config, model_storage, resource, execution_context)
        try:
            model = cls._load_cached(record["pipeline"])
        except InvalidModelError as missing:
            raise InvalidModelError(
                f"This model was trained with the spaCy pipeline '{record['pipeline']}' "
                f"{record.get('version')}, which is not installed here. Install it "
                f"(`make install`) or retrain (`make train`)."
            ) from missing
        logger.info(
            "spaCy pipeline of this model: %s %s%s",
            record["pipeline"],
            record.get("version"),
            " (offline stand-in)" if record.get("is_fallback") else "",
        )
        return cls(model, config, model_storage, resource)

    def __init__(
        self,
        model: SpacyModel,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
    ) -> None:
        super().__init__(model, config)
        self._model_storage = model_storage
        self._resource = resource

    def train(
        self, training_data: TrainingData, model: Optional[SpacyModel] = None
    ) -> Resource:
        """Record which spaCy pipeline this model is trained with."""
        record = describe_pipeline(model or self._model, self._config["model"])
        logger.warning(
            "Training with spaCy pipeline %s %s%s.",
            record["pipeline"],
            record["version"],
            " (OFFLINE stand-in, not " + record["requested"] + ")"
            if record["is_fallback"]
            else "",
        )
        with self._model_storage.write_to(self._resource) as directory:
            (directory / RECORD_FILE).write_text(
                json.dumps(record, indent=2), encoding="utf-8"
            )
        return self._resource
