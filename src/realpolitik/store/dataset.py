"""A store as a folder of Parquet files, partitioned by month: what a Dask ingest writes.

Example::

    >>> import tempfile, pathlib
    >>> from realpolitik.store import Store
    >>> from realpolitik.store.dataset import create_dataset, is_dataset
    >>> root = create_dataset(pathlib.Path(tempfile.mkdtemp()) / "news.parquet")
    >>> is_dataset(root), Store(root).count()
    (True, 0)

Layout (every file is plain Parquet; DuckDB, Spark, pandas or polars read them directly, though
only ``Store`` leaves out the files of batches not yet committed)::

    news.parquet/
      _realpolitik.json                    marks the folder as a realpolitik dataset (format version)
      events/month=2019-01/part-B.parquet  the events of batch B that fall in January 2019
      events/month=undated/part-B.parquet  its events without a date
      documents/part-B.parquet             the batch's documents (with text); written last
      rejects/part-B.parquet               the batch's documents that could not be coded

``B`` is a batch id: a hash of the ids of the documents in the batch, so a batch run twice
(a worker died and Dask ran it again) writes the same files again, not new ones. Each file is
written under a temporary name and renamed, so a reader never sees half a file, and the
batch's ``documents`` file is written last: it is the batch's commit. Readers see only the files
of committed batches; a batch cut off before its commit is invisible, and its files are removed
by a later ingest (:func:`clean`). One ingest writes a dataset at a time (a lock file). The columns are those of the DuckDB store's tables (``events`` as in
:mod:`realpolitik.store.schema`), and ``Store(folder)`` reads the dataset with the same
methods, analytics and commands as a store file: DuckDB queries the Parquet files in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import StoreError
from .schema import _CLUSTERS, EVENT_COLUMNS

__all__ = ["MARK", "create_dataset", "is_dataset", "dataset_views", "write_batch_files", "batch_id", "clean",
           "committed", "writer_lock", "write_rejects",
           "EVENT_SCHEMA", "DOCUMENT_SCHEMA", "REJECT_SCHEMA"]

MARK = "_realpolitik.json"
FORMAT = 1

_ARROW = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "TINYINT": pa.int8(), "DOUBLE": pa.float64(),
          "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "BIGINT": pa.int64(), "BLOB": pa.binary()}

_SQL = {arrow: sql for sql, arrow in _ARROW.items()}

EVENT_SCHEMA = pa.schema([(n, _ARROW[t.split()[0]]) for n, t in EVENT_COLUMNS])
"""Columns of the events files: the store's ``events`` table."""
DOCUMENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("external_id", pa.string()), ("title", pa.string()), ("url", pa.string()),
    ("source", pa.string()), ("line", pa.int32()), ("date", pa.date32()), ("outlet", pa.string()),
    ("chars", pa.int32()), ("events", pa.int32()), ("dup_group", pa.string()), ("similarity", pa.float64()),
    ("minhash", pa.binary()), ("text", pa.string()), ("ingested_at", pa.timestamp("us")), ("batch", pa.string())])
"""Columns of the documents files: the store's ``documents`` table and the batch id."""
REJECT_SCHEMA = pa.schema([
    ("key", pa.string()), ("source", pa.string()), ("line", pa.int32()), ("kind", pa.string()),
    ("message", pa.string()), ("first_seen", pa.timestamp("us")), ("last_seen", pa.timestamp("us")),
    ("times", pa.int32())])


def is_dataset(path: str | Path) -> bool:
    """True if ``path`` is a folder holding a realpolitik Parquet dataset."""
    return (Path(path) / MARK).is_file()


