"""An in-memory index of the ``events`` table, for a process that reads the same store many times.

A store read by a server answers the same kinds of question over and over: a page of events for
an actor, a pair or a type, newest first; a pair's series. In SQL each is a scan of the whole
table, and reading a page's rows back from a column store touches as many blocks as the page
has rows. :class:`EventIndex` reads the events once, in the order pages are read in (day, then
event id), into an Arrow table in memory (string columns as they are stored; about 400 bytes
an event), with the columns the questions filter on as arrays of codes; it then answers which
events a page holds, or which are a pair's, with array operations, and takes their rows by
position. A store opened with ``index=True`` builds it in the background whenever the store's
generation stamp changes (:attr:`realpolitik.store.db.Database.generation`), answering with SQL
meanwhile, so it never answers from an older store than the one on disk.

Example::

    >>> from realpolitik.store import Store
    >>> store = Store(":memory:", index=True)
    >>> _ = store.import_file("tests/fixtures/datasets/polecat_sample.txt")
    >>> index = store.event_index(wait=True)
    >>> index.size, [r["source_country"] for r in store.page(actor="IRQ", limit=5).items]
    (3, ['IRQ', 'TUR'])
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from operator import itemgetter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import StoreError
from .queries import FREQUENCIES, EventFilter

__all__ = ["EventIndex", "period_starts"]

_EPOCH = dt.date(1970, 1, 1)
_NULL_DAY = np.iinfo(np.int32).max
_KEYS = ("event_type", "source_country", "source_code", "source_sector", "target_country", "target_code",
         "target_sector", "modality", "origin", "doc_id")
_VALUES = ("quad_class", "intensity", "goldstein", "mentions")


class _Kept:
    """A least-recently-used map bounded by its bytes, read and written from several threads."""

    def __init__(self, budget: int):
        self.budget = budget
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            got = self._items.get(key)
            if got is None:
                return None
            self._items.move_to_end(key)
            return got[0]

    @property
    def bytes(self) -> int:
        """The bytes kept now (by the sizes their makers gave)."""
        return self._bytes

    def put(self, key: Any, value: Any, size: int) -> None:
        with self._lock:
            if size > self.budget // 4 or key in self._items:
                return  # one answer may not crowd out the rest
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.budget:
                _key, (_value, gone) = self._items.popitem(last=False)
                self._bytes -= gone


def _day(value: dt.date | str) -> int:
    if isinstance(value, str):  # a cursor's day
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise StoreError(f"cursor day {value[:20]!r} is not one this store gave; start again without a cursor"
                             ) from None
        return (day - _EPOCH).days
    return (value - _EPOCH).days


class EventIndex:
    """The events' rows in ``(day NULLS LAST, event_id)`` order, with their filter columns as arrays."""

    def __init__(self, table: pa.Table):
        self.table = table
        """Every flat column of every event, in page order (an Arrow table)."""
        self.size = table.num_rows
        days = table.column("day")
        self.dated = self.size - days.null_count
        """Positions before this one have a day; the rest have none."""
        self.day = np.full(self.size, _NULL_DAY, dtype=np.int64)
        self.day[:self.dated] = days.slice(0, self.dated).cast(pa.int32()).to_numpy()
        self.event_id: list[str] = table.column("event_id").to_pylist()
        self.codes: dict[str, np.ndarray] = {}
        self.vocab: dict[str, dict[str, int]] = {}
        for name in _KEYS:
            coded = pc.dictionary_encode(table.column(name)).combine_chunks()
            self.codes[name] = coded.indices.fill_null(-1).to_numpy().astype(np.int32)
            self.vocab[name] = {str(u): k for k, u in enumerate(coded.dictionary.to_pylist())}
        self.values = {name: table.column(name).to_numpy(zero_copy_only=False) for name in _VALUES}
        # what requests asked before, kept while the store is unchanged: 64 MB of event positions
        # and of side masks at most, 128 MB of worked-out answers (series)
        self._hits, self._sides, self._derived = _Kept(64 << 20), _Kept(64 << 20), _Kept(128 << 20)
        self._volume: dict[str, dict[dt.date, int]] = {}
        for freq in FREQUENCIES:  # read now, in the builder's thread, not by the first request
            self.volume(freq)

    @classmethod
    def read(cls, con: Any) -> EventIndex:
        """Build the index from an open DuckDB connection to a store."""
        from .exports import FLAT_COLUMNS

        table = con.sql(f"SELECT {', '.join(FLAT_COLUMNS)} FROM events ORDER BY day NULLS LAST, event_id"
                        ).to_arrow_table()
        return cls(table.combine_chunks())

    def rows(self, at: np.ndarray) -> list[dict[str, Any]]:
        """The rows at positions ``at`` (flat columns), in that order."""
        return self.table.take(pa.array(at, type=pa.int64())).to_pylist()

    # -- which events ------------------------------------------------------------------------

    def _is(self, name: str, value: str) -> np.ndarray:
        code = self.vocab[name].get(value)
        if code is None:
            return np.zeros(self.size, dtype=bool)
        return self.codes[name] == code

    def _side(self, side: str, code: str, sector: str | None = None) -> np.ndarray:
        """Where ``side`` (source or target) is the country or code ``code`` (and ``sector``), as
        packed bits (an eighth of a byte an event): kept for the next questions about that actor,
        up to about 64 MB of them."""
        key = (side, code, sector)
        got = self._sides.get(key)
        if got is None:
            hit = self._is(f"{side}_country", code) | self._is(f"{side}_code", code)
            if sector:
                hit &= self._is(f"{side}_sector", sector)
            got = np.packbits(hit)
            self._sides.put(key, got, got.nbytes)
        return got

    def _unpack(self, bits: np.ndarray) -> np.ndarray:
        return np.unpackbits(bits, count=self.size).view(bool)

    def _pair(self, a: tuple[str, str | None], b: tuple[str, str | None], directed: bool) -> np.ndarray:
        """The positions of the events from ``a`` to ``b`` (either way unless ``directed``), in order."""
        bits = self._side("source", *a) & self._side("target", *b)
        if not directed:
            bits |= self._side("source", *b) & self._side("target", *a)
        some = np.flatnonzero(bits)  # read only the bytes with an event in them
        byte, bit = np.nonzero(np.unpackbits(bits[some]).reshape(-1, 8))
        return some[byte] * 8 + bit

    def _span(self, since: dt.date | None, until: dt.date | None) -> tuple[int, int]:
        """The positions of the dated events from ``since`` to ``until``."""
        dated = self.day[:self.dated]
        lo = int(np.searchsorted(dated, _day(since), "left")) if since else 0
        hi = int(np.searchsorted(dated, _day(until), "right")) if until else self.dated
        return lo, max(lo, hi)

    def hits(self, f: EventFilter) -> np.ndarray:
        """The positions of the events ``f`` keeps, in page order (oldest first)."""
        key = (f.actor, f.dyad, f.directed, f.event_type, f.since, f.until, f.modality, f.origin, f.doc_id)
        got = self._hits.get(key)
        if got is not None:
            return got
        keep = np.ones(self.size, dtype=bool)
        if f.event_type:
            keep &= self._is("event_type", f.event_type.upper())
        if f.actor:
            a = f.actor.upper()
            keep &= self._unpack(self._side("source", a) | self._side("target", a))
        if f.dyad:
            a, b = (x.upper() for x in f.dyad)
            pair = np.zeros(self.size, dtype=bool)
            pair[self._pair((a, None), (b, None), f.directed)] = True
            keep &= pair
        for name in ("modality", "origin", "doc_id"):
            value = getattr(f, name)
            if value:
                keep &= self._is(name, value)
        if f.since or f.until:
            lo, hi = self._span(f.since, f.until)
            keep[:lo] = False
            keep[hi:] = False
        got = np.flatnonzero(keep)
        self._hits.put(key, got, got.nbytes)
        return got

    def page(self, f: EventFilter, limit: int, after: tuple[str | None, str] | None,
             newest_first: bool) -> np.ndarray:
        """The positions of the next ``limit`` events ``f`` keeps after the cursor key ``after``
        (the day and event id of the last event of the previous page), in page order."""
        hits = self.hits(f)
        dated, undated = hits[:np.searchsorted(hits, self.dated)], hits[np.searchsorted(hits, self.dated):]
        if not newest_first:
            start = 0 if after is None else self._position(*after, side="right")
            return hits[np.searchsorted(hits, start):][:limit]
        if after is None:
            return np.concatenate([dated[::-1][:limit], undated[::-1][:limit]])[:limit]
        stop = self._position(*after, side="left")
        if after[0] is None:
            return undated[:np.searchsorted(undated, stop)][::-1][:limit]
        return np.concatenate([dated[:np.searchsorted(dated, stop)][::-1][:limit], undated[::-1][:limit]])[:limit]

    def _position(self, day: str | None, event_id: str, side: str) -> int:
        """Where ``(day, event_id)`` falls in page order: before the equal key (``left``) or after it."""
        if day is None:
            lo, hi = self.dated, self.size
        else:
            d = _day(day)
            dated = self.day[:self.dated]
            lo, hi = int(np.searchsorted(dated, d, "left")), int(np.searchsorted(dated, d, "right"))
        find = bisect_left if side == "left" else bisect_right
        return find(self.event_id, event_id, lo, hi)

    # -- a pair's events ------------------------------------------------------------------------

    def pair_events(self, a: tuple[str, str | None], b: tuple[str, str | None], directed: bool,
                    since: dt.date | None, until: dt.date | None, freq: str = "day") -> dict[str, Any]:
        """The dated events between ``a`` and ``b`` (each a code and an optional sector), oldest
        first, as arrays by column: the ``freq`` period they fall in, event_id, event_type,
        quad_class, intensity, goldstein, mentions and ``forward`` (from ``a`` to ``b``)."""
        lo, hi = self._span(since, until)
        at = self._pair(a, b, directed)
        at = at[np.searchsorted(at, lo):np.searchsorted(at, hi)]
        types = np.array(list(self.vocab["event_type"]) + [None], dtype=object)
        starts, where = np.unique(period_starts(self.day[at], freq), return_inverse=True)
        return {
            "period": np.array([_EPOCH + dt.timedelta(days=d) for d in starts.tolist()] + [None], dtype=object)[where],
            "event_id": list(itemgetter(*at.tolist())(self.event_id)) if len(at) > 1
            else [self.event_id[i] for i in at.tolist()],
            "event_type": types[self.codes["event_type"][at]],
            **{name: self.values[name][at] for name in _VALUES},
            "forward": ((self._side("source", *a)[at >> 3] >> (7 - (at & 7))) & 1).astype(bool),
        }

    def volume(self, freq: str) -> dict[dt.date, int]:
        """All dated events per period of ``freq``, by the period's first day."""
        got = self._volume.get(freq)
        if got is None:  # a few per store, small: kept for as long as the index
            starts, counts = np.unique(period_starts(self.day[:self.dated], freq), return_counts=True)
            got = self._volume[freq] = {_EPOCH + dt.timedelta(days=d): n
                                        for d, n in zip(starts.tolist(), counts.tolist(), strict=True)}
        return got

    def remember(self, key: tuple[Any, ...], make: Any, size: Any = None) -> Any:
        """``make()``, kept under ``key`` for as long as this index (the store unchanged): the most
        recently used such answers, ``size(answer)`` bytes each, 128 MB of them at most."""
        got = self._derived.get(key)
        if got is None:
            got = make()
            self._derived.put(key, got, size(got) if size else 1024)
        return got

    @property
    def remembered(self) -> tuple[int, int]:
        """The bytes of answers :meth:`remember` keeps now, and the most it keeps."""
        return self._derived.bytes, self._derived.budget

    def busiest_pairs(self, n: int) -> list[tuple[str, str]]:
        """The ``n`` pairs of countries with the most dated events between them (either way), the
        busiest first, each pair in alphabetical order: the pairs most worth answering early."""
        if n <= 0 or not self.dated:
            return []
        names = sorted(set(self.vocab["source_country"]) | set(self.vocab["target_country"]))
        unified = {name: k for k, name in enumerate(names)}

        def side(column: str) -> np.ndarray:
            to = np.array([unified[v] if v else -1 for v in self.vocab[column]] + [-1], dtype=np.int64)
            return to[self.codes[column][:self.dated]]  # a missing country (-1) maps to the -1 at the end

        src, tgt = side("source_country"), side("target_country")
        keep = (src >= 0) & (tgt >= 0) & (src != tgt)
        lo, hi = np.minimum(src[keep], tgt[keep]), np.maximum(src[keep], tgt[keep])
        keys, counts = np.unique(lo * len(names) + hi, return_counts=True)
        top = keys[np.argsort(-counts, kind="stable")[:n]]
        return [(names[k // len(names)], names[k % len(names)]) for k in top.tolist()]


def period_starts(days: np.ndarray, freq: str) -> np.ndarray:
    """The first day (days since 1970-01-01) of the ``freq`` period of each day: ``day``, ``week``
    (from Monday), ``month``, ``quarter`` or ``year``.

    >>> period_starts(np.array([19000]), "week").tolist(), period_starts(np.array([19000]), "quarter").tolist()
    ([18995], [18993])
    """
    if freq == "day":
        return days
    if freq == "week":
        return days - (days + 3) % 7  # 1970-01-01 was a Thursday
    unit = {"month": "M", "quarter": "M", "year": "Y"}[freq]
    coarse = days.astype("datetime64[D]").astype(f"datetime64[{unit}]")
    if freq == "quarter":
        months = coarse.astype(np.int64)
        coarse = (months - months % 3).astype("datetime64[M]")
    return coarse.astype("datetime64[D]").astype(np.int64)
