"""Setting: where and when an event happened.

:func:`place_of` finds the place of a frame ("in Anbar province", "attacked positions *in
Idlib*", "the Kirkuk checkpoint") and says how it was attached (the preposition, ``object``
or ``modifier``); :func:`when` finds the date the text gives the event ("on December 26"),
else the date of the act a noun refers to, else the document date, and says so.

Example::

    >>> import realpolitik
    >>> e = realpolitik.code("Turkish jets bombed villages near Dohuk on Sunday.", date="2019-05-30")[0]
    >>> (e.location.name, e.date, e.date_method)
    ('Duhok', '2019-05-26', 'relative')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span, Token

from ..dates import DateValue, shift_days
from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor, Place
from .context import EventContext
from .frame import Frame
from .phrases import lemma

__all__ = ["When", "when", "place_of", "place_record", "place_actor", "participles", "reporter_of"]

_LOC_PREPS = G.words("locative_preps")
_DIRECTIONS = G.words("directional_preps")
_NEAR_PREPS = G.words("nearby_preps")
_OBJECT_PREPS = G.words("object_place_preps")
_OBJECT_LOC = G.words("object_location_preps")
_CLAUSE_DATE_PREPS = G.words("clause_date_preps")
_REPORTING = G.words("saying", "report")
_MODIFIER_DEPS = ("nummod", "compound", "amod", "nmod")


@dataclass(frozen=True)
class When:
    """The date of an event as the output gives it, and where it came from."""

    date: str | None
    precision: str
    text: str | None
    method: str
    day: dt.date | None
    """The first day of the date, against which actors are resolved."""
    value: DateValue | None
    span: Span | None


def participles(token: Token) -> list[Token]:
    """A noun trigger's past-participle modifiers: "the curfew imposed in Chad"."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return []
    return [c for c in token.children if c.dep_ == "acl" and c.tag_ == "VBN"]


def place_record(span: Span, offset: int) -> Place:
    """The :class:`~realpolitik.model.Place` of a place span."""
    info = span._.place
    return Place(text=span.text, name=info.name, country=info.country, admin1=info.admin1,
                 lat=info.lat, lon=info.lon, kind=info.kind, start=span.start_char + offset,
                 end=span.end_char + offset, resolved_by=info.resolved_by)


def place_actor(place: Place, ctx: EventContext, how: str = "", sector: str | None = None,
                code: str | None = None, country_name: bool = False) -> Actor:
    """The state (or, with no country, the unknown party) a place stands for as an actor,
    named by its country when ``country_name``; ``code`` defaults to the country code."""
    c = ctx.resources.dictionary.countries.get(place.country) if country_name and place.country else None
    return Actor(text=place.text, start=place.start or 0, end=place.end or 0,
                 name=c.name if c else place.name, code=code if code is not None else place.country,
                 country=place.country, sector=sector, kind="state" if place.country else "unknown",
                 resolved_by=f"place:{place.resolved_by}{how}")


def place_of(frame: Frame, ctx: EventContext) -> tuple[Place | None, str]:
    """Where the event happened, and the preposition (or ``object``, ``modifier``) that said so."""
    places, offset = ctx.places, ctx.offset
    # an operator that governs no event: where what was agreed or refused is to be done ("agreed
    # to build a research centre in Rotterdam")
    bare = [c for c in frame.anchor.children if c.dep_ == "xcomp" and c.pos_ == "VERB"] \
        if frame.inner is None and frame.entry.operator is not None else []
    # "the visiting premier spoke in Ankara": a visitor named by a modifier is where the clause is
    clause = [frame.token.head] if frame.entry.pos == "adj" and "modified" in frame.entry.source else []
    for t in [*frame.words, *participles(frame.token), *bare, *clause]:
        for c in t.children:
            if c.dep_ == "prep" and (c.lower_ in _LOC_PREPS or c.lower_ in _DIRECTIONS):
                if c.lower_ in _DIRECTIONS and not frame.entry.target_from_place:
                    continue
                for g in c.children:
                    if g.dep_ == "pobj" and g.i in places:
                        return place_record(places[g.i], offset), c.lower_
                # one step down: "rioted at a jail in Dili", "clashed at a checkpoint near Kirkuk"
                for g in c.children:
                    if g.dep_ == "pobj" and c.lower_ in _LOC_PREPS:
                        for p in g.children:
                            if p.dep_ == "prep" and p.lower_ in _NEAR_PREPS:
                                for h in p.children:
                                    if h.dep_ == "pobj" and h.i in places:
                                        return place_record(places[h.i], offset), c.lower_
            if c.dep_ in ("npadvmod", "compound") and c.i in places and c.i < t.i and \
                    places[c.i]._.place.kind != "country":
                return place_record(places[c.i], offset), "modifier"
        found = _object_place(t, ctx) or _there(t, ctx)
        if found is not None:
            return found
    return None, ""


