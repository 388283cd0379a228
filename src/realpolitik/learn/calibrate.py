"""Fit the confidence map on the project's own corpus.

    python -m realpolitik.learn.calibrate training/corpus/*.jsonl --out src/realpolitik/learn/data/confidence.json

(``make calibrate`` runs this; it needs the ``train`` extra: scikit-learn.) The corpus is
coded with the rules alone. In every sentence labelled with an event, each event the coder
finds is right when its type is the label's. The map has two parts:

1. a logistic regression of "right" on the event's features
   (:func:`realpolitik.learn.features.event_features`: the rules' score, main clause or
   subordinate, verb or noun and its role, modality, parties found, position), which ranks the
   events of a sentence: the main act ahead of what a subordinate clause or a noun mentions;
2. an isotonic regression, on out-of-fold weights of the first-ranked event of each sentence,
   from that weight to the share of sentences coded right, stored as knots (weight, share) and
   interpolated between them. It rises everywhere, so it never changes which event ranks first.

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
from numpy.typing import ArrayLike

from ..coder import Coder
from ..config import Settings
from .train import read_corpus

__all__ = ["fit_knots", "main"]


def fit_knots(scores: ArrayLike, right: ArrayLike, lowest: float = 0.02,
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


def _corpus_events(paths: Sequence[str]) -> tuple[list[list[float]], list[bool], list[int]]:
    """Features, rightness and sentence number of every event the rules find in the corpus's
    sentences labelled with an event."""
    from .features import event_features

    rows = [r for r in read_corpus(list(paths)) if r["type"] != "NONE"]
    coder = Coder(Settings.scoring(use_model=False, check_language=False, min_confidence=0.0,
                                   calibrate=False))
    feats: list[list[float]] = []
    right: list[bool] = []
    group: list[int] = []
    docs = coder.nlp.pipe(coder._make_doc(r["text"], None, str(k), 0) for k, r in enumerate(rows))
    for k, (r, doc) in enumerate(zip(rows, docs, strict=True)):
        at = {t.idx: t for t in doc}
        for e in doc._.events:
            tok = at.get(e.trigger.start)
            if tok is not None:
                feats.append(event_features(tok, e.modality, e.source, e.target, e.confidence))
                right.append(e.event_type == r["type"])
                group.append(k)
    return feats, right, group


def _tops(ranks: np.ndarray, right: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The weight and rightness of each sentence's first-ranked event."""
    best: dict[int, int] = {}
    for i, g in enumerate(group):
        if g not in best or ranks[i] > ranks[best[g]]:
            best[int(g)] = i
    idx = np.array(sorted(best.values()))
    return ranks[idx], right[idx]


def main(argv: Sequence[str] | None = None) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from .features import FEATURES

    ap = argparse.ArgumentParser(prog="python -m realpolitik.learn.calibrate", description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="+", help="JSON-lines corpus files (training/corpus/*.jsonl)")
    ap.add_argument("--out", default="src/realpolitik/learn/data/confidence.json")
    args = ap.parse_args(argv)

    feats, right_list, group_list = _corpus_events(args.corpus)
    X, right, group = np.array(feats), np.array(right_list), np.array(group_list)
    oof = np.zeros(len(right))
    for train, test in GroupKFold(n_splits=5).split(X, right, group):
        oof[test] = LogisticRegression(C=1.0, max_iter=5000).fit(X[train], right[train]).predict_proba(X[test])[:, 1]
    top_rank, top_right = _tops(oof, right, group)
    xs, ys = fit_knots(top_rank, top_right)
    ranker = LogisticRegression(C=1.0, max_iter=5000).fit(X, right)
    sentences = len(top_rank)
    meta = {"method": "logistic ranking of the events of a sentence, then an isotonic map from the "
                      "out-of-fold weight of each sentence's first event to the share right",
            "fitted_on": [str(p) for p in args.corpus], "sentences": sentences, "events": len(right_list),
            "share_right": round(float(top_right.sum()) / sentences, 4), "built": dt.date.today().isoformat(),
            "features": list(FEATURES), "weights": [round(float(w), 5) for w in ranker.coef_[0]],
            "bias": round(float(ranker.intercept_[0]), 5), "score": xs, "confidence": ys}
    Path(args.out).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"{sentences} sentences, {len(right_list)} events, first event right in {meta['share_right']:.3f}; "
          f"{len(xs)} knots -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
