"""The store's commands: ingest, import, events, show, export, summary, the analyses, and serve.

Each parses its arguments, makes one call on :class:`realpolitik.store.Store` and prints.
Exit status as for ``code``: 0 all went well; 1 some inputs were rejected (each reported
as ``file:line: reason``, the rest stored); 2 a usage or store error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, _date, app, err
from .errors import InputError, RealpolitikError
from .store.evidence import marks, provenance
from .store.rows import plain

Db = Annotated[Path, typer.Option("--db", help="The store file (DuckDB).")]
DEFAULT = Path("realpolitik.duckdb")
ActorOpt = Annotated[str | None, typer.Option("--actor", help="Source or target is this country or actor code.")]
DyadOpt = Annotated[str | None, typer.Option("--dyad", help="Two actors, e.g. IRQ,RUS (either direction).")]
TypeOpt = Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. AID.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="On or after this day (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="On or before this day (YYYY-MM-DD).")]
ModalityOpt = Annotated[str | None, typer.Option("--modality", help="asserted, negated, hypothetical, ...")]
OriginOpt = Annotated[str | None, typer.Option("--origin", help="realpolitik, gdelt, icews or polecat.")]


def _open(db: Path, create: bool = False) -> Any:
    from .store import Store

    try:
        return Store(db, create=create)
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None


def _where(actor: str | None, dyad: str | None, etype: str | None, since: str | None, until: str | None,
           modality: str | None, origin: str | None) -> Any:
    from .store import EventFilter

    pair = None
    if dyad:
        parts = [p.strip() for p in dyad.split(",") if p.strip()]
        if len(parts) != 2:
            raise typer.BadParameter(f"{dyad!r}: give two actors, e.g. IRQ,RUS", param_hint="--dyad")
        pair = (parts[0], parts[1])
    try:
        return EventFilter(actor=actor, dyad=pair, event_type=etype, since=_date(since), until=_date(until),
                           modality=modality, origin=origin)
    except RealpolitikError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command("ingest")
def ingest_cmd(
    inputs: Annotated[list[str], typer.Argument(
        help="Files and folders: .txt .md .html .jsonl .csv .tsv .rss .atom .xml, or any of them .gz.")],
    db: Db = DEFAULT,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes that code in parallel.")] = 1,
    date: Annotated[str | None, typer.Option(
        "--date", help="Date YYYY-MM-DD for documents that carry none.")] = None,
    actors: Annotated[list[Path] | None, typer.Option(
        "--actors", help="Your own actor dictionary (YAML); repeat for several.")] = None,
    lexicon: Annotated[list[Path] | None, typer.Option(
        "--lexicon", help="Your own event lexicon file (YAML); repeat for several.")] = None,
    commit_every: Annotated[int, typer.Option(
        "--commit-every", min=1, help="Inputs per transaction (an interrupted run loses at most these).")] = 256,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="Show a progress bar (default: when standard error is a terminal).")] = None,
    engine: Annotated[str, typer.Option(
        "--engine", help="local (processes on this machine) or dask (a Dask cluster; writes a Parquet dataset).")
    ] = "local",
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="With --engine dask: the scheduler's address (tcp://host:8786); "
                            "without it, a local cluster of --workers processes.")] = None,
) -> None:
    """Read, code and store documents. Safe to interrupt and to run again: nothing is stored twice.

    --db FILE.duckdb is a store file; --db FOLDER.parquet (or any folder with --engine dask) is a
    Parquet dataset partitioned by month, written batch by batch by the workers."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .config import Settings
    from .io.readers import count_documents

    try:
        settings = Settings(actor_files=tuple(actors or ()), lexicon_files=tuple(lexicon or ()))
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"{engine!r}: use local or dask", param_hint="--engine")
    if scheduler and engine != "dask":
        raise typer.BadParameter("a scheduler needs --engine dask", param_hint="--scheduler")
    if engine == "dask" or db.suffix == ".parquet" or db.is_dir():
        from .store.dataset import create_dataset

        if db.is_file():
            err.print(f"[red]error:[/red] {db} is a store file; --engine dask writes a Parquet dataset: give a "
                      "folder, e.g. --db news.parquet")
            raise typer.Exit(EXIT_USAGE)
        try:
            create_dataset(db)
        except RealpolitikError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(EXIT_USAGE) from None
    store = _open(db, create=True)
    show = progress if progress is not None else err.is_terminal
    total = count_documents(inputs) if show else None
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("ingest", total=total, rate="")

        def on_progress(r: Any) -> None:
            bar.update(task, completed=r.read, rate=f"{r.read / max(r.seconds, 1e-6):.1f} docs/s")

        def on_reject(e: InputError) -> None:
            err.print(f"[red]rejected:[/red] {escape(e.located())}")

        def on_warning(w: str) -> None:
            err.print(f"[yellow]warning:[/yellow] {escape(w)}")

        try:
            report = store.ingest(inputs, settings=settings, workers=workers, commit_every=commit_every,
                                  default_date=_date(date), on_progress=on_progress, on_reject=on_reject,
                                  on_warning=on_warning, engine=engine, scheduler=scheduler)
        except RealpolitikError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(EXIT_USAGE) from None
    rate = report.read / report.seconds if report.seconds else 0.0
    typer.echo(f"{db}: {report.documents:,} new documents ({report.skipped:,} already stored, "
               f"{report.duplicates:,} near-duplicate copies linked), {report.events:,} events, "
               f"{report.rejected:,} rejected; {report.read:,} inputs in {report.seconds:.1f} s ({rate:.1f}/s)")
    if report.read == 0:
        err.print("[red]error:[/red] no documents found in the inputs")
        raise typer.Exit(EXIT_PARTIAL)
    raise typer.Exit(EXIT_PARTIAL if report.rejected else EXIT_OK)


