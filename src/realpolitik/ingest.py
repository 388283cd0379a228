"""Ingest: read documents, code the new ones, and store them with their events, safely.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.ingest import ingest
    >>> from realpolitik.io.readers import read_inputs
    >>> store = Store(":memory:")
    >>> report = ingest(store, read_inputs(["examples/sample.txt"]))
    >>> report.documents, report.skipped, report.events > 0
    (1, 0, True)
    >>> ingest(store, read_inputs(["examples/sample.txt"])).documents  # the same text again adds nothing
    0

:func:`ingest` is the one place that decides how: a store file is written by this process,
one transaction per batch, while the batch is coded here or on ``workers`` processes; a
Parquet dataset is written by its batches' workers, local processes or a Dask cluster
(``engine="dask"``). Either way the work goes in batches of ``commit_every`` inputs: documents
are read and given their content hash as id; those already stored are skipped; the rest are
coded and written (:mod:`realpolitik.store.batches`). A run killed at any moment leaves whole
batches or nothing of a batch, and running the same command again codes only what is
missing: the result is the same as one uninterrupted run. A document that cannot be read or
coded is a row of ``rejects`` (file, line, reason) and never stops the batch.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import InputError, StoreError
from .io.readers import Item
from .model import Document
from .scale.local import map_batches
from .store.batches import Coded, Written, stored_ids, write_batch, write_dataset_batch, write_read_rejects
from .store.dedup import content_id, minhash

__all__ = ["ingest", "IngestReport", "code_batch"]


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

    def add(self, w: Written, on_reject: Callable[[InputError], None] | None) -> None:
        """Count what a batch wrote, and pass on its rejects."""
        self.documents += w.documents
        self.events += w.events
        self.duplicates += w.duplicates
        self.skipped += w.already
        for t, n in w.by_type.items():
            self.by_type[t] = self.by_type.get(t, 0) + n
        self.reject(w.rejects, on_reject)

    def reject(self, errors: Iterable[InputError], on_reject: Callable[[InputError], None] | None) -> None:
        for error in errors:
            self.rejected += 1
            if on_reject:
                on_reject(error)


@dataclass
class _Batch:
    documents: list[Document]
    errors: list[InputError]
    warnings: list[str]
    read: int
    skipped: int
    external: dict[str, str]


def code_batch(settings: Settings, documents: list[Document]) -> list[Coded]:
    """Code a batch (in this process, a worker process or a Dask worker), as the store writes it."""
    if not documents:
        return []
    from .coder import Coder

    coder = Coder.shared(settings)
    return [Coded(r.document, r.events, r.error, minhash(r.document.text).tobytes() if r.ok else b"")
            for r in coder.pipe(documents)]


def _load_coder(settings: Settings) -> None:
    from .coder import Coder

    Coder.shared(settings)


def _batches(items: Iterable[Item], size: int, is_stored: Callable[[list[str]], set[str]],
             window: int | None = None) -> Iterator[_Batch]:
    """Inputs grouped in batches, with their content ids set and stored ones left out; the ids of
    the last ``window`` documents sent on (default 64 batches' worth) are remembered, so that a
    copy is not coded again before the first is stored."""
    window = window or 64 * size
    buffer: list[Item] = []
    in_flight: dict[str, None] = {}  # ids sent to coding, not yet known to be stored (bounded)

    def flush() -> _Batch:
        docs: dict[str, Document] = {}
        external: dict[str, str] = {}
        skipped = 0
        for it in buffer:
            if it.document is None:
                continue
            cid = content_id(it.document.text)
            if cid in docs or cid in in_flight:
                skipped += 1
                continue
            docs[cid] = it.document.model_copy(update={"id": cid})
            external[cid] = it.document.id
        known = is_stored(list(docs))
        skipped += len(known)
        for cid in known:
            del docs[cid]
        for cid in docs:
            in_flight[cid] = None
        while len(in_flight) > window:
            in_flight.pop(next(iter(in_flight)))
        batch = _Batch(list(docs.values()), [it.error for it in buffer if it.error is not None],
                       [it.warning for it in buffer if it.warning], len(buffer), skipped, external)
        buffer.clear()
        return batch

    for item in items:
        buffer.append(item)
        if len(buffer) >= size:
            yield flush()
    if buffer:
        yield flush()


def _note_read(batch: _Batch, report: IngestReport, on_warning: Callable[[str], None] | None) -> None:
    """Count a batch's inputs, and pass on its read warnings."""
    report.read += batch.read
    report.skipped += batch.skipped
    for w in batch.warnings:
        report.warnings += 1
        if on_warning:
            on_warning(w)


def ingest(store: Any, items: Iterable[Item], *, settings: Settings | None = None, engine: str = "local",
           workers: int = 1, scheduler: str | None = None, commit_every: int = 256,
           on_progress: Callable[[IngestReport], None] | None = None,
           on_reject: Callable[[InputError], None] | None = None,
           on_warning: Callable[[str], None] | None = None) -> IngestReport:
    """Documents read (or their read errors) into a :class:`~realpolitik.store.Store`: its file,
    or its Parquet dataset (see the module docstring)."""
    settings = settings or Settings()
    if not store.db.dataset and engine != "local":
        raise StoreError(f"{store.path}: the {engine} engine writes a Parquet dataset; give a folder instead "
                         "of a store file (e.g. --db news.parquet)")
    if engine not in ("local", "dask"):
        raise StoreError(f"unknown engine {engine!r}; use local or dask")
    report = IngestReport()
    started = time.perf_counter()
    size = max(1, commit_every)

    def progress() -> None:
        report.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(report)

    if store.db.dataset:
        _into_dataset(store, items, settings, engine, workers, scheduler, size, report, progress, on_reject,
                      on_warning)
        store.db.close()  # this process's kept reader listed the folder's files before the new batches
    else:
        _into_file(store, items, settings, workers, size, report, progress, on_reject, on_warning)
    report.seconds = time.perf_counter() - started
    return report


def _into_file(store: Any, items: Iterable[Item], settings: Settings, workers: int, size: int,
               report: IngestReport, progress: Callable[[], None],
               on_reject: Callable[[InputError], None] | None, on_warning: Callable[[str], None] | None) -> None:
    """This process writes, batch by batch, while the batches are coded here or on ``workers``."""
    db = store.db
    pending: list[_Batch] = []

    def to_code() -> Iterator[list[Document]]:
        for batch in _batches(items, size, functools.partial(stored_ids, db)):
            pending.append(batch)
            yield batch.documents

    # worker processes load the model once at start; here it loads on the first batch that needs coding
    for coded in map_batches(functools.partial(code_batch, settings), to_code(), workers,
                             initializer=_load_coder if workers > 1 else None, initargs=(settings,)):
        batch = pending.pop(0)
        _note_read(batch, report, on_warning)
        report.add(write_batch(db, coded, batch.external, batch.errors), on_reject)
        progress()


def _code_and_write(settings: Settings, root: str, work: tuple[list[Document], dict[str, str]]) -> Written:
    """Code one batch and write its files; run on a worker."""
    documents, external = work
    return write_dataset_batch(root, code_batch(settings, documents), external)


def _into_dataset(store: Any, items: Iterable[Item], settings: Settings, engine: str, workers: int,
                  scheduler: str | None, size: int, report: IngestReport, progress: Callable[[], None],
                  on_reject: Callable[[InputError], None] | None, on_warning: Callable[[str], None] | None) -> None:
    """The workers code and write their batches; a batch cut off is removed and coded again next run."""
    from .store.dataset import clean, writer_lock

    root = Path(store.db.path).resolve()  # the workers may have another working folder

    def work(in_flight: int) -> Iterator[tuple[list[Document], dict[str, str]]]:
        # ids sent to coding are remembered for all the batches that can be in flight, and more
        window = max(64, 4 * in_flight) * size
        for batch in _batches(items, size, functools.partial(stored_ids, store.db), window=window):
            _note_read(batch, report, on_warning)
            if batch.errors:
                write_read_rejects(str(root), batch.errors)
                report.reject(batch.errors, on_reject)
            if batch.documents:
                yield batch.documents, batch.external

    task = functools.partial(_code_and_write, settings, str(root))
    with writer_lock(root):
        clean(root)
        if engine == "dask":
            from .scale.dask import cluster
            from .scale.dask import map_batches as dask_map

            with cluster(scheduler=scheduler, workers=workers) as client:
                results: Iterable[Written] = dask_map(task, work(256), client)
                for w in results:
                    report.add(w, on_reject)
                    progress()
        else:
            for w in map_batches(task, work(2 * workers), workers,
                                 initializer=_load_coder if workers > 1 else None, initargs=(settings,)):
                report.add(w, on_reject)
                progress()
