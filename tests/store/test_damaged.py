"""A store file cut short (a copy broken off, a full disk) is refused for writing with a message
that says how to recover, instead of taking an ingest that leaves it unreadable."""

from __future__ import annotations

import os
import shutil

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.errors import DamagedStoreError, StoreError
from realpolitik.store import Store

from ..conftest import SHARED
from .conftest import example_records, write_jsonl

pytestmark = pytest.mark.slow
runner = CliRunner()
BLOCK = 256 * 1024  # DuckDB's block size

# how much of the file is left: all but the last block, all but two, 60%, a cut inside the last block
CUTS = {
    "last block": lambda size: size - BLOCK,
    "two blocks": lambda size: size - 2 * BLOCK,
    "sixty percent": lambda size: size * 6 // 10,
    "inside a block": lambda size: size - 1000,
}


@pytest.fixture(scope="module")
def healthy(tmp_path_factory):
    """A small store file, closed."""
    folder = tmp_path_factory.mktemp("damaged")
    path = folder / "healthy.duckdb"
    Store(path).ingest_records(example_records(12))
    assert not (folder / "healthy.duckdb.wal").exists()
    return path


def _cut(healthy, tmp_path, how: str):
    path = tmp_path / "store.duckdb"
    shutil.copy(healthy, path)
    os.truncate(path, CUTS[how](os.path.getsize(path)))
    return path


@pytest.mark.parametrize("how", list(CUTS))
def test_an_ingest_into_a_store_cut_short_is_refused_and_writes_nothing(healthy, tmp_path, how):
    path = _cut(healthy, tmp_path, how)
    before = path.read_bytes()
    with pytest.raises(DamagedStoreError) as caught:
        Store(path).ingest_records(example_records(20)[12:])
    message = str(caught.value)
    assert str(path) in message and "backup" in message and "new store" in message
    assert path.read_bytes() == before
    assert not (tmp_path / "store.duckdb.wal").exists()


@pytest.mark.parametrize("how", ["last block", "sixty percent"])
def test_the_ingest_command_exits_2_naming_the_damage(healthy, tmp_path, how):
    path = _cut(healthy, tmp_path, how)
    more = write_jsonl(tmp_path / "more.jsonl", example_records(20)[12:])
    result = runner.invoke(app, ["ingest", str(more), "--db", str(path), "--no-progress"])
    assert result.exit_code == 2, result.output
    assert "damaged" in result.output and "new documents" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("how", ["last block", "inside a block"])
def test_a_store_cut_short_is_refused_for_an_import_too(healthy, tmp_path, how):
    path = _cut(healthy, tmp_path, how)
    before = path.read_bytes()
    with pytest.raises(DamagedStoreError):
        Store(path).import_file(SHARED / "formats" / "gdelt2-20191024143000.export.CSV", "gdelt")
    assert path.read_bytes() == before


def test_a_healthy_store_is_written_as_before(healthy, tmp_path):
    path = tmp_path / "store.duckdb"
    shutil.copy(healthy, path)
    store = Store(path)
    store.db.verify()
    report = store.ingest_records(example_records(20)[12:])
    assert report.documents == 8
    assert Store(path, create=False).count_documents() == 20


def test_reading_a_damaged_store_says_what_is_wrong(healthy, tmp_path):
    path = _cut(healthy, tmp_path, "last block")
    with pytest.raises(StoreError) as caught:
        Store(path, create=False).events()
    assert isinstance(caught.value, DamagedStoreError), caught.value
    assert "backup" in str(caught.value)


@pytest.fixture(scope="module")
def with_free_blocks(healthy, tmp_path_factory):
    """A store whose file has free blocks (rows deleted), so that the blocks in use must be looked up."""
    path = tmp_path_factory.mktemp("free") / "free.duckdb"
    shutil.copy(healthy, path)
    store = Store(path)
    for prefix in ("gone", "kept"):
        with store.db.write() as con:
            con.execute("INSERT INTO events (event_id, origin, cluster_id, sentence) SELECT ? || range, 'gdelt', "
                        "'c', repeat('a long sentence ', 20) || range FROM range(20000)", [prefix])
    with store.db.write() as con:
        con.execute("DELETE FROM events WHERE event_id LIKE 'gone%'")
    with store.db.write() as con:
        con.execute("CHECKPOINT")
        (free,) = [r[5] for r in con.execute("PRAGMA database_size").fetchall() if r[0] == "store"]
    assert free > 0
    return path


@pytest.mark.parametrize("blocks", [0, 1, 3])
def test_a_store_with_free_blocks_is_checked_block_by_block(with_free_blocks, tmp_path, blocks):
    path = tmp_path / "store.duckdb"
    shutil.copy(with_free_blocks, path)
    os.truncate(path, os.path.getsize(path) - blocks * BLOCK)
    if blocks == 0:
        Store(path).db.verify()
        return
    with pytest.raises(DamagedStoreError, match="in use"):
        Store(path).db.verify()
