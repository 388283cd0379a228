"""Alert rules: what to watch for in the events that arrive, and where to send each alert.

Example::

    >>> from realpolitik.watch.rules import parse_rules
    >>> rules = parse_rules({"rules": [{"name": "iraq-aid", "dyad": ["USA", "IRQ"], "event_type": "AID"}]})
    >>> rule = rules.rules[0]
    >>> rule.kind, rule.event_type, rule.modality, rule.deliver
    ('events', ('AID',), ('asserted',), (StdoutSink(kind='stdout'),))

A rules file is YAML: optional ``defaults`` and a list of ``rules``; ``docs/alert-rules.md``
describes every field. Each rule is read into a frozen :class:`AlertRule`; every problem of the
file is raised at once as an :class:`~realpolitik.errors.AlertRulesError` whose lines name the
rule (by name, or by position when it has none), its line in the file, and the field.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..errors import AlertRulesError
from ..io.yamldoc import read_yaml_nodes
from ..model import MODALITIES
from ..store.queries import FREQUENCIES
from .sources import UNITS, duration_seconds

__all__ = ["AlertRule", "AlertRules", "StdoutSink", "JsonlSink", "WebhookSink", "Sink", "KINDS",
           "parse_rules", "read_rules", "seconds_of"]

KINDS = ("events", "change_point", "breakout")
"""What a rule watches: new event clusters, or the store's early warnings of these two kinds."""

