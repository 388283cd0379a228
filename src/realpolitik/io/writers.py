"""Write events as JSON lines, CSV or a readable table.

Example::

    >>> import io, realpolitik
    >>> from realpolitik.io.writers import EventWriter
    >>> out = io.StringIO()
    >>> with EventWriter(out, "csv") as w:
    ...     w.write(realpolitik.code("Iran condemned the attack.", date="2019-01-10"))
    >>> out.getvalue().splitlines()[0].split(",")[:4]
    ['event_id', 'doc_id', 'sentence_index', 'event_type']
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from typing import IO, Any, Literal

from rich.console import Console

from ..model import Actor, Event
from ..render import text_table

__all__ = ["EventWriter", "CSV_COLUMNS", "flat_row", "spreadsheet_safe", "spreadsheet_safe_frame",
           "spreadsheet_safe_sql", "terminal_safe"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a CSV cell starts when a spreadsheet would run it as a formula."""

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting with ``= + - @``, a tab or
    a carriage return gets a leading ``'`` (OWASP's advice); numbers and other text are left alone.

    >>> spreadsheet_safe("=SUM(A1:A9)"), spreadsheet_safe(-3.5), spreadsheet_safe("Iran")
    ("'=SUM(A1:A9)", -3.5, 'Iran')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame: Any) -> Any:
    """A copy of a pandas frame with :func:`spreadsheet_safe` applied to its text columns (vectorized)."""
    from pandas.api.types import is_string_dtype

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or is_string_dtype(out[col].dtype):
            cells = out[col]
            risky = cells.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS)).astype(bool)
            if risky.any():
                out[col] = cells.where(~risky, "'" + cells[risky].astype(str))
    return out


def spreadsheet_safe_sql(expr: str) -> str:
    """The SQL of :func:`spreadsheet_safe` over a text expression (for DuckDB's ``COPY (FORMAT csv)``)."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)
    return f"CASE WHEN left({expr}, 1) IN ({starts}) THEN concat('''', {expr}) ELSE {expr} END"


def terminal_safe(text: str) -> str:
    """``text`` for a terminal: each control character (C0 but newline and tab, DEL, C1) becomes a
    visible picture of it (ESC is shown as ``␛``, DEL as ``␡``, a C1 character as ``�``), so that
    text from a document cannot move the cursor, clear the screen, recolour or retitle the
    terminal. One character stays one character: offsets into the text still hold.

    >>> terminal_safe("Iran\x1b[2J condemned")
    'Iran␛[2J condemned'
    """
    return _CONTROLS.sub(_picture, text)


def _picture(m: re.Match[str]) -> str:
    code = ord(m.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"

Format = Literal["jsonl", "csv", "table"]
TABLE_COLUMNS = ("doc", "sent", "type", "mode", "source", "target", "date", "modality", "conf", "trigger")

CSV_COLUMNS = [
    "event_id", "doc_id", "sentence_index", "event_type", "mode", "contexts", "cameo", "quad_class",
    "intensity", "goldstein",
    "source_text", "source_name", "source_code", "source_country", "source_sector", "source_members",
    "target_text", "target_name", "target_code", "target_country", "target_sector", "target_members",
    "date", "date_precision", "date_text", "date_method",
    "location_text", "location_name", "location_country", "location_admin1", "location_lat", "location_lon",
    "modality", "modality_cue", "confidence", "trigger_text", "trigger_start", "trigger_end", "rule",
    "sentence",
]


def _actor_cols(prefix: str, a: Actor | None) -> dict[str, Any]:
    if a is None:
        return {f"{prefix}_{k}": "" for k in ("text", "name", "code", "country", "sector", "members")}
    return {
        f"{prefix}_text": a.text, f"{prefix}_name": a.name or "", f"{prefix}_code": a.code or "",
        f"{prefix}_country": a.country or "", f"{prefix}_sector": a.sector or "",
        f"{prefix}_members": ";".join(m.code or "" for m in a.members),
    }


def flat_row(e: Event) -> dict[str, Any]:
    """One event as a flat dict with the CSV columns."""
    loc = e.location
    row: dict[str, Any] = {
        "event_id": e.event_id, "doc_id": e.doc_id, "sentence_index": e.sentence_index,
        "event_type": e.event_type, "mode": e.mode or "", "contexts": ";".join(e.contexts),
        "cameo": e.cameo or "", "quad_class": e.quad_class, "intensity": e.intensity,
        "goldstein": "" if e.goldstein is None else e.goldstein,
        **_actor_cols("source", e.source), **_actor_cols("target", e.target),
        "date": e.date or "", "date_precision": e.date_precision, "date_text": e.date_text or "",
        "date_method": e.date_method,
        "location_text": loc.text if loc else "", "location_name": loc.name if loc else "",
        "location_country": (loc.country or "") if loc else "", "location_admin1": (loc.admin1 or "") if loc else "",
        "location_lat": "" if loc is None or loc.lat is None else loc.lat,
        "location_lon": "" if loc is None or loc.lon is None else loc.lon,
        "modality": e.modality, "modality_cue": e.modality_cue or "", "confidence": e.confidence,
        "trigger_text": e.trigger.text, "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
        "rule": e.rule, "sentence": e.sentence,
    }
    return row


class EventWriter:
    """Streams events to a text stream in one of the output formats."""

    def __init__(self, stream: IO[str], fmt: Format = "jsonl"):
        self.stream = stream
        self.fmt = fmt
        self._csv: csv.DictWriter | None = None
        self._rows: list[tuple[str, ...]] | None = None
        self.count = 0
        if fmt == "csv":
            self._csv = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
            self._csv.writeheader()
        elif fmt == "table":
            self._rows = []

    def write(self, events: Iterable[Event]) -> None:
        for e in events:
            self.count += 1
            if self.fmt == "jsonl":
                self.stream.write(json.dumps(e.to_json_dict(), ensure_ascii=False) + "\n")
            elif self._csv is not None:
                self._csv.writerow({k: spreadsheet_safe(v) for k, v in flat_row(e).items()})
            elif self._rows is not None:
                self._rows.append((
                    e.doc_id, str(e.sentence_index), e.event_type, e.mode or "",
                    _label(e.source), _label(e.target), e.date or "", e.modality,
                    f"{e.confidence:.2f}", e.trigger.text))

    def close(self) -> None:
        if self._rows is not None:
            Console(file=self.stream, width=160).print(text_table(TABLE_COLUMNS, self._rows, fold=True))
            self._rows = None
        self.stream.flush()

    def __enter__(self) -> EventWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _label(a: Actor | None) -> str:
    if a is None:
        return ""
    return f"{a.code or '?'} ({a.text})"
