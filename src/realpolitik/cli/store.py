"""The store's commands: ingest, import, events, show, export, summary, the analyses, and serve.

Each parses its arguments, makes one call on :class:`realpolitik.store.Store` and prints.
Exit status as for ``code``: 0 all went well; 1 some inputs were rejected (each reported
as ``file:line: reason``, the rest stored); 2 a usage or store error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ..errors import InputError, RealpolitikError
from ..io.writers import terminal_safe
from ..render import text_table
from ..store.evidence import marks, provenance
from ..store.rows import plain
from .common import (
    DEFAULT,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    Db,
    app,
    check_table_format,
    err,
    fail,
    open_store,
    shown,
    write_rows,
)
from .common import parse_date as _date

ActorOpt = Annotated[str | None, typer.Option("--actor", help="Source or target is this country or actor code.")]
DyadOpt = Annotated[str | None, typer.Option("--dyad", help="Two actors, e.g. IRQ,RUS (either direction).")]
TypeOpt = Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. AID.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="On or after this day (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="On or before this day (YYYY-MM-DD).")]
ModalityOpt = Annotated[str | None, typer.Option("--modality", help="asserted, negated, hypothetical, ...")]
OriginOpt = Annotated[str | None, typer.Option("--origin", help="realpolitik, gdelt, icews, polecat or plover.")]


def _where(actor: str | None, dyad: str | None, etype: str | None, since: str | None, until: str | None,
           modality: str | None, origin: str | None) -> Any:
    from ..store import EventFilter

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
    any_language: Annotated[bool, typer.Option(
        "--any-language", help="Code texts that do not look like English too (the check_language setting off).")
    ] = False,
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

    from ..config import Settings
    from ..io.readers import count_documents

    try:
        settings = Settings(actor_files=tuple(actors or ()), lexicon_files=tuple(lexicon or ()),
                            check_language=not any_language)
    except RealpolitikError as exc:
        raise fail(exc) from None
    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"{engine!r}: use local or dask", param_hint="--engine")
    if scheduler and engine != "dask":
        raise typer.BadParameter("a scheduler needs --engine dask", param_hint="--scheduler")
    if engine == "dask" or db.suffix == ".parquet" or db.is_dir():
        from ..store.dataset import create_dataset

        if db.is_file():
            err.print(f"[red]error:[/red] {db} is a store file; --engine dask writes a Parquet dataset: give a "
                      "folder, e.g. --db news.parquet")
            raise typer.Exit(EXIT_USAGE)
        try:
            create_dataset(db)
        except RealpolitikError as exc:
            raise fail(exc) from None
    store = open_store(db, create=True)
    show = progress if progress is not None else err.is_terminal
    total = count_documents(inputs) if show else None
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("ingest", total=total, rate="")

        def on_progress(r: Any) -> None:
            bar.update(task, completed=r.read, rate=f"{r.read / max(r.seconds, 1e-6):.1f} docs/s")

        def on_reject(e: InputError) -> None:
            err.print(f"[red]rejected:[/red] {shown(e.located())}")

        def on_warning(w: str) -> None:
            err.print(f"[yellow]warning:[/yellow] {shown(w)}")

        try:
            report = store.ingest(inputs, settings=settings, workers=workers, commit_every=commit_every,
                                  default_date=_date(date), on_progress=on_progress, on_reject=on_reject,
                                  on_warning=on_warning, engine=engine, scheduler=scheduler)
        except RealpolitikError as exc:
            raise fail(exc) from None
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
    files: Annotated[list[Path], typer.Argument(
        help="GDELT 1.0/2.0 event, ICEWS, POLECAT or PLOVER JSON files (.gz/.zip too).")],
    db: Db = DEFAULT,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="gdelt, icews, polecat or plover (default: guessed from the first line, "
                         "else the name).")] = None,
) -> None:
    """Import events of the standard datasets, keeping their origin. Importing twice adds nothing."""
    store = open_store(db, create=True)
    bad = 0
    for f in files:
        try:
            r = store.import_file(f, fmt)
        except InputError as exc:
            bad += 1
            err.print(f"[red]error:[/red] {escape(exc.located())}")
            continue
        except RealpolitikError as exc:
            raise fail(exc) from None
        if r.skipped_file:
            typer.echo(f"{f}: imported before, skipped")
            continue
        bad += 1 if r.rejected else 0
        typer.echo(f"{f}: {r.format}, {r.lines:,} rows: {r.rows:,} events added ({r.already:,} already stored, "
                   f"{r.not_plover:,} with no PLOVER type left out, {r.rejected:,} rows rejected) in {r.seconds:.1f} s")
        if r.rejected:
            reasons = ", ".join(f"{n:,} {reason}" for reason, n in r.reasons.items())
            err.print(f"  rejected: {escape(reasons)}")
            for example in r.examples:
                err.print(f"  {escape(example)}")
            if r.rejected > len(r.examples):
                err.print(f"  ... and {r.rejected - len(r.examples):,} more, all in the store's rejects table")
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
    check_table_format(fmt)
    where = _where(actor, dyad, etype, since, until, modality, origin)
    store = open_store(db)
    try:
        frame = store.events(where, limit=limit if limit is not None else (50 if fmt == "table" else None))
    except RealpolitikError as exc:
        raise fail(exc) from None
    if not write_rows(frame, fmt, lambda rec: {k: plain(v, k) for k, v in rec.items()}):
        rows = [(r.event_id, plain(r.day, "day") or "", r.event_type, _who(r.source_code, r.source_country),
                 _who(r.target_code, r.target_country), r.modality or "",
                 "" if plain(r.confidence) is None else f"{r.confidence:.2f}", r.trigger_text or "", r.origin)
                for r in frame.itertuples()]
        Console(width=160).print(text_table(
            ["event_id", "day", "type", "source", "target", "modality", "conf", "trigger", "origin"], rows, fold=True))
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
    store = open_store(db)
    try:
        got = store.event(event_id)
    except RealpolitikError as exc:
        raise fail(exc) from None
    out = Console(highlight=False)
    out.print(render_evidence(got))
    for label, value in provenance(got):
        out.print(f"[bold]{label}:[/bold] {shown(value)}")


STYLES = {"source": "bold red", "target": "bold blue", "trigger": "reverse", "date": "underline",
          "place": "italic"}


def render_evidence(got: Any) -> Text:
    """The evidence sentence with the source (bold red), target (bold blue), trigger (reverse),
    date words (underlined) and place (italic) marked."""
    text = Text(terminal_safe(got.row.get("sentence") or ""))  # one character for one: the marks still fit
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
    from ..store import FORMATS

    suffixes = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".json": "plover", ".tsv": "gdelt"}
    chosen = fmt or suffixes.get(output.suffix.lower())
    if chosen not in FORMATS:
        raise typer.BadParameter(f"say which format with --format ({', '.join(FORMATS)})", param_hint="--format")
    where = _where(actor, dyad, etype, since, until, modality, origin)
    store = open_store(db)
    try:
        n = store.export(output, chosen, where)
    except RealpolitikError as exc:
        raise fail(exc) from None
    typer.echo(f"{output}: {n:,} {'event clusters' if chosen == 'gdelt' else 'events'} ({chosen})")


@app.command("summary")
def summary_cmd(db: Db = DEFAULT) -> None:
    """Print what a store holds: documents, copies, rejects, events, clusters, busiest dyads."""
    store = open_store(db)
    s = store.summary()
    out = Console(highlight=False, width=max(100, Console().width))
    span = f", dated {s.first_day} to {s.last_day}" if s.first_day else ""
    out.print(f"[bold]{s.path}[/bold]: {s.documents:,} documents ({s.duplicates:,} near-duplicate copies), "
              f"{s.rejects:,} rejected inputs, {s.imports:,} imported files")
    out.print(f"[bold]{s.events:,} events[/bold] in {s.clusters:,} clusters "
              f"({s.multi_report_clusters:,} reported by more than one document){span}")
    if s.by_origin:
        out.print("by origin: " + ", ".join(f"{shown(str(k))} {v:,}" for k, v in s.by_origin.items()))
    out.print(text_table(["type", "events"], [(k, f"{v:,}") for k, v in s.by_type.items()],
                         title="Events by type", right={"events"}))
    out.print(text_table(["dyad", "events"], [(f"{a} -> {b}", f"{n:,}") for a, b, n in s.top_dyads],
                         title="Most frequent dyads (source -> target)", right={"events"}))
    if s.top_clusters:
        out.print(text_table(["day", "type", "source", "target", "mentions", "articles", "sources"],
                             [(r["day"], r["event_type"], r["source_country"], r["target_country"], r["num_mentions"],
                               r["num_articles"], r["num_sources"]) for r in s.top_clusters],
                             title="Events reported by several documents"))


@app.command("serve")
def serve_cmd(
    db: Db = DEFAULT,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; 0.0.0.0 opens it to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8765,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="REALPOLITIK_TOKEN",
        help="Allow ingest over HTTP (POST /api/documents) with this bearer token; also read from $REALPOLITIK_TOKEN.")] = None,
    max_body: Annotated[int, typer.Option("--max-body", min=1024, help="Largest request body, in bytes.")] = 2_000_000,
    max_chars: Annotated[int, typer.Option("--max-chars", min=1, help="Longest text of one document a request may hold.")] = 100_000,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="A host name clients use to reach the server (repeat for more; '*' for any); "
                             "loopback names and --host are always allowed.")] = None,
    warm_dyads: Annotated[int, typer.Option(
        "--warm-dyads", min=0, help="Work out ahead the series of this many of the busiest pairs after each "
                                    "change to the store (0: each when first asked).")] = 1000,
) -> None:
    """Serve the HTTP API (/api, documented at /docs) and the dashboard (/) over the store."""
    from ..config import ServerSettings
    from ..server import serve

    if token is not None and len(token) < 16:
        raise typer.BadParameter("use a token of at least 16 characters", param_hint="--token")
    if not db.exists() and token is None:
        err.print(f"[red]error:[/red] {db}: no store here; create one with `realpolitik ingest --db {db}`")
        raise typer.Exit(EXIT_USAGE)

    def listening(url: str) -> None:
        err.print(f"realpolitik: dashboard at {url} , API at {url}docs "
                  + ("(ingest allowed with the token)" if token else "(read-only)"))

    try:
        defaults = ServerSettings()
        settings = ServerSettings(max_body=max_body, max_chars=max_chars, warm_dyads=warm_dyads,
                                  allowed_hosts=(*defaults.allowed_hosts, *(allow_host or ())))
        serve(db, host=host, port=port, token=token, settings=settings, on_listening=listening)
    except RealpolitikError as exc:
        raise fail(exc) from None
