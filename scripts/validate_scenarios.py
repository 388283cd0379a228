"""Validation of the scenario projection on generated worlds with a planted withdrawal.

    python scripts/validate_scenarios.py [--cases 200] [--draws 100] [--events 5] [--noise 3]
                                         [--wrong-signs 0.1] [--seed 0]

Each case draws latent true ties for two or three blocs and a client (sometimes with a client
of its own) whose alignment hangs on a patron's tie, and withdraws a tie: the patron's with the
client (removed or turned hostile), or in one case in five a tie inside the patron's bloc
(:func:`realpolitik.analytics.synthetic.planted_withdrawal`). The true realignment is what the
balance dynamics does to the TRUE ties. The scenario sees only events generated from the true
ties (2 + Poisson(events × |weight| / 5) per tie, intensity N(weight, noise), a share of them
wrong-signed), imported into an in-memory store through the POLECAT importer
(:func:`~realpolitik.analytics.synthetic.withdrawal_store`), and names its movers (half the
draws or more). Prints the share of cases in which every true mover is named (overall and over
the cases with at least one true mover), the mean number of spurious movers per case, and the
share of cases where the truth is exactly the planted clients. The last line:

    cases=... named_all=... named_all_with_movers=... spurious_per_case=... exact=...
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from realpolitik.analytics.synthetic import withdrawal_trial


def run(cases: int, draws: int, seed: int, **noise: float) -> dict[str, float]:
    """The figures over ``cases`` generated cases (see the module docstring)."""
    rng = np.random.default_rng(seed)
    named = named_movers = with_movers = spurious = exact = planted = 0
    for _ in range(cases):
        case, found = withdrawal_trial(rng, draws, **noise)
        truth, got = set(case.truth), set(found)
        named += truth <= got
        if truth:
            with_movers += 1
            named_movers += truth <= got
        spurious += len(got - truth)
        exact += truth == got
        planted += truth == set(case.clients)
    return {"cases": cases, "named_all": named / cases,
            "named_all_with_movers": named_movers / max(1, with_movers), "with_movers": with_movers / cases,
            "spurious_per_case": spurious / cases, "exact": exact / cases, "truth_is_planted": planted / cases}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--events", type=float, default=5.0, help="mean events of a tie of strength 5 (above 2)")
    parser.add_argument("--noise", type=float, default=3.0, help="standard deviation of an event's intensity")
    parser.add_argument("--wrong-signs", type=float, default=0.1, help="share of events with the wrong sign")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    r = run(args.cases, args.draws, args.seed, mean_events=args.events, noise=args.noise,
            wrong_signs=args.wrong_signs)
    print(f"{r['cases']} cases, {args.draws} draws each; events {args.events}, noise {args.noise}, "
          f"wrong signs {args.wrong_signs}; {time.perf_counter() - started:.0f} s")
    print(f"every true mover named: {r['named_all']:.1%} of cases ({r['named_all_with_movers']:.1%} of the "
          f"{r['with_movers']:.0%} with a true mover)")
    print(f"spurious movers per case: {r['spurious_per_case']:.2f}; exactly right: {r['exact']:.1%}; "
          f"truth = the planted clients: {r['truth_is_planted']:.1%}")
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items()))


if __name__ == "__main__":
    main()
