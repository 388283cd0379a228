"""An ingest killed with SIGKILL finishes on the next run with nothing lost or doubled, and a
reader can query the store while an ingest is writing to it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from realpolitik.errors import StoreError
from realpolitik.store import Store

from .conftest import example_records, write_jsonl

pytestmark = pytest.mark.slow


def _ingest_process(corpus, db, commit_every=3):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "realpolitik", "ingest", str(corpus), "--db", str(db), "--no-progress",
         "--commit-every", str(commit_every)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def _documents(db) -> int | None:
    try:
        return Store(db, create=False, timeout=5).count_documents()
    except StoreError:
        return None


def test_kill_9_in_the_middle_then_the_same_command_finishes_the_job(tmp_path):
    records = example_records(60)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    reference = Store(":memory:")
    reference.ingest([corpus])
    expected = set(reference.query("SELECT event_id FROM events").event_id)

    db = tmp_path / "store.duckdb"
    proc = _ingest_process(corpus, db)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        n = _documents(db) if db.exists() else None
        if n is not None and n >= 9:
            break
        assert proc.poll() is None, "the ingest ended before it could be killed"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored_at_kill = _documents(db)
    assert stored_at_kill is not None and 9 <= stored_at_kill < len(records), "killed in the middle"

    again = _ingest_process(corpus, db)
    out, errs = again.communicate(timeout=300)
    assert again.returncode == 0, errs.decode()
    store = Store(db)
    docs = store.query("SELECT id FROM documents").id
    assert len(docs) == len(set(docs)) == len(records)
    got = list(store.query("SELECT event_id FROM events").event_id)
    assert len(got) == len(set(got)), "an event was stored twice"
    assert set(got) == expected, "the resumed run must equal one uninterrupted run"
    assert f"{len(records) - stored_at_kill:,} new documents ({stored_at_kill:,} already stored" in out.decode()


def test_a_reader_queries_while_an_ingest_writes(tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", example_records(45))
    db = tmp_path / "store.duckdb"
    proc = _ingest_process(corpus, db)
    seen: list[int] = []
    while proc.poll() is None:
        if db.exists():
            try:
                store = Store(db, create=False, timeout=10)
                seen.append(store.count())
                store.events(limit=5)
            except StoreError as exc:
                if "no store here" not in str(exc):
                    raise
        time.sleep(0.02)
    assert proc.returncode == 0, proc.stderr.read().decode()
    final = Store(db).count()
    during = [n for n in seen if 0 < n < final]
    assert len(during) >= 3, f"the reader saw too little while the ingest ran: {seen[-10:]}"
    assert seen == sorted(seen), "events never disappear while an ingest writes"
