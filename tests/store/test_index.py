"""The in-memory event index answers exactly as SQL does: pages in both orders, cursors, every
filter, days missing or shared, pair series; and it follows the store when the store changes."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest

from realpolitik.analytics.dyads import dyad_series
from realpolitik.store import Store

COUNTRIES = ["IRQ", "RUS", "IRN", "TUR", "SYR", "USA", None]
TYPES = ["CONSULT", "ACCUSE", "ASSAULT", "AID"]


def _rows(n: int, seed: int, start: int = 0) -> list[tuple]:
    rng = random.Random(seed)
    out = []
    for k in range(start, start + n):
        day = None if rng.random() < 0.1 else dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(60))
        src, tgt = rng.choice(COUNTRIES), rng.choice(COUNTRIES)
        sector = rng.choice([None, "GOV", "MIL"])
        out.append((f"e{rng.randrange(10**6):06d}-{k}", day, rng.choice(TYPES), src,
                    f"{src}{sector or ''}" if src else rng.choice(["SDF", "PKK", None]), sector, tgt, tgt, None,
                    rng.choice(["asserted", "reported"]), rng.choice(["realpolitik", "gdelt"]),
                    rng.randint(1, 4), rng.uniform(-10, 10), rng.uniform(-10, 10), rng.choice([None, 1, 3]),
                    f"d{k % 17}"))
    return out


def _insert(store: Store, rows: list[tuple]) -> None:
    with store.db.write() as con:
        con.executemany(
            "INSERT INTO events (event_id, day, event_type, source_country, source_code, source_sector, "
            "target_country, target_code, target_sector, modality, origin, quad_class, intensity, goldstein, "
            "mentions, doc_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    path = tmp_path_factory.mktemp("index") / "events.duckdb"
    plain = Store(path)
    _insert(plain, _rows(900, seed=7))
    indexed = Store(path, index=True)
    assert indexed.event_index(wait=True) is not None and indexed.event_index() is not None
    return plain, indexed


FILTERS = [{}, {"actor": "IRQ"}, {"actor": "sdf"}, {"dyad": "IRQ,RUS"}, {"dyad": ("TUR", "SYR"), "directed": True},
           {"event_type": "ASSAULT"}, {"since": "2019-01-20", "until": "2019-02-10"}, {"modality": "reported"},
           {"origin": "gdelt", "actor": "USA"}, {"doc_id": "d3"}, {"actor": "XXX"}, {"until": "2019-01-05"}]


@pytest.mark.parametrize("newest_first", [False, True])
@pytest.mark.parametrize("filters", FILTERS, ids=[",".join(f) or "all" for f in FILTERS])
def test_index_pages_are_the_sql_pages(stores, filters, newest_first):
    plain, indexed = stores
    cursors = [None, None]
    for _ in range(60):  # page through to the end, both ways at once
        a = plain.page(limit=97, cursor=cursors[0], newest_first=newest_first, **filters)
        b = indexed.page(limit=97, cursor=cursors[1], newest_first=newest_first, **filters)
        assert [r["event_id"] for r in b.items] == [r["event_id"] for r in a.items]
        assert b.items == a.items and b.next_cursor == a.next_cursor
        if a.next_cursor is None:
            break
        cursors = [a.next_cursor, b.next_cursor]
    assert a.next_cursor is None


@pytest.mark.parametrize("freq", ["week", "month", "year"])
@pytest.mark.parametrize("a,b,directed", [("IRQ", "RUS", False), ("SYR", "IRN", False), ("TUR:GOV", "SYR", True),
                                         ("IRN", "ZZZ", False)])
def test_index_pair_series_is_the_sql_series(stores, freq, a, b, directed):
    plain, indexed = stores
    want = dyad_series(plain, a, b, freq=freq, directed=directed)
    got = dyad_series(indexed, a, b, freq=freq, directed=directed)
    assert list(got.columns) == list(want.columns) and len(got) == len(want)
    for col in want.columns:
        if want[col].dtype.kind == "f":
            assert got[col].to_numpy() == pytest.approx(want[col].to_numpy(), nan_ok=True), col
        else:
            assert got[col].tolist() == want[col].tolist(), col
    assert want["events"].sum() > 0 or (a, b) == ("IRN", "ZZZ")


def test_the_index_follows_the_store(tmp_path):
    store = Store(tmp_path / "grow.duckdb", index=True)
    _insert(store, _rows(50, seed=1))
    first = store.event_index(wait=True)
    assert first is not None and first.size == 50 and store.event_index() is first  # kept while unchanged
    _insert(store, _rows(25, seed=2, start=50))
    assert store.event_index() is None  # stale: SQL answers while it is built again
    assert store.event_index(wait=True).size == 75
    assert store.count() == 75 and len(store.page(limit=100).items) == 75


def test_a_store_opened_without_it_has_no_index(stores):
    assert stores[0].event_index() is None


def test_a_forged_cursor_is_a_store_error(stores):
    import base64
    import json

    from realpolitik.errors import StoreError

    _plain, indexed = stores
    real = indexed.page(limit=5, actor="IRQ").next_cursor
    scope = json.loads(base64.urlsafe_b64decode(real + "=" * (-len(real) % 4)))[0]
    forged = base64.urlsafe_b64encode(json.dumps([scope, "2020-13-45", "x"]).encode()).decode().rstrip("=")
    with pytest.raises(StoreError, match="cursor"):
        indexed.page(limit=5, actor="IRQ", cursor=forged)


def test_a_parquet_folder_store_is_seen_to_change(tmp_path):
    """A batch committed to a Parquet folder by another process changes the store's stamp, so
    an index (and every answer kept under the stamp) is read again."""
    from realpolitik.store.dataset import create_dataset, write_batch_files

    from .test_dataset import document, event

    root = create_dataset(tmp_path / "news.parquet")
    write_batch_files(root, "b1", [document(1)], [event(1, dt.date(2019, 1, 5))], [])
    store = Store(root, index=True)
    before = store.db.generation
    assert store.event_index(wait=True).size == 1
    write_batch_files(root, "b2", [document(2)], [event(2, dt.date(2019, 1, 9))], [])
    assert store.db.generation != before
    assert store.event_index(wait=True).size == 2 and store.count() == 2


def test_busiest_pairs_count_either_way_and_skip_missing_and_self_pairs(stores):
    plain, indexed = stores
    index = indexed.event_index(wait=True)
    expected = plain.query(
        "SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b, "
        "count(*) AS n FROM events WHERE day IS NOT NULL AND source_country IS NOT NULL AND target_country IS NOT "
        "NULL AND source_country <> target_country GROUP BY 1, 2 ORDER BY n DESC")
    got = index.busiest_pairs(4)
    assert len(got) == 4 and all(a < b for a, b in got)
    counts = {(r.a, r.b): r.n for r in expected.itertuples()}
    assert [counts[p] for p in got] == sorted(counts.values(), reverse=True)[:4]
    assert index.busiest_pairs(0) == [] and len(index.busiest_pairs(10_000)) == len(counts)


def test_the_busiest_series_are_worked_out_ahead_and_then_answered_from_memory(tmp_path):
    from realpolitik.analytics.dyads import warm_series

    path = tmp_path / "warm.duckdb"
    _insert(Store(path), _rows(300, seed=3))
    seen: list[int] = []
    store = Store(path, index=True, warm=lambda s, ix: seen.append(warm_series(s, ix, pairs=3, freqs=("month",))))
    index = store.event_index(wait=True)
    for _ in range(200):  # the series are worked out in a thread of their own, once the index answers
        if store.index_state == "ready":
            break
        time.sleep(0.05)
    assert seen == [3] and store.index_state == "ready"
    a, b = index.busiest_pairs(1)[0]
    kept = index.remembered[0]
    assert kept > 0
    frame = dyad_series(store, b, a, freq="month")  # either way round: the one worked out ahead
    assert index.remembered[0] == kept  # nothing new was worked out
    assert frame.equals(dyad_series(Store(path), b, a, freq="month"))  # and it is what SQL gives


def test_working_out_ahead_stops_when_the_store_changes(tmp_path):
    from realpolitik.analytics.dyads import warm_series

    path = tmp_path / "moving.duckdb"
    store = Store(path, index=True)
    _insert(store, _rows(200, seed=4))
    index = store.event_index(wait=True)
    _insert(store, _rows(10, seed=5, start=200))
    assert warm_series(store, index, pairs=5) == 0 and index.remembered[0] == 0
