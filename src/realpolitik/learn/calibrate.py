"""Fit the map from the rules' score to a calibrated confidence, on the project's own corpus.

    python -m realpolitik.learn.calibrate training/corpus/*.jsonl --out src/realpolitik/learn/data/confidence.json

(``make calibrate`` runs this; it needs the ``train`` extra: scikit-learn.) The corpus is
coded with the rules alone; in every sentence labelled with an event, the event the coder
ranks first is right when its type is the label's. An isotonic regression of that outcome on
the rules' score gives, for each score, the share of such events coded right. The map is
stored as knots (score, share) and read by :func:`realpolitik.nlp.confidence.calibrated`,
which interpolates between them: it rises with the score, so it never changes which event of a
sentence ranks first.

Sentences labelled ``NONE`` are left out: the confidence answers "if this sentence states an
event, is it this one?"; whether a sentence states an event at all is the floor's business
(``Settings.min_confidence``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..coder import Coder
from ..config import Settings
from .train import read_corpus

__all__ = ["fit_knots", "main"]


def fit_knots(scores: Sequence[float], right: Sequence[bool], lowest: float = 0.02,
              highest: float = 0.98) -> tuple[list[float], list[float]]:
    """Knots of an increasing map from score to share right: one per block of the isotonic
    fit, at the block's mean score, plus the ends 0 and 1 so that every score has a value."""
    from sklearn.isotonic import IsotonicRegression

    x = np.asarray(scores, dtype=float)
    y = np.asarray(right, dtype=float)
    fitted = IsotonicRegression(y_min=lowest, y_max=highest, out_of_bounds="clip").fit_transform(x, y)
    xs: list[float] = []
    ys: list[float] = []
    for value in np.unique(fitted):
        block = x[fitted == value]
        xs.append(float(block.mean()))
        ys.append(float(value))
    order = np.argsort(xs)
    xs = [xs[i] for i in order]
    ys = [ys[i] for i in order]
    # the ends: a little below the lowest block and above the highest, so the map rises everywhere
    if xs[0] > 0.0:
        xs.insert(0, 0.0)
        ys.insert(0, max(lowest / 2, ys[0] - 0.05))
    if xs[-1] < 1.0:
        xs.append(1.0)
        ys.append(min(highest, ys[-1] + 0.01))
    return [round(v, 4) for v in xs], [round(v, 4) for v in ys]


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m realpolitik.learn.calibrate", description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="+", help="JSON-lines corpus files (training/corpus/*.jsonl)")
    ap.add_argument("--out", default="src/realpolitik/learn/data/confidence.json")
    args = ap.parse_args(argv)

    rows = [r for r in read_corpus(args.corpus) if r["type"] != "NONE"]
    coder = Coder(Settings(use_model=False, require_actor=False, check_language=False, min_confidence=0.0,
                           calibrate=False))
    scores, right = [], []
    for r, coded in zip(rows, coder.pipe((r["text"], None) for r in rows), strict=True):
        if coded.events:
            top = max(coded.events, key=lambda e: e.confidence)
            scores.append(top.confidence)
            right.append(top.event_type == r["type"])
    xs, ys = fit_knots(scores, right)
    meta = {"method": "isotonic regression of 'the top event's type is right' on the rules' score, "
                      "interpolated between block means",
            "fitted_on": [str(p) for p in args.corpus], "sentences": len(scores),
            "share_right": round(float(np.mean(right)), 4), "built": dt.date.today().isoformat(),
            "score": xs, "confidence": ys}
    Path(args.out).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"{len(scores)} sentences, {np.mean(right):.3f} right; {len(xs)} knots -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
