"""The HTTP API's request and response bodies, as pydantic models (they make its OpenAPI document).

Example::

    >>> from realpolitik.server.schemas import EventRow
    >>> EventRow.model_fields["quad_class"].annotation
    int | None

``EventRow`` is built from the store's ``events`` columns, so the API always lists what the
table holds. Every other model is written out here, each field documented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from ..store.exports import FLAT_COLUMNS
from ..store.schema import EVENT_COLUMNS

__all__ = ["EventRow", "EventPage", "EventDetail", "DocumentRow", "DocumentPage", "DocumentDetail", "ActorRow",
           "ActorList", "Tie", "Drift", "ActorProfileBody", "DyadPeriod", "DyadSeries", "Node", "Edge",
           "NetworkBody", "NetworksBody", "ShiftRow", "ShiftsBody", "CodeRequest", "CodeResponse",
           "IngestRequest", "IngestResponse", "SummaryBody", "ErrorBody", "MarkBody", "Health", "StoreState", "Provenance", "Pair",
           "ObservedPeriod", "ForecastStep", "ForecastBody", "BacktestRow", "BacktestBody", "AlertRow", "AlertsBody",
           "ScenarioMove", "ScenarioChange", "ScenarioNode", "ScenarioEdge", "ScenarioNetwork", "ScenarioBody",
           "SourceRow", "SourcesBody", "NewestEvents"]

_TYPES: dict[str, Any] = {"VARCHAR": str, "INTEGER": int, "TINYINT": int, "DOUBLE": float, "DATE": dt.date,
                          "TIMESTAMP": dt.datetime}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def unicode_only(value: Any, where: str = "the text") -> Any:
    """``value`` unchanged; a ValueError (answered 422) if a string in it holds a lone surrogate
    (``"\\ud800"`` in JSON), which is not Unicode text and cannot be coded or stored.

    >>> unicode_only("Iran warned Israel.")
    'Iran warned Israel.'
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"{where} holds a lone surrogate (\\u{ord(value[exc.start]):04x}) at character "
                             f"{exc.start}, which is not Unicode text; send the text as UTF-8") from None
    elif isinstance(value, dict):
        for k, v in value.items():
            unicode_only(k, f"a field name of {where}")
            unicode_only(v, f"{k!r} of {where}" if isinstance(k, str) else where)
    elif isinstance(value, list | tuple):
        for v in value:
            unicode_only(v, where)
    return value


EventRow = create_model(  # type: ignore[call-overload]
    "EventRow", __doc__="One event's flat columns (see docs/store.md for each).",
    **{name: (_TYPES[sql.split()[0]] | None, None) for name, sql in EVENT_COLUMNS if name in FLAT_COLUMNS})


class EventPage(_Body):
    """A page of events and the cursor of the next."""

    items: list[EventRow]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page.")


class MarkBody(_Body):
    """A highlighted stretch of the evidence sentence (offsets into the sentence)."""

    kind: str = Field(description="source, target, trigger, date or place")
    start: int
    end: int
    text: str


class Provenance(_Body):
    what: str = Field(description="event, source, target, trigger, date, place, modality, document, cluster ...")
    value: str = Field(description="The value and where it came from.")


class Pair(_Body):
    source: str
    target: str
    events: int


class EventDetail(_Body):
    """One event with its evidence and where each value came from."""

    event: EventRow
    record: dict[str, Any] | None = Field(description="The full coded record (PLOVER-style JSON); null if imported.")
    marks: list[MarkBody]
    provenance: list[Provenance] = Field(description="Each value and where it came from, as `realpolitik show`.")
    document: dict[str, Any] | None = Field(description="The document (without its text); null if imported.")
    cluster: dict[str, Any] = Field(description="The real-world event it reports: mentions, documents, sources.")


class DocumentRow(_Body):
    """A stored document, without its text."""

    id: str
    external_id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    line: int | None = None
    date: dt.date | None = None
    outlet: str | None = None
    chars: int | None = None
    events: int | None = None
    dup_group: str | None = None
    similarity: float | None = None
    ingested_at: dt.datetime | None = None


