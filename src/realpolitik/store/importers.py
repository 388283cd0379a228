"""Importers of the standard event datasets: GDELT 2.0 events, ICEWS and POLECAT files.

Example::

    >>> from realpolitik.store.importers import sniff_format
    >>> sniff_format("20190108.export.CSV.zip", b"")
    'gdelt'

Each file is read and mapped by a private in-memory DuckDB (so the store stays open to
readers meanwhile), then added to the ``events`` table in one short transaction, with ``origin`` set to
the dataset and ``origin_id`` to its own event id, CAMEO codes mapped to PLOVER types with
the project's CAMEO table, and country names mapped to ISO codes with the actor dictionary.
A file already imported (same content hash) is skipped, and an event already in the store
(same dataset and id) is not added again, so importing is idempotent. Rows that cannot be
read (wrong number of fields) or used (no valid date or event code) are counted and go to
``rejects`` with the file and line.

Formats, all tab-separated:

- ``gdelt``: GDELT 2.0 event export files (61 columns, no header), plain, ``.gz`` or
  ``.zip`` (as published: ``YYYYMMDDHHMMSS.export.CSV.zip``).
- ``icews``: ICEWS coded event files with their header (``Event ID``, ``Event Date``,
  ``Source Name``, ``Source Sectors``, ``Source Country``, ``Event Text``, ``CAMEO Code``,
  ``Intensity``, ``Target ...``, ``Story ID``, ``Sentence Number``, ``Publisher``,
  ``City``, ``District``, ``Province``, ``Country``, ``Latitude``, ``Longitude``).
- ``polecat``: POLECAT weekly files with their header (``Event ID``, ``Event Date``,
  ``Event Type``, ``Event Mode``, ``Event Intensity``, ``Quad Code``, ``Contexts``,
  ``Actor Name``, ``Actor Country``, ``Primary Actor Sector``, ``Recipient ...``,
  ``Placename``, ``Country``, ``Latitude``, ``Longitude``, ``Source``, ...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import BinaryInputError, EmptyInputError, InputError
from ..io.readers import looks_binary
from .db import Database
from .exports import GDELT_COLUMNS

__all__ = ["import_file", "ImportReport", "sniff_format", "IMPORT_FORMATS"]

IMPORT_FORMATS = ("gdelt", "icews", "polecat")


@dataclass
class ImportReport:
    """What importing one file did."""

    path: str
    format: str
    rows: int = 0
    """Events added to the store."""
    already: int = 0
    """Events of the file that were in the store already."""
    rejected: int = 0
    """Rows that could not be read or used (wrong number of fields, no valid date, unknown code)."""
    not_plover: int = 0
    """Rows with a valid CAMEO code that has no PLOVER type (CAMEO 01x public statements), left out."""
    skipped_file: bool = False
    """The same file (by content) was imported before; nothing was read."""
    seconds: float = 0.0


def sniff_format(name: str, head: bytes) -> str | None:
    """The dataset a file holds, from its name or its first line; None when unclear."""
    low = name.lower()
    if ".export." in low or low.endswith((".export.csv", ".export.csv.zip")):
        return "gdelt"
    if "polecat" in low or "ngec" in low:
        return "polecat"
    if "icews" in low or low.startswith("events.") and low.endswith((".tab", ".tab.gz", ".tsv")):
        return "icews"
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
    if "cameo code" in first and "source country" in first:
        return "icews"
    if "event type" in first and "recipient" in first:
        return "polecat"
    if first.count("\t") == len(GDELT_COLUMNS) - 1 and first.split("\t", 1)[0].strip().isdigit():
        return "gdelt"
    return None


def _file_hash(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _head(path: Path) -> bytes:
    import gzip

    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
                return z.open(names[0]).read(8192) if names else b""
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as g:
                return g.read(8192)
        with path.open("rb") as f:
            return f.read(8192)
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise InputError(f"cannot read the file: {exc}", str(path)) from None


@contextmanager
def _readable(path: Path) -> Iterator[Path]:
    """The path DuckDB can read: a zip archive's single member is extracted to a temporary file."""
    if path.suffix.lower() != ".zip":
        yield path
        return
    with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory(prefix="realpolitik-import-") as tmp:
        members = [m for m in z.namelist() if not m.endswith("/")]
        if len(members) != 1:
            raise InputError(f"the zip archive holds {len(members)} files; expected one events file", str(path))
        out = Path(tmp) / Path(members[0]).name
        with z.open(members[0]) as src, out.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
        yield out


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@lru_cache(maxsize=1)
def _cameo_table() -> pa.Table:
    from ..ontology import load_ontology

    onto = load_ontology()
    rows = []
    for code, c in onto.cameo.items():
        ptype = c.plover_type or None
        mode = (c.plover_mode or None) if ptype else None
        rows.append({"cameo": code, "event_type": ptype, "mode": mode, "contexts": ";".join(c.contexts) or None,
                     "quad_class": onto.quad(ptype) if ptype else None,
                     "intensity": onto.score(ptype, mode) if ptype else None, "goldstein": c.goldstein,
                     "known": True})
    return pa.Table.from_pylist(rows)


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    """The shipped actor dictionary, loaded once for all imports."""
    from ..actors import load_actor_dictionary

    return load_actor_dictionary()


