"""Filters over the store's events, turned into SQL with parameters.

Example::

    >>> from realpolitik.store.queries import EventFilter
    >>> where, params = EventFilter(dyad=("IRQ", "RUS"), event_type="AID").sql()
    >>> params
    ['AID', 'IRQ', 'IRQ', 'RUS', 'RUS', 'RUS', 'RUS', 'IRQ', 'IRQ']

An actor is matched by its country or its code (``IRQ`` matches ``IRQ``, ``IRQGOV`` and an
actor whose country is Iraq); a dyad matches either direction unless ``directed`` is set.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from ..errors import StoreError
from ..model import EVENT_TYPES, MODALITIES

__all__ = ["EventFilter", "FREQUENCIES", "check_frequency", "Page", "keyset", "page_of", "scope_of", "encode_cursor", "decode_cursor"]

FREQUENCIES = ("day", "week", "month", "quarter", "year")
"""Periods a series can be counted by (DuckDB ``date_trunc`` names)."""


def check_frequency(freq: str) -> str:
    """``freq`` if it is one of FREQUENCIES; a StoreError naming them otherwise."""
    if freq not in FREQUENCIES:
        raise StoreError(f"unknown frequency {freq!r}; use one of {', '.join(FREQUENCIES)}")
    return freq

ORIGINS = ("realpolitik", "gdelt", "icews", "polecat", "plover")


def _side(side: str) -> str:
    return f"({side}_country = ? OR {side}_code = ?)"


@dataclass(frozen=True)
class EventFilter:
    """Which events to read. Every field is optional; all given ones must hold."""

    actor: str | None = None
    """Source or target is this country or actor code."""
    dyad: tuple[str, str] | None = None
    """Source and target are these two actors (either way round unless ``directed``)."""
    directed: bool = False
    event_type: str | None = None
    """A PLOVER event type (AGREE ... ASSAULT)."""
    since: dt.date | None = None
    """On or after this day."""
    until: dt.date | None = None
    """On or before this day."""
    modality: str | None = None
    origin: str | None = None
    """realpolitik (coded here), gdelt, icews or polecat."""
    doc_id: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if isinstance(value, str):
                try:
                    object.__setattr__(self, name, dt.date.fromisoformat(value))
                except ValueError:
                    raise StoreError(f"{name}={value!r} is not a date; use YYYY-MM-DD") from None
            elif value is not None and not isinstance(value, dt.date):
                raise StoreError(f"{name} must be a date, got {value!r}")
        if self.dyad is not None:
            pair = tuple(self.dyad.split(",")) if isinstance(self.dyad, str) else tuple(self.dyad)
            if len(pair) != 2 or not all(isinstance(x, str) and x.strip() for x in pair):
                raise StoreError(f"dyad={self.dyad!r}: give two actors, e.g. ('IRQ', 'RUS') or 'IRQ,RUS'")
            object.__setattr__(self, "dyad", (pair[0].strip(), pair[1].strip()))
        if self.event_type is not None and self.event_type.upper() not in EVENT_TYPES:
            raise StoreError(f"unknown event type {self.event_type!r}; use one of {' '.join(EVENT_TYPES)}")
        if self.modality is not None and self.modality not in MODALITIES:
            raise StoreError(f"unknown modality {self.modality!r}; use one of {' '.join(MODALITIES)}")
        if self.origin is not None and self.origin not in ORIGINS:
            raise StoreError(f"unknown origin {self.origin!r}; use one of {' '.join(ORIGINS)}")

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE clause (without the keyword; ``TRUE`` when empty) and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.event_type:
            parts.append("event_type = ?")
            params.append(self.event_type.upper())
        if self.actor:
            a = self.actor.upper()
            parts.append(f"({_side('source')} OR {_side('target')})")
            params += [a, a, a, a]
        if self.dyad:
            a, b = (x.upper() for x in self.dyad)
            if self.directed:
                parts.append(f"({_side('source')} AND {_side('target')})")
                params += [a, a, b, b]
            else:
                parts.append(f"(({_side('source')} AND {_side('target')}) OR ({_side('source')} AND {_side('target')}))")
                params += [a, a, b, b, b, b, a, a]
        if self.since:
            parts.append("day >= ?")
            params.append(self.since)
        if self.until:
            parts.append("day <= ?")
            params.append(self.until)
        if self.modality:
            parts.append("modality = ?")
            params.append(self.modality)
        if self.origin:
            parts.append("origin = ?")
            params.append(self.origin)
        if self.doc_id:
            parts.append("doc_id = ?")
            params.append(self.doc_id)
        return (" AND ".join(parts) or "TRUE"), params


@dataclass(frozen=True)
class Page:
    """One page of rows read in a stable order, and the cursor that reads the next one."""

    items: list[dict[str, Any]]
    """The rows, as column -> value (dates as ``datetime.date``)."""
    next_cursor: str | None
    """Pass it back as ``cursor`` for the next page; None on the last page."""


def encode_cursor(scope: str, first: str | None, key: str) -> str:
    """The cursor of a row of the query ``scope``: its order key (first column as text or None,
    then the unique key), as :func:`decode_cursor` reads it back."""
    return base64.urlsafe_b64encode(json.dumps([scope, first, key], separators=(",", ":")).encode()
                                    ).decode().rstrip("=")


def scope_of(*parts: Any) -> str:
    """A short fingerprint of a query (its clause, parameters and order) that its cursors carry."""
    import hashlib

    return hashlib.blake2b(repr(parts).encode(), digest_size=6).hexdigest()


def decode_cursor(cursor: str, scope: str) -> tuple[str | None, str]:
    """The order key (first column as text or None, then the unique key) that ``cursor`` carries;
    a StoreError unless it is a cursor of the query ``scope``."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        key = None
    if (not isinstance(key, list) or len(key) != 3 or not isinstance(key[0], str)
            or not (key[1] is None or isinstance(key[1], str)) or not isinstance(key[2], str)):
        raise StoreError(f"cursor {cursor[:40]!r} is not one this store gave; start again without a cursor")
    if key[0] != scope:
        raise StoreError("this cursor belongs to another query (other filters or order); "
                         "start again without a cursor")
    return key[1], key[2]


