"""Plots of the analytics, drawn with matplotlib (no screen needed).

Example::

    >>> import pandas as pd, tempfile, pathlib
    >>> from realpolitik.analytics.plots import plot_dyad
    >>> frame = pd.DataFrame({"period": pd.to_datetime(["2019-01-01", "2019-02-01"]).date,
    ...     "events": [3, 2], "verbal_cooperation": [2, 0], "material_cooperation": [1, 0],
    ...     "verbal_conflict": [0, 1], "material_conflict": [0, 1], "mean_intensity": [4.0, -5.0],
    ...     "ci_low": [2.0, -8.0], "ci_high": [6.0, -2.0], "change": [False, True]})
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "dyad.png"
    >>> plot_dyad(frame, "IRQ", "USA", out).stat().st_size > 10_000
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["plot_dyad", "plot_shifts"]

_QUAD_COLOURS = {"verbal_cooperation": "#9ecae1", "material_cooperation": "#3182bd",
                 "verbal_conflict": "#fcae91", "material_conflict": "#de2d26"}


def _save(fig: Any, path: Path) -> Path:
    """Write a figure as a PNG (creating its folder) and free it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_dyad(frame: pd.DataFrame, a: str, b: str, path: str | Path) -> Path:
    """A two-panel PNG: mean intensity with its interval and change points; events by quad class."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    x = pd.to_datetime(pd.Series(frame["period"]))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    top.axhline(0, color="#888888", linewidth=0.8)
    top.fill_between(x, frame["ci_low"].astype(float), frame["ci_high"].astype(float), color="#bbbbbb",
                     alpha=0.5, label="interval")
    top.plot(x, frame["mean_intensity"].astype(float), marker="o", color="#333333", label="mean intensity")
    for when in x[frame["change"].astype(bool).to_numpy()]:
        top.axvline(when, color="#d95f02", linestyle="--", linewidth=1.2)
    top.set_ylabel("cooperation (+) / conflict (-)")
    top.set_ylim(-10.5, 10.5)
    top.set_title(f"{a} – {b}: relations by period (dashed: change points)")
    top.legend(loc="lower left", fontsize=8)
    width = max(1.0, (x.max() - x.min()).days / max(1, len(x)) * 0.8) if len(x) > 1 else 20.0
    base = pd.Series(0, index=frame.index, dtype=float)
    for col, colour in _QUAD_COLOURS.items():
        values = frame[col].astype(float)
        bottom.bar(x, values, bottom=base, width=width, color=colour, label=col.replace("_", " "))
        base = base + values
    bottom.set_ylabel("events")
    bottom.legend(loc="upper left", fontsize=8, ncol=2)
    return _save(fig, path)


def plot_shifts(frame: pd.DataFrame, path: str | Path, top: int = 15) -> Path:
    """Horizontal bars of the biggest changes of mean intensity with their intervals; significant ones dark."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    rows = frame.reindex(frame["difference"].abs().sort_values(ascending=False).index).head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(3, len(rows)) + 1.2))
    y = range(len(rows))
    diff = rows["difference"].astype(float).to_numpy()
    lo = diff - rows["ci_low"].astype(float).to_numpy()
    hi = rows["ci_high"].astype(float).to_numpy() - diff
    colours = ["#08519c" if s else "#9ecae1" for s in rows["significant"]]
    ax.barh(list(y), diff, xerr=[lo, hi], color=colours, ecolor="#555555", capsize=3)
    ax.set_yticks(list(y), [f"{a} – {b}" for a, b in zip(rows["a"], rows["b"], strict=True)])
    ax.axvline(0, color="#888888", linewidth=0.8)
    ax.set_xlabel("change of mean intensity (+ toward cooperation); dark: significant")
    ax.set_title("Biggest shifts between the two windows")
    return _save(fig, path)