def _there(t: Token, ctx: EventContext) -> tuple[Place, str] | None:
    """"broke ties with Iran after protesters stormed its embassy there": the place named last
    before the act's (or its object's) "there"."""
    for c in [*t.children, *(g for o in t.children if o.dep_ == "dobj" for g in o.children)]:
        if c.dep_ == "advmod" and c.lower_ in G.words("place_adverbs"):
            before = [i for i in ctx.places if c.sent.start <= i < c.i
                      and ctx.doc[i].head.lower_ not in G.words("passing_preps")]
            if before:
                return place_record(ctx.places[max(before)], ctx.offset), c.lower_
    return None


def _object_place(t: Token, ctx: EventContext) -> tuple[Place, str] | None:
    """The object's location: "attacked positions in Idlib", "a visit to troops in Iraq",
    "handed over control of Manbij"."""
    places, offset = ctx.places, ctx.offset
    for c in t.children:
        if c.dep_ in ("dobj", "pobj") or (c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS):
            inner = [c] if c.dep_ != "prep" else [g for g in c.children if g.dep_ == "pobj"]
            for o in inner:
                if o.i in places and o.dep_ == "dobj" and places[o.i]._.place.kind != "country":
                    return place_record(places[o.i], offset), "object"
                for p in o.children:
                    if p.dep_ == "prep" and p.lower_ in _OBJECT_LOC:
                        for g in p.children:
                            if g.dep_ == "pobj" and g.i in places:
                                return place_record(places[g.i], offset), p.lower_
    return None


def _date_span(frame: Frame, ctx: EventContext) -> Span | None:
    """The date expression of a frame: inside its construction (not across another
    trigger), else on a clause above it ("It was last December when Iraq declared...")."""
    own_ids = {t.i for t in frame.tokens}
    best: tuple[int, Span] | None = None
    for span in ctx.dates_near(frame.tokens):
        t = span.root
        if t.dep_ in _MODIFIER_DEPS and t.head.i not in own_ids and t.head.lower_ not in _UNITS:
            continue  # "under a 2017 law": the year dates the law, not the event
        dist = 0
        ok = False
        while dist < 10:
            if t.i in own_ids:
                ok = True
                break
            if t.head == t or (t.i in ctx.trigger_tokens and t.i not in own_ids and dist > 0):
                break
            if t.dep_ in ("relcl", "ccomp", "advcl") and dist > 0:
                break
            t = t.head
            dist += 1
        if ok and (best is None or dist < best[0]):
            best = (dist, span)
    if best is not None:
        return best[1]
    v = frame.anchor
    for _ in range(6):
        if v.head == v:
            break
        v = v.head
        for c in v.children:
            if c.i in ctx.date_tokens and ctx.date_tokens[c.i].root.i == c.i and c.dep_ not in ("relcl", "ccomp"):
                return ctx.date_tokens[c.i]
            if c.dep_ == "prep" and c.lower_ in _CLAUSE_DATE_PREPS:
                for g in c.children:
                    if g.i in ctx.date_tokens:
                        return ctx.date_tokens[g.i]
    return None


_UNITS = G.table("offset_units")
_NUMBERS = G.table("offset_numbers")
_DIRECTIONS_IN_TIME = G.table("offset_directions")


