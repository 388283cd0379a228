"""Ingest: read documents, code the new ones, and store them with their events, safely.

Example::

    >>> from realpolitik.store import Store
    >>> store = Store(":memory:")
    >>> report = store.ingest(["examples/sample.txt"])
    >>> report.documents, report.skipped, report.events > 0
    (1, 0, True)
    >>> store.ingest(["examples/sample.txt"]).documents  # the same text again adds nothing
    0

The work goes in chunks of ``commit_every`` inputs. For each chunk: documents are read and
given their content hash as id; those already in the store are skipped; the rest are coded
(here, or on ``workers`` processes) with the store closed; then one transaction stores the
documents, their MinHash bands, their events and the chunk's rejects. A run killed at any
moment leaves whole chunks or nothing of a chunk, and running the same command again
codes only what is missing: the result is the same as one uninterrupted run.

A document that cannot be read or coded is a row of ``rejects`` (file, line, reason) and
never stops the batch.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..config import Settings
from ..errors import InputError
from ..io.readers import Item
from ..model import Document
from ..scale.local import map_batches
from .db import Database
from .dedup import NEAR_DUPLICATE, bands, content_id, minhash, outlet_of, similarity
from .rows import event_row

__all__ = ["ingest_items", "ingest_dataset", "IngestReport"]


@dataclass
class IngestReport:
    """What one ingest run did."""

    read: int = 0
    """Inputs read (documents and unreadable inputs)."""
    documents: int = 0
    """New documents stored."""
    skipped: int = 0
    """Documents already in the store (or repeated in the input), not coded again."""
    duplicates: int = 0
    """New documents recognised as near-duplicate copies of a stored one (stored and linked)."""
    events: int = 0
    """Events stored."""
    rejected: int = 0
    """Inputs that could not be read or coded (see the ``rejects`` table)."""
    warnings: int = 0
    """Inputs read with a warning (e.g. decoded as Windows-1252)."""
    seconds: float = 0.0
    by_type: dict[str, int] = field(default_factory=dict)

    @property
    def docs_per_second(self) -> float:
        return (self.documents + self.skipped) / self.seconds if self.seconds else 0.0


@dataclass
class _Chunk:
    documents: list[Document]
    errors: list[InputError]
    warnings: list[str]
    read: int
    skipped: int
    external: dict[str, str]


@dataclass
class _Coded:
    document: Document
    events: tuple[Any, ...]
    error: InputError | None
    signature: bytes


def _code_chunk(settings: Settings, documents: list[Document]) -> list[_Coded]:
    if not documents:
        return []
    from ..coder import Coder

    coder = Coder.shared(settings)
    out = []
    for result in coder.pipe(documents):
        sig = minhash(result.document.text).tobytes() if result.ok else b""
        out.append(_Coded(result.document, result.events, result.error, sig))
    return out


def _load_coder(settings: Settings) -> None:
    from ..coder import Coder

    Coder.shared(settings)


def _reject_key(error: InputError | None, doc_id: str | None) -> str:
    """Rejects of a read document are keyed by its content id, others by file, line and kind."""
    basis = doc_id or (f"{error.source}|{error.line}|{type(error).__name__}" if error else "")
    return "rj-" + hashlib.blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def _chunks(items: Iterable[Item], size: int, db: Database, window: int | None = None) -> Iterator[_Chunk]:
    """Inputs grouped in chunks, with their content ids set and stored ones left out; the ids of
    the last ``window`` documents sent on (default 64 chunks' worth) are remembered, so that a
    copy is not coded again before the first is stored."""
    window = window or 64 * size
    buffer: list[Item] = []
    in_flight: dict[str, None] = {}  # ids sent to coding, not yet known to be stored (bounded)

    def flush() -> _Chunk:
        docs: dict[str, Document] = {}
        external: dict[str, str] = {}
        errors = [it.error for it in buffer if it.error is not None]
        warnings = [it.warning for it in buffer if it.warning]
        skipped = 0
        for it in buffer:
            if it.document is None:
                continue
            d = it.document
            cid = content_id(d.text)
            if cid in docs or cid in in_flight:
                skipped += 1
                continue
            docs[cid] = d.model_copy(update={"id": cid})
            external[cid] = d.id
        known = _stored(db, list(docs))
        skipped += len(known)
        for cid in known:
            del docs[cid]
        for cid in docs:
            in_flight[cid] = None
        while len(in_flight) > window:
            in_flight.pop(next(iter(in_flight)))
        chunk = _Chunk(list(docs.values()), errors, warnings, len(buffer), skipped, external)
        buffer.clear()
        return chunk

    for item in items:
        buffer.append(item)
        if len(buffer) >= size:
            yield flush()
    if buffer:
        yield flush()


def _stored(db: Database, ids: list[str]) -> set[str]:
    """Which of these document ids the store holds (a rejected document is tried again)."""
    if not ids:
        return set()
    with db.read() as con:
        rows = con.execute("SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
    return {r[0] for r in rows}


def ingest_items(db: Database, items: Iterable[Item], *, settings: Settings | None = None, workers: int = 1,
                 commit_every: int = 256, on_progress: Callable[[IngestReport], None] | None = None,
                 on_reject: Callable[[InputError], None] | None = None,
                 on_warning: Callable[[str], None] | None = None) -> IngestReport:
    """Ingest documents already read (or their read errors) into a store file (see the module docstring)."""
    settings = settings or Settings()
    report = IngestReport()
    started = time.perf_counter()
    chunks = _chunks(items, max(1, commit_every), db)
    pending: list[_Chunk] = []

    def to_code() -> Iterator[list[Document]]:
        for chunk in chunks:
            pending.append(chunk)
            yield chunk.documents

    # worker processes load the model once at start; here it loads on the first chunk that needs coding
    coded_chunks = map_batches(functools.partial(_code_chunk, settings), to_code(), workers,
                               initializer=_load_coder if workers > 1 else None, initargs=(settings,))
    for coded in coded_chunks:
        chunk = pending.pop(0)
        _note_read(chunk, report, on_warning)
        _commit(db, chunk, coded, report, on_reject)
        report.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(report)
    report.seconds = time.perf_counter() - started
    return report


def _commit(db: Database, chunk: _Chunk, coded: list[_Coded], report: IngestReport,
            on_reject: Callable[[InputError], None] | None) -> None:
    now = dt.datetime.now()
    rejects: list[dict[str, Any]] = []
    for error in chunk.errors:
        rejects.append(_reject_row(error, None, now))
    good = []
    for c in coded:
        if c.error is not None:
            rejects.append(_reject_row(c.error, c.document.id, now))
        else:
            good.append(c)
    size = sum(len(c.document.text) + 3000 * len(c.events) for c in coded)  # text and event records, in bytes
    with db.write(data_bytes=size) as con:
        ids = [c.document.id for c in good]
        if ids:
            already = {r[0] for r in con.execute(
                "SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()}
            if already:
                report.skipped += len(already)
                good = [c for c in good if c.document.id not in already]
        doc_rows, band_rows, event_rows = _rows(con, good, chunk.external, now, report)
        if doc_rows:
            _insert(con, "documents", doc_rows)
        if band_rows:
            _insert(con, "doc_bands", band_rows)
        if event_rows:
            _insert(con, "events", event_rows)
        if rejects:
            _insert(con, "rejects_new", rejects, into=False)
            con.execute("""INSERT INTO rejects SELECT * FROM rejects_new
                           ON CONFLICT (key) DO UPDATE SET last_seen = excluded.last_seen,
                                                           message = excluded.message,
                                                           times = rejects.times + 1""")
            con.unregister("rejects_new")
    _note_rejects(chunk.errors, report, on_reject)
    _note_rejects([c.error for c in coded if c.error is not None], report, on_reject)


def _note_read(chunk: _Chunk, report: IngestReport, on_warning: Callable[[str], None] | None) -> None:
    """Count a chunk's inputs, and pass on its read warnings."""
    report.read += chunk.read
    report.skipped += chunk.skipped
    for w in chunk.warnings:
        report.warnings += 1
        if on_warning:
            on_warning(w)


def _note_rejects(errors: Iterable[InputError], report: IngestReport,
                  on_reject: Callable[[InputError], None] | None) -> None:
    """Count inputs that could not be read or coded, and pass each on."""
    for error in errors:
        report.rejected += 1
        if on_reject:
            on_reject(error)


def _reject_row(error: InputError, doc_id: str | None, now: dt.datetime) -> dict[str, Any]:
    return {"key": _reject_key(error, doc_id), "source": error.source, "line": error.line,
            "kind": type(error).__name__, "message": error.message, "first_seen": now, "last_seen": now,
            "times": 1}


def _rows(con: Any, good: list[_Coded], external: dict[str, str], now: dt.datetime, report: IngestReport
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    import numpy as np

    sigs = {c.document.id: np.frombuffer(c.signature, dtype=np.uint32) for c in good}
    keys = {cid: bands(sig) for cid, sig in sigs.items()}
    # candidates among stored documents, by shared bands
    candidates: dict[str, set[str]] = {cid: set() for cid in keys}
    if keys:
        owners: dict[int, list[str]] = {}
        for cid, ks in keys.items():
            for b in ks:
                owners.setdefault(b, []).append(cid)
        # a semi-join on the chunk's band keys: the store's bands are streamed, never hashed whole
        found = con.execute("SELECT band, doc_id FROM doc_bands WHERE band IN (SELECT unnest(?::BIGINT[]))",
                            [list(owners)]).fetchall()
        for band, theirs in found:
            for mine in owners[band]:
                candidates[mine].add(theirs)
    stored: dict[str, tuple[np.ndarray, str]] = {}
    wanted = sorted({t for s in candidates.values() for t in s})
    if wanted:
        for cid, blob, group in con.execute(
                "SELECT id, minhash, dup_group FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [wanted]).fetchall():
            stored[cid] = (np.frombuffer(blob, dtype=np.uint32), group or cid)
    local_bands: dict[int, list[str]] = {}
    doc_rows, band_rows, event_rows = [], [], []
    for c in good:
        d = c.document
        sig = sigs[d.id]
        best: tuple[float, str] | None = None
        options = set(candidates[d.id])
        for b in keys[d.id]:
            options.update(local_bands.get(b, ()))
        for other in sorted(options):
            if other not in stored:
                continue
            sim = similarity(sig, stored[other][0])
            if sim >= NEAR_DUPLICATE and (best is None or sim > best[0]):
                best = (sim, stored[other][1])
        group, sim_value = (best[1], best[0]) if best else (d.id, None)
        if best:
            report.duplicates += 1
        stored[d.id] = (sig, group)
        for b in keys[d.id]:
            local_bands.setdefault(b, []).append(d.id)
            band_rows.append({"band": b, "doc_id": d.id})
        doc_rows.append(_document_row(c, external.get(d.id), group, sim_value, now))
        for e in c.events:
            event_rows.append(event_row(e, d.url, now))
            report.by_type[e.event_type] = report.by_type.get(e.event_type, 0) + 1
        report.documents += 1
        report.events += len(c.events)
    return doc_rows, band_rows, event_rows


def _document_row(c: _Coded, external_id: str | None, group: str, similarity: float | None, now: dt.datetime
                  ) -> dict[str, Any]:
    d = c.document
    return {"id": d.id, "external_id": _external_id(d, external_id), "title": d.title, "url": d.url,
            "source": d.source, "line": d.line, "date": d.date, "outlet": outlet_of(d.url, d.source),
            "chars": len(d.text), "events": len(c.events), "dup_group": group, "similarity": similarity,
            "minhash": c.signature, "text": d.text, "ingested_at": now}


def _external_id(d: Document, given: str | None) -> str | None:
    """The id the input gave the document (a JSONL 'id', a feed entry's guid); None for files."""
    return None if given is None or given == d.source else given


def _insert(con: Any, table: str, rows: list[dict[str, Any]], into: bool = True) -> None:
    name = f"{table}_batch" if into else table
    con.register(name, pa.Table.from_pylist(rows))
    if into:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
        con.unregister(name)


# -- into a Parquet dataset, on this machine or a Dask cluster ------------------------------------


def _code_batch(settings: Settings, root: str, batch: tuple[list[Document], dict[str, str]]) -> dict[str, Any]:
    """Code one batch and write its files (see realpolitik.store.dataset); run on a worker."""
    from .dataset import batch_id, write_batch_files

    documents, external = batch
    bid = batch_id(d.id for d in documents)
    coded = _code_chunk(settings, documents)  # run again (a lost worker), it writes the same files again
    now = dt.datetime.now()
    doc_rows, event_rows, reject_rows, rejects = [], [], [], []
    by_type: dict[str, int] = {}
    for c in coded:
        if c.error is not None:
            reject_rows.append(_reject_row(c.error, c.document.id, now))
            rejects.append(c.error)
            continue
        doc_rows.append(_document_row(c, external.get(c.document.id), c.document.id, None, now))
        for e in c.events:
            event_rows.append(event_row(e, c.document.url, now))
            by_type[e.event_type] = by_type.get(e.event_type, 0) + 1
    write_batch_files(root, bid, doc_rows, event_rows, reject_rows)
    return {"batch": bid, "documents": len(doc_rows), "events": len(event_rows), "rejects": rejects,
            "by_type": by_type}


def ingest_dataset(db: Database, items: Iterable[Item], *, settings: Settings | None = None,
                   engine: str = "local", workers: int = 1, scheduler: str | None = None, commit_every: int = 256,
                   on_progress: Callable[[IngestReport], None] | None = None,
                   on_reject: Callable[[InputError], None] | None = None,
                   on_warning: Callable[[str], None] | None = None) -> IngestReport:
    """Ingest into a Parquet dataset: batches of ``commit_every`` documents are coded and written
    in parallel, on local processes (``engine="local"``) or a Dask cluster (``"dask"``: the
    scheduler at ``scheduler``, or a local cluster of ``workers`` processes). Idempotent and
    safe to interrupt, as ``ingest``: stored documents are skipped, and a batch cut off is
    removed and coded again on the next run."""
    from .dataset import clean, write_rejects, writer_lock

    settings = settings or Settings()
    root = Path(db.path).resolve()  # the workers may have another working folder
    report = IngestReport()
    started = time.perf_counter()

    def batches(in_flight: int) -> Iterator[tuple[list[Document], dict[str, str]]]:
        # ids sent to coding are remembered for all the batches that can be in flight, and more
        window = max(64, 4 * in_flight) * max(1, commit_every)
        for chunk in _chunks(items, max(1, commit_every), db, window=window):
            _note_read(chunk, report, on_warning)
            if chunk.errors:
                now = dt.datetime.now()
                write_rejects(root, [_reject_row(e, None, now) for e in chunk.errors])
                _note_rejects(chunk.errors, report, on_reject)
            if chunk.documents:
                yield chunk.documents, chunk.external

    task = functools.partial(_code_batch, settings, str(root))
    if engine not in ("local", "dask"):
        from ..errors import StoreError

        raise StoreError(f"unknown engine {engine!r}; use local or dask")
    with writer_lock(root):
        clean(root)
        if engine == "dask":
            from ..scale.dask import cluster
            from ..scale.dask import map_batches as dask_map

            with cluster(scheduler=scheduler, workers=workers) as client:
                _collect(dask_map(task, batches(256), client), report, started, on_progress, on_reject)
        else:
            _collect(map_batches(task, batches(2 * workers), workers,
                                 initializer=_load_coder if workers > 1 else None, initargs=(settings,)),
                     report, started, on_progress, on_reject)
    report.seconds = time.perf_counter() - started
    return report


def _collect(results: Iterable[dict[str, Any]], report: IngestReport, started: float,
             on_progress: Callable[[IngestReport], None] | None,
             on_reject: Callable[[InputError], None] | None) -> None:
    for r in results:
        report.documents += r["documents"]
        report.events += r["events"]
        for t, n in r["by_type"].items():
            report.by_type[t] = report.by_type.get(t, 0) + n
        _note_rejects(r["rejects"], report, on_reject)
        report.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(report)