_CODE = re.compile(r"^[A-Z][A-Z0-9]{2,}$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_UNITS = {**UNITS, "w": 7 * 86400}
_EVENT_FIELDS = ("event_type", "mode", "modality", "min_confidence", "quad_class", "min_mentions", "lookback")
_ANALYTIC_FIELDS = ("freq", "min_events")
_DEFAULTS = ("modality", "min_confidence", "min_mentions", "lookback", "deliver")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _expand(text: str) -> str:
    """``text`` with each ``${NAME}`` replaced by that environment variable (a ValueError naming
    the first one that is not set)."""
    def one(m: re.Match[str]) -> str:
        if m.group(1) not in os.environ:
            raise ValueError(f"the environment variable {m.group(1)} is not set")
        return os.environ[m.group(1)]
    return _ENV.sub(one, text)


class StdoutSink(_Frozen):
    """Standard output (``- stdout``): a readable line on a terminal, one JSON line otherwise."""

    kind: Literal["stdout"] = "stdout"

    @property
    def label(self) -> str:
        """How the sink is named in ``Fired.sinks`` and in the store."""
        return "stdout"


class JsonlSink(_Frozen):
    """A JSON Lines file (``- jsonl: PATH``): each alert appended as one line, flushed at once.
    A relative path is read from the rules file's folder."""

    kind: Literal["jsonl"] = "jsonl"
    path: Path

    @field_validator("path")
    @classmethod
    def _resolve(cls, v: Path, info: ValidationInfo) -> Path:
        base = (info.context or {}).get("base")
        v = v.expanduser()
        return v if v.is_absolute() or base is None else Path(base) / v

    @property
    def label(self) -> str:
        """How the sink is named in ``Fired.sinks`` and in the store."""
        return f"jsonl:{self.path}"


class WebhookSink(_Frozen):
    """A JSON POST to a URL (``- webhook: URL``), tried again with exponential backoff on a
    connection error, a timeout, a 5xx or a 429 answer."""

    kind: Literal["webhook"] = "webhook"
    url: str
    """http(s) URL; ``${NAME}`` is replaced by that environment variable."""
    headers: dict[str, str] = Field(default_factory=dict)
    """Extra request headers (e.g. ``Authorization``); values may use ``${NAME}``."""
    retries: int = Field(3, ge=0, le=10)
    """Tries after the first one, within one check."""
    timeout: float = Field(10.0, gt=0, le=300)
    """Seconds to connect and to wait for the answer, each try."""
    backoff: float = Field(1.0, ge=0, le=60)
    """Seconds before the first retry, doubled before each next one (at most 60)."""

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        v = _expand(v.strip())
        if not re.match(r"^https?://[^/\s]+", v, re.IGNORECASE):
            raise ValueError(f"{v[:60]!r} is not an http(s) URL")
        return v

    @field_validator("headers")
    @classmethod
    def _headers(cls, v: dict[str, str]) -> dict[str, str]:
        return {str(k): _expand(str(value)) for k, value in v.items()}

    @property
    def label(self) -> str:
        """How the sink is named in ``Fired.sinks`` and in the store (the URL without its query)."""
        return f"webhook:{self.url.split('?', 1)[0]}"


Sink = Annotated[StdoutSink | JsonlSink | WebhookSink, Field(discriminator="kind")]
_SINK_HINT = "a sink is stdout, {jsonl: PATH} or {webhook: URL, headers?, retries?, timeout?, backoff?}"


def _sink(raw: Any) -> Any:
    """The YAML short forms of a sink (``stdout``, ``{jsonl: PATH}``, ``{webhook: URL, ...}``) as
    the model's fields."""
    if raw == "stdout":
        return {"kind": "stdout"}
    if isinstance(raw, dict):
        named = [k for k in ("stdout", "jsonl", "webhook") if k in raw]
        rest = {k: v for k, v in raw.items() if k not in named}
        if named == ["jsonl"]:
            return {"kind": "jsonl", "path": raw["jsonl"], **rest}
        if named == ["webhook"]:
            return {"kind": "webhook", "url": raw["webhook"], **rest}
        if named == ["stdout"] and raw["stdout"] in (None, True):
            return {"kind": "stdout", **rest}
    raise ValueError(f"{raw!r}: {_SINK_HINT}")


def _listed(v: Any) -> Any:
    """One value or a list of them, as a tuple."""
    if v is None:
        return None
    return tuple(v) if isinstance(v, list | tuple) else (v,)


def seconds_of(text: str | int | float) -> float | None:
    """A duration (``90``, ``30m``, ``12h``, ``7d``, ``2w``) in seconds; None for ``all``.

    >>> seconds_of("2h"), seconds_of("all")
    (7200.0, None)
    """
    if isinstance(text, str) and text.strip().lower() == "all":
        return None
    seconds = None if isinstance(text, bool) else duration_seconds(str(text), _UNITS)
    if seconds is None:
        raise ValueError(f"{text!r} is not a duration; write e.g. 0, 90s, 30m, 12h, 7d or all")
    return seconds


class AlertRule(_Frozen):
    """One alert rule: which events (or early warnings) it watches for and where it sends them."""

    name: str = Field(min_length=1, max_length=200)
    """Unique within the file; the store remembers what each rule has sent by this name."""
    kind: Literal["events", "change_point", "breakout"] = "events"
    """``events``: each new cluster of matching events; ``change_point``/``breakout``: the store's
    early warnings of that kind (:func:`realpolitik.analytics.alerts.alerts`)."""
    actor: tuple[str, ...] | None = None
    """Source or target is one of these (a country like ``IRQ`` also matches every code that
    starts with it, ``IRQGOV``; a code matches itself and the codes that start with it)."""
    dyad: tuple[str, str] | None = None
    """Source and target are these two actors, either way round unless ``directed``."""
    directed: bool = False
    """The dyad's first actor must be the source and its second the target."""
    event_type: tuple[str, ...] | None = None
    """PLOVER event types (any of them)."""
    mode: tuple[str, ...] | None = None
    """PLOVER modes (any of them), e.g. ``visit``, ``aerial``."""
    modality: tuple[str, ...] | None = ("asserted",)
    """How the text presents the event; only events stated as fact by default. ``any`` for all."""
    min_confidence: float = Field(0.0, ge=0.0, le=1.0)
    """Events coded with less confidence are left out (events without a confidence too, when above 0)."""
    quad_class: tuple[Literal[1, 2, 3, 4], ...] | None = None
    """Quad classes (1 verbal cooperation ... 4 material conflict), any of them."""
    min_mentions: int = Field(1, ge=1)
    """A cluster fires once its matching events have this many mentions."""
    lookback: float | None = 0.0
    """Seconds before the rule's first check whose events may still fire it (None: all)."""
    freq: str = "month"
    """Period of the early warnings (change_point, breakout)."""
    min_events: int = Field(10, ge=1)
    """Events a country pair needs to be analysed (change_point, breakout)."""
    deliver: tuple[Sink, ...] = (StdoutSink(),)
    """Where each alert goes."""

    @field_validator("actor", "event_type", "mode", "quad_class", mode="before")
    @classmethod
    def _many(cls, v: Any) -> Any:
        return _listed(v)

    @field_validator("actor")
    @classmethod
    def _actors(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if v is None:
            return None
        out = tuple(a.strip().upper() for a in v)
        for a in out:
            if not _CODE.match(a):
                raise ValueError(f"{a!r} is not an actor code; write a country like IRQ or a code like IRQGOV")
        return out

    @field_validator("dyad", mode="before")
    @classmethod
    def _pair(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = re.split(r"[,\s]+|-", v.strip())
        if not isinstance(v, list | tuple) or len(v) != 2 or not all(isinstance(x, str) for x in v):
            raise ValueError("give two actors, e.g. [USA, IRQ] or 'USA-IRQ'")
        pair = tuple(x.strip().upper() for x in v)
        for a in pair:
            if not _CODE.match(a):
                raise ValueError(f"{a!r} is not an actor code; write a country like IRQ or a code like IRQGOV")
        return pair

    @field_validator("event_type")
    @classmethod
    def _types(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if v is None:
            return None
        from ..ontology import load_ontology

        known = load_ontology().types
        out = tuple(str(t).strip().upper() for t in v)
        for t in out:
            if t not in known:
                raise ValueError(f"unknown event type {t!r}; use one of {' '.join(known)}")
        return out

    @field_validator("modality", mode="before")
    @classmethod
    def _modalities(cls, v: Any) -> Any:
        v = _listed(v)
        if v is None or "any" in v:
            return None
        for m in v:
            if m not in MODALITIES:
                raise ValueError(f"unknown modality {m!r}; use any, or some of {' '.join(MODALITIES)}")
        return v

    @field_validator("lookback", mode="before")
    @classmethod
    def _lookback(cls, v: Any) -> Any:
        return seconds_of(v) if isinstance(v, str | int | float) and not isinstance(v, bool) else v

    @field_validator("freq")
    @classmethod
    def _freq(cls, v: str) -> str:
        if v not in FREQUENCIES:
            raise ValueError(f"unknown frequency {v!r}; use one of {' '.join(FREQUENCIES)}")
        return v

    @field_validator("deliver", mode="before")
    @classmethod
    def _sinks(cls, v: Any) -> Any:
        v = _listed(v)
        if not v:
            raise ValueError(f"give at least one sink; {_SINK_HINT}")
        return tuple(_sink(s) for s in v)

    @model_validator(mode="after")
    def _coherent(self) -> AlertRule:
        if self.mode is not None:
            from ..ontology import load_ontology

            types = load_ontology().types
            allowed = {m for t in (self.event_type or tuple(types)) for m in types[t].modes}
            for m in self.mode:
                if m not in allowed:
                    raise ValueError(f"mode: {m!r} is not a mode of {' '.join(self.event_type or ('any type',))}; "
                                     f"use one of {' '.join(sorted(allowed))}")
        if self.kind != "events":
            for side in (self.actor or ()) + (self.dyad or ()):
                if not _COUNTRY.match(side):
                    raise ValueError(f"{'actor' if side in (self.actor or ()) else 'dyad'}: a {self.kind} rule "
                                     f"compares countries; write a three-letter country code, not {side!r}")
            if self.directed:
                raise ValueError(f"directed: a {self.kind} rule's country pairs have no direction")
        return self

    def summary(self) -> str:
        """The rule in a few words.

        >>> AlertRule(name="x", dyad=("USA", "IRQ"), event_type=("AID",)).summary()
        'AID between USA and IRQ'
        """
        what = " or ".join(self.event_type) if self.event_type else (
            self.kind.replace("_", " ") if self.kind != "events" else "events")
        if self.dyad:
            who = f" from {self.dyad[0]} to {self.dyad[1]}" if self.directed else f" between {self.dyad[0]} and {self.dyad[1]}"
        else:
            who = f" involving {' or '.join(self.actor)}" if self.actor else ""
        return what + who


class AlertRules(_Frozen):
    """The rules of one file, in its order, with where they were read from and when."""

    rules: tuple[AlertRule, ...]
    path: str | None = None
    """The rules file; None when built in Python."""
    loaded_at: dt.datetime = Field(default_factory=dt.datetime.now)
    """When they were read (local time, as the store's ``ingested_at``): a rule checked for the
    first time watches the events ingested from then on (see ``lookback``)."""


def _where(exc_loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a field path (``deliver[2].retries``); the sink's kind,
    which the file does not write, left out."""
    out = ""
    for part in exc_loc:
        if isinstance(part, int):
            out += f"[{part + 1}]" if out else f"#{part + 1}"
        elif part in ("stdout", "jsonl", "webhook") and out.endswith("]"):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "(rule)"


def _lines(node: Any) -> list[int]:
    """The 1-based line of each item of the ``rules`` list in a composed YAML document."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if k.value == "rules" and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def parse_rules(data: Any, path: str | None = None, *, lines: list[int] | None = None,
                base: Path | None = None) -> AlertRules:
    """Rules from the parsed YAML of a rules file (see :func:`read_rules`); every problem raised
    at once as an AlertRulesError."""
    hint = "a rules file is a mapping with a list of `rules` (and optional `defaults`); see docs/alert-rules.md"
    if not isinstance(data, dict):
        raise AlertRulesError(f"the file holds {'nothing' if data is None else type(data).__name__}; {hint}", path)
    problems: list[str] = []
    for key in data:
        if key not in ("defaults", "rules"):
            problems.append(f"unknown top-level key {key!r}; {hint}")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append("defaults: must be a mapping of field: value")
        defaults = {}
    for key in defaults:
        if key not in _DEFAULTS:
            problems.append(f"defaults.{key}: not a default a rule can take; use {', '.join(_DEFAULTS)}")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        problems.append(f"rules: give a list of at least one rule; {hint}")
        raw_rules = []
    rules: list[AlertRule] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(raw_rules):
        line = lines[i] if lines and i < len(lines) else None
        name = raw.get("name") if isinstance(raw, dict) else None
        who = (f"rule {name!r}" if isinstance(name, str) and name else f"rule #{i + 1}") + (
            f" (line {line})" if line else "")
        if not isinstance(raw, dict):
            problems.append(f"{who}: a rule is a mapping of field: value, not {type(raw).__name__}")
            continue
        kind = raw.get("kind", "events")
        merged = {k: v for k, v in defaults.items() if k in _DEFAULTS
                  and (kind == "events" or k not in _EVENT_FIELDS)} | raw
        if kind in KINDS and kind != "events":
            merged.setdefault("modality", None)
            for f in _EVENT_FIELDS:
                if raw.get(f) is not None:
                    problems.append(f"{who}: {f}: applies to events rules only, not to a {kind} rule")
        elif kind == "events":
            for f in _ANALYTIC_FIELDS:
                if f in raw:
                    problems.append(f"{who}: {f}: applies to change_point and breakout rules only")
        try:
            rule = AlertRule.model_validate(merged, context={"base": base})
        except ValidationError as exc:
            for e in exc.errors():
                msg = str(e["msg"]).removeprefix("Value error, ")
                field = _where(tuple(e["loc"]))
                if msg.startswith(tuple(f"{f}: " for f in ("mode", "actor", "dyad", "directed"))):
                    field, msg = msg.split(": ", 1)
                problems.append(f"{who}: {field}: {msg}")
            continue
        if rule.name in seen:
            problems.append(f"{who}: name: {rule.name!r} is already the name of {seen[rule.name]}; "
                            "each rule needs its own name")
        seen.setdefault(rule.name, who)
        rules.append(rule)
    if problems:
        raise AlertRulesError(f"{len(problems)} problem(s) in the alert rules", path, problems)
    return AlertRules(rules=tuple(rules), path=path)


def read_rules(path: str | Path) -> AlertRules:
    """Read and check a YAML rules file (see ``docs/alert-rules.md``).

    >>> import os
    >>> os.environ["ALERT_HOOK_TOKEN"] = "made-up-token"  # the example's webhook header reads it
    >>> [rule.name for rule in read_rules("examples/alerts.yaml").rules][:2]
    ['iraq-under-fire', 'us-ukraine-aid']
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AlertRulesError(f"cannot read the file: {exc.strerror or exc}", str(p)) from None
    except UnicodeDecodeError as exc:
        raise AlertRulesError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", str(p)) from None
    data, node = read_yaml_nodes(text, str(p), AlertRulesError)
    return parse_rules(data, str(p), lines=_lines(node), base=p.resolve().parent)
