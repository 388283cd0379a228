"""The event store: an embedded DuckDB file of documents, events, clusters and rejects.

Example::

    >>> from realpolitik.store import Store
    >>> store = Store(":memory:")
    >>> store.ingest(["examples/sample.txt"], default_date=None).documents
    1
    >>> frame = store.events(actor="IRQ")
    >>> {"event_type", "source_country", "target_country", "sentence"} <= set(frame.columns)
    True

``Store(path)`` opens (or creates) a store file; ``":memory:"`` keeps one in memory. Every
method is one library call that the command line and notebooks share:
``ingest`` (files and folders in), ``events`` and ``clusters`` (frames out, filtered),
``event`` (one event with its evidence and provenance), ``dyad_series``, ``summary``,
``export`` and ``import_file``. Frames are pandas by default, polars with
``frame="polars"`` when polars is installed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..config import Settings
from ..errors import DamagedStoreError, InputError, NotFoundError, StoreError
from ..model import Event
from .db import DEFAULT_DB, Database, store_error
from .exports import FORMATS, export
from .importers import IMPORT_FORMATS, ImportReport, import_file
from .index import EventIndex
from .queries import EventFilter, Page, decode_cursor, keyset, page_of, scope_of

if TYPE_CHECKING:
    from ..ingest import IngestReport

LOG = logging.getLogger("realpolitik.store")
INDEX_SETTLE_SECONDS = 2.0
"""After the store changes, how long it must rest before the in-memory index is read again."""

__all__ = ["Store", "StoredEvent", "StoreSummary", "EventFilter", "Page", "ImportReport",
           "DEFAULT_DB", "FORMATS", "IMPORT_FORMATS"]

Frame = Literal["pandas", "polars"]


@dataclass(frozen=True)
class StoredEvent:
    """One stored event with where it came from."""

    row: dict[str, Any]
    """The event's row of the ``events`` table (flat columns)."""
    event: Event | None
    """The full event record for events coded here; None for imported events."""
    document: dict[str, Any] | None
    """The document it was coded from (id, title, url, source, line, date, outlet, text)."""
    cluster: dict[str, Any]
    """The event cluster it belongs to (mentions, documents, articles, sources, first seen)."""


@dataclass
class StoreSummary:
    """Counts that describe a store."""

    path: str
    documents: int = 0
    duplicates: int = 0
    rejects: int = 0
    events: int = 0
    clusters: int = 0
    multi_report_clusters: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    by_origin: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    top_dyads: list[tuple[str, str, int]] = field(default_factory=list)
    top_clusters: list[dict[str, Any]] = field(default_factory=list)
    imports: int = 0


