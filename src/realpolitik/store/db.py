"""Opening the DuckDB file: one writer at a time, many readers, nobody holding it for long.

Example::

    >>> from realpolitik.store.db import Database
    >>> db = Database(":memory:")
    >>> with db.read() as con:
    ...     con.execute("SELECT count(*) FROM documents").fetchall()
    [(0,)]

DuckDB lets one process write a file, or several processes read it, never both at once.
So no process keeps the file open: a writer opens it for one transaction (an ingest commits
every few dozen documents, after coding them with the file closed), a reader for one query,
and whoever finds the file locked waits a little and tries again, up to ``timeout``
seconds. An ingest and a dashboard can therefore run side by side on one store. An
in-memory store (``":memory:"``, for tests and notebooks) keeps one connection instead.
"""

from __future__ import annotations

import atexit
import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from ..errors import DamagedStoreError, StoreBusyError, StoreError
from .schema import migrate

__all__ = ["Database", "DEFAULT_DB"]

DEFAULT_DB = "realpolitik.duckdb"
"""The store used when ``--db`` is not given, in the current folder."""

ROW_GROUP_SIZE = 16_384
"""Rows per DuckDB row group. Each commit rewrites the table's last, unfilled row group, so
this bounds the memory a commit needs whatever the size of the store (DuckDB's default,
122,880 rows of multi-kilobyte events, would make an ingest's peak memory grow for hours)."""


class _File:
    """What this process shares about one store file: a lock taken to open it (DuckDB cannot
    attach one file twice in a process, so threads take turns instead of failing), and the
    read-only connection its readers may keep open together."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.readers_changed = threading.Condition()
        self.shared: Any = None
        self.since = 0.0
        self.rest_until = 0.0
        self.readers = 0
        self.held = threading.local()  # how many shared reads this thread is inside
        self.timer: threading.Timer | None = None
        self.generation = 0  # bumped as each write of this process begins and ends (see Database.generation)

    def held_here(self) -> int:
        return int(getattr(self.held, "n", 0))

    def close_shared(self) -> None:
        """Close the kept connection once its readers are done (call with ``lock`` held)."""
        if self.held_here():
            raise StoreError("cannot write to the store from inside a read of it; finish the read first")
        with self.readers_changed:
            self.readers_changed.wait_for(lambda: self.readers == 0)
            if self.shared is not None:
                self.shared.close()
                self.shared = None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def expire(self, rest: float) -> None:
        """Close the kept connection when its time is up, even if no read comes to notice."""
        with self.lock:
            if self.shared is not None:
                self.close_shared()
                self.rest_until = time.monotonic() + rest


_FILES: dict[str, _File] = {}
_REGISTRY_LOCK = threading.Lock()


def _file(path: str) -> _File:
    key = str(Path(path).resolve())
    with _REGISTRY_LOCK:
        return _FILES.setdefault(key, _File())


@atexit.register
def _close_all() -> None:
    """Close kept connections before the interpreter stops (not from a timer thread during it)."""
    for f in list(_FILES.values()):
        with f.lock:
            if f.timer is not None:
                f.timer.cancel()
            with f.readers_changed:
                if f.shared is not None and f.readers == 0:
                    f.shared.close()
                    f.shared = None


DAMAGE_SIGNS = ("Corrupt database file", "Could not read enough bytes", "does not match stored checksum")
"""What DuckDB says when it reads a block that is missing or not what was written."""

HEADER_BYTES = 3 * 4096
"""A DuckDB file starts with three 4 KiB headers; its blocks follow, each ``block_size`` long."""


def recovery(path: str) -> str:
    """What to do with a damaged store file at ``path``."""
    return (f"restore {path} from a backup, or build a new store from the same inputs: `realpolitik ingest` "
            "(and `realpolitik import` for dataset files) with --db another.duckdb")


def store_error(path: str, exc: BaseException, prefix: str = "") -> StoreError:
    """The StoreError for a DuckDB error: a DamagedStoreError, saying what to do, when the error
    is a block that cannot be read or does not match its checksum."""
    text = str(exc)
    if any(sign in text for sign in DAMAGE_SIGNS):
        return DamagedStoreError(f"{path}: the store file is damaged ({text}); {recovery(path)}")
    return StoreError(f"{path}: {prefix}{text}")


def missing_blocks(con: Any, path: str) -> str | None:
    """Why the store file at ``path`` (attached as ``store`` on ``con``) is cut short, or None.

    DuckDB says how big its blocks are and how many it has, in use or free; the file must hold
    whole blocks, and all of them (or, when some are free and the free ones at the end were cut
    off, every block the catalog and the tables use). This reads no data: a few milliseconds,
    and when the store has free blocks a look at each table's block list (a third of a second
    for a million events).
    """
    size = os.path.getsize(path)
    rows = [r for r in con.execute("PRAGMA database_size").fetchall() if r[0] == "store"]
    if not rows:
        return None
    block, total, used = int(rows[0][2]), int(rows[0][3]), int(rows[0][4])
    held, rest = divmod(max(0, size - HEADER_BYTES), block)
    if rest:
        return f"the file of {size:,} bytes ends inside a block"
    if used > held:
        return f"{used} blocks in use, but the file of {size:,} bytes holds only {held}"
    if held >= total:
        return None
    ids = [r[0] for r in con.execute("SELECT max(block_id) FROM pragma_metadata_info('store')").fetchall()]
    for (name,) in con.execute("SELECT schema_name || '.' || table_name FROM duckdb_tables() "
                               "WHERE database_name = 'store'").fetchall():
        ids += [r[0] for r in con.execute(
            f"SELECT max(block_id) FROM pragma_storage_info('store.{name}') WHERE persistent").fetchall()]
    last = max((int(i) for i in ids if i is not None), default=-1)
    if last >= held:
        return f"block {last} is in use, but the file of {size:,} bytes ends at block {held - 1}"
    return None


def _locked(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


@contextmanager
def _transaction(con: Any) -> Iterator[Any]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


LATE_ROWS = "SET GLOBAL late_materialization_max_rows = 1024"
"""A page of up to 1,000 events, sorted and cut from millions, reads its other columns for those
rows only (DuckDB's late materialization; its default stops at 50 rows, and a page reads one
more than it shows to know whether another follows)."""

WRITE_MEMORY_FLOOR = 32 * 1024 * 1024
"""Least memory an ingest's transaction may use (see ``Database.write``)."""