@lru_cache(maxsize=1)
def _country_resolver() -> Any:
    d = _dictionary()

    def resolve(value: str | None) -> str | None:
        if not value:
            return None
        v = value.strip()
        if re.fullmatch(r"[A-Z]{3}", v) and v in d.countries:
            return d.countries[v].coded_as
        for ref in d.lookup(v):
            if ref.kind == "country":
                return d.countries[ref.key].coded_as
        return None

    return resolve


def _sector_of(value: str | None) -> str | None:
    """A PLOVER sector from a dataset's sector names ('Government,Executive' -> GOV)."""
    if not value:
        return None
    from ..actors import SECTORS

    v = value.strip()
    if v.upper() in SECTORS:
        return v.upper()
    d = _dictionary()
    words = [w for part in re.split(r"[,;|/]", v.lower()) for w in (part.strip(), *part.split())]
    return d.sector_of(w for w in words if w)


def import_file(db: Database, path: str | Path, fmt: str | None = None) -> ImportReport:
    """Import one dataset file into the store; see the module docstring."""
    import time

    started = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", str(path))
    head = _head(path)
    if not head.strip():
        raise EmptyInputError("the file is empty", str(path))
    if looks_binary(head):
        raise BinaryInputError("the file is binary, not a tab-separated events table", str(path))
    fmt = fmt or sniff_format(path.name, head)
    if fmt not in IMPORT_FORMATS:
        raise InputError("cannot tell which dataset this file is from; name it with --format "
                         f"({', '.join(IMPORT_FORMATS)})", str(path))
    report = ImportReport(str(path), fmt)
    digest = _file_hash(path)
    with db.read() as con:
        if con.execute("SELECT 1 FROM imports WHERE file_hash = ? AND format = ?", [digest, fmt]).fetchall():
            report.skipped_file = True
            report.seconds = time.perf_counter() - started
            return report
    try:
        _import(db, path, fmt, head, digest, report)
    except (duckdb.Error, zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"cannot import the file as {fmt}: {exc}", str(path)) from None
    report.seconds = time.perf_counter() - started
    return report


def _import(db: Database, path: Path, fmt: str, head: bytes, digest: str, report: ImportReport) -> None:
    """Read and map the file in a private in-memory DuckDB (the store stays free for readers),
    then add the mapped rows to the store in one short transaction."""
    with _readable(path) as readable, tempfile.TemporaryDirectory(prefix="realpolitik-import-") as tmp:
        staged = Path(tmp) / "mapped.parquet"
        staging = duckdb.connect(config={"temp_directory": tmp})
        try:
            staging.execute("SET preserve_insertion_order = false")
            _stage(staging, readable, fmt, head)
            staging.register("cameo_map", _cameo_table())
            if fmt != "gdelt":
                _register_lookups(staging, fmt)
            select = {"gdelt": _gdelt_select, "icews": _icews_select, "polecat": _polecat_select}[fmt](staging)
            staging.execute(f"CREATE TABLE mapped AS {select}")
            (total,) = staging.execute("SELECT count(*) FROM mapped").fetchall()[0]
            bad = staging.execute("SELECT coalesce(origin_id, '(no id)') FROM mapped "
                                  "WHERE NOT known OR day IS NULL OR event_id IS NULL").fetchall()
            (outside,) = staging.execute("SELECT count(*) FROM mapped WHERE known AND day IS NOT NULL "
                                         "AND event_id IS NOT NULL AND event_type IS NULL").fetchall()[0]
            staging.execute(f"""COPY (SELECT * EXCLUDE (known) FROM mapped
                                      WHERE event_type IS NOT NULL AND day IS NOT NULL AND event_id IS NOT NULL
                                      QUALIFY row_number() OVER (PARTITION BY event_id) = 1)
                                TO {_sql_str(str(staged))} (FORMAT parquet)""")
            structural = staging.execute(
                "SELECT line, min(error_message) FROM reject_errors GROUP BY line ORDER BY line").fetchall()
        finally:
            staging.close()
        now = dt.datetime.now()
        rows: list[dict[str, Any]] = [
            _reject(f"{path}|{line}", str(path), int(line), msg, now) for line, msg in structural[:100_000]]
        rows += [_reject(f"{path}|id={oid}", str(path), None,
                         f"event {oid}: no id, no valid date or an unknown event code", now) for (oid,) in bad[:100_000]]
        with db.write() as con:
            (before,) = con.execute("SELECT count(*) FROM events WHERE origin = ?", [fmt]).fetchall()[0]
            con.execute(f"""INSERT INTO events BY NAME SELECT * FROM read_parquet({_sql_str(str(staged))})
                            WHERE event_id NOT IN (SELECT event_id FROM events WHERE origin = ?)""", [fmt])
            (after,) = con.execute("SELECT count(*) FROM events WHERE origin = ?", [fmt]).fetchall()[0]
            if rows:
                con.register("import_rejects", pa.Table.from_pylist(rows))
                try:
                    con.execute("""INSERT INTO rejects BY NAME SELECT * FROM import_rejects
                                   ON CONFLICT (key) DO UPDATE SET last_seen = excluded.last_seen,
                                                                   times = rejects.times + 1""")
                finally:
                    con.unregister("import_rejects")
            report.rows = int(after - before)
            report.rejected = len(structural) + len(bad)
            report.not_plover = int(outside)
            report.already = int(total) - len(bad) - report.not_plover - report.rows
            if report.rows or not report.rejected:  # a file read as the wrong dataset can be imported again
                con.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                            [digest, str(path), fmt, report.rows, report.rejected, now])


