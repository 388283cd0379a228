"""Forecasts of every dyad of a million-event store, against the time to read their series.

    python bench/forecast.py [--rows 1040000] [--workdir /tmp/apibench] [--horizon 6]

Uses (or builds, with the generator of ``bench/import.py``, as ``bench/api.py`` does) a store of
generated GDELT rows: forty countries, ten years, so about 780 country pairs of 120 months each.
Times, median of three runs: the baseline, reading every pair's monthly series with one grouped
query (:func:`realpolitik.analytics.panel.read_panel`); then
:func:`realpolitik.analytics.forecast.forecast_all` with ``model="auto"`` (each dyad's model
chosen by its own rolling-origin backtest, then the index and the four quad-class counts
forecast 6 months ahead with intervals). The last line is the headline:

    dyads=... seconds=... per_dyad_ms=... baseline_seconds=... ratio=... events=...
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module
from pathlib import Path

from realpolitik.analytics.forecast import forecast_all
from realpolitik.analytics.panel import read_panel
from realpolitik.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))


timed = import_module("analytics").timed  # the median of a few runs, and the last result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_040_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/apibench"))
    ap.add_argument("--horizon", type=int, default=6)
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    db, events = import_module("api").build(args.workdir, args.rows)
    store = Store(db, create=False)
    base, panel = timed(lambda: read_panel(store, freq="month", min_events=20), runs=3)
    seconds, frame = timed(lambda: forecast_all(store, freq="month", horizon=args.horizon, min_events=20), runs=3)
    dyads = frame[["a", "b"]].drop_duplicates().shape[0]
    print(f"read {len(panel.pairs)} dyads x {len(panel.periods)} months: {base:.2f} s; forecast all: {seconds:.2f} s")
    print("models chosen:", frame.drop_duplicates(["a", "b"])["model"].value_counts().to_dict())
    print(f"dyads={dyads} seconds={seconds:.2f} per_dyad_ms={1000 * seconds / max(1, dyads):.1f} "
          f"baseline_seconds={base:.2f} ratio={seconds / base:.1f} events={events}")


if __name__ == "__main__":
    main()
