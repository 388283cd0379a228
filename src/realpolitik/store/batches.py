"""Writing coded batches: the store's side of ingest.

The orchestration (reading, skipping what is stored, coding here, on processes or on a Dask
cluster) is :mod:`realpolitik.ingest`; this module only writes what it is given, in one
transaction per batch for a store file (:func:`write_batch`) and in one set of files per batch
for a Parquet dataset (:func:`write_dataset_batch`). Both record unreadable inputs as rows
of ``rejects``.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.store.batches import Coded, write_batch
    >>> from realpolitik.model import Document
    >>> store = Store(":memory:")
    >>> doc = Document(id="d1", text="Iran condemned the strike.")
    >>> write_batch(store.db, [Coded(doc, (), None, b"")], {}, []).documents
    1
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import InputError
from ..model import Document, Event
from .db import Database
from .dedup import NEAR_DUPLICATE, bands, outlet_of, similarity
from .rows import event_row

__all__ = ["Coded", "Written", "write_batch", "write_dataset_batch", "write_read_rejects", "stored_ids"]


@dataclass(frozen=True)
class Coded:
    """One coded document of a batch: its events, or the error that stopped it, and its MinHash."""

    document: Document
    events: tuple[Event, ...]
    error: InputError | None
    signature: bytes


@dataclass
class Written:
    """What writing one batch stored."""

    documents: int = 0
    events: int = 0
    duplicates: int = 0
    already: int = 0
    """Documents another writer stored first (skipped)."""
    by_type: dict[str, int] = field(default_factory=dict)
    rejects: list[InputError] = field(default_factory=list)


def stored_ids(db: Database, ids: list[str]) -> set[str]:
    """Which of these document ids the store holds (a rejected document is tried again)."""
    if not ids:
        return set()
    with db.read() as con:
        rows = con.execute("SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
    return {r[0] for r in rows}


def _reject_key(error: InputError | None, doc_id: str | None) -> str:
    """Rejects of a read document are keyed by its content id, others by file, line and kind."""
    basis = doc_id or (f"{error.source}|{error.line}|{type(error).__name__}" if error else "")
    return "rj-" + hashlib.blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def reject_row(error: InputError, doc_id: str | None, now: dt.datetime) -> dict[str, Any]:
    return {"key": _reject_key(error, doc_id), "source": error.source, "line": error.line,
            "kind": type(error).__name__, "message": error.message, "first_seen": now, "last_seen": now,
            "times": 1}


def document_row(c: Coded, external_id: str | None, group: str, sim: float | None, now: dt.datetime
                 ) -> dict[str, Any]:
    d = c.document
    given = None if external_id is None or external_id == d.source else external_id
    return {"id": d.id, "external_id": given, "title": d.title, "url": d.url,
            "source": d.source, "line": d.line, "date": d.date, "outlet": outlet_of(d.url, d.source),
            "chars": len(d.text), "events": len(c.events), "dup_group": group, "similarity": sim,
            "minhash": c.signature, "text": d.text, "ingested_at": now}


def write_batch(db: Database, coded: list[Coded], external: dict[str, str], read_errors: list[InputError],
                then: Callable[[Any], None] | None = None) -> Written:
    """Store a batch in a store file in one transaction: documents (linked to near-duplicates
    already stored), their bands and events, and the rejects of the batch. ``then`` is called
    with the transaction's connection last, to write what must be committed with the batch (the
    watcher marks its articles stored)."""
    out = Written()
    good = [c for c in coded if c.error is None]
    size = sum(len(c.document.text) + 3000 * len(c.events) for c in coded)  # text and event records, in bytes
    with db.write(data_bytes=size) as con:
        # stamped once the write lock is held, so that ingested_at follows the order of commits
        # (a reader asking for what was stored after a time it saw misses nothing)
        now = dt.datetime.now()
        rejects = [reject_row(e, None, now) for e in read_errors]
        rejects += [reject_row(c.error, c.document.id, now) for c in coded if c.error is not None]
        ids = [c.document.id for c in good]
        if ids:
            already = {r[0] for r in con.execute(
                "SELECT id FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()}
            out.already = len(already)
            good = [c for c in good if c.document.id not in already]
        doc_rows, band_rows, event_rows = _rows(con, good, external, now, out)
        for table, rows in (("documents", doc_rows), ("doc_bands", band_rows), ("events", event_rows)):
            if rows:
                _insert(con, table, rows)
        if rejects:
            _insert(con, "rejects_new", rejects, into=False)
            con.execute("""INSERT INTO rejects SELECT * FROM rejects_new
                           ON CONFLICT (key) DO UPDATE SET last_seen = excluded.last_seen,
                                                           message = excluded.message,
                                                           times = rejects.times + 1""")
            con.unregister("rejects_new")
        if then is not None:
            then(con)
    out.rejects = list(read_errors) + [c.error for c in coded if c.error is not None]
    return out


def _candidates(con: Any, keys: dict[str, list[int]]) -> dict[str, set[str]]:
    """Stored documents that share a band with each new one (a semi-join on the batch's band
    keys: the store's bands are streamed, never hashed whole)."""
    candidates: dict[str, set[str]] = {cid: set() for cid in keys}
    if keys:
        owners: dict[int, list[str]] = {}
        for cid, ks in keys.items():
            for b in ks:
                owners.setdefault(b, []).append(cid)
        found = con.execute("SELECT band, doc_id FROM doc_bands WHERE band IN (SELECT unnest(?::BIGINT[]))",
                            [list(owners)]).fetchall()
        for band, theirs in found:
            for mine in owners[band]:
                candidates[mine].add(theirs)
    return candidates


def _rows(con: Any, good: list[Coded], external: dict[str, str], now: dt.datetime, out: Written
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    sigs = {c.document.id: np.frombuffer(c.signature, dtype=np.uint32) for c in good}
    keys = {cid: bands(sig) for cid, sig in sigs.items()}
    candidates = _candidates(con, keys)
    stored: dict[str, tuple[np.ndarray, str]] = {}
    wanted = sorted({t for s in candidates.values() for t in s})
    if wanted:
        for cid, blob, group in con.execute(
                "SELECT id, minhash, dup_group FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                [wanted]).fetchall():
            stored[cid] = (np.frombuffer(blob, dtype=np.uint32), group or cid)
    local_bands: dict[int, list[str]] = {}
    doc_rows: list[dict[str, Any]] = []
    band_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
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
        out.duplicates += 1 if best else 0
        stored[d.id] = (sig, group)
        for b in keys[d.id]:
            local_bands.setdefault(b, []).append(d.id)
            band_rows.append({"band": b, "doc_id": d.id})
        doc_rows.append(document_row(c, external.get(d.id), group, sim_value, now))
        _count_events(c, d.url, now, event_rows, out)
    return doc_rows, band_rows, event_rows


def _count_events(c: Coded, url: str | None, now: dt.datetime, event_rows: list[dict[str, Any]],
                  out: Written) -> None:
    for act in c.events:
        for e in act.each_dyad():  # one row per ordered pair of parties
            event_rows.append(event_row(e, url, now))
            out.by_type[e.event_type] = out.by_type.get(e.event_type, 0) + 1
            out.events += 1
    out.documents += 1


def _insert(con: Any, table: str, rows: list[dict[str, Any]], into: bool = True) -> None:
    name = f"{table}_batch" if into else table
    con.register(name, pa.Table.from_pylist(rows))
    if into:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
        con.unregister(name)


def write_dataset_batch(root: str, coded: list[Coded], external: dict[str, str]) -> Written:
    """Write a batch as files of a Parquet dataset (see :mod:`realpolitik.store.dataset`); a
    batch written again (a lost worker) writes the same files under the same names."""
    from .dataset import batch_id, write_batch_files

    bid = batch_id(c.document.id for c in coded)
    now = dt.datetime.now()
    out = Written()
    doc_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    reject_rows: list[dict[str, Any]] = []
    for c in coded:
        if c.error is not None:
            reject_rows.append(reject_row(c.error, c.document.id, now))
            out.rejects.append(c.error)
            continue
        doc_rows.append(document_row(c, external.get(c.document.id), c.document.id, None, now))
        _count_events(c, c.document.url, now, event_rows, out)
    write_batch_files(root, bid, doc_rows, event_rows, reject_rows)
    return out


def write_read_rejects(root: str, errors: list[InputError]) -> None:
    """Record inputs that could not be read, in a Parquet dataset."""
    from .dataset import write_rejects

    now = dt.datetime.now()
    write_rejects(root, [reject_row(e, None, now) for e in errors])
