"""Validate the forecasts on generated series with planted trends, shocks and no change.

    python scripts/validate_forecasts.py [--per-kind 100] [--length 72] [--origins 24] [--seed 2026]

For each of ``--per-kind`` series of each kind (:mod:`realpolitik.analytics.synthetic_series`),
rolling-origin forecasts 1 to 6 steps ahead from each of the last ``--origins`` periods: the
``auto`` model (chosen again at each origin by the series' own backtest on the data before it)
against no change. Prints, per kind, the mean absolute error of each, the change of error
(auto against no change) and the share of outcomes inside the 50% and 90% intervals, then
checks the targets: 90% intervals cover 85-95% of outcomes; with a planted trend auto's error
is at least 10% below no change's; with no change planted it is at most 2% above. Exit status 1
if a target is missed.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from realpolitik.analytics.synthetic_series import evaluate_planted


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-kind", type=int, default=100)
    ap.add_argument("--length", type=int, default=72)
    ap.add_argument("--origins", type=int, default=24)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    got = evaluate_planted(np.random.default_rng(args.seed), args.per_kind, args.length, args.origins)
    print(f"{'kind':8} {'MAE auto':>9} {'MAE no-change':>14} {'change':>8} {'cover50':>8} {'cover90':>8}")
    for kind, row in got.items():
        auto, base = row["auto"], row["no_change"]
        print(f"{kind:8} {auto['mae']:9.3f} {base['mae']:14.3f} {auto['mae'] / base['mae'] - 1:+8.1%} "
              f"{auto['coverage50']:8.1%} {auto['coverage90']:8.1%}")
    checks = {
        "90% coverage in 85-95%": 0.85 <= got["all"]["auto"]["coverage90"] <= 0.95,
        "trend: MAE >= 10% below no change": got["trend"]["auto"]["mae"] <= 0.9 * got["trend"]["no_change"]["mae"],
        "no change: MAE <= 2% above no change": got["none"]["auto"]["mae"] <= 1.02 * got["none"]["no_change"]["mae"],
    }
    for name, ok in checks.items():
        print(f"{'ok ' if ok else 'MISSED'} {name}")
    cover = got["all"]["auto"]["coverage90"]
    trend = 1 - got["trend"]["auto"]["mae"] / got["trend"]["no_change"]["mae"]
    none = got["none"]["auto"]["mae"] / got["none"]["no_change"]["mae"] - 1
    print(f"series={3 * args.per_kind} coverage90={cover:.3f} trend_mae_reduction={trend:.3f} "
          f"none_mae_change={none:+.3f}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
