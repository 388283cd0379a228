"""A bounded load test of the HTTP API on loopback, over a store of a million events.

    python bench/api.py [--rows 1040000] [--clients 20] [--seconds 30] [--workdir DIR]

Builds a store from a generated GDELT-format file (the generator of ``bench/import.py``; about
3% of the rows are CAMEO statements with no PLOVER type, so 1,040,000 rows give just over a
million events), starts ``realpolitik serve`` on it in its own process (one uvicorn process,
as a user runs it), waits until the server has read its in-memory event index (setting
``server.memory_index``) and worked out ahead the series of its busiest pairs (``--warm-dyads``,
default 1000: here every pair of the 40 countries; ``/api/health`` says ``"index": "warming"``
meanwhile, then ``"ready"``), and runs ``--clients`` concurrent clients from this process, each
on its own keep-alive connection, in three phases:

- ``health``: ``GET /api/health`` for a third of ``--seconds``: the cost of the HTTP stack
  alone, the baseline the other two are compared to;
- ``events``: event lists as the dashboard asks for them: 50 events with a random country
  filter, or dyad, or type, newest first, then the next four pages by cursor;
- ``dyad``: dyad series of random pairs of countries by month, quarter or year, with their
  bootstrap intervals and change points.

Then it starts a second server with ``--warm-dyads 0`` and runs the dyad phase again
(``dyad_cold``): each series is worked out when it is first asked, as for a pair outside the
busiest (in 30 s about two thirds of the requests are such a first time).

Each phase lasts ``--seconds`` and reports requests per second, the median and the 95th
percentile latency, and errors (any status but 200). The last line is the headline:

    events_rps=... events_p95_ms=... dyad_rps=... dyad_p95_ms=... dyad_cold_rps=... dyad_cold_p95_ms=...
    warm_s=... health_rps=... errors=... events=... clients=...

The clients share the machine with the server (2 cores here), so the figures are a floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))
bench_import = import_module("import")

TYPES = ["AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "ACCUSE", "THREATEN", "PROTEST", "COERCE", "ASSAULT"]


def build(work: Path, rows: int) -> tuple[Path, int]:
    from realpolitik.store import Store

    db = work / f"api-{rows}.duckdb"
    if db.exists():
        return db, Store(db, create=False).count()
    data = work / f"api-{rows}.export.CSV"
    t = time.perf_counter()
    bench_import.generate(data, rows)
    report = Store(db).import_file(data, "gdelt")
    data.unlink()
    print(f"store: {report.rows:,} events imported in {time.perf_counter() - t:.1f} s")
    return db, report.rows


def requests_for(phase: str, rng: random.Random):
    """An endless stream of request paths for the phase (a client's own random sequence)."""
    countries = bench_import.COUNTRIES
    while True:
        if phase == "health":
            yield "/api/health"
        elif phase == "dyad":
            a, b = rng.sample(countries, 2)
            yield f"/api/dyads/{a}/{b}?" + urlencode({"freq": rng.choice(["month", "quarter", "year"])})
        else:
            kind = rng.random()
            if kind < 0.4:
                params = {"actor": rng.choice(countries)}
            elif kind < 0.8:
                params = {"dyad": ",".join(rng.sample(countries, 2))}
            else:
                params = {"type": rng.choice(TYPES)}
            params.update(limit="50", order="newest")
            cursor = None
            for _ in range(5):  # a first page and four more, as a reader pages through
                cursor = yield "/api/events?" + urlencode({**params, **({"cursor": cursor} if cursor else {})})
                if not cursor:
                    break


def client(port: int, phase: str, until: float, seed: int, out: list[tuple[float, int]]) -> None:
    rng = random.Random(seed)
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    gen = requests_for(phase, rng)
    path = next(gen)
    while time.perf_counter() < until:
        t = time.perf_counter()
        con.request("GET", path)
        response = con.getresponse()
        body = response.read()
        out.append((time.perf_counter() - t, response.status))
        cursor = None
        if phase == "events" and response.status == 200:
            cursor = json.loads(body).get("next_cursor")
        path = gen.send(cursor) if phase == "events" else next(gen)
    con.close()


def run_phase(port: int, phase: str, clients: int, seconds: float) -> dict[str, float]:
    results: list[list[tuple[float, int]]] = [[] for _ in range(clients)]
    start = time.perf_counter()
    until = start + seconds
    threads = [threading.Thread(target=client, args=(port, phase, until, k, results[k])) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    done = [x for r in results for x in r]
    times = sorted(t for t, _ in done)
    errors = sum(1 for _, status in done if status != 200)
    stats = {"requests": len(done), "rps": len(done) / elapsed, "median_ms": statistics.median(times) * 1000,
             "p95_ms": times[int(0.95 * (len(times) - 1))] * 1000, "errors": errors}
    print(f"{phase:>7}: {stats['requests']:,} requests in {elapsed:.1f} s = {stats['rps']:.1f}/s; latency median "
          f"{stats['median_ms']:.0f} ms, p95 {stats['p95_ms']:.0f} ms; {errors} errors")
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_040_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="realpolitik-api-"))
    work.mkdir(parents=True, exist_ok=True)
    db, events = build(work, args.rows)
    from realpolitik.server.app import create_app  # noqa: F401  (fail here, not in the server, if it is missing)

    ev, dy, health, warm_s = serve_and_run(db, events, args, warm_dyads=1000)
    _, cold, _, _ = serve_and_run(db, events, args, warm_dyads=0, phases=("dyad",))
    print(f"events_rps={ev['rps']:.1f} events_p95_ms={ev['p95_ms']:.0f} dyad_rps={dy['rps']:.1f} "
          f"dyad_p95_ms={dy['p95_ms']:.0f} dyad_cold_rps={cold['rps']:.1f} dyad_cold_p95_ms={cold['p95_ms']:.0f} "
          f"warm_s={warm_s:.1f} health_rps={health['rps']:.0f} "
          f"errors={ev['errors'] + dy['errors'] + cold['errors']} events={events} clients={args.clients}")


