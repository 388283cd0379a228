"""A short report on a store: strongest and most changed dyads, blocs, biggest shifts, with plots.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.analytics.report import build_report
    >>> store = Store(":memory:")
    >>> _ = store.import_file("tests/fixtures/datasets/gdelt_sample.export.CSV")
    >>> report = build_report(store, min_events=1)
    >>> report.strongest[0]["pair"], report.strongest[0]["events"]
    ('IRQ – RUS', 1)

``build_report(store)`` computes, with the library's own calls (so every number equals what
the Python API and the commands give):

- ``strongest``: the pairs with the most events over the whole span, with their mean
  intensity (from :func:`~realpolitik.analytics.dyads.dyad_series` by year);
- ``network``: the alignment network of the whole span, its blocs and balance
  (:func:`~realpolitik.analytics.network.network`);
- ``shifts``: the pairs that changed most between the first and second half of the events
  (split at their median day; :func:`~realpolitik.analytics.shifts.shifts`), significant
  ones first;
- ``plots``: PNG files of the strongest pairs' series (by quarter) and of the network.

``write_html(report, path)`` writes it as one HTML file with the plots embedded, which opens
offline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .dyads import dyad_series
from .network import network
from .shifts import default_windows, shifts

__all__ = ["Report", "build_report", "write_html", "plot_network"]


@dataclass
class Report:
    """What a store shows, in numbers and pictures."""

    span: tuple[dt.date, dt.date] | None
    events: int
    strongest: list[dict[str, Any]] = field(default_factory=list)
    blocs: list[list[str]] = field(default_factory=list)
    balance: float | None = None
    shifts: list[dict[str, Any]] = field(default_factory=list)
    halves: tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]] | None = None
    plots: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as plain text lines."""
        if self.span is None:
            return ["The store holds no dated events between countries."]
        out = [f"{self.events:,} dated events between countries, {self.span[0]} to {self.span[1]}.", "",
               "Strongest dyads (events, mean intensity -10 conflict .. +10 cooperation):"]
        out += [f"  {d['pair']}: {d['events']} events, mean {d['mean_intensity']:+.1f}" for d in self.strongest]
        out += ["", f"Blocs (structural balance {'n/a' if self.balance is None else f'{self.balance:.0%}'}):"]
        out += [f"  {k + 1}: {' '.join(b)}" for k, b in enumerate(self.blocs)]
        if self.halves:
            (b0, b1), (a0, a1) = self.halves
            out += ["", f"Biggest shifts, {a0} to {a1} against {b0} to {b1}:"]
        out += [f"  {s['pair']}: {s['before_mean']:+.1f} -> {s['after_mean']:+.1f} ({s['difference']:+.1f}, "
                f"interval [{s['ci_low']:+.1f}, {s['ci_high']:+.1f}], q={s['q_value']:.3f}"
                f"{', significant' if s['significant'] else ''})" for s in self.shifts]
        return out


def build_report(store: Any, *, top: int = 6, min_events: int = 2, plots_dir: str | Path | None = None) -> Report:
    """The report of a store (see the module docstring); PNG plots go to ``plots_dir`` when given."""
    try:
        (earlier, later), n = default_windows(store)
    except StoreError:
        return Report(None, 0)
    lo, hi = earlier[0], later[1]
    report = Report((lo, hi), n)
    g = network(store, lo, hi, min_events=min_events)
    report.balance = g.graph.get("balance")
    groups: dict[int, list[str]] = {}
    for node, d in g.nodes(data=True):
        groups.setdefault(d["bloc"], []).append(node)
    report.blocs = [sorted(v) for _, v in sorted(groups.items())]
    edges = sorted(g.edges(data=True), key=lambda e: (-e[2]["events"], e[0], e[1]))[:top]
    for a, b, _d in edges:
        a, b = sorted((a, b))
        series = dyad_series(store, a, b, freq="year", since=lo, until=hi)
        events = int(series.events.sum())
        total = float((series.mean_intensity.fillna(0) * series.events).sum())
        report.strongest.append({"pair": f"{a} – {b}", "a": a, "b": b, "events": events,
                                 "mean_intensity": total / events if events else 0.0})
    report.halves = (earlier, later)  # the halves hold as many events each
    changed = shifts(store, later[0], later[1], base_since=earlier[0], base_until=earlier[1], min_events=min_events)
    changed = changed.reindex(changed.difference.abs().sort_values(ascending=False).index)
    changed = changed.sort_values("significant", ascending=False, kind="stable").head(top)
    report.shifts = [{"pair": f"{r.a} – {r.b}", **{k: getattr(r, k) for k in (
        "a", "b", "before_mean", "after_mean", "difference", "ci_low", "ci_high", "q_value", "significant")}}
        for r in changed.itertuples()]
    if plots_dir is not None:
        from .plots import plot_dyad

        folder = Path(plots_dir)
        for d in report.strongest[:3]:
            frame = dyad_series(store, d["a"], d["b"], freq="quarter", since=lo, until=hi)
            report.plots.append(plot_dyad(frame, d["a"], d["b"], folder / f"dyad-{d['a']}-{d['b']}.png"))
        report.plots.append(plot_network(g, folder / "network.png"))
    return report


def plot_network(g: Any, path: str | Path) -> Path:
    """The signed network as a PNG: nodes coloured by bloc, green ties for cooperation, red for conflict."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx

    path = Path(path)
    fig, ax = plt.subplots(figsize=(9, 7))
    if g.number_of_nodes():
        from .network import layout

        pos = layout(g)
        colours = [d["weight"] for _, _, d in g.edges(data=True)]
        nx.draw_networkx_edges(g, pos, ax=ax, edge_color=colours, edge_cmap=plt.get_cmap("RdYlGn"), edge_vmin=-10,
                               edge_vmax=10, width=[0.5 + min(d["events"], 20) / 5 for _, _, d in g.edges(data=True)])
        nx.draw_networkx_nodes(g, pos, ax=ax, node_color=[d["bloc"] for _, d in g.nodes(data=True)],
                               cmap=plt.get_cmap("tab10"), vmin=0, vmax=9,
                               node_size=[200 + 40 * d["strength"] ** 0.8 for _, d in g.nodes(data=True)])
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=9)
    ax.set_title("Alignment network: colour = bloc; ties green for cooperation, red for conflict")
    ax.axis("off")
    from .plots import _save

    return _save(fig, path)


def write_html(report: Report, path: str | Path) -> Path:
    """The report as one self-contained HTML file (plots embedded; no network access needed)."""
    from ..render import heading, image, items, paragraph, table, write_page

    bal = "n/a" if report.balance is None else f"{report.balance:.0%}"
    sections = [
        heading("Strongest dyads"),
        table(["pair", "events", "mean intensity"],
              [(d["pair"], d["events"], f"{d['mean_intensity']:+.1f}") for d in report.strongest]),
        heading("Blocs"), paragraph(f"Structural balance: {bal} of closed triads."),
        items(" ".join(b) for b in report.blocs),
        heading("Biggest shifts"),
        table(["pair", "before", "after", "change", "interval", "q"],
              [(s["pair"], f"{s['before_mean']:+.1f}", f"{s['after_mean']:+.1f}",
                f"{s['difference']:+.1f}{' *' if s['significant'] else ''}", f"[{s['ci_low']:+.1f}, {s['ci_high']:+.1f}]",
                f"{s['q_value']:.3f}") for s in report.shifts]),
        paragraph("* significant at a false discovery rate of 5%."),
        heading("Plots"), *[image(p) for p in report.plots],
    ]
    return write_page(path, "realpolitik report", sections, intro=report.lines()[0])