@app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="GDELT 2.0 export, ICEWS or POLECAT files (.gz/.zip too).")],
    db: Db = DEFAULT,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="gdelt, icews or polecat (default: guessed from the name and the first line).")] = None,
) -> None:
    """Import events of the standard datasets, keeping their origin. Importing twice adds nothing."""
    store = _open(db, create=True)
    bad = 0
    for f in files:
        try:
            r = store.import_file(f, fmt)
        except InputError as exc:
            bad += 1
            err.print(f"[red]error:[/red] {escape(exc.located())}")
            continue
        except RealpolitikError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(EXIT_USAGE) from None
        if r.skipped_file:
            typer.echo(f"{f}: imported before, skipped")
            continue
        bad += 1 if r.rejected else 0
        typer.echo(f"{f}: {r.format}, {r.rows:,} events added ({r.already:,} already stored, "
                   f"{r.not_plover:,} with no PLOVER type left out, {r.rejected:,} rows rejected) in {r.seconds:.1f} s")
    raise typer.Exit(EXIT_PARTIAL if bad else EXIT_OK)


@app.command("events")
def events_cmd(
    db: Db = DEFAULT,
    actor: ActorOpt = None, dyad: DyadOpt = None, etype: TypeOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, modality: ModalityOpt = None, origin: OriginOpt = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="At most this many events.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or jsonl.")] = "table",
) -> None:
    """List stored events, oldest first, filtered."""
    if fmt not in ("table", "csv", "jsonl"):
        raise typer.BadParameter(f"unknown format {fmt!r}; use table, csv or jsonl", param_hint="--format")
    where = _where(actor, dyad, etype, since, until, modality, origin)
    store = _open(db)
    try:
        frame = store.events(where, limit=limit if limit is not None else (50 if fmt == "table" else None))
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "jsonl":
        for rec in frame.to_dict(orient="records"):
            sys.stdout.write(json.dumps({k: plain(v, k) for k, v in rec.items()}, ensure_ascii=False) + "\n")
    else:
        t = Table(show_lines=False)
        for col in ("event_id", "day", "type", "source", "target", "modality", "conf", "trigger", "origin"):
            t.add_column(col, overflow="fold")
        for r in frame.itertuples():
            t.add_row(r.event_id, plain(r.day, "day") or "", r.event_type, _who(r.source_code, r.source_country),
                      _who(r.target_code, r.target_country), r.modality or "",
                      "" if plain(r.confidence) is None else f"{r.confidence:.2f}", r.trigger_text or "", r.origin)
        Console(width=160).print(t)
        total = store.count(where)
        if total > len(frame):
            err.print(f"{len(frame)} of {total:,} events shown; use --limit or --format csv for more")


def _who(code: Any, country: Any) -> str:
    return str(plain(code) or plain(country) or "")


