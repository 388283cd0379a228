"""Events and documents as rows of the store's tables.

Example::

    >>> from realpolitik.store.rows import day_of
    >>> day_of("2019-01"), day_of("2019-01-08"), day_of(None)
    (datetime.date(2019, 1, 1), datetime.date(2019, 1, 8), None)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..io.writers import flat_row
from ..model import Event
from .dedup import cluster_key

__all__ = ["event_row", "day_of", "to_date", "plain"]


def day_of(date: str | None) -> dt.date | None:
    """The first day a date string ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD') covers."""
    if not date:
        return None
    parts = date.split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def to_date(value: Any) -> dt.date | None:
    """A day read back from a frame (a date, a pandas Timestamp, or NaT/None) as a date or None."""
    if value is None or value != value:
        return None
    return value.date() if isinstance(value, dt.datetime) or hasattr(value, "to_pydatetime") else value


def plain(v: Any, column: str = "") -> Any:
    """A frame or row value as JSON-ready: NaN/NaT as None, dates and timestamps as ISO text,
    numpy scalars as Python ones, arrays and lists item by item."""
    if v is None:
        return None
    if isinstance(v, list | tuple) or (hasattr(v, "tolist") and bool(getattr(v, "ndim", False))):
        return [plain(x) for x in (v.tolist() if hasattr(v, "tolist") else v)]
    try:
        if v != v:  # NaN, NaT
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "isoformat"):
        if column == "day" or (isinstance(v, dt.date) and not isinstance(v, dt.datetime)):
            return v.isoformat()[:10]
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def _actor_key(row: dict[str, Any], side: str) -> str | None:
    return row[f"{side}_code"] or row[f"{side}_country"] or row[f"{side}_members"] or None


def event_row(e: Event, url: str | None, now: dt.datetime) -> dict[str, Any]:
    """The ``events`` row of a coded event: its flat fields, cluster, day and full record."""
    row = {k: (None if v == "" else v) for k, v in flat_row(e).items()}
    row["contexts"] = row["contexts"] or None
    row.update(
        origin="realpolitik",
        origin_id=None,
        cluster_id=cluster_key(e.date, e.event_type, _actor_key(row, "source"), _actor_key(row, "target"), e.doc_id),
        day=day_of(e.date),
        mentions=1,
        url=url,
        record=json.dumps(e.to_json_dict(), ensure_ascii=False),
        extra=None,
        ingested_at=now,
        origin_quad_class=None,
        location_kind=e.location.kind if e.location is not None else None,
    )
    return row
