"""Train the event-type model on the project's labelled corpus.

    python -m realpolitik.learn.train training/corpus/*.jsonl --out src/realpolitik/learn/data

(``make train`` runs this; it needs the ``train`` extra: scikit-learn.) Each corpus line is
``{"text", "type", "mode", "trigger", "source", "target", "modality"}`` (see
``training/README.md``). The script

1. codes every text with the rules alone and reads the features of the sentence holding the
   labelled trigger;
2. fits a multinomial logistic regression for the type (16 PLOVER types and NONE) and one for
   the mode, with 5-fold cross-validation to report accuracy and to collect out-of-fold
   probabilities;
3. fits the confidence calibration on out-of-fold predictions: whether an event's type, source
   and target are right, from the rule's strength, the model's probability for the type, and
   what was found;
4. writes ``event_model.npz`` and ``event_model.json`` and a report (``training/report.json``).

Everything is seeded: the same corpus gives the same model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from ..coder import Coder
from ..config import Settings
from ..model import Document
from .features import FEATURE_VERSION, hash_features, sentence_features

TYPE_DIM = 1 << 17
MODE_DIM = 1 << 15
SEED = 13


def read_corpus(paths: list[str]) -> list[dict[str, Any]]:
    rows = []
    for p in paths:
        for n, line in enumerate(Path(p).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            r = json.loads(line)
            if not isinstance(r.get("text"), str) or not r.get("type"):
                raise SystemExit(f"{p}:{n}: a corpus line needs 'text' and 'type'")
            r["_where"] = f"{p}:{n}"
            rows.append(r)
    return rows


def _matrix(feature_lists: list[list[str]], dim: int):
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for feats in feature_lists:
        counts = Counter(hash_features(feats, dim))
        for i, v in sorted(counts.items()):
            indices.append(i)
            data.append(1.0 if v else 0.0)
        indptr.append(len(indices))
    return csr_matrix((np.array(data, dtype=np.float32), np.array(indices), np.array(indptr)),
                      shape=(len(feature_lists), dim))


def _overlaps(actor: Any, text: str | None) -> bool:
    if text is None:
        return True
    if actor is None:
        return False
    a, b = actor.text.lower(), text.lower()
    return a in b or b in a or bool(set(a.split()) & set(b.split()) - {"the", "of", "a", "and"})


def _aligned(model: Any, X: Any, n_classes: int) -> np.ndarray:
    """Class probabilities in the order of all classes, for a model fitted on a subset."""
    out = np.zeros((X.shape[0], n_classes))
    out[:, model.classes_] = model.predict_proba(X)
    return out


def main(argv: list[str] | None = None) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    ap = argparse.ArgumentParser(description="Train the event-type model.")
    ap.add_argument("corpus", nargs="+", help="JSONL corpus files")
    ap.add_argument("--out", default="src/realpolitik/learn/data", help="where to write the model")
    ap.add_argument("--report", default="training/report.json", help="where to write the report")
    ap.add_argument("--c", type=float, default=2.0, help="inverse regularization strength")
    ap.add_argument("--calibrate-on", nargs="*", default=[], metavar="FILE",
                    help="corpus files held out from the model to fit the confidence calibration "
                         "(default: out-of-fold predictions on every file)")
    args = ap.parse_args(argv)

    rows = read_corpus(args.corpus)
    coder = Coder(Settings.scoring(use_model=False, check_language=False))
    docs = [Document(id=str(i), text=r["text"]) for i, r in enumerate(rows)]
    feats: list[list[str]] = []
    events: list[list[Any]] = []
    for r, doc in zip(rows, coder.nlp.pipe(coder._make_doc(d.text, None, d.id, 0) for d in docs), strict=True):
        trig = r.get("trigger")
        start = r["text"].find(trig) if trig else -1
        sents = list(doc.sents)
        sent = next((s for s in sents if start >= 0 and s.start_char <= start < s.end_char),
                    max(sents, key=len))
        spans = [s for s in doc.spans.get("triggers", []) if sent.start <= s.start < sent.end]
        frames = [f for s in spans for f in s._.frames]
        mods = [m for s in spans for m in (s._.modality or ())]
        feats.append(sentence_features(sent, frames, mods))
        events.append([e for e in doc._.events if sent.start_char <= e.trigger.start < sent.end_char])
    print(f"{len(rows)} sentences; types: {dict(Counter(r['type'] for r in rows))}", file=sys.stderr)

    classes = sorted({r["type"] for r in rows})
    y = np.array([classes.index(r["type"]) for r in rows])
    X = _matrix(feats, TYPE_DIM)

    def fit(Xm, ym, c=args.c):
        m = LogisticRegression(C=c, max_iter=3000, solver="lbfgs")
        m.fit(Xm, ym)
        return m

    oof = np.zeros((len(rows), len(classes)), dtype=np.float64)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for k, (tr, te) in enumerate(folds.split(X, y)):
        m = fit(X[tr], y[tr])
        oof[te] = m.predict_proba(X[te])
        print(f"fold {k}: accuracy {float((oof[te].argmax(1) == y[te]).mean()):.3f}", file=sys.stderr)
    cv_acc = float((oof.argmax(1) == y).mean())
    rule_acc = float(np.mean([
        (max(ev, key=lambda e: e.confidence).event_type if ev else "NONE") == r["type"]
        for ev, r in zip(events, rows, strict=True)]))
    print(f"cross-validated accuracy {cv_acc:.3f} (rules alone {rule_acc:.3f})", file=sys.stderr)
    model = fit(X, y)

    # calibration: is an event's type (and source, target) right? Fitted on files the model
    # did not see, when given: text written apart from the training text is a fairer test of
    # how far the model's probabilities carry to news it has never read.
    from ..ontology import load_ontology

    onto = load_ontology()
    held = {str(Path(f)) for f in args.calibrate_on}
    cal_rows = [i for i, r in enumerate(rows) if r["_where"].rsplit(":", 1)[0] in held] if held else []
    probs = oof
    if cal_rows:
        rest = np.array([i for i in range(len(rows)) if i not in set(cal_rows)])
        apart = fit(X[rest], y[rest])
        probs = np.zeros_like(oof)
        probs[cal_rows] = _aligned(apart, X[cal_rows], len(classes))
        acc = float((probs[cal_rows].argmax(1) == y[cal_rows]).mean())
        print(f"calibration on {len(cal_rows)} held-out sentences (model accuracy there {acc:.3f})",
              file=sys.stderr)
    cal_x, cal_y = [], []
    for i, (r, ev) in enumerate(zip(rows, events, strict=True)):
        if cal_rows and i not in set(cal_rows):
            continue
        p = dict(zip(classes, probs[i], strict=True))
        for e in ev:
            ok = e.event_type == r["type"] and _overlaps(e.source, r.get("source")) and (
                r.get("target") is None or e.target is None or _overlaps(e.target, r.get("target")))
            cal_x.append([e.confidence, math.log(max(p.get(e.event_type, 0.0), 1e-4)), 0.0,
                          e.source is not None, e.target is not None,
                          onto.types[e.event_type].needs_target and e.target is None, 0.0])
            cal_y.append(ok)
        top = classes[int(probs[i].argmax())]
        if top != "NONE" and not ev:
            cal_x.append([0.5, math.log(max(float(probs[i].max()), 1e-4)), 0.0, True, True, False, 1.0])
            cal_y.append(top == r["type"])
    cal = LogisticRegression(C=1.0, max_iter=2000)
    cal.fit(np.array(cal_x, dtype=float), np.array(cal_y, dtype=int))
    names = ["rule", "ptype", "prominence", "source", "target", "missing_target", "model_only"]
    calibration = {"bias": float(cal.intercept_[0]),
                   **{n: float(w) for n, w in zip(names, cal.coef_[0], strict=True)}}

    # modes
    mode_rows = [(f + [f"type:{r['type']}"], r["mode"]) for f, r in zip(feats, rows, strict=True) if r.get("mode")]
    mode_classes = sorted({m for _, m in mode_rows})
    Xm = _matrix([f for f, _ in mode_rows], MODE_DIM)
    ym = np.array([mode_classes.index(m) for _, m in mode_rows])
    mode_model = fit(Xm, ym)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out / "event_model.npz",
        weights=model.coef_.T.astype(np.float16), bias=model.intercept_.astype(np.float32),
        mode_weights=mode_model.coef_.T.astype(np.float16), mode_bias=mode_model.intercept_.astype(np.float32))
    meta = {"classes": classes, "dim": TYPE_DIM, "mode_dim": MODE_DIM, "mode_classes": mode_classes,
            "feature_version": FEATURE_VERSION, "calibration": calibration,
            "trained_on": [str(p) for p in args.corpus], "sentences": len(rows),
            "calibrated_on": sorted(held) or "out-of-fold",
            "cv_accuracy": round(cv_acc, 4), "rules_accuracy": round(rule_acc, 4),
            "built": dt.date.today().isoformat()}
    (out / "event_model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    report = {k: meta[k] for k in ("sentences", "cv_accuracy", "rules_accuracy", "calibrated_on", "calibration")}
    report["types"] = dict(Counter(r["type"] for r in rows))
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    size = sum((out / f).stat().st_size for f in ("event_model.npz", "event_model.json"))
    print(f"wrote {out}/event_model.npz ({size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
