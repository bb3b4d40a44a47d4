"""Third-party warnings that Rasa 3.6's pinned dependencies print on every start, filtered
where they are raised: each rule names the warning's category, the module that raises it and
the start of its message, so any other warning (ours, Rasa's, or a new one from these
libraries) still shows. serving/cli.py installs them before Rasa starts.

None of them concerns this project's code; they go away when Rasa moves to newer libraries.
"""
from __future__ import annotations

import warnings
from typing import List, NamedTuple, Type


class Rule(NamedTuple):
    category: Type[Warning]
    module: str  # regular expression for the raising module's name
    message: str  # regular expression for the start of the warning's text


RULES: List[Rule] = [
    # setuptools' pkg_resources, imported by Rasa, and namespace packages of matplotlib/ruamel
    Rule(DeprecationWarning, r"rasa\.shared\.utils\.validation", r"pkg_resources is deprecated"),
    Rule(DeprecationWarning, r"pkg_resources", r"Deprecated call to `pkg_resources\.declare_namespace"),
    # TensorFlow 2.12 importing an old jax API
    Rule(DeprecationWarning, r"tensorflow\.lite\.python\.util", r"jax\.xla_computation is deprecated"),
    # pyparsing 3 renamed its camelCase API; matplotlib and packaging still use it
    # (matplotlib's mathtext parser only when `rasa test` draws its plots)
    Rule(DeprecationWarning, r"matplotlib\.(fontconfig_pattern|_mathtext)",
         r"'\w+' (deprecated - use|argument is deprecated)"),
    Rule(DeprecationWarning, r"packaging\.(markers|requirements)", r"'\w+' deprecated - use"),
    # click 8.2 deprecations, hit by typer and spaCy's CLI helpers when spaCy loads
    Rule(DeprecationWarning, r"typer(\.\w+)?", r"'[\w.]+' is deprecated and will be removed in Click 9"),
    Rule(DeprecationWarning, r"spacy\.cli\._util", r"Importing 'parser\.split_arg_string' is deprecated"),
    # Sanic-Cors comparing versions with distutils
    Rule(DeprecationWarning, r"sanic_cors\.extension", r"distutils Version classes are deprecated"),
    # SQLAlchemy 1.4's notice about 2.0 for Rasa's tracker store models
    Rule(DeprecationWarning, r"rasa\.core\.tracker_store", r"Deprecated API features detected"),
]


def install() -> None:
    """Put the rules first in the warning filters (again, after others were put in front)."""
    for rule in RULES:
        entry = ("ignore", rule.message, rule.category, rule.module + r"\Z")
        warnings.filters[:] = [f for f in warnings.filters
                               if not _same(f, entry)]
        warnings.filterwarnings("ignore", message=rule.message, category=rule.category,
                                module=rule.module + r"\Z")


def _same(existing: tuple, entry: tuple) -> bool:
    action, message, category, module, _ = existing
    return (action == entry[0] and category is entry[2]
            and getattr(message, "pattern", message) == entry[1]
            and getattr(module, "pattern", module) == entry[3])
