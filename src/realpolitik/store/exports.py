"""Exports of the store's events: Parquet, CSV, JSON lines, PLOVER JSON and a GDELT 2.0 table.

Example::

    >>> from realpolitik.store.exports import FORMATS
    >>> FORMATS
    ('parquet', 'csv', 'jsonl', 'plover', 'gdelt')

``parquet``, ``csv`` and ``jsonl`` write the flat event columns (every column of the
``events`` table but the full record), one row per event, streamed by DuckDB. ``plover``
writes one PLOVER JSON record per line (``id``, ``date``, ``actor``, ``recipient``,
``event``, ``mode``, ``context``, ``quad_code``, ``event_scale``, ``event_text``,
``event_loc``, ``text``, ``coder``...). ``gdelt`` writes the 61 tab-separated columns of a
GDELT 2.0 events file, no header, one row per event cluster (the reports of one real-world
event), with its mention, source and article counts; see ``docs/store.md`` for how each
column is filled.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..io.writers import spreadsheet_safe_sql
from .db import Database
from .queries import EventFilter
from .schema import EVENT_COLUMNS

__all__ = ["export", "FORMATS", "FLAT_COLUMNS", "GDELT_COLUMNS"]

FORMATS = ("parquet", "csv", "jsonl", "plover", "gdelt")
FLAT_COLUMNS = tuple(n for n, _ in EVENT_COLUMNS if n not in ("record",))

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{i}{c}" for i in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{g}Geo_{c}" for g in ("Actor1", "Actor2", "Action") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
"""The 61 columns of a GDELT 2.0 events file, in order."""

_KNOWN_GROUPS = "('IGO','UNO','EUR','NGO','IMG','MNC','ISM')"


def _flat(expr: str) -> str:
    """Text for a tab-separated line: tabs and line breaks become spaces."""
    return f"regexp_replace({expr}, '[\t\r\n]+', ' ', 'g')"


def _actor_sql(side: str) -> list[str]:
    return [
        f"coalesce({side}_code, {side}_country, '')",
        _flat(f"upper(coalesce({side}_name, {side}_text, ''))"),
        f"coalesce({side}_country, '')",
        f"CASE WHEN {side}_code IN {_KNOWN_GROUPS} THEN {side}_code ELSE '' END",
        "''", "''", "''",
        f"coalesce({side}_sector, '')", "''", "''",
    ]


def _cameo_order() -> str:
    """The actors in CAMEO's order, as ``g1_*`` and ``g2_*``: the event's source and target, but
    the host first for a code told from the host ("X hosted Y", 043) with both sides named,
    whose stored event has PLOVER's order, visitor first (:func:`~realpolitik.store.schema.told_by_host`)."""
    from .schema import EVENT_COLUMNS, told_by_host

    host, _swap = told_by_host([n for n, _ in EVENT_COLUMNS], "ev", code="coalesce(ev.cameo, p.cameo)")
    return ", ".join(f"CASE WHEN {host} THEN ev.{b}_{c} ELSE ev.{a}_{c} END AS {g}_{c}"
                     for g, a, b in (("g1", "source", "target"), ("g2", "target", "source"))
                     for c in ("code", "country", "name", "text", "sector"))