def _reject(key: str, source: str, line: int | None, message: str, now: dt.datetime) -> dict[str, Any]:
    return {"key": "rj-" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest(),
            "source": source, "line": line, "kind": "MalformedRecordError", "message": message,
            "first_seen": now, "last_seen": now, "times": 1}


def _stage(con: Any, path: Path, fmt: str, head: bytes) -> None:
    """Read the file into the temporary table ``raw`` (all text), bad rows to reject_errors."""
    common = ("delim='\t', quote='', escape='', all_varchar=true, ignore_errors=true, store_rejects=true, "
              "null_padding=false, strict_mode=true")
    if fmt == "gdelt":
        cols = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in GDELT_COLUMNS) + "}"
        src = f"read_csv({_sql_str(str(path))}, header=false, columns={cols}, {common})"
    else:
        src = f"read_csv({_sql_str(str(path))}, header=true, {common})"
    try:
        con.execute(f"CREATE TABLE raw AS SELECT * FROM {src}")
    except Exception as exc:  # duckdb.Error: the file is not a table at all
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot read the file as a {fmt} table ({first})", str(path)) from None


def _columns(con: Any) -> dict[str, str]:
    """Logical name ('event id') -> the file's own column name."""
    names = [r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE raw)").fetchall()]
    return {re.sub(r"[\s_]+", " ", n.strip().lower()): n for n in names}


def _col(cols: dict[str, str], *names: str) -> str:
    for n in names:
        if n in cols:
            return 'raw."' + cols[n].replace('"', '""') + '"'
    return "NULL"


def _register_lookups(con: Any, fmt: str) -> None:
    """``country_map`` (name -> ISO code) and ``sector_map`` (name -> sector) for the file's values."""
    cols = _columns(con)
    _register_map(con, cols, ("source country", "target country", "actor country", "recipient country", "country"),
                  "country_map", "iso3", _country_resolver())
    _register_map(con, cols, ("source sectors", "target sectors", "primary actor sector", "primary recipient sector"),
                  "sector_map", "sector", _sector_of)


def _register_map(con: Any, cols: dict[str, str], logical: tuple[str, ...], name: str, key: str,
                  resolve: Any) -> None:
    """Register ``name`` (name, key): each distinct value of the file's ``logical`` columns, resolved."""
    values: set[str] = set()
    for c in logical:
        if c in cols:
            values.update(v for (v,) in con.execute(f"SELECT DISTINCT {_col(cols, c)} FROM raw").fetchall() if v)
    con.register(name, pa.Table.from_pylist(
        [{"name": v, key: resolve(v)} for v in sorted(values)] or [{"name": "", key: None}]))


def _country(expr: str) -> str:
    return f"(SELECT iso3 FROM country_map WHERE name = {expr})"


def _sector(expr: str) -> str:
    return f"(SELECT sector FROM sector_map WHERE name = {expr})"


