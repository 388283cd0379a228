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


def source_statuses(store: Any) -> list[SourceStatus]:
    """Every watched source with its article counts, in the order they were added."""
    with store.db.read() as con:
        rows = con.execute("""
            SELECT s.url, s.kind, s.outlet, s.interval_seconds, s.last_fetch, s.last_ok, s.last_status,
                   s.last_error, coalesce(s.errors, 0), coalesce(s.total_errors, 0), coalesce(e.entries, 0),
                   coalesce(e.stored, 0), coalesce(e.pending, 0), coalesce(e.failed, 0), s.next_poll
            FROM watch_sources s LEFT JOIN (
                SELECT source_url, count(*) AS entries, count(*) FILTER (WHERE state = 'done') AS stored,
                       count(*) FILTER (WHERE state = 'pending') AS pending,
                       count(*) FILTER (WHERE state = 'failed') AS failed
                FROM watch_entries GROUP BY source_url) e ON e.source_url = s.url
            ORDER BY s.added_at, s.url""").fetchall()
    return [SourceStatus(*r) for r in rows]
