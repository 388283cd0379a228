"""Importers of the standard event datasets: GDELT 1.0 and 2.0 events, ICEWS, POLECAT and
PLOVER JSON files.

Example::

    >>> from realpolitik.store.importers import sniff_format
    >>> sniff_format("20190108.export.CSV.zip", b"")
    'gdelt'
    >>> sniff_format("events.txt", b"Event ID\\tEvent Date\\tSource Name\\tSource Sectors\\tSource Country\\tCAMEO Code")
    'icews'

Each file is read line by line and mapped by a private in-memory DuckDB (so the store stays
open to readers meanwhile), then added to the ``events`` table in one short transaction, with
``origin`` set to the dataset and ``origin_id`` to its own event id, CAMEO codes mapped to
PLOVER types with the project's CAMEO table, the quad class taken from the PLOVER type (the
dataset's own value kept in ``origin_quad_class``), country names mapped to ISO codes with
the actor dictionary and ``places/data/dataset_countries.tsv``, and sector names mapped to
PLOVER sectors with ``ontology/data/dataset_sectors.csv``. ``NA``, ``None``, ``null`` and empty
fields of ICEWS and POLECAT files are missing values.

Every row of the file is accounted for (see :class:`ImportReport`): added, already stored,
left out (CAMEO public statements, which have no PLOVER type), or rejected with a reason
(wrong number of fields, not UTF-8, no id, no valid date, an unknown event code) that goes to
``rejects`` with the file and line. A file already imported (same content hash) is skipped,
and an event already in the store (same dataset and id) is not added again, so importing is
idempotent.

Formats (the content is sniffed first; the file name only settles a tie):

- ``gdelt``: GDELT event files, tab-separated, no header: GDELT 2.0 (61 columns) and GDELT
  1.0 (57 columns in the 1979-2013 backfiles, 58 with ``SOURCEURL`` in the daily files), plain,
  ``.gz`` or ``.zip`` (as published: ``YYYYMMDDHHMMSS.export.CSV.zip``).
- ``icews``: ICEWS coded event files with their header (``Event ID``, ``Event Date``,
  ``Source Name``, ``Source Sectors``, ``Source Country``, ``Event Text``, ``CAMEO Code``,
  ``Intensity``, ``Target ...``, ``Story ID``, ``Sentence Number``, ``Publisher``,
  ``City``, ``District``, ``Province``, ``Country``, ``Latitude``, ``Longitude``); dates as
  ``YYYY-MM-DD``, ``YYYYMMDD`` or month/day/year (``M/D/YYYY``, older files).
- ``polecat``: POLECAT weekly files with their header (``Event ID``, ``Event Date``,
  ``Event Type``, ``Event Mode``, ``Event Intensity`` or ``Intensity``, ``Quad Code`` (a number or
  its name, "Verbal Cooperation"...), ``Contexts``, ``Actor Name``, ``Actor Country``,
  ``Primary Actor Sector``, ``Recipient ...``, ``Placename``, ``Country``, ``Latitude``,
  ``Longitude``, ``Source``, ...).
- ``plover``: PLOVER JSON records, one per line, as ``realpolitik export --format plover``
  writes them (``id``, ``date``, ``actor``, ``recipient``, ``event``, ``mode``, ``context``,
  ``event_loc``...).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

import duckdb
import pyarrow as pa

from ..errors import BinaryInputError, EmptyInputError, InputError
from ..io.readers import looks_binary
from .db import Database
from .exports import GDELT_COLUMNS
from .schema import visitor_first

__all__ = ["import_file", "ImportReport", "sniff_format", "IMPORT_FORMATS", "GDELT1_COLUMNS"]

IMPORT_FORMATS = ("gdelt", "icews", "polecat", "plover")

GDELT1_COLUMNS = tuple(c for c in GDELT_COLUMNS if not c.endswith("ADM2Code") and c != "SOURCEURL")
"""The 57 columns of a GDELT 1.0 events file (58 with ``SOURCEURL`` at the end): GDELT 2.0's
without the three ``*Geo_ADM2Code`` columns."""

_FROM_GDELT1 = tuple(GDELT1_COLUMNS.index(c) if c in GDELT1_COLUMNS else (57 if c == "SOURCEURL" else -1)
                     for c in GDELT_COLUMNS)
"""For each GDELT 2.0 column, its position in a GDELT 1.0 row (-1: none, empty)."""

_MISSING = ("", "na", "n/a", "none", "null", "nan")
"""Field values that mean "no value" in ICEWS and POLECAT files (R writes NA, pandas None/nan)."""

_DATE_FORMATS = "YYYY-MM-DD, YYYYMMDD or M/D/YYYY"
_EXAMPLES = 5


@dataclass
class ImportReport:
    """What importing one file did. Every row is counted once:
    ``lines == rows + already + not_plover + rejected``."""

    path: str
    format: str
    rows: int = 0
    """Events added to the store."""
    already: int = 0
    """Events of the file that were in the store already (or earlier in the same file)."""
    rejected: int = 0
    """Rows that could not be read or used (wrong number of fields, no valid date, unknown code...)."""
    not_plover: int = 0
    """Rows with a valid CAMEO code that has no PLOVER type (CAMEO 01x public statements), left out."""
    lines: int = 0
    """Rows read from the file (non-blank lines, not counting a header)."""
    reasons: dict[str, int] = field(default_factory=dict)
    """Rejected rows by reason ('wrong number of fields', 'no valid date'...)."""
    examples: list[str] = field(default_factory=list)
    """The first few rejects as ``file:line: message``."""
    skipped_file: bool = False
    """The same file (by content) was imported before; nothing was read."""
    seconds: float = 0.0


def sniff_format(name: str, head: bytes) -> str | None:
    """The dataset a file holds, from its first line, else from its name; None when unclear."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    low = first.lower()
    if first.lstrip().startswith("{"):
        try:
            rec = json.loads(first)
        except ValueError:
            rec = None
        if isinstance(rec, dict) and ("event" in rec or "actor" in rec or "recipient" in rec):
            return "plover"
    if "cameo code" in low and ("source country" in low or "source name" in low):
        return "icews"
    if "event type" in low and ("recipient" in low or "actor name" in low):
        return "polecat"
    fields = first.split("\t")
    if len(fields) in (57, 58, len(GDELT_COLUMNS)) and fields[0].strip().isdigit() and fields[1].strip().isdigit():
        return "gdelt"
    low = name.lower()
    if ".export." in low or low.endswith((".export.csv", ".export.csv.zip")) or "gdelt" in low:
        return "gdelt"
    if "polecat" in low or "ngec" in low:
        return "polecat"
    if "plover" in low and low.endswith((".json", ".jsonl", ".ndjson")):
        return "plover"
    if "icews" in low or low.startswith("events.") and low.endswith((".tab", ".tab.gz", ".tsv")):
        return "icews"
    return None