def _days(unit: Token) -> int | None:
    """The days of a stated span of time ("two days", "a week"), or None."""
    per = _UNITS.get(unit.lower_)
    if per is None:
        return None
    count = next((c for c in unit.children if c.dep_ in ("nummod", "det")), None)
    if count is None:
        return None
    n = int(count.text) if count.text.isdigit() else _NUMBERS.get(count.lower_)
    return n * per if n else None


def _day_in(tokens: Any, ctx: EventContext) -> DateValue | None:
    """The day-precise date named among these tokens, if any."""
    for t in tokens:
        span = ctx.date_tokens.get(t.i)
        value = span._.date_value if span is not None else None
        if value is not None and value.precision == "day":
            return value
    return None


def _offset(frame: Frame, ctx: EventContext) -> tuple[DateValue, str] | None:
    """A date counted from another act: "a day after Israel opened the crossing on Monday",
    "two days later" (from the last day the text named before), "a week before the vote"."""
    v = frame.anchor
    for c in v.children:
        way = _DIRECTIONS_IN_TIME.get(c.lower_)
        if c.dep_ == "advmod" and way is not None:  # "two days later": counted from the text's last day
            days = next((d for d in map(_days, c.children) if d), None)
            earlier = sorted((s for s in ctx.dates.values() if s.end <= v.sent.start), key=lambda s: s.start)
            base = _day_in([s.root for s in reversed(earlier)], ctx)
            words = " ".join(t.text for t in c.subtree)
        elif c.dep_ == "prep" and way is not None:  # "a week before the vote on March 3"
            days = next((d for d in map(_days, c.children) if d), None)
            base = _day_in(c.subtree, ctx)
            words = " ".join(t.text for t in c.subtree)
        elif c.dep_ == "npadvmod" and _days(c):  # "a day after Israel opened it on Monday"
            # the act counted from: "after" with its object, or an "after" clause
            mark, counted = next(((m, a) for a in v.children for m in ([a] if a.dep_ == "prep" else (
                a.children if a.dep_ == "advcl" else ())) if m.dep_ in ("prep", "mark")
                and m.lower_ in _DIRECTIONS_IN_TIME), (None, None))
            if mark is None or counted is None:
                continue
            days, way, base = _days(c), _DIRECTIONS_IN_TIME[mark.lower_], _day_in(counted.subtree, ctx)
            words = " ".join(t.text for t in (*c.subtree, mark))
        else:
            continue
        if days and base is not None:
            day = shift_days(base.first_day, way * days)
            return (DateValue(day.isoformat(), "day", "offset"), words) if day is not None else None
    return None


def when(frame: Frame, ctx: EventContext) -> When:
    """The event's date: the text's, one counted from another act's ("two days later"), the
    governed act's ("calls for Friday's strike" has no date of its own), or the document's."""
    doc_date: dt.date | None = ctx.doc._.doc_date
    span = _date_span(frame, ctx)
    method = "document"
    value: DateValue | None = span._.date_value if span is not None else None
    if value is None:
        counted = _offset(frame, ctx)
        if counted is not None:
            day, words = counted
            return When(day.value, "day", words, "offset", day.first_day, day, None)
    if value is None and frame.inner is not None and frame.token.pos_ == "NOUN":
        inner_span = _date_span(frame.inner, ctx)
        if inner_span is not None:
            value, span, method = inner_span._.date_value, inner_span, "complement"
    if value is None:
        return When(doc_date.isoformat() if doc_date else None, "document", None, method, doc_date, None, span)
    return When(value.value, value.precision, span.text if span is not None else None,
                value.method if method == "document" else method, value.first_day, value, span)


def reporter_of(frame: Frame) -> Token | None:
    """Who reports the event: the subject of the saying verb whose clause holds it ("X said Y
    attacked Z": X), or the object of "according to" on a clause above it."""
    v = frame.anchor
    for _ in range(8):
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                return next((g for p in c.children for g in ([p] if p.dep_ == "pobj" else p.children)
                             if g.dep_ == "pobj"), None)
        if v.dep_ == "ccomp" and lemma(v.head) in _REPORTING:
            from .parse import subject

            return subject(v.head)[0]
        if v.head == v:
            break
        v = v.head
    return None