@app.command("show")
def show_cmd(
    event_id: Annotated[str, typer.Argument(help="The event's id (see `realpolitik events`).")],
    db: Db = DEFAULT,
) -> None:
    """Print one event: its sentence with actors and trigger marked, and where each value came from."""
    store = _open(db)
    try:
        got = store.event(event_id)
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    out = Console(highlight=False)
    out.print(render_evidence(got))
    for label, value in provenance(got):
        out.print(f"[bold]{label}:[/bold] {escape(value)}")


STYLES = {"source": "bold red", "target": "bold blue", "trigger": "reverse", "date": "underline",
          "place": "italic"}


def render_evidence(got: Any) -> Text:
    """The evidence sentence with the source (bold red), target (bold blue), trigger (reverse),
    date words (underlined) and place (italic) marked."""
    text = Text(got.row.get("sentence") or "")
    if got.event is not None:
        for m in marks(got.event, (got.document or {}).get("text")):
            text.stylize(STYLES[m.kind], m.start, m.end)
    return text


@app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Argument(help="The file to write.")],
    db: Db = DEFAULT,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="parquet, csv, jsonl, plover or gdelt (default: from the file's suffix).")] = None,
    actor: ActorOpt = None, dyad: DyadOpt = None, etype: TypeOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, modality: ModalityOpt = None, origin: OriginOpt = None,
) -> None:
    """Export stored events: Parquet, CSV, JSON lines, PLOVER JSON or a GDELT 2.0 table."""
    from .store import FORMATS

    suffixes = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".json": "plover", ".tsv": "gdelt"}
    chosen = fmt or suffixes.get(output.suffix.lower())
    if chosen not in FORMATS:
        raise typer.BadParameter(f"say which format with --format ({', '.join(FORMATS)})", param_hint="--format")
    where = _where(actor, dyad, etype, since, until, modality, origin)
    store = _open(db)
    try:
        n = store.export(output, chosen, where)
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo(f"{output}: {n:,} {'event clusters' if chosen == 'gdelt' else 'events'} ({chosen})")