def _gdelt_select(where: str) -> str:
    us = "location_country IN ('US', 'USA')"
    geo_type = ("CASE WHEN location_name IS NULL THEN 0 "
                "WHEN location_kind = 'country' THEN 1 "
                f"WHEN location_kind = 'admin1' THEN CASE WHEN {us} THEN 2 ELSE 5 END "
                f"WHEN location_kind = 'city' THEN CASE WHEN {us} THEN 3 ELSE 4 END "
                "WHEN location_kind IS NOT NULL THEN 0 "  # a region or a sea: GDELT has no type for it
                "WHEN location_lat IS NULL THEN 1 WHEN location_admin1 = location_name THEN 5 ELSE 4 END")
    action_geo = [geo_type, _flat("coalesce(location_name, '')"), "coalesce(location_country, '')",
                  "coalesce(location_admin1, '')", "''", "location_lat", "location_lon", "''"]
    empty_geo = ["0", "''", "''", "''", "''", "NULL", "NULL", "''"]
    cols = [
        "CASE WHEN origin = 'gdelt' THEN TRY_CAST(origin_id AS BIGINT) "
        "ELSE ('0x' || substr(md5(cluster_id), 1, 13))::BIGINT END",
        "CAST(strftime(day, '%Y%m%d') AS INTEGER)",
        "CAST(strftime(day, '%Y%m') AS INTEGER)",
        "year(day)",
        # GDELT's FractionDate: the year plus (30 days a month before this one + the day) / 365
        "printf('%.4f', year(day) + ((month(day) - 1) * 30 + day(day)) / 365.0)",
        *_actor_sql("g1"), *_actor_sql("g2"),
        "coalesce(TRY_CAST(json_extract_string(extra, '$.is_root_event') AS INTEGER), "
        "CASE WHEN sentence_index = 0 THEN 1 ELSE 0 END)",
        "code", "substr(code, 1, 3)", "substr(code, 1, 2)",
        # GDELT's QuadClass follows the CAMEO root code (01-05, 06-09, 10-14, 15-20); a GDELT row keeps its own
        "CASE WHEN origin = 'gdelt' AND origin_quad_class IS NOT NULL THEN origin_quad_class "
        "ELSE CASE WHEN TRY_CAST(substr(code, 1, 2) AS INTEGER) BETWEEN 1 AND 5 THEN 1 "
        "WHEN TRY_CAST(substr(code, 1, 2) AS INTEGER) BETWEEN 6 AND 9 THEN 2 "
        "WHEN TRY_CAST(substr(code, 1, 2) AS INTEGER) BETWEEN 10 AND 14 THEN 3 "
        "WHEN TRY_CAST(substr(code, 1, 2) AS INTEGER) BETWEEN 15 AND 20 THEN 4 ELSE quad_class END END",
        "coalesce(goldstein, code_goldstein)",
        "n_mentions",
        "coalesce(TRY_CAST(json_extract_string(extra, '$.num_sources') AS INTEGER), n_sources)",
        "coalesce(TRY_CAST(json_extract_string(extra, '$.num_articles') AS INTEGER), n_articles)",
        "TRY_CAST(json_extract_string(extra, '$.avg_tone') AS DOUBLE)",
        *empty_geo, *empty_geo, *action_geo,
        "coalesce(TRY_CAST(json_extract_string(extra, '$.date_added') AS BIGINT), "
        "CAST(strftime(ingested_at, '%Y%m%d%H%M%S') AS BIGINT))",
        _flat("coalesce(url, '')"),
    ]
    assert len(cols) == len(GDELT_COLUMNS)
    select = ",\n  ".join(f"{expr} AS {name}" for expr, name in zip(cols, GDELT_COLUMNS, strict=True))
    return f"""
WITH ev AS (SELECT * FROM events WHERE {where} AND day IS NOT NULL),
cl AS (
  SELECT e.cluster_id, sum(coalesce(e.mentions, 1)) AS n_mentions, count(DISTINCT d.outlet) AS n_sources,
         count(DISTINCT coalesce(d.dup_group, e.doc_id, e.event_id)) AS n_articles
  FROM ev e LEFT JOIN documents d ON d.id = e.doc_id GROUP BY e.cluster_id),
rep AS (SELECT ev.*, coalesce(ev.cameo, p.cameo) AS code, p.goldstein AS code_goldstein, {_cameo_order()} FROM ev
        LEFT JOIN plover_cameo p ON p.event_type = ev.event_type AND p.mode = coalesce(ev.mode, '')
        QUALIFY row_number() OVER (PARTITION BY cluster_id ORDER BY ingested_at, event_id) = 1)
SELECT
  {select}
FROM rep JOIN cl USING (cluster_id)
ORDER BY 2, 1"""


