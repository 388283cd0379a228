"""Scale-out on Dask: throughput with one and two workers, memory per worker, a projection of the
cluster one day of global news needs, and the analytics over a 100-million-event dataset.

    python bench/scale.py [--docs 6000] [--batch 256] [--analytics-rows 100000000] [--workdir DIR]

1. **Throughput.** Generates ``--docs`` short news documents (the generator of
   ``bench/ingest.py``), then ingests them into a fresh Parquet dataset with
   ``--engine dask`` on a local cluster of 1 worker, then of 2 workers (one process, one
   thread each; BLAS held to one thread). Each worker loads the model before the clock starts.
   Reported: documents and characters per second, the ratio of the two, and each worker's
   peak resident memory (VmHWM).
2. **Projection.** From the 2-worker run: the characters a worker codes per second, and the
   efficiency of adding a worker (ratio / 2). Assumptions, printed with the result: a day of
   global news is 100,000 articles of 3,500 characters (about 600 words) on average; a cluster
   node gives each worker one core like the cores here; scaling past 2 workers keeps the
   measured efficiency (the scheduler and the Parquet writes grow with the batches, not the
   workers). Workers needed = articles x characters / (3,600 s x per-worker rate x efficiency).
3. **Analytics at scale.** Writes ``--analytics-rows`` generated events as a Parquet dataset
   partitioned by month (the layout a Dask ingest writes), opens it with ``Store``, and times a
   monthly dyad series (IRQ-RUS, ten years, bootstrap intervals, change points) and the
   network of one year (blocs, balance) over it, reading the files in place.

The last line is the headline:

    ratio=<2 workers / 1 worker> docs_per_s_1=... docs_per_s_2=... worker_mb=... workers_for_day=...
    analytics_rows=... dyad_s=... network_s=...
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # one thread per worker process, in the workers too (they inherit it)

sys.path.insert(0, str(Path(__file__).parent))
bench_ingest = import_module("ingest")
bench_import = import_module("import")

ARTICLES_PER_DAY = 100_000
CHARS_PER_ARTICLE = 3_500


def _load_model() -> int:
    from realpolitik import Coder

    Coder.shared()
    return os.getpid()


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def throughput(corpus: Path, work: Path, workers: int, batch: int, chars: int, docs: int) -> dict[str, float]:
    import distributed

    from realpolitik.store import Store
    from realpolitik.store.dataset import create_dataset

    root = work / f"dask-{workers}.parquet"
    shutil.rmtree(root, ignore_errors=True)
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        client.run(_load_model)
        store = Store(create_dataset(root))
        t = time.perf_counter()
        report = store.ingest([corpus], engine="dask", scheduler=cluster.scheduler_address, commit_every=batch)
        elapsed = time.perf_counter() - t
        peaks = list(client.run(_peak_mb).values())
    assert report.documents == docs, report
    out = {"workers": workers, "seconds": elapsed, "docs_per_s": docs / elapsed, "chars_per_s": chars / elapsed,
           "events": report.events, "worker_mb": max(peaks)}
    print(f"{workers} worker{'s' if workers > 1 else ''}: {docs:,} documents, {report.events:,} events in "
          f"{elapsed:.1f} s = {out['docs_per_s']:.1f} docs/s ({out['chars_per_s']:,.0f} chars/s); "
          f"peak memory per worker {', '.join(f'{p:.0f}' for p in peaks)} MB")
    return out


def analytics(work: Path, rows: int) -> tuple[float, float, float]:
    """Write ``rows`` generated events as a month-partitioned dataset; time a dyad series and a network."""
    import duckdb

    from realpolitik.store.dataset import create_dataset
    from realpolitik.store.schema import EVENT_COLUMNS

    root = work / f"analytics-{rows}.parquet"
    if not (root / "events").exists() or not any((root / "events").iterdir()):
        shutil.rmtree(root, ignore_errors=True)
        create_dataset(root)
        t = time.perf_counter()
        con = duckdb.connect()
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET memory_limit = '4GB'")  # a partitioned write buffers every partition
        con.execute(f"SET temp_directory = '{work / 'duckdb-spill'}'")
        countries = "[" + ", ".join(f"'{c}'" for c in bench_import.COUNTRIES) + "]"
        n = len(bench_import.COUNTRIES)
        given = {
            "event_id": "'x-' || i::VARCHAR", "origin": "'gdelt'", "origin_id": "i::VARCHAR",
            "cluster_id": "'x-' || i::VARCHAR", "event_type": "t", "quad_class": "q::TINYINT",
            "intensity": "w", "source_code": "a", "source_country": "a", "target_code": "b",
            "target_country": "b", "date": "strftime(d, '%Y-%m-%d')", "day": "d", "mentions": "1",
        }
        cols = ", ".join(f"{given.get(name, f'NULL::{sql.split()[0]}')} AS {name}" for name, sql in EVENT_COLUMNS)
        step = 10_000_000
        for start in range(0, rows, step):  # in slices, so that memory stays bounded
            _write_slice(con, root, cols, countries, n, start, min(rows, start + step))
        con.close()
        size = sum(p.stat().st_size for p in root.rglob("*.parquet")) / 1e9
        print(f"analytics dataset: {rows:,} events written in {time.perf_counter() - t:.0f} s ({size:.1f} GB)")
    _commit_generated(root)
    return _time_analytics(root)


def _commit_generated(root: Path) -> None:
    """An empty documents file for each generated batch: the commit that makes its events visible."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from realpolitik.store.dataset import DOCUMENT_SCHEMA

    for name in {p.name for p in root.glob("events/*/part-*.parquet")}:
        target = root / "documents" / name
        if not target.exists():
            pq.write_table(pa.Table.from_pylist([], schema=DOCUMENT_SCHEMA), target)