def _dicts(cur: Any) -> list[dict[str, Any]]:
    """The rows of an executed DuckDB query, as column -> value."""
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _like(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally (with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filter(where: EventFilter | None, filters: dict[str, Any]) -> EventFilter:
    if where is not None and filters:
        raise StoreError("give either an EventFilter or keyword filters, not both")
    if where is not None:
        return where
    try:
        return EventFilter(**filters)
    except TypeError as exc:
        raise StoreError(f"unknown filter: {exc}") from None


class Store:
    """An event store in one DuckDB file (see the module docstring).

    ``keep_open`` (seconds) lets a long-lived reader share one read connection; ``index=True``
    keeps an in-memory :class:`~realpolitik.store.index.EventIndex` (read in the background,
    again after each change) that answers :meth:`page` and pair series without scanning the
    store: a server's choice, not a script's (it costs about 400 bytes an event). ``warm``, given
    with it, is called with the store and each new index once that index answers, in a thread of
    its own, to work out early what will be asked of it (a server's busiest dyad series): it
    should stop when the index is no longer the store's (:meth:`event_index` returns another).
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, timeout: float = 60.0, create: bool = True,
                 keep_open: float = 0.0, index: bool = False,
                 warm: Callable[[Store, EventIndex], None] | None = None):
        self.db = Database(path, timeout=timeout, create=create, keep_open=keep_open)
        self.path = self.db.path
        self._index = index  # keep an EventIndex for pages and pair series (a long-lived reader)
        self._indexed: tuple[tuple[int, ...], EventIndex] | None = None
        self._building: threading.Thread | None = None
        self._index_lock = threading.Lock()
        self._changed: tuple[tuple[int, ...] | None, float] = (None, 0.0)  # the stamp last seen new, and when
        self._failed: tuple[int, ...] | None = None  # the stamp whose index could not be read
        self._warm, self._warming = warm, 0  # how many ``warm`` calls are running

    def event_index(self, wait: bool = False) -> EventIndex | None:
        """The store's :class:`~realpolitik.store.index.EventIndex` if it is as new as the store,
        else None (and it is being built again in the background; ``wait=True`` waits for it).
        Always None unless the store was opened with ``index=True``."""
        if not self._index:
            return None
        stamp, now = self.db.generation, time.monotonic()
        with self._index_lock:
            if self._indexed is not None and self._indexed[0] == stamp:
                return self._indexed[1]
            if self._indexed is not None:  # stale: let it go before its successor is read
                self._indexed, self._changed = None, (stamp, now)
            if self._changed[0] != stamp:
                self._changed = (stamp, now)
            # after a change, read it again once the store has rested a moment (an ingest in
            # another process commits batch after batch: a read each time would hold it up)
            settled = wait or now - self._changed[1] >= INDEX_SETTLE_SECONDS or self._building is None  # the first
            idle = self._building is None or not self._building.is_alive()
            if settled and idle and self._failed != stamp:
                self._building = threading.Thread(target=self._build_index, args=(stamp,), daemon=True,
                                                  name="realpolitik-index")
                self._building.start()
            building = self._building
        if not wait or building is None:
            return None
        building.join()
        with self._index_lock:  # None if it could not be read, or the store changed meanwhile
            return self._indexed[1] if self._indexed is not None else None

    @property
    def index_state(self) -> str:
        """``off`` (opened without ``index=True``), ``building``, ``warming`` (as new as the store,
        answering, while ``warm`` runs) or ``ready``."""
        if not self._index:
            return "off"
        indexed = self._indexed
        if indexed is None or indexed[0] != self.db.generation:
            return "building"
        return "warming" if self._warming else "ready"

    def _build_index(self, stamp: tuple[int, ...]) -> None:
        try:
            with self.db.read() as con:
                built = EventIndex.read(con)
        except Exception as exc:  # a thread of its own: SQL answers instead, and says why when asked
            LOG.warning("the in-memory event index could not be read (%s); pages are read with SQL until the "
                        "store changes", exc)
            with self._index_lock:
                self._failed = stamp
            return
        with self._index_lock:
            if self.db.generation != stamp:
                return
            self._indexed = (stamp, built)
            if self._warm is None:
                return
            self._warming += 1
        threading.Thread(target=self._warm_index, args=(built,), daemon=True, name="realpolitik-warm").start()

    def _warm_index(self, built: EventIndex) -> None:
        assert self._warm is not None
        try:
            self._warm(self, built)
        except Exception as exc:  # only early answers are lost: each is worked out when asked
            LOG.warning("working out answers ahead failed (%s); they are worked out when asked", exc)
        finally:
            with self._index_lock:
                self._warming -= 1

    # -- in -------------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], *, settings: Settings | None = None, workers: int = 1,
               commit_every: int = 256, default_date: dt.date | None = None,
               on_progress: Callable[[IngestReport], None] | None = None,
               on_reject: Callable[[InputError], None] | None = None,
               on_warning: Callable[[str], None] | None = None, engine: str = "local",
               scheduler: str | None = None) -> IngestReport:
        """Read, code and store documents; idempotent and safe to interrupt.

        A store file is written by this process (``workers`` processes code). A Parquet dataset
        (:mod:`realpolitik.store.dataset`) is written by its batches' workers: local processes,
        or with ``engine="dask"`` a Dask cluster (the scheduler at ``scheduler``, or a local
        cluster of ``workers`` processes)."""
        from ..io.readers import read_inputs

        self.db.verify()
        return self._ingest(read_inputs([str(p) for p in paths], default_date), engine=engine, scheduler=scheduler,
                            settings=settings, workers=workers, commit_every=commit_every, on_progress=on_progress,
                            on_reject=on_reject, on_warning=on_warning)

    def ingest_records(self, records: Iterable[Any], *, source: str = "<records>",
                       default_date: dt.date | None = None, settings: Settings | None = None,
                       on_reject: Callable[[InputError], None] | None = None) -> IngestReport:
        """Code and store documents given as records (``{"text", "id"?, "date"?, "title"?, "url"?}``),
        as ``ingest`` does lines of a JSONL file; a bad record is rejected with ``source`` and its number."""
        from ..io.readers import read_records

        self.db.verify()
        return self._ingest(read_records(records, source, default_date), settings=settings, on_reject=on_reject)

    def _ingest(self, items: Iterable[Any], *, engine: str = "local", scheduler: str | None = None,
                **options: Any) -> IngestReport:
        """Documents read (or their read errors) into the store file, or into the Parquet dataset
        (:func:`realpolitik.ingest.ingest` decides how)."""
        from ..ingest import ingest

        return ingest(self, items, engine=engine, scheduler=scheduler, **options)

    def import_file(self, path: str | Path, fmt: str | None = None) -> ImportReport:
        """Import a GDELT 2.0, ICEWS or POLECAT file (format guessed when not given)."""
        self.db.verify()
        return import_file(self.db, path, fmt)

    # -- out ------------------------------------------------------------------------------

    def query(self, sql: str, params: list[Any] | None = None, frame: Frame = "pandas") -> Any:
        """Run SQL over the store's tables and return a frame (read-only on a store file)."""
        with self.db.read() as con:
            if frame == "polars":
                _polars()
            try:
                rel = con.sql(sql, params=params or None)
                return rel.pl() if frame == "polars" else rel.df()
            except Exception as exc:  # duckdb.Error
                damaged = store_error(self.path, exc)
                raise (damaged if isinstance(damaged, DamagedStoreError) else StoreError(f"query failed: {exc}")
                       ) from None

    def events(self, where: EventFilter | None = None, *, limit: int | None = None, offset: int = 0,
               frame: Frame = "pandas", **filters: Any) -> Any:
        """Events matching the filters (``actor``, ``dyad``, ``event_type``, ``since``, ``until``,
        ``modality``, ``origin``), oldest first, as a frame of the flat event columns."""
        from .exports import FLAT_COLUMNS

        clause, params = _filter(where, filters).sql()
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        return self.query(f"SELECT {', '.join(FLAT_COLUMNS)} FROM events WHERE {clause} "
                          f"ORDER BY day NULLS LAST, event_id{page}", params, frame)

    def page(self, where: EventFilter | None = None, *, limit: int = 50, cursor: str | None = None,
             newest_first: bool = False, **filters: Any) -> Page:
        """One page of matching events (flat columns), oldest first unless ``newest_first``; pass the
        page's ``next_cursor`` back as ``cursor`` for the next. Pages hold however the store grows."""
        from .exports import FLAT_COLUMNS

        f = _filter(where, filters)
        clause, params = f.sql()
        scope = scope_of("events", clause, params, newest_first)
        index = self.event_index()
        if index is not None:  # found with the in-memory index, and read from it
            after_key = decode_cursor(cursor, scope) if cursor else None
            rows = index.rows(index.page(f, int(limit) + 1, after_key, newest_first))
        else:
            after, after_params, order = keyset(("day", "event_id"), cursor, newest_first, scope)
            rows = self.rows(f"SELECT {', '.join(FLAT_COLUMNS)} FROM events WHERE {clause} AND {after} "
                              f"ORDER BY {order} LIMIT ?", [*params, *after_params, int(limit) + 1])
        return page_of(rows, limit, ("day", "event_id"), scope)

    def documents(self, *, limit: int = 50, cursor: str | None = None, newest_first: bool = False,
                  query: str | None = None) -> Page:
        """One page of documents (without their text), by date; ``query`` keeps those whose title or
        text contains it (any case)."""
        where, params = "TRUE", []
        if query:
            where, params = "(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')", [f"%{_like(query)}%"] * 2
        scope = scope_of("documents", where, params, newest_first)
        after, after_params, order = keyset(("date", "id"), cursor, newest_first, scope)
        rows = self.rows("SELECT id, external_id, title, url, source, line, date, outlet, chars, events, dup_group, "
                          f"similarity, ingested_at FROM documents WHERE {where} AND {after} ORDER BY {order} "
                          "LIMIT ?", [*params, *after_params, int(limit) + 1])
        return page_of(rows, limit, ("date", "id"), scope)

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document, by its id or the id it was given in its file, with its text and the ids
        of its events; raises NotFoundError if there is none."""
        rows = self.rows("SELECT * EXCLUDE (minhash) FROM documents WHERE id = ? OR external_id = ? "
                          "ORDER BY id = ? DESC, ingested_at LIMIT 1", [doc_id, doc_id, doc_id])
        if not rows:
            raise NotFoundError(f"no document {doc_id!r} in {self.path}")
        doc = rows[0]
        doc["event_ids"] = [r["event_id"] for r in self.rows(
            "SELECT event_id FROM events WHERE doc_id = ? ORDER BY sentence_index, event_id", [doc["id"]])]
        return doc

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run SQL over the store's tables and return its rows as column -> value, with DuckDB's
        own Python values (dates, times, None), for code that wants no frame."""
        with self.db.read() as con:
            return _dicts(con.execute(sql, params or []))

    def count(self, where: EventFilter | None = None, **filters: Any) -> int:
        """How many events match the filters."""
        clause, params = _filter(where, filters).sql()
        with self.db.read() as con:
            (n,) = con.execute(f"SELECT count(*) FROM events WHERE {clause}", params).fetchall()[0]
        return int(n)

    def count_documents(self) -> int:
        """How many documents the store holds."""
        with self.db.read() as con:
            (n,) = con.execute("SELECT count(*) FROM documents").fetchall()[0]
        return int(n)

    def clusters(self, where: EventFilter | None = None, *, min_mentions: int = 1, limit: int | None = None,
                 frame: Frame = "pandas", **filters: Any) -> Any:
        """Event clusters (one row per real-world event) among the matching events, most reported first."""
        clause, params = _filter(where, filters).sql()
        page = f" LIMIT {int(limit)}" if limit is not None else ""
        return self.query(
            f"SELECT * FROM clusters WHERE cluster_id IN (SELECT cluster_id FROM events WHERE {clause}) "
            f"AND num_mentions >= ? ORDER BY num_mentions DESC, day, cluster_id{page}",
            [*params, min_mentions], frame)

    def unknown_actors(self, top: int = 20, frame: Frame = "pandas") -> Any:
        """The actor texts no dictionary resolved (names kept with no country, names only the entity
        tagger found), most frequent first, with how often each is a source and a target and one
        sentence it is in: what to add to an actor dictionary file."""
        side = """SELECT json_extract_string(record, '$.{0}.text') AS text,
                         json_extract_string(record, '$.{0}.resolved_by') AS how, sentence, day, '{0}' AS side
                  FROM events WHERE origin = 'realpolitik' AND record IS NOT NULL"""
        return self.query(f"""
            WITH sides AS ({side.format('source')} UNION ALL {side.format('target')})
            SELECT text, count(*) AS events, count(*) FILTER (WHERE side = 'source') AS as_source,
                   count(*) FILTER (WHERE side = 'target') AS as_target, CAST(min(day) AS VARCHAR) AS first_day,
                   arg_min(sentence, day) AS example
            FROM sides WHERE text IS NOT NULL AND (how LIKE 'name%' OR how LIKE 'ner:%')
            GROUP BY text ORDER BY events DESC, text LIMIT ?""", [top], frame)

    def rejects(self, frame: Frame = "pandas") -> Any:
        """Inputs that could not be read or coded, with the reason."""
        return self.query("SELECT source, line, kind, message, first_seen, last_seen, times FROM rejects "
                          "ORDER BY source, line", frame=frame)

    def event(self, event_id: str) -> StoredEvent:
        """One event with its document and cluster; raises StoreError if there is none."""
        with self.db.read() as con:
            found = _dicts(con.execute("SELECT * FROM events WHERE event_id = ?", [event_id]))
            if not found:
                raise NotFoundError(f"no event {event_id!r} in {self.path}; list ids with `realpolitik events`")
            row = found[0]
            document = None
            if row["doc_id"]:
                got = _dicts(con.execute("SELECT id, external_id, title, url, source, line, date, outlet, dup_group, "
                                         "text FROM documents WHERE id = ?", [row["doc_id"]]))
                document = got[0] if got else None
            cl = _dicts(con.execute("SELECT * EXCLUDE (event_ids) FROM clusters WHERE cluster_id = ?",
                                    [row["cluster_id"]]))
            cluster = cl[0] if cl else {}
        record = row.pop("record")
        event = Event.model_validate(json.loads(record)) if record else None
        return StoredEvent(row=row, event=event, document=document, cluster=cluster)

    def dyad_series(self, a: str, b: str, *, freq: str = "month", directed: bool = False,
                    since: dt.date | None = None, until: dt.date | None = None, frame: Frame = "pandas",
                    boot: int = 0, fill: bool = False) -> Any:
        """Events between two actors per period (only periods with events, unless ``fill``): counts
        by quad class and type, mentions, mean Goldstein and intensity, the events behind each row.
        It is :func:`realpolitik.analytics.dyads.dyad_series`, with no bootstrap by default."""
        from ..analytics.dyads import dyad_series

        out = dyad_series(self, a, b, freq=freq, directed=directed, since=since, until=until, boot=boot,
                          fill=fill)
        return _polars().from_pandas(out) if frame == "polars" else out

    def export(self, path: str | Path, fmt: str, where: EventFilter | None = None, **filters: Any) -> int:
        """Write matching events as parquet, csv, jsonl, plover or gdelt; return the rows written.

        ``path`` is never the store itself nor another DuckDB database (an OutputError says so);
        its folder is created if missing."""
        from ..io.paths import output_path

        output_path(path, stores=[self.path])
        return export(self.db, path, fmt, _filter(where, filters))

    def summary(self, top: int = 10) -> StoreSummary:
        """Counts of documents, duplicates, rejects, events, clusters, and the busiest dyads."""
        s = StoreSummary(self.path)
        with self.db.read() as con:
            one = con.execute("""SELECT (SELECT count(*) FROM documents),
                                        (SELECT count(*) FROM documents WHERE dup_group <> id),
                                        (SELECT count(*) FROM rejects),
                                        (SELECT count(*) FROM events),
                                        (SELECT min(day) FROM events), (SELECT max(day) FROM events),
                                        (SELECT count(*) FROM imports)""").fetchall()[0]
            s.documents, s.duplicates, s.rejects, s.events, s.first_day, s.last_day, s.imports = one
            s.by_origin = dict(con.execute("SELECT origin, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall())
            s.by_type = dict(con.execute("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1"
                                         ).fetchall())
            s.clusters, s.multi_report_clusters = con.execute(
                "SELECT count(*), count(*) FILTER (WHERE num_documents > 1) FROM clusters").fetchall()[0]
            s.top_dyads = [tuple(r) for r in con.execute(
                "SELECT source_country, target_country, count(*) FROM events WHERE source_country IS NOT NULL "
                "AND target_country IS NOT NULL AND source_country <> target_country GROUP BY 1, 2 "
                "ORDER BY 3 DESC, 1, 2 LIMIT ?", [top]).fetchall()]
            s.top_clusters = _dicts(con.execute(
                "SELECT cluster_id, event_type, source_country, target_country, day, num_mentions, num_documents, "
                "num_articles, num_sources FROM clusters WHERE num_documents > 1 "
                "ORDER BY num_mentions DESC, day, cluster_id LIMIT ?", [top]))
        return s


def _polars() -> Any:
    try:
        import polars
    except ImportError:
        raise StoreError("frame='polars' needs polars: pip install polars") from None
    return polars