class DocumentPage(_Body):
    items: list[DocumentRow]
    next_cursor: str | None


class DocumentDetail(DocumentRow):
    """A stored document with its text and the ids of its events."""

    text: str
    event_ids: list[str]


class ActorRow(_Body):
    code: str
    name: str | None
    events: int
    first_day: dt.date | None
    last_day: dt.date | None


class ActorList(_Body):
    items: list[ActorRow]


class Tie(_Body):
    partner: str
    name: str | None
    events: int
    mean_intensity: float
    cooperation: int
    conflict: int


class Drift(_Body):
    partner: str
    name: str | None
    before_events: int
    after_events: int
    before_mean: float
    after_mean: float
    difference: float = Field(description="Later minus earlier mean intensity; + toward cooperation.")
    ci_low: float
    ci_high: float
    q_value: float
    significant: bool
    direction: str = Field(description="toward or away")


class ActorProfileBody(_Body):
    code: str
    name: str | None
    events: int
    first_day: dt.date | None
    last_day: dt.date | None
    partners: list[Tie]
    adversaries: list[Tie]
    by_year: list[dict[str, Any]]
    drift: list[Drift]
    drift_windows: list[list[dt.date]] | None = Field(description="[[earlier from, to], [later from, to]]")


class DyadPeriod(_Body):
    period: dt.date
    events: int
    a_to_b: int
    b_to_a: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    by_type: dict[str, int] = Field(description="Events of each PLOVER type in the period (types with any).")
    mentions: int = Field(description="Reports behind the period's events.")
    mean_goldstein: float | None = Field(description="Mean Goldstein weight (-10 .. +10); null without weights.")
    mean_intensity: float | None = Field(description="-10 conflict .. +10 cooperation; null without events.")
    ci_low: float | None
    ci_high: float | None
    volume: int = Field(description="All events in the store that period.")
    index_per_1k: float
    change: bool = Field(description="A change point of the mean-intensity series starts here.")
    event_ids: list[str]


class DyadSeries(_Body):
    a: str
    b: str
    freq: str
    directed: bool
    periods: list[DyadPeriod]


class Node(_Body):
    id: str
    name: str | None
    bloc: int
    strength: float
    friends: int
    foes: int
    x: float
    y: float


class Edge(_Body):
    a: str
    b: str
    weight: float = Field(description="Mean PLOVER intensity of the pair's events.")
    events: int
    cooperation: int
    conflict: int


class NetworkBody(_Body):
    since: dt.date | None
    until: dt.date | None
    balance: float | None = Field(description="Share of closed triads that are balanced; null without any.")
    nodes: list[Node]
    edges: list[Edge]


class NetworksBody(_Body):
    every: str
    windows: list[NetworkBody]


class ShiftRow(_Body):
    a: str
    b: str
    before_events: int
    after_events: int
    before_mean: float
    after_mean: float
    difference: float
    ci_low: float
    ci_high: float
    effect_size: float | None
    p_value: float
    q_value: float
    significant: bool
    event_ids: list[str]


class ShiftsBody(_Body):
    before: list[dt.date]
    after: list[dt.date]
    items: list[ShiftRow]


class CodeRequest(_Body):
    """A text to code (not stored)."""

    text: str = Field(min_length=1, description="The text; at most the server's --max-chars characters.")
    date: dt.date | None = Field(None, description="The document's date, to resolve 'last Tuesday'.")

    @field_validator("text")
    @classmethod
    def _unicode(cls, value: str) -> str:
        return unicode_only(value)


class CodeResponse(_Body):
    events: list[dict[str, Any]] = Field(description="Coded events (docs/event.schema.json).")
    marks: list[list[MarkBody]] = Field(description="For each event, its highlighted words in its sentence.")


class IngestDocument(BaseModel):
    model_config = ConfigDict(extra="allow")

    text: Any = Field(None, description="The document's text (a string); a record without one is rejected, not refused.")
    id: Any = None
    date: Any = None
    title: Any = None
    url: Any = None

    @model_validator(mode="before")
    @classmethod
    def _unicode(cls, value: Any) -> Any:
        return unicode_only(value, "the document")


