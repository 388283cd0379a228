"""What the store keeps about the watched sources and the article links they list.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.watch.state import source_statuses
    >>> source_statuses(Store(":memory:"))
    []

Three tables (migration ``0004_watch``): ``watch_sources``, one row a feed or sitemap with its
settings, its HTTP validators (ETag, Last-Modified) and its last fetch; ``watch_entries``, one
row an article link a source listed, ``pending`` until it is fetched and stored (``done``, with
the ``doc_id`` of its document) or given up (``failed``, with the error); ``watch_alerts``, one
row an alert delivered, so that no rule fires twice for the same key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = ["SourceStatus", "source_statuses"]


@dataclass(frozen=True)
class SourceStatus:
    """One watched source as the store last saw it."""

    url: str
    """The feed's or sitemap's URL, as the sources file gives it."""
    kind: str | None
    """``feed`` or ``sitemap`` once fetched; None before."""
    outlet: str | None
    """The outlet name the sources file gives (else the host name is used for its documents)."""
    interval_seconds: int | None
    """How often it is polled."""
    last_fetch: dt.datetime | None
    """When it was last asked for (whatever the answer)."""
    last_ok: dt.datetime | None
    """When it last answered with a feed (200) or said nothing changed (304)."""
    last_status: int | None
    """The HTTP status of the last answer; None when there was none (timeout, refused)."""
    last_error: str | None
    """Why the last fetch failed; None when it did not."""
    errors: int
    """Failures in a row (0 after a good fetch)."""
    total_errors: int
    """Failures since it was first watched."""
    entries: int
    """Article links it has listed, all told."""
    stored: int
    """Of those, articles fetched and stored."""
    pending: int
    """Of those, articles waiting to be fetched."""
    failed: int
    """Of those, articles given up on (see ``watch_entries.last_error``)."""
    next_poll: dt.datetime | None
    """When it is next due."""


def _value(v: Any) -> Any:
    """A frame's missing value (NaN, NaT) as None."""
    return None if v is None or v != v else v


def source_statuses(store: Any) -> list[SourceStatus]:
    """Every watched source with its article counts, in the order they were added."""
    frame = store.query("""
        SELECT s.url, s.kind, s.outlet, s.interval_seconds, s.last_fetch, s.last_ok, s.last_status,
               s.last_error, coalesce(s.errors, 0) AS errors, coalesce(s.total_errors, 0) AS total_errors,
               (SELECT count(*) FROM watch_entries e WHERE e.source_url = s.url) AS entries,
               (SELECT count(*) FROM watch_entries e WHERE e.source_url = s.url AND e.state = 'done') AS stored,
               (SELECT count(*) FROM watch_entries e WHERE e.source_url = s.url AND e.state = 'pending') AS pending,
               (SELECT count(*) FROM watch_entries e WHERE e.source_url = s.url AND e.state = 'failed') AS failed,
               s.next_poll
        FROM watch_sources s ORDER BY s.added_at, s.url""")
    out = []
    for rec in frame.to_dict(orient="records"):
        rec = {k: _value(v) for k, v in rec.items()}
        for k in ("last_fetch", "last_ok", "next_poll"):
            if rec[k] is not None and hasattr(rec[k], "to_pydatetime"):
                rec[k] = rec[k].to_pydatetime()
        for k in ("interval_seconds", "last_status"):
            if rec[k] is not None:
                rec[k] = int(rec[k])
        for k in ("errors", "total_errors", "entries", "stored", "pending", "failed"):
            rec[k] = int(rec[k])
        out.append(SourceStatus(**rec))
    return out