def _nz(expr: str) -> str:
    return f"nullif(trim({expr}), '')"


_COMMON_TAIL = """, 1 AS mentions, now()::TIMESTAMP AS ingested_at"""


def _gdelt_select(con: Any) -> str:
    return f"""
SELECT 'gdelt-' || r.GLOBALEVENTID AS event_id, 'gdelt' AS origin, r.GLOBALEVENTID AS origin_id,
       'gdelt-' || r.GLOBALEVENTID AS cluster_id,
       coalesce(m1.known, m2.known, m3.known, false) AS known,
       CASE WHEN m1.known THEN m1.event_type WHEN m2.known THEN m2.event_type ELSE m3.event_type END AS event_type,
       coalesce(m1.mode, m2.mode, m3.mode) AS mode, coalesce(m1.contexts, m2.contexts) AS contexts,
       {_nz('r.EventCode')} AS cameo, TRY_CAST(r.QuadClass AS TINYINT) AS quad_class,
       coalesce(m1.intensity, m2.intensity, m3.intensity) AS intensity,
       TRY_CAST(r.GoldsteinScale AS DOUBLE) AS goldstein,
       {_nz('r.Actor1Name')} AS source_text, {_nz('r.Actor1Name')} AS source_name,
       {_nz('r.Actor1Code')} AS source_code, {_nz('r.Actor1CountryCode')} AS source_country,
       {_nz('r.Actor1Type1Code')} AS source_sector,
       {_nz('r.Actor2Name')} AS target_text, {_nz('r.Actor2Name')} AS target_name,
       {_nz('r.Actor2Code')} AS target_code, {_nz('r.Actor2CountryCode')} AS target_country,
       {_nz('r.Actor2Type1Code')} AS target_sector,
       strftime(TRY_STRPTIME(r.SQLDATE, '%Y%m%d'), '%Y-%m-%d') AS date,
       TRY_STRPTIME(r.SQLDATE, '%Y%m%d')::DATE AS day, 'day' AS date_precision, 'gdelt' AS date_method,
       {_nz('r.ActionGeo_FullName')} AS location_text, {_nz('r.ActionGeo_FullName')} AS location_name,
       {_nz('r.ActionGeo_CountryCode')} AS location_country, {_nz('r.ActionGeo_ADM1Code')} AS location_admin1,
       TRY_CAST(r.ActionGeo_Lat AS DOUBLE) AS location_lat, TRY_CAST(r.ActionGeo_Long AS DOUBLE) AS location_lon,
       coalesce(TRY_CAST(r.NumMentions AS INTEGER), 1) AS mentions, {_nz('r.SOURCEURL')} AS url,
       json_object('num_sources', TRY_CAST(r.NumSources AS INTEGER),
                   'num_articles', TRY_CAST(r.NumArticles AS INTEGER),
                   'avg_tone', TRY_CAST(r.AvgTone AS DOUBLE), 'is_root_event', r.IsRootEvent,
                   'date_added', r.DATEADDED)::VARCHAR AS extra,
       now()::TIMESTAMP AS ingested_at
FROM raw r
LEFT JOIN cameo_map m1 ON m1.cameo = r.EventCode
LEFT JOIN cameo_map m2 ON m2.cameo = r.EventBaseCode
LEFT JOIN cameo_map m3 ON m3.cameo = r.EventRootCode"""


def _cameo_code(expr: str) -> str:
    """CAMEO codes read as numbers lose their leading zero ('42' for '042')."""
    return f"CASE WHEN length(trim({expr})) = 2 THEN '0' || trim({expr}) ELSE {_nz(expr)} END"


