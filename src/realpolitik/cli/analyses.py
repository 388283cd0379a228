"""Commands that analyse a store: ``relations``, ``network``, ``shifts``, ``report``.

Each parses its arguments, makes one call on :mod:`realpolitik.analytics` and prints, plots or
writes a page (see :mod:`realpolitik.cli.common` for exit codes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ..errors import RealpolitikError
from ..render import text_table
from .common import DEFAULT, EXIT_OK, Db, app, fail, open_store, output_file, shown
from .common import parse_date as _date


@app.command("relations")
def relations_cmd(
    a: Annotated[str, typer.Argument(help="First actor: a country or code, optionally with a sector (IRQ, 'IRQ GOV').")],
    b: Annotated[str, typer.Argument(help="Second actor.")],
    db: Db = DEFAULT,
    freq: Annotated[str, typer.Option("--freq", help="day, week, month, quarter or year.")] = "month",
    since: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    directed: Annotated[bool, typer.Option("--directed", help="Only events from the first actor to the second.")] = False,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the series to this PNG file.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="List the events behind each period.")] = False,
    html_out: Annotated[Path | None, typer.Option("--html", help="Also write a page with the plot and a sortable table.")] = None,
) -> None:
    """The relations of two actors period by period: events, cooperation-conflict index with its interval, change points."""
    from ..analytics.dyads import dyad_series
    from ..analytics.plots import plot_dyad

    plot, html_out = output_file(plot, db=db), output_file(html_out, db=db)
    store = open_store(db)
    try:
        frame = dyad_series(store, a, b, freq=freq, directed=directed, since=_date(since), until=_date(until))
    except RealpolitikError as exc:
        raise fail(exc) from None
    out = Console(highlight=False, width=max(110, Console().width))
    if frame.empty:
        out.print(f"no events between {a} and {b}")
        raise typer.Exit(EXIT_OK)
    header = ["period", "events", "a->b", "b->a", "coop v/m", "confl v/m", "mean intensity", "interval", "per 1k",
              "change"]
    rows = [(r.period, r.events, r.a_to_b, r.b_to_a, f"{r.verbal_cooperation}/{r.material_cooperation}",
             f"{r.verbal_conflict}/{r.material_conflict}", f"{r.mean_intensity:+.1f}" if r.events else "",
             f"[{r.ci_low:+.1f}, {r.ci_high:+.1f}]" if r.events else "", f"{r.index_per_1k:+.0f}" if r.events else "",
             "change" if r.change else "") for r in frame.itertuples()]
    out.print(text_table(header, rows, title=f"{a} {'->' if directed else '<->'} {b}, by {freq}",
                         right=set(header) - {"period", "change"}))
    if explain:
        for r in frame.itertuples():
            if r.events:
                out.print(f"[bold]{r.period}[/bold]: {shown(', '.join(r.event_ids))}")
    if plot is not None:
        plot_dyad(frame, a, b, plot)
        typer.echo(f"{plot}: plot written")
    if html_out is not None:
        import tempfile

        from ..render import image, table, write_page

        with tempfile.TemporaryDirectory() as tmp:
            png = plot_dyad(frame, a, b, Path(tmp) / "dyad.png")
            page_rows = [[r.period, r.events, r.a_to_b, r.b_to_a, f"{r.mean_intensity:+.2f}" if r.events else "",
                          f"[{r.ci_low:+.1f}, {r.ci_high:+.1f}]" if r.events else "", f"{r.index_per_1k:+.0f}",
                          "change" if r.change else "", " ".join(r.event_ids)] for r in frame.itertuples()]
            write_page(html_out, f"{a} – {b} by {freq}", [image(png, f"{a}-{b}"), table(
                ["period", "events", "a->b", "b->a", "mean intensity", "interval", "per 1k", "change", "events"],
                page_rows)], intro="Mean PLOVER intensity (-10 conflict .. +10 cooperation) with its 90% bootstrap "
                              "interval; click a header to sort, type to filter.")
        typer.echo(f"{html_out}: page written")


@app.command("network")
def network_cmd(
    db: Db = DEFAULT,
    since: Annotated[str | None, typer.Option("--from", help="First day of the window (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day of the window (YYYY-MM-DD).")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Only countries of this region (as in the actor dictionary).")] = None,
    min_events: Annotated[int, typer.Option("--min-events", min=1, help="Least events for a tie.")] = 2,
    gexf: Annotated[Path | None, typer.Option("--gexf", help="Also write the graph for Gephi (GEXF).")] = None,
    graphml: Annotated[Path | None, typer.Option("--graphml", help="Also write the graph as GraphML.")] = None,
    every: Annotated[str | None, typer.Option("--every", help="Also the network of each month, quarter or year of the span.")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the network to this PNG file.")] = None,
    html_out: Annotated[Path | None, typer.Option("--html", help="Also write a page: the network (a slider through the windows with --every) and sortable tables.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="List the events behind each tie.")] = False,
) -> None:
    """The alignment network of a window: blocs, structural balance, the most central actors, the strongest ties."""
    import networkx as nx

    from ..analytics.network import network, networks

    gexf, graphml = output_file(gexf, db=db), output_file(graphml, db=db)
    plot, html_out = output_file(plot, db=db), output_file(html_out, db=db)
    store = open_store(db)
    try:
        g = network(store, _date(since), _date(until), min_events=min_events, region=region)
        # the windows cover the span asked for, or else the store's
        sequence = networks(store, _date(since), _date(until), every, min_events=min_events,
                            region=region) if every else []
    except RealpolitikError as exc:
        raise fail(exc) from None
    out = Console(highlight=False, width=max(110, Console().width))
    bal = g.graph.get("balance")
    out.print(f"[bold]{g.number_of_nodes()} actors, {g.number_of_edges()} ties[/bold]; structural balance "
              + (f"{bal:.0%} of closed triads" if bal is not None else "undefined (no closed triad)"))
    groups: dict[int, list[str]] = {}
    for n, d in g.nodes(data=True):
        groups.setdefault(d["bloc"], []).append(n)
    out.print(text_table(["bloc", "members"], [(k + 1, " ".join(sorted(groups[k]))) for k in sorted(groups)],
                         title="Blocs"))
    out.print(text_table(["actor", "strength", "friends", "foes"],
                         [(n, f"{d['strength']:.1f}", d["friends"], d["foes"])
                          for n, d in sorted(g.nodes(data=True), key=lambda x: -x[1]["strength"])[:12]],
                         title="Most central (sum of tie strength)"))
    out.print(text_table(["pair", "mean intensity", "events", "coop/conflict"],
                         [(f"{u} – {v}", f"{d['weight']:+.1f}", d["events"], f"{d['cooperation']}/{d['conflict']}")
                          for u, v, d in sorted(g.edges(data=True),
                                                key=lambda x: -abs(x[2]["weight"]) * x[2]["events"])[:12]],
                         title="Strongest ties"))
    if sequence:
        rows = []
        for h in sequence:
            groups_h: dict[int, list[str]] = {}
            for n, d in h.nodes(data=True):
                groups_h.setdefault(d["bloc"], []).append(n)
            hb = h.graph.get("balance")
            rows.append((f"{h.graph['since']} to {h.graph['until']}",
                         " | ".join(f"{k + 1}: {' '.join(sorted(v))}" for k, v in sorted(groups_h.items())),
                         "" if hb is None else f"{hb:.0%}"))
        out.print(text_table(["window", "blocs", "balance"], rows, title=f"Blocs by {every}"))
    if explain:
        for u, v, d in sorted(g.edges(data=True)):
            out.print(f"[bold]{shown(u)} – {shown(v)}[/bold]: {shown(', '.join(d['event_ids']))}")
    if plot is not None:
        from ..analytics.report import plot_network

        plot_network(g, plot)
        typer.echo(f"{plot}: plot written")
    if html_out is not None:
        _network_page(g, sequence, html_out)
        typer.echo(f"{html_out}: page written")
    flat = nx.Graph(g)
    for _, _, d in flat.edges(data=True):
        d["event_ids"] = " ".join(d["event_ids"])
    flat.graph = {k: ("" if v is None else v) for k, v in g.graph.items()}
    if gexf is not None:
        nx.write_gexf(flat, gexf)
        typer.echo(f"{gexf}: GEXF written")
    if graphml is not None:
        nx.write_graphml(flat, graphml)
        typer.echo(f"{graphml}: GraphML written")


@app.command("shifts")
def shifts_cmd(
    db: Db = DEFAULT,
    since: Annotated[str, typer.Option("--from", help="First day of the later window (YYYY-MM-DD); without --from "
                                                      "and --to, the later half of the store's events.")] = "",
    until: Annotated[str, typer.Option("--to", help="Last day of the later window (YYYY-MM-DD).")] = "",
    base_since: Annotated[str | None, typer.Option("--baseline-from", help="First day of the earlier window.")] = None,
    base_until: Annotated[str | None, typer.Option("--baseline-to", help="Last day of the earlier window.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only this actor's pairs, ranked toward / away.")] = None,
    min_events: Annotated[int, typer.Option("--min-events", min=1, help="Least events in each window.")] = 3,
    explain: Annotated[bool, typer.Option("--explain", help="List the strongest events behind each change.")] = False,
    html_out: Annotated[Path | None, typer.Option("--html", help="Also write the table as a sortable page.")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the biggest changes to this PNG file.")] = None,
) -> None:
    """Which pairs changed between two windows (permutation test, FDR, interval, effect size); for one actor, who it drifts toward and away from."""
    from ..analytics.shifts import default_windows, drift, shifts

    if bool(since) != bool(until):
        raise typer.BadParameter("give both --from and --to, or neither (the two halves of the store's events)",
                                 param_hint="--from" if not since else "--to")
    html_out, plot = output_file(html_out, db=db), output_file(plot, db=db)
    store = open_store(db)
    chosen = ""
    try:
        if since:
            start, end = _date(since), _date(until)
            base = (_date(base_since), _date(base_until))
        else:
            (base, (start, end)), n = default_windows(store)
            chosen = f" (no --from/--to: the two halves of the store's {n:,} dated events between countries, as in the report)"
        assert start is not None and end is not None
        options: dict[str, Any] = {"base_since": base[0], "base_until": base[1], "min_events": min_events}
        frame = (drift(store, actor, start, end, **options) if actor else shifts(store, start, end, **options))
    except RealpolitikError as exc:
        raise fail(exc) from None
    out = Console(highlight=False, width=max(120, Console().width))
    (b0, b1), (a0, a1) = frame.attrs["before"], frame.attrs["after"]
    if chosen:
        out.print(f"windows: {b0} to {b1} against {a0} to {a1}{chosen}")
    out.print(f"[bold]{a0} to {a1}[/bold] against [bold]{b0} to {b1}[/bold]: {len(frame)} pairs with "
              f"{min_events}+ events in both; permutation test, Benjamini-Hochberg q, 90% bootstrap interval")
    out.print(text_table(
        ["pair", "events before/after", "mean before", "mean after", "change", "interval", "effect", "q", "",
         "direction" if actor else ""],
        [(f"{r.a} – {r.b}", f"{r.before_events}/{r.after_events}", f"{r.before_mean:+.1f}", f"{r.after_mean:+.1f}",
          f"{r.difference:+.1f}", f"[{r.ci_low:+.1f}, {r.ci_high:+.1f}]", f"{r.effect_size:+.2f}",
          f"{r.q_value:.3f}", "significant" if r.significant else "", getattr(r, "direction", "") if actor else "")
         for r in frame.itertuples()]))
    if explain:
        for r in frame.itertuples():
            out.print(f"[bold]{shown(r.a)} – {shown(r.b)}[/bold]: {shown(', '.join(r.event_ids))}")
    if plot is not None and len(frame):
        from ..analytics.plots import plot_shifts

        plot_shifts(frame, plot)
        typer.echo(f"{plot}: plot written")
    if html_out is not None:
        from ..render import table, write_page

        write_page(html_out, f"Shifts, {a0} to {a1} against {b0} to {b1}", [table(
            ["pair", "before", "after", "mean before", "mean after", "change", "interval", "effect", "q",
             "significant", "evidence"],
            [[f"{r.a} – {r.b}", r.before_events, r.after_events, f"{r.before_mean:+.2f}", f"{r.after_mean:+.2f}",
              f"{r.difference:+.2f}", f"[{r.ci_low:+.1f}, {r.ci_high:+.1f}]", f"{r.effect_size:+.2f}",
              f"{r.q_value:.3f}", "yes" if r.significant else "", " ".join(r.event_ids)] for r in frame.itertuples()])],
            intro="Permutation test of the change of mean intensity, Benjamini-Hochberg q, 90% bootstrap interval.")
        typer.echo(f"{html_out}: page written")


@app.command("report")
def report_cmd(
    db: Db = DEFAULT,
    html_out: Annotated[Path | None, typer.Option("--html", help="Also write the report with its plots to this HTML file.")] = None,
    plots: Annotated[Path | None, typer.Option("--plots", help="Folder for the PNG plots (default: beside the HTML file).")] = None,
    min_events: Annotated[int, typer.Option("--min-events", min=1, help="Least events for a tie or a tested pair.")] = 2,
) -> None:
    """A short report on the store: strongest dyads, blocs, biggest shifts; with --html, plots too."""
    from ..analytics.report import build_report, write_html

    html_out = output_file(html_out, db=db)
    store = open_store(db)
    folder = plots if plots is not None else (html_out.with_suffix("").parent / f"{html_out.stem}-plots"
                                              if html_out is not None else None)
    output_file(folder, db=db, folder=True)
    try:
        report = build_report(store, min_events=min_events, plots_dir=folder)
    except RealpolitikError as exc:
        raise fail(exc) from None
    for line in report.lines():
        typer.echo(line)
    if html_out is not None:
        write_html(report, html_out)
        typer.echo(f"{html_out}: report written, with {len(report.plots)} plots")


def _network_page(g: Any, sequence: list[Any], path: Path) -> None:
    import tempfile

    from ..analytics.report import plot_network
    from ..render import image, slider, table, write_page

    with tempfile.TemporaryDirectory() as tmp:
        sections = [image(plot_network(g, Path(tmp) / "all.png"), "the whole window")]
        if sequence:
            frames = [(f"{h.graph['since']} to {h.graph['until']}", plot_network(h, Path(tmp) / f"w{k}.png"))
                      for k, h in enumerate(sequence)]
            sections.append("<h2>Window by window</h2>" + slider(frames))
        sections.append(table(["actor", "bloc", "strength", "friends", "foes"],
                              [[n, d["bloc"] + 1, f"{d['strength']:.1f}", d["friends"], d["foes"]]
                               for n, d in sorted(g.nodes(data=True))], caption="Actors"))
        sections.append(table(["pair", "mean intensity", "events", "cooperation", "conflict", "events behind"],
                              [[f"{u} – {v}", f"{d['weight']:+.2f}", d["events"], d["cooperation"], d["conflict"],
                                " ".join(d["event_ids"])] for u, v, d in sorted(g.edges(data=True))], caption="Ties"))
        bal = g.graph.get("balance")
        write_page(path, "Alignment network", sections,
                   intro=f"{g.number_of_nodes()} actors, {g.number_of_edges()} ties; structural balance "
                         + ("undefined" if bal is None else f"{bal:.0%}") + ". Colour = bloc; ties green for "
                         "cooperation, red for conflict. Click a header to sort, type to filter.")
