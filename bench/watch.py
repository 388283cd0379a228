"""The watcher's throughput and memory against a local news site, as the run doubles.

    python bench/watch.py [--entries 5000] [--feed-size 500] [--workdir DIR]

Starts the test suite's local site (tests/watch/feedserver.py: RSS feeds of short made-up news
articles, each a distinct text) in this process, with ``2 * entries`` articles in feeds of
``feed-size``, then runs the watcher (``realpolitik.watch.poll.watch`` with ``once``: one round
polls every feed and fetches, codes and stores every article) in a fresh process over a new
store, first on the feeds of ``entries`` articles (N), then on all of them (2N). Loading the
English model is left out of the timing. Each run reports its articles fetched and stored per
second and its peak resident memory (VmHWM); the memory of a run must stay flat as it doubles,
since the articles go through in batches of ``watch.batch_size``. The baseline, in the same run:
the same N article texts given to ``Store.ingest_records`` (coded and stored with nothing
fetched), so that ``vs_ingest`` is the share of plain ingest speed the watcher keeps while it
also fetches, extracts and keeps its books.

The last line:

    articles_per_s=<2N run> articles_per_s_n=... ingest_per_s=... vs_ingest=<N run / ingest>
    peak_mb_n=... peak_mb_2n=... memory_ratio=<2N / N>
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(sources: str, db: str) -> None:
    """One run in this process: print its figures as JSON."""
    import resource

    from realpolitik.coder import Coder
    from realpolitik.config import Settings, WatchSettings
    from realpolitik.store import Store
    from realpolitik.watch.poll import watch

    Coder.shared()  # the model loads before the clock starts
    settings = Settings(watch=WatchSettings(host_delay_seconds=0, host_concurrency=8, concurrency=8,
                                            timeout_seconds=30, max_feed_bytes=50_000_000))
    store = Store(db)
    started = time.perf_counter()
    report = watch(store, sources, settings, once=True)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    done = store.query("SELECT count(*) AS n FROM watch_entries WHERE state = 'done'").n[0]
    print(json.dumps({"fetched": report.total.fetched, "stored": report.total.stored, "done": int(done),
                      "failures": report.total.entry_errors + report.total.source_errors, "seconds": seconds,
                      "peak_mb": peak_kb / 1024}))


def child_ingest(count: str, db: str) -> None:
    """The baseline in this process: the texts of articles 0..count-1 ingested as records."""
    sys.path.insert(0, str(ROOT))
    from tests.watch.feedserver import article_text

    from realpolitik.coder import Coder
    from realpolitik.store import Store

    Coder.shared()
    records = ({"id": f"a{n}", "title": article_text(n)[0], "text": article_text(n)[1]} for n in range(int(count)))
    store = Store(db)
    started = time.perf_counter()
    report = store.ingest_records(records, source="bench")
    seconds = time.perf_counter() - started
    print(json.dumps({"stored": report.documents, "seconds": seconds}))


def baseline(count: int, workdir: Path) -> float:
    out = subprocess.run([sys.executable, __file__, "--child-ingest", str(count), str(workdir / "ingest.duckdb")],
                         check=True, capture_output=True, text=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    rate = figures["stored"] / figures["seconds"] if figures["seconds"] else 0.0
    print(f"baseline: {figures['stored']:,} article texts ingested in {figures['seconds']:.1f} s = {rate:.1f} "
          "articles/s", flush=True)
    return rate


def run(feeds: list[str], workdir: Path, name: str) -> dict[str, float]:
    sources = workdir / f"{name}.txt"
    sources.write_text("".join(f + "\n" for f in feeds), encoding="utf-8")
    db = workdir / f"{name}.duckdb"
    out = subprocess.run([sys.executable, __file__, "--child", str(sources), str(db)], check=True,
                         capture_output=True, text=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    rate = figures["done"] / figures["seconds"] if figures["seconds"] else 0.0
    print(f"{name}: {figures['done']:,} articles stored ({figures['fetched']:,} fetched, {figures['failures']} "
          f"failures) in {figures['seconds']:.1f} s = {rate:.1f} articles/s; peak memory {figures['peak_mb']:.0f} MB",
          flush=True)
    return {**figures, "rate": rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000, help="N: articles of the first run (the second has 2N)")
    parser.add_argument("--feed-size", type=int, default=500, help="articles a feed")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", nargs=2, metavar=("SOURCES", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--child-ingest", nargs=2, metavar=("COUNT", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.child_ingest:
        child_ingest(*args.child_ingest)
        return
    sys.path.insert(0, str(ROOT))
    from tests.watch.feedserver import FeedServer

    server = FeedServer()
    feeds: list[str] = []
    total = 2 * args.entries
    for start in range(0, total, args.feed_size):
        path = f"/feed{len(feeds)}.rss"
        server.add_feed(path, [server.add_article(f"/news/{n}.html", n)
                               for n in range(start, min(start + args.feed_size, total))])
        feeds.append(server.url(path))
    half = (args.entries + args.feed_size - 1) // args.feed_size
    try:
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            ingest_rate = baseline(half * args.feed_size, Path(tmp))
            n = run(feeds[:half], Path(tmp), f"N={args.entries}")
            n2 = run(feeds, Path(tmp), f"2N={total}")
    finally:
        server.close()
    print(f"articles_per_s={n2['rate']:.1f} articles_per_s_n={n['rate']:.1f} ingest_per_s={ingest_rate:.1f} "
          f"vs_ingest={n['rate'] / ingest_rate:.2f} peak_mb_n={n['peak_mb']:.0f} "
          f"peak_mb_2n={n2['peak_mb']:.0f} memory_ratio={n2['peak_mb'] / n['peak_mb']:.2f}")


if __name__ == "__main__":
    main()