class IngestRequest(_Body):
    documents: list[IngestDocument] = Field(min_length=1)


class IngestResponse(_Body):
    read: int
    documents: int
    skipped: int
    duplicates: int
    events: int
    rejected: int
    rejects: list[str] = Field(description="'source:line: reason' for each document that could not be coded.")


class SummaryBody(_Body):
    documents: int
    duplicates: int
    rejects: int
    events: int
    clusters: int
    multi_report_clusters: int
    first_day: dt.date | None
    last_day: dt.date | None
    by_origin: dict[str, int]
    by_type: dict[str, int]
    top_dyads: list[Pair] = Field(description="The busiest directed pairs of countries.")
    imports: int


class ErrorBody(_Body):
    detail: str = Field(description="What went wrong and what to do.")


class StoreState(_Body):
    reachable: bool = Field(description="The store's file is there.")
    readable: bool = Field(description="The store could be read just now.")
    events: int | None = Field(description="Events in the store; null when it cannot be read.")
    error: str | None = Field(description="Why it cannot be read; null when it can.")


class Health(_Body):
    status: str = Field(description="ok, or error when the store cannot be read (answered 503)")
    version: str
    store: StoreState
    index: str = Field(description="The in-memory event index (server.memory_index): ready, building (pages "
                                   "and series are read with SQL meanwhile), warming (answering, while the "
                                   "busiest pairs' series are worked out ahead: server.warm_dyads) or off.")


# -- where relations are heading -------------------------------------------------------------------


class ObservedPeriod(_Body):
    """One observed period of the pair (what the forecast continues)."""

    period: dt.date
    index_per_1k: float | None = Field(description="The pair's summed PLOVER intensity per 1,000 events in the "
                                                   "store that period (a cooperation-conflict index).")
    events: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int


class ForecastStep(_Body):
    """One measure one period ahead: the mean and its 50% and 90% intervals."""

    period: dt.date
    step: int = Field(description="Periods ahead of the last observed one (1 .. horizon).")
    measure: str = Field(description="index_per_1k, verbal_cooperation, material_cooperation, verbal_conflict "
                                     "or material_conflict")
    mean: float | None
    lo50: float | None
    hi50: float | None
    lo90: float | None
    hi90: float | None


class ForecastBody(_Body):
    """A pair's series continued ahead (realpolitik.analytics.forecast.Forecast)."""

    a: str
    b: str
    freq: str
    horizon: int
    model: str = Field(description="no_change, local_level, local_trend or pooled: the one used.")
    history: list[ObservedPeriod]
    frame: list[ForecastStep]
    skill: float | None = Field(description="1 - MAE(model) / MAE(no change) on the pair's own rolling backtest; "
                                            "null when the series is too short to tell.")
    notes: list[str] = Field(description="Caveats in plain words.")


class BacktestRow(_Body):
    """How one model did at one horizon over the store's past."""

    model: str
    horizon: int
    dyads: int
    forecasts: int
    mae: float | None
    interval_score: float | None = Field(description="Interval score of the 90% interval (lower is better).")
    crps: float | None
    coverage50: float | None = Field(description="Share of outcomes inside the 50% interval.")
    coverage90: float | None = Field(description="Share of outcomes inside the 90% interval.")
    skill: float | None = Field(description="1 - MAE / MAE of no change.")


class BacktestBody(_Body):
    freq: str
    dyads: int
    frame: list[BacktestRow]
    notes: list[str]


class AlertRow(_Body):
    """Something that changed lately and may matter."""

    kind: str = Field(description="breakout, change_point or bloc_flip")
    subject: str = Field(description="A pair (IRQ-RUS) or an actor (IRQ).")
    period: dt.date
    score: float = Field(description="Rank key: larger is more urgent.")
    detail: str = Field(description="One plain sentence.")
    event_ids: list[str] = Field(description="The events behind it.")