@app.command("summary")
def summary_cmd(db: Db = DEFAULT) -> None:
    """Print what a store holds: documents, copies, rejects, events, clusters, busiest dyads."""
    store = _open(db)
    s = store.summary()
    out = Console(highlight=False, width=max(100, Console().width))
    span = f", dated {s.first_day} to {s.last_day}" if s.first_day else ""
    out.print(f"[bold]{s.path}[/bold]: {s.documents:,} documents ({s.duplicates:,} near-duplicate copies), "
              f"{s.rejects:,} rejected inputs, {s.imports:,} imported files")
    out.print(f"[bold]{s.events:,} events[/bold] in {s.clusters:,} clusters "
              f"({s.multi_report_clusters:,} reported by more than one document){span}")
    if s.by_origin:
        out.print("by origin: " + ", ".join(f"{k} {v:,}" for k, v in s.by_origin.items()))
    t = Table(title="Events by type")
    t.add_column("type")
    t.add_column("events", justify="right")
    for k, v in s.by_type.items():
        t.add_row(k, f"{v:,}")
    d = Table(title="Most frequent dyads (source -> target)")
    d.add_column("dyad")
    d.add_column("events", justify="right")
    for a, b, n in s.top_dyads:
        d.add_row(f"{a} -> {b}", f"{n:,}")
    out.print(t)
    out.print(d)
    if s.top_clusters:
        c = Table(title="Events reported by several documents")
        for col in ("day", "type", "source", "target", "mentions", "articles", "sources"):
            c.add_column(col)
        for r in s.top_clusters:
            c.add_row(str(r["day"]), r["event_type"], r["source_country"] or "", r["target_country"] or "",
                      str(r["num_mentions"]), str(r["num_articles"]), str(r["num_sources"]))
        out.print(c)


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
    from .analytics.dyads import dyad_series
    from .analytics.plots import plot_dyad

    store = _open(db)
    try:
        frame = dyad_series(store, a, b, freq=freq, directed=directed, since=_date(since), until=_date(until))
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    out = Console(highlight=False, width=max(110, Console().width))
    if frame.empty:
        out.print(f"no events between {a} and {b}")
        raise typer.Exit(EXIT_OK)
    t = Table(title=f"{a} {'->' if directed else '<->'} {b}, by {freq}")
    for col in ("period", "events", "a->b", "b->a", "coop v/m", "confl v/m", "mean intensity", "interval",
                "per 1k", "change"):
        t.add_column(col, justify="right" if col not in ("period", "change") else "left")
    for r in frame.itertuples():
        shown = r.events > 0
        t.add_row(str(r.period), str(r.events), str(r.a_to_b), str(r.b_to_a),
                  f"{r.verbal_cooperation}/{r.material_cooperation}", f"{r.verbal_conflict}/{r.material_conflict}",
                  f"{r.mean_intensity:+.1f}" if shown else "", f"[{r.ci_low:+.1f}, {r.ci_high:+.1f}]" if shown else "",
                  f"{r.index_per_1k:+.0f}" if shown else "", "change" if r.change else "")
    out.print(t)
    if explain:
        for r in frame.itertuples():
            if r.events:
                out.print(f"[bold]{r.period}[/bold]: {', '.join(r.event_ids)}")
    if plot is not None:
        plot_dyad(frame, a, b, plot)
        typer.echo(f"{plot}: plot written")
    if html_out is not None:
        import tempfile

        from .analytics.html import image, table, write_page

        with tempfile.TemporaryDirectory() as tmp:
            png = plot_dyad(frame, a, b, Path(tmp) / "dyad.png")
            rows = [[r.period, r.events, r.a_to_b, r.b_to_a, f"{r.mean_intensity:+.2f}" if r.events else "",
                     f"[{r.ci_low:+.1f}, {r.ci_high:+.1f}]" if r.events else "", f"{r.index_per_1k:+.0f}",
                     "change" if r.change else "", " ".join(r.event_ids)] for r in frame.itertuples()]
            write_page(html_out, f"{a} – {b} by {freq}", [image(png, f"{a}-{b}"), table(
                ["period", "events", "a->b", "b->a", "mean intensity", "interval", "per 1k", "change", "events"],
                rows)], intro="Mean PLOVER intensity (-10 conflict .. +10 cooperation) with its 90% bootstrap "
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

    from .analytics.network import network, networks

    store = _open(db)
    try:
        g = network(store, _date(since), _date(until), min_events=min_events, region=region)
        # the windows cover the span asked for, or else the store's
        sequence = networks(store, _date(since), _date(until), every, min_events=min_events,
                            region=region) if every else []
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    out = Console(highlight=False, width=max(110, Console().width))
    bal = g.graph.get("balance")
    out.print(f"[bold]{g.number_of_nodes()} actors, {g.number_of_edges()} ties[/bold]; structural balance "
              + (f"{bal:.0%} of closed triads" if bal is not None else "undefined (no closed triad)"))
    groups: dict[int, list[str]] = {}
    for n, d in g.nodes(data=True):
        groups.setdefault(d["bloc"], []).append(n)
    t = Table(title="Blocs")
    t.add_column("bloc")
    t.add_column("members")
    for k in sorted(groups):
        t.add_row(str(k + 1), " ".join(sorted(groups[k])))
    c = Table(title="Most central (sum of tie strength)")
    for col in ("actor", "strength", "friends", "foes"):
        c.add_column(col)
    for n, d in sorted(g.nodes(data=True), key=lambda x: -x[1]["strength"])[:12]:
        c.add_row(n, f"{d['strength']:.1f}", str(d["friends"]), str(d["foes"]))
    e = Table(title="Strongest ties")
    for col in ("pair", "mean intensity", "events", "coop/conflict"):
        e.add_column(col)
    for u, v, d in sorted(g.edges(data=True), key=lambda x: -abs(x[2]["weight"]) * x[2]["events"])[:12]:
        e.add_row(f"{u} – {v}", f"{d['weight']:+.1f}", str(d["events"]), f"{d['cooperation']}/{d['conflict']}")
    out.print(t)
    out.print(c)
    out.print(e)
    if sequence:
        w = Table(title=f"Blocs by {every}")
        w.add_column("window")
        w.add_column("blocs")
        w.add_column("balance")
        for h in sequence:
            groups_h: dict[int, list[str]] = {}
            for n, d in h.nodes(data=True):
                groups_h.setdefault(d["bloc"], []).append(n)
            hb = h.graph.get("balance")
            w.add_row(f"{h.graph['since']} to {h.graph['until']}",
                      " | ".join(f"{k + 1}: {' '.join(sorted(v))}" for k, v in sorted(groups_h.items())),
                      "" if hb is None else f"{hb:.0%}")
        out.print(w)
    if explain:
        for u, v, d in sorted(g.edges(data=True)):
            out.print(f"[bold]{u} – {v}[/bold]: {', '.join(d['event_ids'])}")
    if plot is not None:
        from .analytics.report import plot_network

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
    since: Annotated[str, typer.Option("--from", help="First day of the later window (YYYY-MM-DD).")] = "",
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
    from .analytics.shifts import drift, shifts

    if not since or not until:
        raise typer.BadParameter("give the later window with --from and --to", param_hint="--from")
    start, end = _date(since), _date(until)
    assert start is not None and end is not None
    store = _open(db)
    try:
        options: dict[str, Any] = {"base_since": _date(base_since), "base_until": _date(base_until),
                                   "min_events": min_events}
        frame = (drift(store, actor, start, end, **options) if actor else shifts(store, start, end, **options))
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    out = Console(highlight=False, width=max(120, Console().width))
    (b0, b1), (a0, a1) = frame.attrs["before"], frame.attrs["after"]
    out.print(f"[bold]{a0} to {a1}[/bold] against [bold]{b0} to {b1}[/bold]: {len(frame)} pairs with "
              f"{min_events}+ events in both; permutation test, Benjamini-Hochberg q, 90% bootstrap interval")
    t = Table()
    for col in ("pair", "events before/after", "mean before", "mean after", "change", "interval", "effect",
                "q", "", "direction" if actor else ""):
        t.add_column(col)
    for r in frame.itertuples():
        t.add_row(f"{r.a} – {r.b}", f"{r.before_events}/{r.after_events}", f"{r.before_mean:+.1f}",
                  f"{r.after_mean:+.1f}", f"{r.difference:+.1f}", f"[{r.ci_low:+.1f}, {r.ci_high:+.1f}]",
                  f"{r.effect_size:+.2f}", f"{r.q_value:.3f}", "significant" if r.significant else "",
                  getattr(r, "direction", "") if actor else "")
    out.print(t)
    if explain:
        for r in frame.itertuples():
            out.print(f"[bold]{r.a} – {r.b}[/bold]: {', '.join(r.event_ids)}")
    if plot is not None and len(frame):
        from .analytics.plots import plot_shifts

        plot_shifts(frame, plot)
        typer.echo(f"{plot}: plot written")
    if html_out is not None:
        from .analytics.html import table, write_page

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
    from .analytics.report import build_report, write_html

    store = _open(db)
    folder = plots if plots is not None else (html_out.with_suffix("").parent / f"{html_out.stem}-plots"
                                              if html_out is not None else None)
    try:
        report = build_report(store, min_events=min_events, plots_dir=folder)
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    for line in report.lines():
        typer.echo(line)
    if html_out is not None:
        write_html(report, html_out)
        typer.echo(f"{html_out}: report written, with {len(report.plots)} plots")


def _network_page(g: Any, sequence: list[Any], path: Path) -> None:
    import tempfile

    from .analytics.html import image, slider, table, write_page
    from .analytics.report import plot_network

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


@app.command("serve")
def serve_cmd(
    db: Db = DEFAULT,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; 0.0.0.0 opens it to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8765,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="REALPOLITIK_TOKEN",
        help="Allow ingest over HTTP (POST /api/documents) with this bearer token; also read from $REALPOLITIK_TOKEN.")] = None,
    max_body: Annotated[int, typer.Option("--max-body", min=1024, help="Largest request body, in bytes.")] = 2_000_000,
    max_chars: Annotated[int, typer.Option("--max-chars", min=1, help="Longest text POST /api/code takes.")] = 100_000,
) -> None:
    """Serve the HTTP API (/api, documented at /docs) and the dashboard (/) over the store."""
    from .server import serve

    if token is not None and len(token) < 16:
        raise typer.BadParameter("use a token of at least 16 characters", param_hint="--token")
    if not db.exists() and token is None:
        err.print(f"[red]error:[/red] {db}: no store here; create one with `realpolitik ingest --db {db}`")
        raise typer.Exit(EXIT_USAGE)
    err.print(f"realpolitik: dashboard at http://{host}:{port}/ , API at http://{host}:{port}/docs "
              + ("(ingest allowed with the token)" if token else "(read-only)"))
    try:
        serve(db, host=host, port=port, token=token, max_body=max_body, max_chars=max_chars)
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