def create_dataset(path: str | Path) -> Path:
    """Make ``path`` an empty dataset (or check that it is one); return it."""
    root = Path(path)
    if root.exists() and not root.is_dir():
        raise StoreError(f"{root}: a file, not a folder; a Parquet dataset is a folder (e.g. news.parquet/)")
    if root.is_dir() and any(root.iterdir()) and not is_dataset(root):
        raise StoreError(f"{root}: a folder that is not a realpolitik dataset; choose an empty or new folder")
    for sub in ("events", "documents", "rejects"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    mark = root / MARK
    if not mark.exists():
        _atomic_bytes(mark, json.dumps({"format": FORMAT, "layout": "events/month=YYYY-MM/part-BATCH.parquet",
                                        "created": dt.datetime.now().isoformat()}).encode())
    else:
        version = json.loads(mark.read_text()).get("format")
        if version != FORMAT:
            raise StoreError(f"{root}: dataset format {version}, this realpolitik reads {FORMAT}; upgrade it")
    return root


def batch_id(doc_ids: Iterable[str]) -> str:
    """The id of a batch of documents: the same documents, the same id."""
    h = hashlib.blake2b(digest_size=10)
    for d in sorted(doc_ids):
        h.update(d.encode())
        h.update(b"\0")
    return h.hexdigest()


def _atomic(path: Path, write: Callable[[Path], Any]) -> None:
    """``write`` a temporary file beside ``path``, then rename it: readers see all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    write(tmp)
    os.replace(tmp, path)


def _atomic_bytes(path: Path, data: bytes) -> None:
    _atomic(path, lambda tmp: tmp.write_bytes(data))


def _atomic_table(path: Path, table: pa.Table) -> None:
    _atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def month_of(day: dt.date | None) -> str:
    """The partition an event of this day goes to."""
    return day.strftime("%Y-%m") if day is not None else "undated"


def write_batch_files(root: str | Path, batch: str, documents: list[dict[str, Any]], events: list[dict[str, Any]],
                      rejects: list[dict[str, Any]]) -> None:
    """Write one batch: its events by month, its rejects, then its documents (the commit)."""
    root = Path(root)
    by_month: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        by_month.setdefault(month_of(e["day"]), []).append(e)
    for month, rows in sorted(by_month.items()):
        _atomic_table(root / "events" / f"month={month}" / f"part-{batch}.parquet",
                      pa.Table.from_pylist(rows, schema=EVENT_SCHEMA))
    if rejects:
        _atomic_table(root / "rejects" / f"part-{batch}.parquet", pa.Table.from_pylist(rejects, schema=REJECT_SCHEMA))
    _atomic_table(root / "documents" / f"part-{batch}.parquet",
                  pa.Table.from_pylist([{**d, "batch": batch} for d in documents], schema=DOCUMENT_SCHEMA))


def _batch_of(path: Path) -> str:
    return path.name.removeprefix("part-").removesuffix(".parquet")


def committed(root: str | Path) -> set[str]:
    """The batches whose documents file (their commit) is written."""
    return {_batch_of(p) for p in (Path(root) / "documents").glob("part-*.parquet")}


def write_rejects(root: str | Path, rows: list[dict[str, Any]]) -> None:
    """Rejects of inputs that could not be read (no batch): a file of their own for each time they
    are read, so that the ``rejects`` view counts, as a store file does, how often each was met."""
    if rows:
        name = batch_id([*(r["key"] for r in rows), str(rows[0]["last_seen"])])
        _atomic_table(Path(root) / "rejects" / f"part-read-{name}.parquet",
                      pa.Table.from_pylist(rows, schema=REJECT_SCHEMA))


def clean(root: str | Path, older_than: float = 600.0) -> int:
    """Remove the files of batches that were cut off (no documents file) and stray temporary
    files, once they are ``older_than`` seconds old (a task of a run that was stopped may still be
    finishing its batch); return how many were removed. Readers never see such files."""
    import time

    root = Path(root)
    done = committed(root)
    cutoff = time.time() - older_than
    removed = 0
    for p in root.rglob("*"):
        if not p.is_file() or p.parent == root or p.stat().st_mtime > cutoff:
            continue
        stray = p.name.endswith(".tmp") or (
            p.suffix == ".parquet" and p.parent.name != "documents" and not p.name.startswith("part-read-")
            and _batch_of(p) not in done)
        if stray:
            p.unlink()
            removed += 1
    return removed


@contextmanager
def writer_lock(root: str | Path) -> Iterator[None]:
    """Hold the dataset's writer lock for an ingest; StoreBusyError if another ingest holds it."""
    import fcntl

    from ..errors import StoreBusyError

    with open(Path(root) / ".ingest.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreBusyError(f"{root}: another ingest is writing this dataset; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _has(root: Path, pattern: str) -> bool:
    return next(root.glob(pattern), None) is not None


def _files_sql(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in sorted(paths)) + "]"


def dataset_views(root: str | Path) -> list[str]:
    """SQL that defines the store's tables as views over the files of the committed batches."""
    root = Path(root).resolve()
    done = committed(root)
    out = []
    events = [p for p in root.glob("events/*/part-*.parquet") if _batch_of(p) in done]
    if events:
        out.append(f"CREATE VIEW events AS SELECT * EXCLUDE (month) FROM read_parquet({_files_sql(events)}, "
                   "hive_partitioning = true, union_by_name = true)")
    else:
        out.append(_empty_table("events", EVENT_SCHEMA))
    documents = [root / "documents" / f"part-{b}.parquet" for b in done]
    if documents:
        out.append(f"CREATE VIEW documents AS SELECT * EXCLUDE (batch) FROM read_parquet({_files_sql(documents)}, "
                   "union_by_name = true)")
    else:
        out.append(_empty_table("documents", DOCUMENT_SCHEMA.remove(DOCUMENT_SCHEMA.get_field_index("batch"))))
    rejects = [p for p in root.glob("rejects/part-*.parquet")
               if p.name.startswith("part-read-") or _batch_of(p) in done]
    if rejects:
        out.append(f"""CREATE VIEW rejects AS SELECT key, any_value(source) AS source, any_value(line) AS line,
                        any_value(kind) AS kind, arg_max(message, last_seen) AS message, min(first_seen) AS first_seen,
                        max(last_seen) AS last_seen, sum(times)::INTEGER AS times
                       FROM read_parquet({_files_sql(rejects)}) GROUP BY key""")
    else:
        out.append(_empty_table("rejects", REJECT_SCHEMA))
    out.append("CREATE TABLE doc_bands (band BIGINT, doc_id VARCHAR)")
    out.append("CREATE TABLE imports (file_hash VARCHAR, path VARCHAR, format VARCHAR, rows BIGINT, rejected BIGINT, "
               "imported_at TIMESTAMP)")
    out.append(_CLUSTERS)
    return out


def _empty_table(name: str, schema: pa.Schema) -> str:
    """A table with a schema's columns, for a part of the dataset that has no file yet."""
    return f"CREATE TABLE {name} (" + ", ".join(f"{f.name} {_SQL[f.type]}" for f in schema) + ")"