def _icews_select(con: Any) -> str:
    c = _columns(con)
    cameo = _cameo_code(_col(c, "cameo code"))
    date = f"TRY_CAST({_col(c, 'event date')} AS DATE)"
    return f"""
SELECT 'icews-' || {_col(c, 'event id')} AS event_id, 'icews' AS origin, {_col(c, 'event id')} AS origin_id,
       'icews-' || {_col(c, 'event id')} AS cluster_id,
       coalesce(m.known, false) AS known, m.event_type, m.mode, m.contexts, {cameo} AS cameo, m.quad_class,
       m.intensity,
       coalesce(TRY_CAST({_col(c, 'intensity')} AS DOUBLE), m.goldstein) AS goldstein,
       {_nz(_col(c, 'source name'))} AS source_text, {_nz(_col(c, 'source name'))} AS source_name,
       {_country(_col(c, 'source country'))} AS source_country,
       {_country(_col(c, 'source country'))} AS source_code,
       {_sector(_col(c, 'source sectors'))} AS source_sector,
       {_nz(_col(c, 'target name'))} AS target_text, {_nz(_col(c, 'target name'))} AS target_name,
       {_country(_col(c, 'target country'))} AS target_country,
       {_country(_col(c, 'target country'))} AS target_code,
       {_sector(_col(c, 'target sectors'))} AS target_sector,
       strftime({date}, '%Y-%m-%d') AS date, {date} AS day, 'day' AS date_precision, 'icews' AS date_method,
       {_nz(_col(c, 'city'))} AS location_text,
       coalesce({_nz(_col(c, 'city'))}, {_nz(_col(c, 'province'))}, {_nz(_col(c, 'country'))}) AS location_name,
       {_country(_col(c, 'country'))} AS location_country, {_nz(_col(c, 'province'))} AS location_admin1,
       TRY_CAST({_col(c, 'latitude')} AS DOUBLE) AS location_lat,
       TRY_CAST({_col(c, 'longitude')} AS DOUBLE) AS location_lon,
       {_nz(_col(c, 'event text'))} AS trigger_text,
       json_object('story_id', {_col(c, 'story id')}, 'sentence_number', {_col(c, 'sentence number')},
                   'publisher', {_col(c, 'publisher')}, 'event_text', {_col(c, 'event text')})::VARCHAR AS extra
       {_COMMON_TAIL}
FROM raw LEFT JOIN cameo_map m ON m.cameo = {cameo}"""


def _polecat_select(con: Any) -> str:
    c = _columns(con)
    date = f"TRY_CAST({_col(c, 'event date')} AS DATE)"
    etype = f"upper({_nz(_col(c, 'event type'))})"
    return f"""
SELECT 'polecat-' || {_col(c, 'event id')} AS event_id, 'polecat' AS origin, {_col(c, 'event id')} AS origin_id,
       'polecat-' || {_col(c, 'event id')} AS cluster_id,
       CASE WHEN {etype} IN ('AGREE','CONSULT','SUPPORT','CONCEDE','COOPERATE','AID','RETREAT','REQUEST',
            'ACCUSE','REJECT','THREATEN','PROTEST','SANCTION','MOBILIZE','COERCE','ASSAULT') THEN {etype} END
            AS event_type,
       coalesce({etype} IN ('AGREE','CONSULT','SUPPORT','CONCEDE','COOPERATE','AID','RETREAT','REQUEST',
            'ACCUSE','REJECT','THREATEN','PROTEST','SANCTION','MOBILIZE','COERCE','ASSAULT'), false) AS known,
       lower({_nz(_col(c, 'event mode'))}) AS mode,
       replace({_nz(_col(c, 'contexts'))}, ',', ';') AS contexts,
       TRY_CAST({_col(c, 'quad code')} AS TINYINT) AS quad_class,
       TRY_CAST({_col(c, 'event intensity')} AS DOUBLE) AS intensity,
       {_nz(_col(c, 'actor name raw', 'actor name'))} AS source_text, {_nz(_col(c, 'actor name'))} AS source_name,
       {_country(_col(c, 'actor country'))} AS source_country, {_country(_col(c, 'actor country'))} AS source_code,
       {_sector(_col(c, 'primary actor sector'))} AS source_sector,
       {_nz(_col(c, 'recipient name raw', 'recipient name'))} AS target_text,
       {_nz(_col(c, 'recipient name'))} AS target_name,
       {_country(_col(c, 'recipient country'))} AS target_country,
       {_country(_col(c, 'recipient country'))} AS target_code,
       {_sector(_col(c, 'primary recipient sector'))} AS target_sector,
       strftime({date}, '%Y-%m-%d') AS date, {date} AS day, 'day' AS date_precision, 'polecat' AS date_method,
       {_nz(_col(c, 'raw placename', 'placename'))} AS location_text,
       coalesce({_nz(_col(c, 'placename'))}, {_nz(_col(c, 'city'))}, {_nz(_col(c, 'country'))}) AS location_name,
       {_country(_col(c, 'country'))} AS location_country, {_nz(_col(c, 'province'))} AS location_admin1,
       TRY_CAST({_col(c, 'latitude')} AS DOUBLE) AS location_lat,
       TRY_CAST({_col(c, 'longitude')} AS DOUBLE) AS location_lon,
       json_object('source', {_col(c, 'source')}, 'publication_date', {_col(c, 'publication date')},
                   'story_id', {_col(c, 'story id')}, 'language', {_col(c, 'language')},
                   'version', {_col(c, 'version')})::VARCHAR AS extra
       {_COMMON_TAIL}
FROM raw"""
