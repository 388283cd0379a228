"""The shipped event-type model: load it and score sentences.

Example::

    >>> from realpolitik.learn.model import load_model
    >>> m = load_model()
    >>> sorted(m.classes)[:3]
    ['ACCUSE', 'AGREE', 'AID']

The model is a multinomial logistic regression over hashed sentence features
(:mod:`realpolitik.learn.features`), trained by ``make train`` on the project's own labelled
corpus (``training/corpus``), plus a small logistic calibration that turns a rule event's
strength, the model's probability for its type and its place in the sentence into a
confidence. Weights live in ``learn/data/event_model.npz`` with ``event_model.json`` beside
them; inference is a sum of weight rows and a softmax in NumPy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from io import BytesIO
from typing import Any

import numpy as np

from ..errors import DataFileError
from .features import FEATURE_VERSION, FEATURES, hash_features

__all__ = ["EventModel", "load_model", "MODEL_FILES", "ScoreMap", "load_score_map"]

MODEL_FILES = ("event_model.npz", "event_model.json")


@dataclass
class EventModel:
    """Type and mode classifiers with the confidence calibration."""

    classes: list[str]
    dim: int
    mode_dim: int
    weights: np.ndarray
    bias: np.ndarray
    mode_classes: list[str]
    mode_weights: np.ndarray
    mode_bias: np.ndarray
    calibration: dict[str, float]
    meta: dict[str, Any]

    def probabilities(self, features: Sequence[str]) -> dict[str, float]:
        """P(type | sentence) for every class, NONE included."""
        idx = hash_features(features, self.dim)
        z = self.bias + self.weights[idx].sum(axis=0, dtype=np.float32)
        z = z - z.max()
        p = np.exp(z)
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}

    def mode(self, features: Sequence[str], event_type: str, allowed: Sequence[str]) -> tuple[str | None, float]:
        """The most likely mode of ``event_type`` among ``allowed`` and its probability."""
        if not allowed or not self.mode_classes:
            return None, 0.0
        idx = hash_features([*features, f"type:{event_type}"], self.mode_dim)
        z = self.mode_bias + self.mode_weights[idx].sum(axis=0, dtype=np.float32)
        keep = [i for i, m in enumerate(self.mode_classes) if m in allowed]
        if not keep:
            return None, 0.0
        sub = z[keep] - z[keep].max()
        p = np.exp(sub)
        p /= p.sum()
        best = int(np.argmax(p))
        return self.mode_classes[keep[best]], float(p[best])

    def confidence(self, rule_weight: float, p_type: float, prominence: float, has_source: bool,
                   has_target: bool, needs_target: bool, from_model: bool = False) -> float:
        """Calibrated probability that an event's type, source and target are right."""
        c = self.calibration
        x = (c["bias"] + c["rule"] * rule_weight + c["ptype"] * math.log(max(p_type, 1e-4))
             + c["prominence"] * prominence + c["source"] * has_source + c["target"] * has_target
             + c["missing_target"] * (needs_target and not has_target) + c["model_only"] * from_model)
        return 1.0 / (1.0 + math.exp(-x))


def _read(name: str) -> bytes:
    return resources.files("realpolitik.learn").joinpath("data", name).read_bytes()


@lru_cache(maxsize=1)
def load_model() -> EventModel:
    """The shipped model (cached); DataFileError when it is missing or was built for other features."""
    try:
        meta = json.loads(_read("event_model.json"))
        arrays = np.load(BytesIO(_read("event_model.npz")))
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise DataFileError(f"the event model cannot be read ({exc}); run `make train`",
                            "learn/data/event_model.npz") from None
    if meta.get("feature_version") != FEATURE_VERSION:
        raise DataFileError("the event model was trained on other features; run `make train`",
                            "learn/data/event_model.json")
    return EventModel(
        classes=list(meta["classes"]), dim=int(meta["dim"]), mode_dim=int(meta["mode_dim"]),
        weights=arrays["weights"].astype(np.float32), bias=arrays["bias"].astype(np.float32),
        mode_classes=list(meta["mode_classes"]), mode_weights=arrays["mode_weights"].astype(np.float32),
        mode_bias=arrays["mode_bias"].astype(np.float32), calibration=dict(meta["calibration"]), meta=meta)


@dataclass(frozen=True)
class ScoreMap:
    """The confidence map, fitted by :mod:`realpolitik.learn.calibrate` on the project's corpus:
    a logistic weighing of an event's features (``names``, see
    :func:`realpolitik.learn.features.event_features`) that ranks the events of a sentence,
    then an increasing curve, linear between its knots, from that weight to the share of
    sentences whose first-ranked event is right."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    score: tuple[float, ...]
    confidence: tuple[float, ...]
    meta: dict[str, Any]

    def rank(self, features: Sequence[float]) -> float:
        """The logistic weight of an event's features, 0-1."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def __call__(self, features: Sequence[float]) -> float:
        return float(np.interp(self.rank(features), self.score, self.confidence))


@lru_cache(maxsize=1)
def load_score_map() -> ScoreMap:
    """The shipped confidence map (cached); DataFileError when it is missing, malformed, or was
    fitted on other features than the coder computes."""
    where = "learn/data/confidence.json"
    try:
        meta = json.loads(_read("confidence.json"))
        names, weights = tuple(meta["features"]), tuple(map(float, meta["weights"]))
        xs, ys = tuple(map(float, meta["score"])), tuple(map(float, meta["confidence"]))
        bias = float(meta["bias"])
    except (FileNotFoundError, OSError, ValueError, KeyError, TypeError) as exc:
        raise DataFileError(f"the confidence map cannot be read ({exc}); run `make calibrate`", where) from None
    if names != FEATURES or len(weights) != len(names):
        raise DataFileError("the confidence map was fitted on other features; run `make calibrate`", where)
    if len(xs) < 2 or len(xs) != len(ys) or list(xs) != sorted(xs) or list(ys) != sorted(ys):
        raise DataFileError("the confidence map's knots must rise together", where)
    return ScoreMap(names, weights, bias, xs, ys, meta)