class Database:
    """A DuckDB store file opened per transaction, with waiting on the other processes' locks."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, timeout: float = 60.0, create: bool = True,
                 keep_open: float = 0.0):
        self.path = str(path)
        self.timeout = timeout
        self.keep_open = keep_open
        self._memory: Any = None
        self._verified = False
        self._file = _File() if self.path == ":memory:" else _file(self.path)
        self._lock = self._file.lock
        from .dataset import is_dataset

        self.dataset = self.path != ":memory:" and is_dataset(self.path)
        """True when the store is a folder of Parquet files (see realpolitik.store.dataset): read-only here."""
        if self.dataset:
            return
        if self.path == ":memory:":
            self._memory = duckdb.connect()
            migrate(self._memory)
        elif not Path(self.path).exists():
            if not create:
                raise StoreError(f"{self.path}: no store here; create one with `realpolitik ingest --db {self.path}`")
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            with self.write():
                pass
        elif self._pending_migrations():
            with self.write(migrate_only=True):
                pass

    def _pending_migrations(self) -> bool:
        from .schema import MIGRATIONS

        with self.read() as con:
            try:
                done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
            except duckdb.CatalogException:
                tables = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'store'"
                                     ).fetchall()[0][0]
                if tables:
                    raise StoreError(f"{self.path}: a DuckDB file, but not a realpolitik store; "
                                     "choose another --db") from None
                return True
        known = {name for name, _ in MIGRATIONS}
        if done - known:
            raise StoreError(f"{self.path}: made by a newer realpolitik (schema {', '.join(sorted(done - known))}); "
                             "upgrade realpolitik to use it")
        return any(name not in done for name, _ in MIGRATIONS)

    def _open(self, read_only: bool) -> Any:
        if self.dataset:
            return self._open_dataset(read_only)
        return self._open_file(read_only)

    def _open_dataset(self, read_only: bool) -> Any:
        from .dataset import dataset_views

        if not read_only:
            raise StoreError(f"{self.path}: a Parquet dataset is written only by `realpolitik ingest --engine dask` "
                             "(or --engine local); it cannot be changed in place")
        con = duckdb.connect()
        try:
            con.execute("ATTACH ':memory:' AS store")
            con.execute("USE store")
            con.execute(LATE_ROWS)
            for sql in dataset_views(self.path):
                con.execute(sql)
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"{self.path}: cannot read the dataset: {exc}") from None
        return con

    def _open_file(self, read_only: bool) -> Any:
        deadline = time.monotonic() + self.timeout
        delay = 0.01
        options = f"ROW_GROUP_SIZE {ROW_GROUP_SIZE}" + (", READ_ONLY" if read_only else "")
        while True:
            con = duckdb.connect()
            try:
                con.execute(f"ATTACH '{self.path.replace(chr(39), chr(39) * 2)}' AS store ({options})")
                con.execute("USE store")
                con.execute(LATE_ROWS)
                return con
            except duckdb.IOException as exc:
                con.close()
                if not _locked(exc):
                    raise store_error(self.path, exc, "cannot open the store: ") from None
                if time.monotonic() > deadline:
                    raise StoreBusyError(
                        f"{self.path}: another process has held the store for over {self.timeout:.0f} s; "
                        "wait for it to finish or raise the timeout") from None
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 1.6, 0.25)
            except duckdb.Error as exc:
                con.close()
                raise store_error(self.path, exc, "cannot open the store: ") from None

    @contextmanager
    def read(self) -> Iterator[Any]:
        """A read-only connection for one query or a few; DuckDB errors become StoreError.

        With ``keep_open`` (seconds; a server sets it), readers share one read-only connection
        (each on its own cursor, so they run side by side and share DuckDB's block cache) for up
        to that long after it was opened, whether reads keep coming or not; it is then closed, and
        reads wait a moment (a quarter of ``keep_open``, at most half a second) before it is
        opened again, so that another process waiting to write can take the file.
        """
        base = self._acquire_shared() if self._memory is None else None
        if base is not None:
            f = self._file
            f.held.n = f.held_here() + 1
            try:
                with self._errors():
                    cur = base.cursor()
                    try:
                        cur.execute("USE store")
                        yield cur
                    finally:
                        cur.close()
            finally:
                f.held.n -= 1
                with f.readers_changed:
                    f.readers -= 1
                    f.readers_changed.notify_all()
            return
        with self._lock, self._errors():
            if self._memory is not None:
                yield self._memory
                return
            con = self._open(read_only=True)
            try:
                yield con
            finally:
                con.close()

    def _acquire_shared(self) -> Any:
        """The kept connection with one more reader counted (waiting out its rest); None when
        there is none to join and this store does not keep one."""
        f = self._file
        rest = min(0.5, self.keep_open / 4)
        while True:
            with self._lock:
                now = time.monotonic()
                if f.shared is not None and self.keep_open and now - f.since > self.keep_open and not f.held_here():
                    f.expire(rest)  # its timer is late
                if f.shared is None:
                    if not self.keep_open:
                        return None
                    if now >= f.rest_until:
                        f.shared = self._open(read_only=True)
                        f.since = time.monotonic()
                        f.timer = threading.Timer(self.keep_open, f.expire, args=(rest,))
                        f.timer.daemon = True
                        f.timer.start()
                if f.shared is not None:
                    with f.readers_changed:
                        f.readers += 1
                    return f.shared
                wait = f.rest_until - now
            time.sleep(wait)  # the file rests: another process may take it to write

    def verify(self) -> None:
        """Refuse a store file that is cut short: raise DamagedStoreError, saying how to recover.

        Every write checks this first (once for each ``Database``), so that nothing is written
        into a damaged file; an ingest calls it before it codes anything. It reads no data (see
        :func:`missing_blocks`).
        """
        if self._verified or self._memory is not None or self.dataset or not Path(self.path).exists():
            return
        with self._lock:
            self._file.close_shared()
            con = self._open(read_only=True)
            try:
                why = missing_blocks(con, self.path)
            except duckdb.Error as exc:
                raise store_error(self.path, exc) from None
            finally:
                con.close()
        if why is not None:
            raise DamagedStoreError(f"{self.path}: the store file is damaged ({why}), so nothing was written to "
                                    f"it; {recovery(self.path)}")
        self._verified = True

    def close(self) -> None:
        """Close the kept read connection, if any (it is reopened when needed)."""
        with self._lock:
            self._file.close_shared()

    @contextmanager
    def write(self, migrate_only: bool = False, data_bytes: int | None = None) -> Iterator[Any]:
        """A connection inside one transaction: committed on success, rolled back on error.

        ``data_bytes`` (the size of what the transaction writes) caps DuckDB's memory for it
        at a few times that size: the blocks it reads to look up stored rows are then evicted
        rather than kept, so the memory of a commit does not grow with the store.
        """
        with self._lock, self._errors(), self._bump():
            if self._memory is not None:
                with _transaction(self._memory) as con:
                    yield con
                return
            self._file.close_shared()  # this process's own readers step aside for its writer
            self.verify()
            con = self._open(read_only=False)
            try:
                migrate(con)
                if migrate_only:
                    yield con
                    return
                if data_bytes is not None:
                    limit = max(WRITE_MEMORY_FLOOR, 4 * data_bytes + WRITE_MEMORY_FLOOR // 2)
                    con.execute(f"SET memory_limit = '{limit // 1024}KB'")
                with _transaction(con):
                    yield con
            finally:
                con.close()

    @property
    def generation(self) -> tuple[int, ...]:
        """A stamp that changes whenever the store may have changed: this process's writes (counted
        as each begins and ends) and, for a file, the size and time of its file and write-ahead log
        (another process's writes). What was read under one stamp may be kept until it changes."""
        stamp: tuple[int, ...] = (self._file.generation,)
        if self._memory is not None:
            return stamp
        if self.dataset:  # a batch commits by being renamed into a table's folder: the folders' times
            folders = [Path(self.path), *sorted(p for p in Path(self.path).iterdir() if p.is_dir())] \
                if Path(self.path).is_dir() else [Path(self.path)]
            paths = [str(p) for p in folders]
        else:
            paths = [self.path, self.path + ".wal"]
        for path in paths:
            try:
                st = Path(path).stat()
                stamp += (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                stamp += (-1,)
        return stamp

    @contextmanager
    def _bump(self) -> Iterator[None]:
        self._file.generation += 1
        try:
            yield
        finally:
            self._file.generation += 1

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except duckdb.Error as exc:
            raise store_error(self.path, exc) from None