def _write_slice(con, root: Path, cols: str, countries: str, n: int, start: int, end: int) -> None:
    con.execute(f"""
        COPY (
          SELECT {cols}, strftime(d, '%Y-%m') AS month FROM (
            SELECT i, DATE '2012-01-01' + (hash(i) % 3650)::INT AS d,
                   {countries}[1 + (hash(i * 3) % {n})::INT] AS a,
                   {countries}[1 + (hash(i * 7) % {n})::INT] AS b,
                   (hash(i * 11) % 16)::INT AS k,
                   ['AGREE','CONSULT','SUPPORT','CONCEDE','COOPERATE','AID','RETREAT','REQUEST','ACCUSE',
                    'REJECT','THREATEN','PROTEST','SANCTION','MOBILIZE','COERCE','ASSAULT'][k + 1] AS t,
                   [1,1,1,2,2,2,2,1,3,3,3,3,3,4,4,4][k + 1] AS q,
                   [4,3,5,6,7,8,5,1,-2,-3,-5,-3,-5,-6,-8,-10][k + 1]::DOUBLE AS w
            FROM range({start}, {end}) r(i)))
        TO '{root / "events"}' (FORMAT parquet, PARTITION_BY (month), COMPRESSION zstd,
                                FILENAME_PATTERN 'part-gen{start}-{{i}}', OVERWRITE_OR_IGNORE true)""")


def _time_analytics(root: Path) -> tuple[float, float, float]:
    import datetime as dt

    from realpolitik.analytics.dyads import dyad_series
    from realpolitik.analytics.network import network
    from realpolitik.store import Store

    store = Store(root)

    def timed(fn) -> float:
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return sorted(runs)[1]

    total = store.count()
    dyad_s = timed(lambda: dyad_series(store, "IRQ", "RUS", freq="month"))
    net_s = timed(lambda: network(store, dt.date(2019, 1, 1), dt.date(2019, 12, 31), evidence=0))
    series = dyad_series(store, "IRQ", "RUS", freq="month")
    g = network(store, dt.date(2019, 1, 1), dt.date(2019, 12, 31), evidence=0)
    print(f"analytics over {total:,} events in Parquet: dyad series IRQ-RUS by month ({len(series)} months, "
          f"{int(series.events.sum()):,} events) {dyad_s:.1f} s; network of 2019 ({g.number_of_nodes()} actors, "
          f"{g.number_of_edges()} ties) {net_s:.1f} s (median of three)")
    return total, dyad_s, net_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=6000)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--analytics-rows", type=int, default=100_000_000)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="realpolitik-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    records = bench_ingest.generate(args.docs)
    corpus = work / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    chars = sum(len(r["text"]) for r in records)
    print(f"corpus: {args.docs:,} generated documents, {chars / args.docs:.0f} characters on average; "
          f"batches of {args.batch}; {os.cpu_count()} cores")
    one = throughput(corpus, work, 1, args.batch, chars, args.docs)
    two = throughput(corpus, work, 2, args.batch, chars, args.docs)
    ratio = two["docs_per_s"] / one["docs_per_s"]
    per_worker = two["chars_per_s"] / 2
    efficiency = ratio / 2
    need = ARTICLES_PER_DAY * CHARS_PER_ARTICLE / (3600 * per_worker * efficiency)
    workers = math.ceil(need)
    print(f"scaling: 2 workers = {ratio:.2f} x 1 worker (efficiency {efficiency:.0%}); "
          f"{per_worker:,.0f} chars/s per worker")
    print(f"projection: {ARTICLES_PER_DAY:,} articles x {CHARS_PER_ARTICLE:,} chars in one hour needs "
          f"{ARTICLES_PER_DAY * CHARS_PER_ARTICLE / 3600:,.0f} chars/s = {workers} workers of one core and "
          f"{two['worker_mb']:.0f} MB each (about {math.ceil(workers / 8)} node(s) of 8 cores and "
          f"{8 * two['worker_mb'] / 1024 + 2:.0f} GB), if efficiency holds at {efficiency:.0%}")
    rows, dyad_s, net_s = analytics(work, args.analytics_rows)
    print(f"ratio={ratio:.2f} docs_per_s_1={one['docs_per_s']:.1f} docs_per_s_2={two['docs_per_s']:.1f} "
          f"worker_mb={two['worker_mb']:.0f} workers_for_day={workers} analytics_rows={rows} "
          f"dyad_s={dyad_s:.2f} network_s={net_s:.2f}")


if __name__ == "__main__":
    main()
