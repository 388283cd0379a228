"""A server's readers share one read-only connection, and give the file back on time."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from realpolitik.errors import StoreError
from realpolitik.store import Store

from ..conftest import ROOT

SAMPLE = ROOT / "tests" / "fixtures" / "datasets" / "polecat_sample.txt"


@pytest.fixture()
def path(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    store.import_file(SAMPLE)
    return tmp_path / "s.duckdb"


def test_readers_share_one_connection_and_it_closes_when_idle(path):
    store = Store(path, keep_open=0.4)
    with store.db.read() as a, store.db.read() as b:
        assert a.execute("SELECT count(*) FROM events").fetchone() == b.execute(
            "SELECT count(*) FROM events").fetchone()
        assert store.db._file.shared is not None and store.db._file.readers == 2
    time.sleep(0.8)  # no read comes: the timer gives the file back
    assert store.db._file.shared is None
    # so another process can write now
    code = ("from realpolitik.store import Store; import sys; "
            f"s = Store({str(path)!r}, timeout=5); s.import_file({str(SAMPLE)!r}, 'polecat'); print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr
    assert store.count() > 0


def test_a_write_in_this_process_closes_it_and_a_write_inside_a_read_is_refused(path):
    reader = Store(path, keep_open=30)
    before = reader.count()
    assert reader.db._file.shared is not None
    writer = Store(path)  # another Store on the same file, in the same process
    with writer.db.write() as con:
        con.execute("DELETE FROM events WHERE event_id = (SELECT min(event_id) FROM events)")
    assert reader.db._file.shared is None and reader.count() == before - 1
    with reader.db.read(), pytest.raises(StoreError, match="inside a read"), writer.db.write():
        pass
