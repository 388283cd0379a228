"""`realpolitik watch` as a process: killed with SIGKILL mid-run and started again, it fetches no
page twice (its feeds answered 304) and loses no entry; SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.store import Store

from .feedserver import FeedServer

FAST = ["--interval", "1", "--set", "host_delay_seconds=0", "--set", "host_concurrency=4",
        "--set", "batch_size=16", "--set", "timeout_seconds=30", "--no-progress"]


def run(args: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "realpolitik", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def counts(db: Path) -> tuple[int, int]:
    """Entries whose page the store holds (kept text or stored), and entries stored."""
    frame = Store(db).query("""SELECT count(*) FILTER (WHERE text IS NOT NULL OR state = 'done') AS kept,
                                      count(*) FILTER (WHERE state = 'done') AS done FROM watch_entries""")
    return int(frame.kept[0]), int(frame.done[0])


def test_kill_9_and_restart_fetches_nothing_twice(server: FeedServer, tmp_path):
    paths = []
    for f in range(3):
        server.add_feed(f"/feed{f}.xml", [server.add_article(f"/news/{f}/{i}.html", 2000 * (f + 1) + i)
                                           for i in range(50)], ("rss", "atom", "sitemap")[f])
        paths.append(f"/feed{f}.xml")
    sources = tmp_path / "sources.txt"
    sources.write_text("".join(server.url(p) + "\n" for p in paths), encoding="utf-8")
    db = tmp_path / "watch.duckdb"
    server.hold_articles(after=60)  # the 61st page and later wait unanswered, so the kill finds a known state
    proc = run(["watch", str(sources), "--db", str(db), *FAST])
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and server.answered_articles < 60:
            time.sleep(0.1)
        assert server.answered_articles == 60, proc.stderr.read() if proc.poll() is not None else "too slow"
        while time.monotonic() < deadline and (not db.exists() or counts(db)[0] < 60):
            time.sleep(0.1)
        kept, done = counts(db)
        assert kept == 60
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    server.release()
    time.sleep(1.0)  # the feeds' interval passes: they are due again
    before = len(server.log)
    again = run(["watch", str(sources), "--db", str(db), "--once", *FAST])
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    for f in range(3):
        for i in range(50):
            assert len(server.hits(f"/news/{f}/{i}.html", status=200)) == 1, (f, i)
    for p in paths:
        (poll,) = [h for h in server.log[before:] if h.path == p]
        assert poll.status == 304 and poll.if_none_match
    store = Store(db)
    entries = store.query("SELECT state, count(*) AS n, count(DISTINCT doc_id) AS docs FROM watch_entries GROUP BY 1")
    assert entries.to_dict(orient="records") == [{"state": "done", "n": 150, "docs": 150}]
    assert store.query("SELECT count(*) AS n FROM documents").n[0] == 150
    listed = CliRunner().invoke(app, ["sources", "--db", str(db), "--format", "csv"])
    assert listed.exit_code == 0 and listed.output.count("\n") == 4 and ",304," in listed.output


def test_sigterm_stops_the_loop_cleanly(server: FeedServer, tmp_path):
    server.add_feed("/empty.rss", [])
    sources = tmp_path / "sources.txt"
    sources.write_text(server.url("/empty.rss") + "\n", encoding="utf-8")
    proc = run(["watch", str(sources), "--db", str(tmp_path / "w.duckdb"), *FAST])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not server.hits("/empty.rss"):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopping" in err


def test_usage_errors(tmp_path):
    sources = tmp_path / "sources.txt"
    sources.write_text("gopher://example.org/feed\n", encoding="utf-8")
    runner = CliRunner()
    bad = runner.invoke(app, ["watch", str(sources), "--db", str(tmp_path / "w.duckdb"), "--once"])
    assert bad.exit_code == 2 and "line 1" in bad.output
    sources.write_text("https://example.org/feed\n", encoding="utf-8")
    for args in (["--set", "colour=blue"], ["--interval", "soon"], ["--set", "retries=-1"]):
        result = runner.invoke(app, ["watch", str(sources), "--db", str(tmp_path / "w.duckdb"), "--once", *args])
        assert result.exit_code == 2, args
    listed = runner.invoke(app, ["sources", "--db", str(tmp_path / "w.duckdb"), "--format", "xml"])
    assert listed.exit_code == 2
