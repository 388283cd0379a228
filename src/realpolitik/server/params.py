"""What the HTTP routes share: the shapes of their parameters, and answers made JSON-ready."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Path as PathParam
from fastapi import Query

from ..store.rows import plain

__all__ = ["CODE", "EARLIEST", "LATEST", "ActorCode", "Day", "json_ready"]

EARLIEST, LATEST = dt.date(1800, 1, 1), dt.date(2199, 12, 31)

Day = Annotated[dt.date | None, Query(ge=EARLIEST, le=LATEST, description="YYYY-MM-DD")]
CODE = r"^[A-Za-z0-9_]+$"
"""A country or actor code as the API takes it."""
ActorCode = Annotated[str, PathParam(max_length=80, pattern=r"^[A-Za-z0-9_+]+([ :/][A-Za-z0-9_]+)?$",
                                     description="A country or actor code, e.g. IRQ, optionally with a sector: IRQ:GOV.")]


def json_ready(value: Any) -> Any:
    """Rows and frames' values as JSON-ready values, recursively."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, dt.datetime) and value == value:  # not NaT; RFC 3339 wants an offset the store omits
        return value.astimezone().isoformat()
    return plain(value)