def _file_hash(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    """The file's bytes: a ``.gz`` decompressed, a ``.zip`` archive's single member."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            members = [m for m in z.namelist() if not m.endswith("/")]
            if len(members) != 1:
                raise InputError(f"the zip archive holds {len(members)} files; expected one events file", str(path))
            with z.open(members[0]) as f:
                yield cast(BinaryIO, f)
    elif suffix == ".gz":
        with gzip.open(path, "rb") as g:
            yield cast(BinaryIO, g)
    else:
        with path.open("rb") as f:
            yield f


def _head(path: Path) -> bytes:
    try:
        with _opened(path) as f:
            return f.read(8192)
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise InputError(f"cannot read the file: {exc}", str(path)) from None


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
def _plover_table() -> pa.Table:
    """PLOVER (type, mode or '') -> quad class and score, from the ontology."""
    from ..ontology import load_ontology

    onto = load_ontology()
    rows = [{"event_type": name, "mode": mode, "quad_class": t.quad, "score": onto.score(name, mode or None)}
            for name, t in onto.types.items() for mode in ("", *t.modes)]
    return pa.Table.from_pylist(rows)


_QUAD_NAMES = pa.Table.from_pylist([
    {"name": n, "quad": q} for q, names in ((1, ("verbal cooperation", "verbal coop")),
                                            (2, ("material cooperation", "material coop")),
                                            (3, ("verbal conflict",)), (4, ("material conflict",)))
    for n in names])
"""POLECAT writes its quad code as a number or by name."""


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    """The shipped actor dictionary, loaded once for all imports."""
    from ..actors import load_actor_dictionary

    return load_actor_dictionary()


@lru_cache(maxsize=1)
def _country_resolver() -> Any:
    from ..places import dataset_countries, fold_name

    d = _dictionary()
    names = dataset_countries()

    def resolve(value: str | None) -> str | None:
        if not value:
            return None
        v = value.strip()
        if re.fullmatch(r"[A-Z]{3}", v) and v in d.countries:
            return d.countries[v].coded_as
        known = names.get(fold_name(v))
        if known is not None:
            return d.countries[known].coded_as if known in d.countries else known
        for ref in d.lookup(v):
            if ref.kind == "country":
                return d.countries[ref.key].coded_as
        return None

    return resolve


def _sector_of(value: str | None) -> str | None:
    """A PLOVER sector from a dataset's sector field: ICEWS's comma-separated category names
    ('Executive,Executive Office,Government' -> GOV) by the table of whole names, a PLOVER
    code as is, other words by the actor dictionary's sector words."""
    if not value:
        return None
    from ..actors import SECTORS
    from ..ontology import sector_of_categories

    v = value.strip()
    if v.upper() in SECTORS:
        return v.upper()
    sector, known = sector_of_categories(v)
    if known:
        return sector
    d = _dictionary()
    words = [w for part in re.split(r"[,;|]", v.lower()) for w in (part.strip(), *part.split())]
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
        raise BinaryInputError("the file is binary, not an events table", str(path))
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
        _import(db, path, fmt, digest, report)
    except (duckdb.Error, zipfile.BadZipFile, OSError, EOFError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot import the file as {fmt}: {first}", str(path)) from None
    report.seconds = time.perf_counter() - started
    return report


_HELPERS = ("known", "rp_line", "rp_date_raw", "rp_code_raw")
"""Columns of the mapped table that are not event columns."""


def _import(db: Database, path: Path, fmt: str, digest: str, report: ImportReport) -> None:
    """Read and map the file in a private in-memory DuckDB (the store stays free for readers),
    then add the mapped rows to the store in one short transaction."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="realpolitik-import-") as tmp:
        staged = Path(tmp) / "mapped.parquet"
        staging = duckdb.connect(config={"temp_directory": tmp})
        try:
            staging.execute("SET preserve_insertion_order = false")
            structural = _stage(staging, path, fmt, report)
            staging.register("cameo_map", _cameo_table())
            staging.register("plover_map", _plover_table())
            staging.register("quad_names", _QUAD_NAMES)
            if fmt in ("icews", "polecat"):
                _register_lookups(staging, fmt)
            select = {"gdelt": _gdelt_select, "icews": _icews_select, "polecat": _polecat_select,
                      "plover": _plover_select}[fmt](staging)
            staging.execute(f"CREATE TABLE mapped AS {select}")
            if fmt in ("gdelt", "icews"):  # CAMEO rows: a host's telling names the host first
                visitor_first(staging, "mapped")
            staging.execute("""CREATE VIEW judged AS SELECT *, CASE
                WHEN event_id IS NULL THEN 'no event id'
                WHEN day IS NULL THEN 'no valid date'
                WHEN NOT known THEN 'unknown event code' END AS rp_kind FROM mapped""")
            bad = staging.execute(f"""SELECT rp_line, rp_kind, CASE rp_kind
                    WHEN 'no event id' THEN 'no event id'
                    WHEN 'no valid date' THEN 'event ' || origin_id || ': no valid date '
                         || coalesce('''' || rp_date_raw || '''', '(empty)') || ' (expected {_DATE_FORMATS})'
                    ELSE 'event ' || origin_id || ': unknown event code '
                         || coalesce('''' || rp_code_raw || '''', '(empty)') END
                FROM judged WHERE rp_kind IS NOT NULL ORDER BY rp_line""").fetchall()
            (outside,) = staging.execute(
                "SELECT count(*) FROM judged WHERE rp_kind IS NULL AND event_type IS NULL").fetchall()[0]
            (good,) = staging.execute(
                "SELECT count(*) FROM judged WHERE rp_kind IS NULL AND event_type IS NOT NULL").fetchall()[0]
            staging.execute(f"""COPY (SELECT * EXCLUDE ({', '.join(_HELPERS)}, rp_kind) FROM judged
                                      WHERE rp_kind IS NULL AND event_type IS NOT NULL
                                      QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY rp_line) = 1)
                                TO {_sql_str(str(staged))} (FORMAT parquet)""")
        finally:
            staging.close()
        rejects = sorted([(line, kind, msg) for line, kind, msg in structural]
                         + [(int(line), kind, msg) for line, kind, msg in bad])
        report.rejected = len(rejects)
        report.reasons = dict(Counter(kind for _, kind, _ in rejects).most_common())
        report.examples = [f"{path}:{line}: {msg}" for line, _, msg in rejects[:_EXAMPLES]]
        report.not_plover = int(outside)
        now = dt.datetime.now()
        rows = [_reject(f"{path}|{line}", str(path), line, msg, now) for line, _, msg in rejects[:100_000]]
        # a PLOVER record exported from any store keeps its id, so it is the same event whatever its origin
        same = "" if fmt == "plover" else " WHERE origin = ?"
        params = [] if fmt == "plover" else [fmt]
        with db.write() as con:
            (before,) = con.execute("SELECT count(*) FROM events").fetchall()[0]
            con.execute(f"""INSERT INTO events BY NAME SELECT * FROM read_parquet({_sql_str(str(staged))})
                            WHERE event_id NOT IN (SELECT event_id FROM events{same})""", params)
            (after,) = con.execute("SELECT count(*) FROM events").fetchall()[0]
            if rows:
                con.register("import_rejects", pa.Table.from_pylist(rows))
                try:
                    con.execute("""INSERT INTO rejects BY NAME SELECT * FROM import_rejects
                                   ON CONFLICT (key) DO UPDATE SET last_seen = excluded.last_seen,
                                                                   message = excluded.message,
                                                                   times = rejects.times + 1""")
                finally:
                    con.unregister("import_rejects")
            report.rows = int(after - before)
            report.already = int(good) - report.rows
            if report.rows or not report.rejected:  # a file read as the wrong dataset can be imported again
                con.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                            [digest, str(path), fmt, report.rows, report.rejected, now])


def _reject(key: str, source: str, line: int | None, message: str, now: dt.datetime) -> dict[str, Any]:
    return {"key": "rj-" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest(),
            "source": source, "line": line, "kind": "MalformedRecordError", "message": message,
            "first_seen": now, "last_seen": now, "times": 1}


def _lines(f: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers, line ends removed."""
    for n, raw in enumerate(f, start=1):
        line = raw.rstrip(b"\n").rstrip(b"\r")
        if line.strip():
            yield n, line


def _decoded(n: int, line: bytes, rejects: list[tuple[int, str, str]]) -> str | None:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        rejects.append((n, "not UTF-8 text", f"not UTF-8 text (byte {exc.start + 1} of the line); "
                                              "save the file as UTF-8"))
        return None
    if "\x00" in text:
        rejects.append((n, "NUL byte", "the line holds a NUL byte; the file is damaged or not text"))
        return None
    return text


def _header(names: list[str]) -> list[str]:
    """Column names of a header line: stripped, empty ones named, repeats numbered."""
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        n = name.strip().lstrip("\ufeff") or f"column {i}"
        base, k = n, 2
        while n.lower() in {o.lower() for o in out} or n.lower() == "rp_line":
            n, k = f"{base} {k}", k + 1
        out.append(n)
    return out


def _blocks(f: BinaryIO, size: int = 1 << 24) -> Iterator[tuple[int, bytes]]:
    """Blocks of whole lines of the file, each with the number of its first line."""
    n, rest = 1, b""
    while True:
        data = f.read(size)
        if not data:
            if rest:
                yield n, rest
            return
        data = rest + data
        cut = data.rfind(b"\n")
        if cut < 0:
            rest = data
            continue
        block, rest = data[:cut], data[cut + 1:]
        yield n, block
        n += block.count(b"\n") + 1


def _block_lines(first: int, block: bytes, rejects: list[tuple[int, str, str]]) -> Sequence[str | None]:
    """The lines of a block as text; None for a line that is not text (recorded in ``rejects``)."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return text.split("\n")  # the common case, at the speed of C
    return [None if not raw.strip() else _decoded(first + i, raw.rstrip(b"\r"), rejects)
            for i, raw in enumerate(block.split(b"\n"))]


def _stage(con: Any, path: Path, fmt: str, report: ImportReport) -> list[tuple[int, str, str]]:
    """Read the file into the table ``raw`` (text columns and ``rp_line``); return the rows
    that cannot be read as (line, reason, message). Python decodes blocks of lines (a line
    that is not UTF-8 is a reject); DuckDB counts each line's fields and splits the good ones."""
    if fmt == "plover":
        return _stage_plover(con, path, report)
    rejects: list[tuple[int, str, str]] = []
    names: list[str] | None = list(GDELT_COLUMNS) if fmt == "gdelt" else None
    header = 0  # the line of the header; rows come after it
    con.execute("CREATE TABLE raw_lines (rp_line BIGINT, l VARCHAR)")
    with _opened(path) as f:
        for first, block in _blocks(f):
            lines = _block_lines(first, block, rejects)
            if names is None:  # the header: the first line that is not blank
                for i, line in enumerate(lines):
                    if line is not None and line.strip():
                        names, header = _header(line.rstrip("\r").split("\t")), first + i
                        break
                    if line is None and any(n == first + i for n, _, _ in rejects):
                        raise InputError("the header line is not UTF-8 text; save the file as UTF-8",
                                         str(path), first + i)
            con.register("lines_chunk", pa.table({"rp_line": pa.array(range(first, first + len(lines)), pa.int64()),
                                                  "l": pa.array(lines, pa.string())}))
            con.execute("INSERT INTO raw_lines SELECT * FROM lines_chunk")
            con.unregister("lines_chunk")
    if names is None:
        raise EmptyInputError("the file holds no header line", str(path))
    con.execute(f"""CREATE TABLE lines_w AS
                    SELECT rp_line, l, length(l) - length(replace(l, chr(9), '')) + 1 AS w
                    FROM (SELECT rp_line, CASE WHEN suffix(l, chr(13)) THEN l[:-2] ELSE l END AS l
                          FROM raw_lines WHERE rp_line > {header})
                    WHERE l IS NOT NULL AND NOT regexp_full_match(l, '[ \t\r\x0b\x0c]*')""")
    con.execute("DROP TABLE raw_lines")
    (count,) = con.execute("SELECT count(*) FROM lines_w").fetchall()[0]
    report.lines = int(count) + len(rejects)
    widths = (len(GDELT_COLUMNS), 57, 58) if fmt == "gdelt" else (len(names),)
    expected = ("a GDELT 2.0 row has 61, a GDELT 1.0 row 57 or 58" if fmt == "gdelt"
                else f"the header has {len(names)}")
    rejects += [(int(n), "wrong number of fields", f"{w} tab-separated fields; {expected}") for n, w in con.execute(
        f"SELECT rp_line, w FROM lines_w WHERE w NOT IN ({', '.join(map(str, widths))})").fetchall()]
    quoted = ['"' + name.replace('"', '""') + '"' for name in names]
    split = "(SELECT rp_line, string_split(l, chr(9)) AS s FROM lines_w WHERE w IN ({}))"
    if fmt == "gdelt":  # only empty fields are missing; a GDELT 1.0 row's columns are moved to their 2.0 places
        v2 = ", ".join(f"nullif(s[{i + 1}], '') AS {q}" for i, q in enumerate(quoted))
        v1 = ", ".join((f"nullif(s[{j + 1}], '')" if j >= 0 else "NULL::VARCHAR") + f" AS {q}"
                       for j, q in zip(_FROM_GDELT1, quoted, strict=True))
        con.execute(f"""CREATE TABLE raw AS SELECT rp_line, {v2} FROM {split.format(len(GDELT_COLUMNS))}
                        UNION ALL SELECT rp_line, {v1} FROM {split.format('57, 58')}""")
    else:
        missing = ", ".join(_sql_str(m) for m in _MISSING)
        cols = ", ".join(f"CASE WHEN lower(trim(s[{i + 1}])) IN ({missing}) THEN NULL ELSE s[{i + 1}] END AS {q}"
                         for i, q in enumerate(quoted))
        con.execute(f"CREATE TABLE raw AS SELECT rp_line, {cols} FROM {split.format(len(names))}")
    con.execute("DROP TABLE lines_w")
    return rejects

def _stage_plover(con: Any, path: Path, report: ImportReport) -> list[tuple[int, str, str]]:
    """Read PLOVER JSON lines into the table ``raw`` (one row per record, event columns)."""
    rejects: list[tuple[int, str, str]] = []
    rows: list[dict[str, Any]] = []
    with _opened(path) as f:
        for n, line in _lines(f):
            report.lines += 1
            text = _decoded(n, line, rejects)
            if text is None:
                continue
            try:
                rec = json.loads(text)
            except ValueError as exc:
                rejects.append((n, "not a JSON record", f"not a JSON record ({exc})"))
                continue
            if not isinstance(rec, dict):
                rejects.append((n, "not a JSON record", f"a JSON {type(rec).__name__}, not a PLOVER record (an object)"))
                continue
            try:
                json.dumps(rec, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError as exc:
                rejects.append((n, "not UTF-8 text", f"a string holds {exc.object[exc.start:exc.end]!a}, "
                                                      "half of a UTF-16 pair, which is not text"))
                continue
            rows.append({"rp_line": n, **_plover_row(rec)})
    schema = pa.schema([("rp_line", pa.int64()), *((name, pa.string()) for name in _PLOVER_TEXT),
                        *((name, pa.float64()) for name in _PLOVER_NUMBERS)])
    con.register("plover_rows", pa.Table.from_pylist(rows, schema=schema))
    con.execute("CREATE TABLE raw AS SELECT * FROM plover_rows")
    con.unregister("plover_rows")
    return rejects


_PLOVER_TEXT = ("id", "date", "event_type", "mode", "contexts", "trigger_text", "sentence", "link", "coder",
                "source_country", "source_sector", "source_text", "source_name", "source_code",
                "target_country", "target_sector", "target_text", "target_name", "target_code",
                "location_name", "location_country", "location_admin1", "location_text", "modality")
_PLOVER_NUMBERS = ("quad_code", "event_scale", "location_lat", "location_lon", "confidence")


def _text(v: Any) -> str | None:
    """A record's value as text: strings as they are, numbers written out, others None."""
    if isinstance(v, str):
        return v.replace("\x00", "") or None
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float) and math.isfinite(v):
        return str(v)
    return None


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v) if math.isfinite(v) and abs(v) < 1e300 else None
    if isinstance(v, str):
        try:
            x = float(v)
        except ValueError:
            return None
        return x if math.isfinite(x) else None
    return None


def _first(v: Any) -> Any:
    """The first item of a PLOVER list field (or the value itself when it is no list)."""
    if isinstance(v, list):
        return v[0] if v else None
    return v


def _plover_row(rec: dict[str, Any]) -> dict[str, Any]:
    """The fields of one PLOVER record (as :func:`realpolitik.store.exports.plover_record` writes it)."""
    out: dict[str, Any] = {
        "id": _text(rec.get("id")), "date": _text(rec.get("date")),
        "event_type": _text(_first(rec.get("event"))), "mode": _text(_first(rec.get("mode"))),
        "contexts": ";".join(t for t in map(_text, rec.get("context") or []) if t)
        if isinstance(rec.get("context"), list) else _text(rec.get("context")),
        "trigger_text": _text(_first(rec.get("event_text"))), "sentence": _text(rec.get("text")),
        "link": _text(rec.get("link")), "coder": _text(rec.get("coder")),
        "quad_code": _number(rec.get("quad_code")), "event_scale": _number(rec.get("event_scale")),
    }
    for side, key in (("source", "actor"), ("target", "recipient")):
        ent = _first(rec.get(key))
        ent = ent if isinstance(ent, dict) else {}
        code = _text(ent.get("code"))
        out[f"{side}_country"] = code if code and re.fullmatch(r"[A-Z]{3}", code) else None
        out[f"{side}_sector"] = _text(ent.get("sector"))
        out[f"{side}_text"] = _text(ent.get("entity_text"))
        out[f"{side}_name"] = _text(ent.get("identifier_text"))
        out[f"{side}_code"] = _text(ent.get("identifier_id")) or (code if out[f"{side}_country"] is None else None)
    loc = rec.get("event_loc")
    loc = loc if isinstance(loc, dict) else {}
    for k in ("name", "country", "admin1", "text"):
        out[f"location_{k}"] = _text(loc.get(k))
    out["location_lat"], out["location_lon"] = _number(loc.get("lat")), _number(loc.get("lon"))
    comment = _text(rec.get("comment")) or ""
    m = re.fullmatch(r"modality=([^;]*); confidence=(.*)", comment)
    out["modality"] = m.group(1) if m and m.group(1) not in ("", "None") else None
    out["confidence"] = _number(m.group(2)) if m else None
    return out


def _plover_select(con: Any) -> str:
    return f"""
SELECT r.id AS event_id, 'plover' AS origin, r.id AS origin_id, coalesce(r.link, r.id) AS cluster_id,
       p.event_type IS NOT NULL AS known, p.event_type, {_nz('r.mode')} AS mode, {_nz('r.contexts')} AS contexts,
       p.quad_class, TRY_CAST(r.quad_code AS TINYINT) AS origin_quad_class,
       coalesce(r.event_scale, p.score) AS intensity,
       r.source_text, r.source_name, r.source_code, r.source_country, r.source_sector,
       r.target_text, r.target_name, r.target_code, r.target_country, r.target_sector,
       strftime({_date('r.date')}, '%Y-%m-%d') AS date, {_date('r.date')} AS day, 'day' AS date_precision,
       r.date AS date_text, 'plover' AS date_method,
       r.location_text, r.location_name, r.location_country, r.location_admin1, r.location_lat, r.location_lon,
       r.modality, r.confidence, r.trigger_text, r.sentence,
       json_object('coder', r.coder)::VARCHAR AS extra,
       1 AS mentions, now()::TIMESTAMP AS ingested_at,
       r.rp_line, r.date AS rp_date_raw, r.event_type AS rp_code_raw
FROM raw r LEFT JOIN plover_map p ON p.event_type = upper(trim(r.event_type)) AND p.mode = ''"""


def _columns(con: Any) -> dict[str, str]:
    """Logical name ('event id') -> the file's own column name."""
    names = [r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE raw)").fetchall()]
    return {re.sub(r"[\s_]+", " ", n.strip().lower()): n for n in names if n != "rp_line"}


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
    con.register(name, pa.Table.from_pylist([{"name": v, key: resolve(v)} for v in sorted(values)],
                                            schema=pa.schema([("name", pa.string()), (key, pa.string())])))


def _country(expr: str) -> str:
    return f"(SELECT iso3 FROM country_map WHERE name = {expr})"


def _sector(expr: str) -> str:
    return f"(SELECT sector FROM sector_map WHERE name = {expr})"


def _nz(expr: str) -> str:
    return f"nullif(trim({expr}), '')"


def _date(expr: str) -> str:
    """A dataset's date as a DATE: YYYY-MM-DD (with or without a time), YYYYMMDD or M/D/YYYY."""
    v = f"trim({expr})"
    return (f"coalesce(TRY_CAST({v} AS DATE), TRY_STRPTIME({v}, '%Y%m%d')::DATE, "
            f"TRY_STRPTIME({v}, '%m/%d/%Y')::DATE)")


_GDELT_KIND = ("CASE trim({t}) WHEN '1' THEN 'country' WHEN '2' THEN 'admin1' WHEN '3' THEN 'city' "
               "WHEN '4' THEN 'city' WHEN '5' THEN 'admin1' END")


def _gdelt_select(con: Any) -> str:
    return f"""
SELECT 'gdelt-' || trim(r.GLOBALEVENTID) AS event_id, 'gdelt' AS origin, trim(r.GLOBALEVENTID) AS origin_id,
       'gdelt-' || trim(r.GLOBALEVENTID) AS cluster_id,
       coalesce(m1.known, m2.known, m3.known, false) AS known,
       CASE WHEN m1.known THEN m1.event_type WHEN m2.known THEN m2.event_type ELSE m3.event_type END AS event_type,
       coalesce(m1.mode, m2.mode, m3.mode) AS mode, coalesce(m1.contexts, m2.contexts) AS contexts,
       {_nz('r.EventCode')} AS cameo,
       CASE WHEN m1.known THEN m1.quad_class WHEN m2.known THEN m2.quad_class ELSE m3.quad_class END AS quad_class,
       TRY_CAST(r.QuadClass AS TINYINT) AS origin_quad_class,
       coalesce(m1.intensity, m2.intensity, m3.intensity) AS intensity,
       TRY_CAST(r.GoldsteinScale AS DOUBLE) AS goldstein,
       {_nz('r.Actor1Name')} AS source_text, {_nz('r.Actor1Name')} AS source_name,
       {_nz('r.Actor1Code')} AS source_code, {_nz('r.Actor1CountryCode')} AS source_country,
       {_nz('r.Actor1Type1Code')} AS source_sector,
       {_nz('r.Actor2Name')} AS target_text, {_nz('r.Actor2Name')} AS target_name,
       {_nz('r.Actor2Code')} AS target_code, {_nz('r.Actor2CountryCode')} AS target_country,
       {_nz('r.Actor2Type1Code')} AS target_sector,
       strftime(TRY_STRPTIME(trim(r.SQLDATE), '%Y%m%d'), '%Y-%m-%d') AS date,
       TRY_STRPTIME(trim(r.SQLDATE), '%Y%m%d')::DATE AS day, 'day' AS date_precision, 'gdelt' AS date_method,
       {_nz('r.ActionGeo_FullName')} AS location_text, {_nz('r.ActionGeo_FullName')} AS location_name,
       {_nz('r.ActionGeo_CountryCode')} AS location_country, {_nz('r.ActionGeo_ADM1Code')} AS location_admin1,
       TRY_CAST(r.ActionGeo_Lat AS DOUBLE) AS location_lat, TRY_CAST(r.ActionGeo_Long AS DOUBLE) AS location_lon,
       {_GDELT_KIND.format(t='r.ActionGeo_Type')} AS location_kind,
       coalesce(TRY_CAST(r.NumMentions AS INTEGER), 1) AS mentions, {_nz('r.SOURCEURL')} AS url,
       json_object('num_sources', TRY_CAST(r.NumSources AS INTEGER),
                   'num_articles', TRY_CAST(r.NumArticles AS INTEGER),
                   'avg_tone', TRY_CAST(r.AvgTone AS DOUBLE), 'is_root_event', r.IsRootEvent,
                   'date_added', r.DATEADDED)::VARCHAR AS extra,
       now()::TIMESTAMP AS ingested_at,
       r.rp_line, r.SQLDATE AS rp_date_raw, r.EventCode AS rp_code_raw
FROM raw r
LEFT JOIN cameo_map m1 ON m1.cameo = trim(r.EventCode)
LEFT JOIN cameo_map m2 ON m2.cameo = trim(r.EventBaseCode)
LEFT JOIN cameo_map m3 ON m3.cameo = trim(r.EventRootCode)"""


def _cameo_code(expr: str) -> str:
    """CAMEO codes read as numbers lose their leading zero ('42' for '042')."""
    return f"CASE WHEN length(trim({expr})) = 2 THEN '0' || trim({expr}) ELSE {_nz(expr)} END"


def _place_kind(city: str, province: str, country: str) -> str:
    return (f"CASE WHEN {city} IS NOT NULL THEN 'city' WHEN {province} IS NOT NULL THEN 'admin1' "
            f"WHEN {country} IS NOT NULL THEN 'country' END")


def _icews_select(con: Any) -> str:
    c = _columns(con)
    cameo = _cameo_code(_col(c, "cameo code"))
    date = _date(_col(c, "event date"))
    eid = _nz(_col(c, "event id"))
    city, province, country = _nz(_col(c, "city")), _nz(_col(c, "province")), _nz(_col(c, "country"))
    return f"""
SELECT 'icews-' || {eid} AS event_id, 'icews' AS origin, {eid} AS origin_id, 'icews-' || {eid} AS cluster_id,
       coalesce(m.known, false) AS known, m.event_type, m.mode, m.contexts, {cameo} AS cameo, m.quad_class,
       NULL::TINYINT AS origin_quad_class, m.intensity,
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
       {city} AS location_text, coalesce({city}, {province}, {country}) AS location_name,
       {_country(_col(c, 'country'))} AS location_country, {province} AS location_admin1,
       TRY_CAST({_col(c, 'latitude')} AS DOUBLE) AS location_lat,
       TRY_CAST({_col(c, 'longitude')} AS DOUBLE) AS location_lon,
       {_place_kind(city, province, country)} AS location_kind,
       {_nz(_col(c, 'event text'))} AS trigger_text,
       json_object('story_id', {_col(c, 'story id')}, 'sentence_number', {_col(c, 'sentence number')},
                   'publisher', {_col(c, 'publisher')}, 'event_text', {_col(c, 'event text')})::VARCHAR AS extra,
       1 AS mentions, now()::TIMESTAMP AS ingested_at,
       raw.rp_line, {_col(c, 'event date')} AS rp_date_raw, {_col(c, 'cameo code')} AS rp_code_raw
FROM raw LEFT JOIN cameo_map m ON m.cameo = {cameo}"""


def _polecat_select(con: Any) -> str:
    c = _columns(con)
    date = _date(_col(c, "event date"))
    etype = f"upper({_nz(_col(c, 'event type'))})"
    mode = f"lower({_nz(_col(c, 'event mode'))})"
    quad = _col(c, "quad code", "quad class", "quadclass", "quad")
    eid = _nz(_col(c, "event id"))
    city, province, country = (_nz(_col(c, "placename", "city")), _nz(_col(c, "province")),
                                _nz(_col(c, "country")))
    return f"""
SELECT 'polecat-' || {eid} AS event_id, 'polecat' AS origin, {eid} AS origin_id,
       'polecat-' || {eid} AS cluster_id,
       t.event_type, t.event_type IS NOT NULL AS known, {mode} AS mode,
       replace({_nz(_col(c, 'contexts'))}, ',', ';') AS contexts,
       t.quad_class,
       coalesce(TRY_CAST({quad} AS TINYINT),
                (SELECT q.quad FROM quad_names q WHERE q.name = lower(trim({quad})))) AS origin_quad_class,
       coalesce(TRY_CAST({_col(c, 'event intensity', 'intensity')} AS DOUBLE), s.score, t.score) AS intensity,
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
       coalesce({city}, {province}, {country}) AS location_name,
       {_country(_col(c, 'country'))} AS location_country, {province} AS location_admin1,
       TRY_CAST({_col(c, 'latitude')} AS DOUBLE) AS location_lat,
       TRY_CAST({_col(c, 'longitude')} AS DOUBLE) AS location_lon,
       {_place_kind(city, province, country)} AS location_kind,
       json_object('source', {_col(c, 'source')}, 'publication_date', {_col(c, 'publication date')},
                   'story_id', {_col(c, 'story id')}, 'language', {_col(c, 'language')},
                   'version', {_col(c, 'version')})::VARCHAR AS extra,
       1 AS mentions, now()::TIMESTAMP AS ingested_at,
       raw.rp_line, {_col(c, 'event date')} AS rp_date_raw, {_col(c, 'event type')} AS rp_code_raw
FROM raw
LEFT JOIN plover_map t ON t.event_type = {etype} AND t.mode = ''
LEFT JOIN plover_map s ON s.event_type = {etype} AND s.mode = coalesce({mode}, '')"""

