"""The records realpolitik produces: frozen, typed, every field documented here.

Example::

    >>> from realpolitik.model import Actor
    >>> a = Actor(text="Baghdad", start=0, end=7, name="Iraq", code="IRQGOV",
    ...           country="IRQ", sector="GOV")
    >>> a.country
    'IRQ'
    >>> a.model_dump(mode="json")["members"]
    []

Records are pydantic models with ``frozen=True`` and ``extra="forbid"``: they cannot be
changed after creation (use ``record.model_copy(update={...})``) and unknown fields are
errors. ``Event.model_json_schema()`` is the output contract; ``docs/event.schema.json``
is generated from it by ``realpolitik schema``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "EVENT_TYPES",
    "MODALITIES",
    "DATE_PRECISIONS",
    "EventType",
    "Modality",
    "DatePrecision",
    "Document",
    "Actor",
    "Place",
    "Trigger",
    "Dyad",
    "Event",
    "event_json_schema",
]

EVENT_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
"""PLOVER's sixteen event types, cooperative first."""

MODALITIES: tuple[str, ...] = (
    "asserted",
    "negated",
    "hypothetical",
    "conditional",
    "intended",
    "reported",
    "historical",
)
"""How the text presents an event; see :class:`Event.modality`."""

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "document")

EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
Modality = Literal[
    "asserted", "negated", "hypothetical", "conditional", "intended", "reported", "historical"
]
DatePrecision = Literal["day", "month", "year", "document"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_SHAPES: dict[tuple[type, frozenset[str]], set[str]] = {}


def compact(record: Any) -> Any:
    """``record`` itself, with the records inside it, keeping one shared copy of pydantic's note of
    which fields were given for all records of the same shape rather than a set each (about 4 KB an
    event; a long document holds many). A frozen record never changes that note, and a copy made
    with ``model_copy`` gets its own.

    >>> a, b = Trigger(text="met", start=0, end=3), Trigger(text="met", start=9, end=12)
    >>> compact(a).__pydantic_fields_set__ is compact(b).__pydantic_fields_set__, a == Trigger(text="met", start=0, end=3)
    (True, True)
    """
    for value in record.__dict__.values():
        if isinstance(value, _Record):
            compact(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, _Record):
                    compact(item)
    given = record.__pydantic_fields_set__
    key = (type(record), frozenset(given))
    shared = _SHAPES.get(key)
    if shared is None:
        if len(_SHAPES) >= 4096:  # shapes are few; never let them grow without bound
            return record
        shared = _SHAPES[key] = set(given)
    object.__setattr__(record, "__pydantic_fields_set__", shared)
    return record


class Document(_Record):
    """One input text to code, with what is known about it."""

    id: str = Field(description="Identifier of the document; copied to every event as doc_id.")
    text: str = Field(description="The full text, as read (after decoding).")
    date: dt.date | None = Field(
        None,
        description="Publication date. Relative dates in the text ('last December') are "
        "resolved against it; events with no date of their own take it.",
    )
    title: str | None = Field(None, description="Headline or title, when known.")
    url: str | None = Field(None, description="Where the document was published, when known.")
    source: str | None = Field(
        None, description="File the document was read from ('<stdin>' for standard input)."
    )
    line: int | None = Field(
        None, description="1-based line (JSONL), line of the row (CSV/TSV) or entry (RSS/Atom feed) of "
        "the document in its file."
    )


class Actor(_Record):
    """Who acts or is acted upon: a mention in the text and what it resolves to."""

    text: str = Field(description="The words of the mention, as in the document.")
    start: int = Field(description="Character offset of the mention's first character in the document.")
    end: int = Field(description="Character offset just past the mention's last character.")
    name: str | None = Field(
        None,
        description="Canonical name of what the mention resolves to (a country, organization "
        "or person), or null when unresolved.",
    )
    code: str | None = Field(
        None,
        description="Actor code: ISO alpha-3 country code followed by the sector (e.g. 'IRQGOV', "
        "'USAMIL', or 'IRQ' for the country alone), or the dictionary id of a named "
        "organization ('ISIS', 'PMF', 'UNO'); members' codes joined by '+' for a compound actor.",
    )
    country: str | None = Field(
        None,
        description="ISO 3166-1 alpha-3 code of the state the actor belongs to (XKX for Kosovo, "
        "X-codes for partially recognized entities), or null for transnational and "
        "unresolved actors.",
    )
    sector: str | None = Field(
        None,
        description="PLOVER sector: GOV, MIL, COP, SPY, LEG, JUD, PTY, OPP, REB, PRM, UAF, "
        "CVL, BUS, REL, JRN, EDU, LAB, MED, REF, AGR, CRM, ELI, SOC, IGO, NGO, PRE; null when "
        "the mention names the state as a whole or is unresolved.",
    )
    members: tuple[Actor, ...] = Field(
        (),
        description="For a compound actor ('Tehran, Ankara, and Moscow'): each member as an "
        "actor object; empty otherwise.",
    )
    kind: Literal["state", "organization", "person", "group", "compound", "unknown"] = Field(
        "unknown",
        description="What the mention is: a state (or its capital, organs, people), a named "
        "organization, a person, an unnamed group of people ('protesters'), several "
        "actors together, or unknown.",
    )
    resolved_by: str | None = Field(
        None,
        description="Provenance: which dictionary entry and which of its fields resolved the "
        "mention (e.g. 'countries:IRQ#demonym', 'people:Haider al-Abadi#head_of_government'), "
        "or 'ner:ORG' when only the named-entity tagger found it.",
    )


class Place(_Record):
    """Where an event happened, resolved with the embedded gazetteer."""

    text: str = Field(description="The words of the place mention, as in the document.")
    name: str = Field(description="Canonical name of the place.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 code of its country.")
    admin1: str | None = Field(
        None, description="First-level administrative division (province, governorate, state)."
    )
    lat: float | None = Field(None, description="Latitude in decimal degrees (WGS84).")
    lon: float | None = Field(None, description="Longitude in decimal degrees (WGS84).")
    kind: Literal["country", "admin1", "city", "area"] = Field(
        "city",
        description="Level of the place: a whole country, a province, a city or town, or "
        "another named area (a region, a border zone, a sea).",
    )
    start: int | None = Field(None, description="Character offset of the mention in the document.")
    end: int | None = Field(None, description="Character offset just past the mention.")
    resolved_by: str | None = Field(
        None,
        description="Provenance: the gazetteer entry that resolved it (e.g. 'places:Anbar', "
        "'geonames:99072', 'countries:SYR').",
    )


class Trigger(_Record):
    """The words that express the event."""

    text: str = Field(description="The trigger word(s) as in the document (e.g. 'delivered').")
    start: int = Field(description="Character offset of the trigger in the document.")
    end: int = Field(description="Character offset just past the trigger.")


class Dyad(_Record):
    """One ordered pair of parties of an act that has several: a compound side ("Norway and
    Denmark expelled Belarusian diplomats": two pairs) or a mutual act ("India and China held talks": each
    towards the other)."""

    event_id: str = Field(description="Stable identifier of the pair's dyadic event (the store's row).")
    source: Actor | None = Field(None, description="Who did it, in this pair.")
    target: Actor | None = Field(None, description="To whom, in this pair.")
    confidence: float = Field(ge=0.0, le=1.0, description="How likely this pair is right, as for an event.")


class Event(_Record):
    """One coded event: who did what to whom, when, where, and how sure we are.

    The field names are a fixed contract read by other tools.
    """

    event_id: str = Field(
        description="Stable identifier: the same document text always gives the same ids."
    )
    doc_id: str = Field(description="Identifier of the document the event was coded from.")
    sentence_index: int = Field(description="0-based index of the sentence within its document.")
    sentence: str = Field(description="The sentence the event was coded from (the evidence).")
    event_type: EventType = Field(
        description="PLOVER event type, one of AGREE CONSULT SUPPORT CONCEDE COOPERATE AID "
        "RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT."
    )
    mode: str | None = Field(
        None,
        description="PLOVER mode of the event type (how it was done), e.g. 'visit' for CONSULT, "
        "'withdraw' for RETREAT, 'aerial' for ASSAULT; null when none applies.",
    )
    contexts: tuple[str, ...] = Field(
        (),
        description="PLOVER contexts (what it was about), e.g. 'military', 'economic', "
        "'terrorism'; empty when none is evident.",
    )
    cameo: str | None = Field(
        None, description="CAMEO event code (2 to 4 digits, as a string), or null when undetermined."
    )
    quad_class: Literal[1, 2, 3, 4] = Field(
        description="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
        "4 material conflict (from the PLOVER type)."
    )
    intensity: float = Field(
        description="PLOVER conflict-cooperation score of the type and mode, from -10 (most "
        "conflictual) to +10 (most cooperative)."
    )
    goldstein: float | None = Field(
        None, description="Goldstein weight of the CAMEO code (-10 to +10), null without a code."
    )
    source: Actor | None = Field(None, description="Who did it (PLOVER 'actor'), or null if unknown.")
    target: Actor | None = Field(
        None, description="To whom it was done (PLOVER 'recipient'), or null if none or unknown."
    )
    dyads: tuple[Dyad, ...] = Field(
        (),
        description="An act with several parties is one event: its source and target are "
        "compound (their members are the parties) and this lists each ordered pair of parties, "
        "both ways for a mutual act. Empty when the act has one source and one target. The store "
        "holds one row per pair (see Event.each_dyad).",
    )
    date: str | None = Field(
        None,
        description="When it happened, ISO 8601 as precise as known: 'YYYY-MM-DD', 'YYYY-MM' or "
        "'YYYY'; the document date when the text gives none; null when neither is known.",
    )
    date_precision: DatePrecision = Field(
        description="'day', 'month' or 'year' when the date comes from the text; 'document' when "
        "the text gives none and the document's date (or null) is used."
    )
    date_text: str | None = Field(
        None, description="The words the date was read from ('on December 26'), or null."
    )
    date_method: str = Field(
        "document",
        description="Provenance of the date: 'absolute' (the text names it fully), 'relative' "
        "(resolved against the document date, e.g. 'last December'), 'office-term' (from an "
        "office holder's term, e.g. 'the end of Obama's presidency'), 'complement' (taken from "
        "the event it reacts to), 'offset' (counted from another dated act, e.g. 'two days "
        "later', 'a day after the vote on Monday'), or 'document'.",
    )
    location: Place | None = Field(None, description="Where it happened, or null if not stated.")
    modality: Modality = Field(
        description="How the text presents the event: 'asserted' (it happened), 'negated' (it did "
        "not), 'hypothetical' (could/might/would), 'conditional' (if/unless...), 'intended' "
        "(planned, promised, signalled, future), 'reported' (a claim attributed to someone), "
        "'historical' (asserted, and dated long before the document)."
    )
    modality_cue: str | None = Field(
        None, description="The word(s) that set the modality ('if', 'would', 'said'), or null."
    )
    reported_by: Actor | None = Field(
        None, description="Who the text says reported the event ('X said Y attacked Z', 'according to X': X), "
        "or null. The reporter is not the source: the event is Y's."
    )
    confidence: float = Field(
        ge=0.0, le=1.0, description="How likely this is the sentence's event as a careful coder would code it "
        "(type, source and target), 0 to 1. Calibrated on labelled sentences the model did not learn from, one "
        "event per sentence: a second event in the same sentence scores lower even when it is right."
    )
    trigger: Trigger = Field(description="The words that express the event, with offsets.")
    rule: str = Field(
        description="The trail of rules that made the event what it is, in the order they were applied, e.g. "
        "'verb:aid:deliver+weapons > intent:operators:agree > recode:own-forces' (see docs/events.md)."
    )

    def each_dyad(self) -> tuple[Event, ...]:
        """The act as dyadic events, one per ordered pair of parties (itself when it has one
        pair): what the store's rows, the dyads and the networks count.

        >>> import realpolitik
        >>> [e] = realpolitik.code("India and China held talks.")
        >>> [(d.source.code, d.target.code) for d in e.each_dyad()]
        [('IND', 'CHN'), ('CHN', 'IND')]
        """
        if not self.dyads:
            return (self,)
        return tuple(self.model_copy(update={"event_id": d.event_id, "source": d.source, "target": d.target,
                                             "confidence": d.confidence, "dyads": ()}) for d in self.dyads)

    def to_json_dict(self) -> dict[str, Any]:
        """The event as a JSON-ready dict (lists, not tuples), in contract field order."""
        return self.model_dump(mode="json")


Actor.model_rebuild()


def event_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one output line, generated from :class:`Event`."""
    schema = Event.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://realpolitik.dev/schema/event.schema.json"
    schema["title"] = "realpolitik event"
    return schema