def keyset(order: tuple[str, str], cursor: str | None, newest_first: bool = False, scope: str = ""
           ) -> tuple[str, list[Any], str]:
    """Keyset pagination over ``(order[0] NULLS LAST, order[1])``: a WHERE clause for the rows after
    ``cursor``, its parameters, and the ORDER BY. ``order[0]`` may be NULL (dates); ``order[1]`` is
    a unique key. Pages stay right while rows are added, and cost the same however deep. A cursor
    is refused unless it was made for the same ``scope`` (see :func:`scope_of`).

    >>> keyset(("day", "event_id"), None)
    ('TRUE', [], 'day NULLS LAST, event_id')
    """
    first, key = order
    way, cmp = ("DESC", "<") if newest_first else ("ASC", ">")
    order_by = f"{first} {way} NULLS LAST, {key} {way}".replace(" ASC", "")
    if cursor is None:
        return "TRUE", [], order_by
    last_first, last_key = decode_cursor(cursor, scope)
    if last_first is None:
        return f"({first} IS NULL AND {key} {cmp} ?)", [last_key], order_by
    return (f"({first} {cmp} ? OR ({first} = ? AND {key} {cmp} ?) OR {first} IS NULL)",
            [last_first, last_first, last_key], order_by)


def page_of(rows: list[dict[str, Any]], limit: int, order: tuple[str, str], scope: str = "") -> Page:
    """The page of the first ``limit`` of ``rows`` (read with ``LIMIT limit + 1``), with the cursor
    after it when there are more."""
    if len(rows) <= limit:
        return Page(rows, None)
    last = rows[limit - 1]
    first = last[order[0]]
    return Page(rows[:limit], encode_cursor(scope, None if first is None else str(first), str(last[order[1]])))