def serve_and_run(db: Path, events: int, args: argparse.Namespace, *, warm_dyads: int,
                  phases: tuple[str, ...] = ("health", "events", "dyad")) -> tuple[dict[str, float], ...]:
    """Start a server on ``db``, wait until its index is read and its busiest series worked out,
    run ``phases``; their figures (an empty dict for a phase not run) and the seconds the
    series took to work out ahead."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "realpolitik", "serve", "--db", str(db), "--port", str(port),
                               "--warm-dyads", str(warm_dyads)],
                              stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    none = {"rps": 0.0, "p95_ms": 0.0, "errors": 0}
    got = {phase: none for phase in ("health", "events", "dyad")}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                con.request("GET", "/api/health")
                if con.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        warm_from = None
        while True:  # the index is read in the background, then the busiest series worked out
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            con.request("GET", "/api/health")
            state = json.loads(con.getresponse().read()).get("index")
            if state == "warming" and warm_from is None:
                warm_from = time.monotonic()
            if state not in ("building", "warming") or time.monotonic() > deadline + 300:
                break
            time.sleep(0.2)
        warm_s = time.monotonic() - warm_from if warm_from is not None else 0.0
        print(f"serving {events:,} events on 127.0.0.1:{port} (index {state}; --warm-dyads {warm_dyads}, "
              f"{warm_s:.1f} s working them out); {args.clients} clients, {args.seconds:.0f} s a phase")
        run_phase(port, "events", 2, 3)  # warm the server's caches before measuring
        for phase in phases:
            got[phase] = run_phase(port, phase, args.clients, args.seconds / 3 if phase == "health" else args.seconds)
    finally:
        server.terminate()
        server.wait(10)
    return got["events"], got["dyad"], got["health"], warm_s


if __name__ == "__main__":
    main()