def _plover_cameo() -> Any:
    """PLOVER (type, mode) -> the fitting CAMEO code, for events imported without one."""
    import pyarrow as pa

    from ..ontology import load_ontology

    onto = load_ontology()
    rows = []
    for name, t in onto.types.items():
        for mode in ("", *t.modes):
            code = onto.cameo_for(name, mode or None)
            rows.append({"event_type": name, "mode": mode, "cameo": code, "goldstein": onto.cameo[code].goldstein})
    return pa.Table.from_pylist(rows)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(db: Database, path: str | Path, fmt: str, where: EventFilter | None = None) -> int:
    """Write the events matching ``where`` to ``path`` in format ``fmt``; return the rows written."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    clause, params = (where or EventFilter()).sql()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with db.read() as con:
        if fmt == "plover":
            return _plover(con, path, clause, params)
        if fmt == "gdelt":
            con.register("plover_cameo", _plover_cameo())
            query = _gdelt_select(clause)
            options = "FORMAT csv, DELIMITER '\t', HEADER false, QUOTE ''"
        else:
            text = {n for n, t in EVENT_COLUMNS if t.startswith("VARCHAR")} if fmt == "csv" else set()
            cells = [f"{spreadsheet_safe_sql(n)} AS {n}" if n in text else n for n in FLAT_COLUMNS]
            query = f"SELECT {', '.join(cells)} FROM events WHERE {clause} ORDER BY events.day, events.event_id"
            options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true",
                       "jsonl": "FORMAT json"}[fmt]
        try:
            con.execute(f"COPY ({query}) TO {_quote(path)} ({options})", params)
            (count,) = con.execute(f"SELECT count(*) FROM ({query})", params).fetchall()[0]
        except Exception as exc:  # duckdb.Error: a disk or query problem, reported as the store's
            raise StoreError(f"cannot export to {path}: {exc}") from None
    return int(count)


def _entity(row: dict[str, Any], side: str) -> list[dict[str, Any]]:
    if not (row[f"{side}_text"] or row[f"{side}_code"] or row[f"{side}_country"]):
        return []
    ent = {"code": row[f"{side}_country"] or row[f"{side}_code"], "sector": row[f"{side}_sector"],
           "entity_text": row[f"{side}_text"], "identifier_text": row[f"{side}_name"],
           "identifier_id": row[f"{side}_code"]}
    return [{k: v for k, v in ent.items() if v not in (None, "")}]


def _coder(row: dict[str, Any], version: str) -> str:
    """Who coded the event: this coder, the dataset it was imported from, or, for a PLOVER
    record imported, the coder it names."""
    if row["origin"] == "realpolitik":
        return f"realpolitik {version}"
    if row["origin"] == "plover" and row.get("extra"):
        try:
            named = json.loads(row["extra"]).get("coder")
        except (ValueError, AttributeError):
            named = None
        if isinstance(named, str) and named:
            return named
    return str(row["origin"])


def plover_record(row: dict[str, Any], coded_date: str) -> dict[str, Any]:
    """One events row as a PLOVER JSON record."""
    from .. import __version__

    loc = None
    if row["location_name"]:
        country = row["location_country"]
        if row["origin"] == "gdelt" and country:  # GDELT writes places' countries as FIPS 10-4 codes
            from ..places import fips_countries

            country = fips_countries().get(country)
        loc = {k: v for k, v in {"name": row["location_name"], "country": country,
                                 "admin1": row["location_admin1"], "lat": row["location_lat"],
                                 "lon": row["location_lon"], "text": row["location_text"]}.items()
               if v is not None}
    rec: dict[str, Any] = {
        "id": row["event_id"],
        "date": row["date"] or (row["day"].isoformat() if row["day"] else None),
        "actor": _entity(row, "source"),
        "recipient": _entity(row, "target"),
        "event": [row["event_type"]],
        "mode": [row["mode"]] if row["mode"] else [],
        "context": row["contexts"].split(";") if row["contexts"] else [],
        "quad_code": row["quad_class"],
        "event_scale": row["intensity"],
        "event_text": [row["trigger_text"]] if row["trigger_text"] else [],
        "event_loc": loc,
        "text": row["sentence"],
        "link": row["cluster_id"],
        "coder": _coder(row, __version__),
        "coded_date": coded_date,
        "comment": f"modality={row['modality']}; confidence={row['confidence']}" if row["modality"] else None,
    }
    return {k: v for k, v in rec.items() if v is not None}


def _plover(con: Any, path: Path, clause: str, params: list[Any]) -> int:
    cur = con.execute(f"SELECT {', '.join(FLAT_COLUMNS)} FROM events WHERE {clause} ORDER BY day, event_id", params)
    names = [d[0] for d in cur.description]
    today = dt.date.today().isoformat()
    n = 0
    with path.open("w", encoding="utf-8") as out:
        while True:
            batch = cur.fetchmany(10_000)
            if not batch:
                break
            for values in batch:
                out.write(json.dumps(plover_record(dict(zip(names, values, strict=True)), today),
                                     ensure_ascii=False, default=str) + "\n")
                n += 1
    return n
