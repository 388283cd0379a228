"""The worker processes of ``ingest --workers N`` end with their parent, even when it is killed
with SIGKILL and has no chance to stop them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from realpolitik.scale.local import map_batches

from ..store.conftest import example_records

pytestmark = pytest.mark.slow  # the workers load the English model


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)
    except psutil.NoSuchProcess:
        return True


def _wait_for(test, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(0.1)
    return test()


@pytest.mark.parametrize("workers", [2])
def test_killing_the_ingest_with_sigkill_ends_its_workers(tmp_path, workers):
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as f:  # long enough to be still coding when killed
        for copy in range(4):
            for r in example_records():
                f.write(json.dumps({**r, "id": f"{r['id']}-{copy}", "text": f"{r['text']}\n\nCopy {copy}."}) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "realpolitik", "ingest", str(corpus), "--db", str(tmp_path / "s.duckdb"),
         "--workers", str(workers), "--no-progress", "--commit-every", "4"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[psutil.Process] = []
    try:
        parent = psutil.Process(proc.pid)

        def started() -> bool:
            children[:] = parent.children(recursive=True)
            return len(children) >= workers

        assert _wait_for(started, 120), "the workers did not start"
        time.sleep(2)  # let them get to work
        assert proc.poll() is None, "the ingest ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _wait_for(lambda: all(_gone(c.pid) for c in children), 30), \
            [c.pid for c in children if not _gone(c.pid)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for c in children:
            if not _gone(c.pid):
                c.kill()


def _parent_pid(_: int) -> int:
    return os.getppid()


@pytest.mark.parametrize("workers", [1, 2])
def test_workers_still_map_in_order(workers):
    assert list(map_batches(sum, iter([[1, 2], [3], [4, 5, 6]]), workers)) == [3, 3, 15]
    if workers > 1:
        assert set(map_batches(_parent_pid, iter(range(4)), workers)) == {os.getpid()}