class AlertsBody(_Body):
    alerts: list[AlertRow]


class ScenarioMove(_Body):
    """An actor the scenario would move from one bloc to another."""

    actor: str
    projected_move: str = Field(description="In plain words, e.g. 'toward RUS bloc'.")
    from_bloc: str = Field(description="Its bloc before, named by its most central other member ('alone': none).")
    to_bloc: str = Field(description="Its bloc in the projection, named the same way.")
    probability: float = Field(description="Share of the simulated draws in which it moves.")
    mover: bool = Field(description="It moves in at least a third of the draws (others listed move in 20% or more).")
    triads: list[str] = Field(description="The triads (A-B-C) that drive the move.")
    event_ids: list[str] = Field(description="The events of those triads' ties.")


class ScenarioChange(_Body):
    a: str
    b: str
    kind: str = Field(description="remove or hostile")


class ScenarioNode(_Body):
    id: str
    bloc: int
    x: float = Field(description="Position in [-1, 1], the same in both networks.")
    y: float
    mover: bool


class ScenarioEdge(_Body):
    source: str
    target: str
    weight: float = Field(description="Mean PLOVER intensity of the tie (in the projection: where it settles).")
    sign: int = Field(description="+1 cooperation, -1 conflict, 0 none")
    events: int
    flipped: bool = Field(description="The projection turned its sign.")


class ScenarioNetwork(_Body):
    nodes: list[ScenarioNode]
    edges: list[ScenarioEdge]


class ScenarioBody(_Body):
    """The network before and as projected after the assumed changes."""

    changes: list[ScenarioChange]
    since: dt.date | None = Field(description="From when the changes apply; null: the window's start.")
    until: dt.date | None
    window: list[dt.date] | None = Field(description="[first, last] day of the network's events.")
    draws: int
    threshold: float = Field(description="Least share of draws in which an actor moves to be listed.")
    movers: list[str] = Field(description="The actors moving in at least a third of the draws.")
    moves: list[ScenarioMove]
    before: ScenarioNetwork = Field(description="The observed network.")
    after: ScenarioNetwork = Field(description="The projected network (bloc numbers matched to before's).")
    blocs_before: list[list[str]]
    blocs_after: list[list[str]]
    assumptions: list[str]


# -- a watched store -------------------------------------------------------------------------------


class SourceRow(_Body):
    """One feed or sitemap that ``realpolitik watch`` polls, as the store last saw it."""

    url: str = Field(description="The feed's or sitemap's URL, as the sources file gives it.")
    kind: str | None = Field(description="feed or sitemap once fetched; null before.")
    outlet: str | None = Field(description="The outlet name the sources file gives; null: the host name is used.")
    interval_seconds: int | None = Field(description="How often it is polled.")
    last_fetch: dt.datetime | None = Field(description="When it was last asked for, whatever the answer.")
    last_ok: dt.datetime | None = Field(description="When it last answered with a feed (200) or nothing new (304).")
    last_status: int | None = Field(description="HTTP status of the last answer; null when there was none.")
    last_error: str | None = Field(description="Why the last fetch failed; null when it did not.")
    errors: int = Field(description="Failures in a row (0 after a good fetch): above 0, the source is failing.")
    total_errors: int = Field(description="Failures since it was first watched.")
    entries: int = Field(description="Article links it has listed, all told.")
    stored: int = Field(description="Of those, articles fetched and stored.")
    pending: int = Field(description="Of those, articles waiting to be fetched.")
    failed: int = Field(description="Of those, articles given up on.")
    next_poll: dt.datetime | None = Field(description="When it is next due.")


class SourcesBody(_Body):
    items: list[SourceRow]


class NewestEvents(_Body):
    """The events stored most recently (or since a cursor), newest first."""

    items: list[EventRow]
    cursor: str = Field(description="Pass as ?after= for only the events stored later; unchanged when none were.")
    more: bool = Field(description="More events than `limit` were stored since the cursor (without one: the "
                                   "store holds more); the oldest of them were left out.")
