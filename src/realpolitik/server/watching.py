"""The HTTP routes of a watched store: its sources, and its events as they arrive.

Example::

    >>> from fastapi.testclient import TestClient
    >>> from realpolitik.server.app import create_app
    >>> from realpolitik.config import ServerSettings
    >>> client = TestClient(create_app(":memory:", settings=ServerSettings(allowed_hosts=("testserver",))))
    >>> client.get("/api/sources").json()
    {'items': []}
    >>> got = client.get("/api/events/newest", params={"limit": 5}).json()
    >>> got["items"], got["more"], isinstance(got["cursor"], str)
    ([], False, True)

``GET /api/sources`` lists each feed or sitemap that ``realpolitik watch`` polls
(:func:`realpolitik.watch.state.source_statuses`). ``GET /api/events/newest`` answers the
events stored most recently (by ``ingested_at``), newest first, and a ``cursor``; asked again
with ``after=<cursor>`` it answers only the events stored since. The dashboard's live view
asks every few seconds: an answer is kept until the store changes (the server's answer
cache), so asking costs nothing while nothing arrives, and reads the table itself (not the
in-memory index, which is read again only once the store has rested), so that an event shows
as soon as it is committed. :func:`add_watch_routes` adds both to the application that
:func:`realpolitik.server.app.create_app` builds.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query

from ..store.exports import FLAT_COLUMNS
from ..store.queries import EventFilter, decode_cursor, encode_cursor, scope_of
from . import schemas as s
from .params import json_ready

__all__ = ["add_watch_routes", "newest_events", "Arrivals", "MAX_NEWEST"]

MAX_NEWEST = 200
"""Most events one answer of ``GET /api/events/newest`` may hold."""


@dataclass(frozen=True)
class Arrivals:
    """The events stored after a cursor, newest first, and the cursor to ask with next."""

    items: list[dict[str, Any]]
    """The events' flat columns, most recently stored first."""
    cursor: str
    """Pass it back as ``after`` to get only what is stored later; the same as the one given when
    nothing arrived."""
    more: bool
    """More events than ``limit`` were stored after the cursor (or, without one, the store holds
    more): the oldest of them were left out."""


def _cursor(scope: str, stamp: dt.datetime | None, event_id: str) -> str:
    return encode_cursor(scope, None if stamp is None else stamp.isoformat(), event_id)


def newest_events(store: Any, *, after: str | None = None, limit: int = 50, where: EventFilter | None = None
                  ) -> Arrivals:
    """The events stored most recently (matching ``where``), or only those stored after the
    cursor ``after`` that an earlier answer gave; a StoreError for a cursor this store did not
    give, or one of other filters.

    >>> from realpolitik.store import Store
    >>> first = newest_events(Store(":memory:"), limit=10)
    >>> first.items, newest_events(Store(":memory:"), after=first.cursor).items
    ([], [])

    Events are ordered by when they were stored (``ingested_at``, then ``event_id``); events
    without that time (none that this version stores) never count as new. Only the keys are
    sorted; the rows are read for the ``limit`` events found, among the row groups stored since.
    """
    f = where or EventFilter()
    clause, params = f.sql()
    scope = scope_of("newest", clause, params)
    since: list[str] = []
    since_params: list[Any] = []
    if after is not None:
        stamp, last_id = decode_cursor(after, scope)
        if stamp is None:
            since.append("ingested_at IS NOT NULL")
        else:
            try:
                t = dt.datetime.fromisoformat(stamp)
            except ValueError:
                from ..errors import StoreError

                raise StoreError(f"cursor {after[:40]!r} is not one this store gave; start again without one"
                                 ) from None
            # the first term alone lets the scan skip the row groups stored before the cursor
            since.append("ingested_at >= ? AND (ingested_at > ? OR event_id > ?)")
            since_params += [t, t, last_id]
    cond = " AND ".join([clause, *since])
    with store.db.read() as con:
        keys = con.execute(f"SELECT event_id, ingested_at FROM events WHERE {cond} "
                           "ORDER BY ingested_at DESC NULLS LAST, event_id DESC LIMIT ?",
                           [*params, *since_params, int(limit) + 1]).fetchall()
        more, keys = len(keys) > limit, keys[:limit]
        rows: list[dict[str, Any]] = []
        if keys:
            stamps = [k[1] for k in keys if k[1] is not None]
            low = "ingested_at >= ?" if stamps else "ingested_at IS NULL"
            cur = con.execute(f"SELECT {', '.join(FLAT_COLUMNS)} FROM events WHERE {low} AND event_id IN "
                              "(SELECT unnest(?::VARCHAR[]))",
                              [*([min(stamps)] if stamps else []), [k[0] for k in keys]])
            names = [d[0] for d in cur.description]
            found = {r[names.index("event_id")]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
            rows = [found[k[0]] for k in keys if k[0] in found]
    if keys and keys[0][1] is not None:
        cursor = _cursor(scope, keys[0][1], keys[0][0])
    else:  # nothing new (keep the cursor given), or nothing with a time yet: everything stored later is new
        cursor = after if after is not None else _cursor(scope, None, "")
    return Arrivals(rows, cursor, more)


def add_watch_routes(app: FastAPI, store: Any, filters: Any = None) -> None:
    """Add ``GET /api/sources`` and ``GET /api/events/newest`` over ``store`` to ``app``;
    ``filters`` is the dependency that reads the events filters of a request (the one
    ``/api/events`` takes), if the newest events may be filtered alike."""
    Where = Annotated[EventFilter, Depends(filters or (lambda: EventFilter()))]

    @app.get("/api/sources", response_model=s.SourcesBody, tags=["watch"])
    def source_list() -> Any:
        """Every source ``realpolitik watch`` polls, in the order they were added: its last fetch and
        its outcome, its errors, its article links (stored, pending, failed), when it is next due."""
        from ..watch.state import source_statuses

        if store.db.dataset:  # a Parquet dataset is not watched into
            return {"items": []}
        return {"items": [json_ready(dict(v.__dict__)) for v in source_statuses(store)]}

    @app.get("/api/events/newest", response_model=s.NewestEvents, tags=["events", "watch"])
    def newest(where: Where,
               after: Annotated[str | None, Query(max_length=400, description="The cursor of an earlier answer: "
                                                  "only events stored since.")] = None,
               limit: Annotated[int, Query(ge=1, le=MAX_NEWEST, description=f"Most events (1-{MAX_NEWEST}).")] = 50
               ) -> Any:
        """The events stored most recently, newest first, and the cursor to ask again with
        (``after``) for only those stored since: what a live view polls."""
        got = newest_events(store, after=after, limit=limit, where=where)
        return {"items": json_ready(got.items), "cursor": got.cursor, "more": got.more}
