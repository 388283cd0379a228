"""Commands that code text: ``code``, ``eval``, ``actors check``, ``actors update``, ``schema``, ``version``.

Each parses its arguments, makes one library call and turns library errors into messages and
exit codes (see :mod:`realpolitik.cli.common`).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..errors import RealpolitikError
from ..model import Document
from .common import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, actors_app, app, err, fail, output_file, shown
from .common import parse_date as _date


@app.command("code")
def code_cmd(
    inputs: Annotated[list[str], typer.Argument(
        help="Text files, .jsonl files (one document per line), folders, or - for standard input.")],
    date: Annotated[str | None, typer.Option(
        "--date", help="Document date YYYY-MM-DD for inputs that carry none (resolves 'last December').")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="Output format: jsonl (one event per line), csv or table.")] = "jsonl",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write events to this file instead of standard output.")] = None,
    actors: Annotated[list[Path] | None, typer.Option(
        "--actors", help="Your own actor dictionary (YAML); repeat for several.")] = None,
    lexicon: Annotated[list[Path] | None, typer.Option(
        "--lexicon", help="Your own event lexicon file (YAML); repeat for several.")] = None,
    min_confidence: Annotated[float | None, typer.Option(
        "--min-confidence", help="Leave out events below this confidence (0-1); default the coder's "
        "floor (0.25); 0 keeps every event.")] = None,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Print a summary of the run (to standard error when events go to standard output).")] = False,
    any_language: Annotated[bool, typer.Option(
        "--any-language", help="Code texts that do not look like English too (the check_language setting off).")
    ] = False,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="Show a progress bar (default: when standard error is a terminal).")] = None,
) -> None:
    """Code documents into events (JSON lines by default)."""
    from ..coder import Coder
    from ..config import Settings
    from ..io.readers import read_inputs
    from ..io.writers import EventWriter
    from ..summary import Summary

    if fmt not in ("jsonl", "csv", "table"):
        raise typer.BadParameter(f"unknown format {fmt!r}; use jsonl, csv or table", param_hint="--format")
    output = output_file(output, inputs=[*inputs, *(actors or ()), *(lexicon or ())])
    doc_date = _date(date)
    try:
        floor = {} if min_confidence is None else {"min_confidence": min_confidence}
        settings = Settings(actor_files=tuple(actors or ()), lexicon_files=tuple(lexicon or ()),
                            check_language=not any_language, **floor)
        coder = Coder.shared(settings)
    except RealpolitikError as exc:
        raise fail(exc) from None

    out_stream = output.open("w", encoding="utf-8") if output else sys.stdout
    stats = Summary()
    show = progress if progress is not None else err.is_terminal

    def documents():
        for item in read_inputs(inputs, doc_date):
            if item.warning:
                stats.warnings += 1
                err.print(f"[yellow]warning:[/yellow] {shown(item.warning)}")
            if item.error is not None:
                stats.failed += 1
                err.print(f"[red]error:[/red] {shown(item.error.located())}")
                continue
            yield item.document

    try:
        with EventWriter(out_stream, fmt) as writer, Progress(  # type: ignore[arg-type]
                TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"),
                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                console=err, disable=not show, transient=True) as bar:
            task = bar.add_task("code", total=None, rate="")
            started = dt.datetime.now()
            for result in coder.pipe(documents()):
                stats.documents += 1
                if result.error is not None:
                    stats.failed += 1
                    err.print(f"[red]error:[/red] {shown(result.error.located())}")
                else:
                    writer.write(result.events)
                    stats.add(result.events)
                secs = max(1e-6, (dt.datetime.now() - started).total_seconds())
                bar.update(task, advance=1, rate=f"{stats.documents / secs:.1f} docs/s")
    finally:
        if output:
            out_stream.close()
    if summary:
        console = Console(stderr=output is None, highlight=False)
        stats.render(console)
    if stats.documents == 0 and stats.failed == 0:
        err.print("[red]error:[/red] no documents found in the inputs")
        raise typer.Exit(EXIT_PARTIAL)
    raise typer.Exit(EXIT_PARTIAL if stats.failed else EXIT_OK)


@app.command("eval")
def eval_cmd(
    gold: Annotated[list[Path], typer.Argument(
        help="Gold files: PLOVER gold-standard records (JSON) or PLV sentences (TSV).")],
    errors: Annotated[Path | None, typer.Option(
        "--errors", help="Write the sentences coded wrong (JSON lines) to this file.")] = None,
    json_out: Annotated[Path | None, typer.Option(
        "--json", help="Write the scores as JSON to this file.")] = None,
    confusion: Annotated[bool, typer.Option(
        "--confusion/--no-confusion", help="Print the confusion matrix.")] = True,
    use_model: Annotated[bool, typer.Option(
        "--model/--rules-only", help="Code with the learned layer on (off by default: the rules alone), "
        "to see what it adds.")] = False,
    texts: Annotated[Path | None, typer.Option(
        "--texts", help="For document gold: the folder that holds the documents' texts (at their 'file' paths).")] = None,
) -> None:
    """Measure the coder on gold data: accuracy, per-type F1, confusion, dyads, actors; on whole
    documents, events found, sources and targets, dates and traps."""
    from ..coder import Coder
    from ..config import Settings
    from ..doceval import is_doc_gold
    from ..evaluation import evaluate, read_gold
    from ..report_eval import render_report

    read = [*gold, *([texts] if texts is not None else [])]
    errors, json_out = output_file(errors, inputs=read), output_file(json_out, inputs=read)
    try:
        coder = Coder.shared(Settings.scoring(use_model=use_model))
    except RealpolitikError as exc:
        raise fail(exc) from None
    results: dict[str, object] = {}
    out = Console(highlight=False)
    for path in gold:
        try:
            doc_gold = is_doc_gold(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise fail(f"{path}: {exc}") from None
        if doc_gold:
            results[str(path)] = _eval_documents(path, texts, use_model, out, errors)
            continue
        try:
            records = read_gold(path)
        except (OSError, RealpolitikError) as exc:
            err.print(f"[red]error:[/red] {path}: {exc}")
            raise typer.Exit(EXIT_USAGE) from None
        coded = [list(r.events) for r in coder.pipe(
            [Document(id=g.id, text=g.text) for g in records])]
        report = evaluate(records, coded, coder_countries(coder))
        results[str(path)] = report.summary()
        render_report(out, str(path), report, confusion=confusion)
        if errors:
            with errors.open("a", encoding="utf-8") as f:
                for e in report.errors:
                    f.write(json.dumps({"file": str(path), **e}, ensure_ascii=False) + "\n")
    if json_out:
        json_out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _eval_documents(path: Path, texts: Path | None, use_model: bool, out: Console,
                    errors: Path | None) -> dict[str, object]:
    """Score whole documents (events found, sources and targets, traps), coded as a user would."""
    from ..coder import Coder
    from ..config import Settings
    from ..doceval import evaluate_documents
    from ..report_eval import render_doc_report

    if texts is None or not texts.is_dir():
        raise fail(f"{path} is document gold: give the folder of its texts with --texts (their publishers' "
                   "terms may forbid storing them; the gold's README says how to rebuild them)")
    try:
        rep, missing = evaluate_documents(path, texts, Coder.shared(Settings(use_model=use_model)))
    except RealpolitikError as exc:
        raise fail(exc) from None
    for m in missing:
        err.print(f"[yellow]warning:[/yellow] no text at {m}; that document is not scored")
    render_doc_report(out, str(path), rep)
    if errors:
        with errors.open("a", encoding="utf-8") as f:
            for miss in rep.misses + rep.failed_traps:
                f.write(json.dumps({"file": str(path), **miss}, ensure_ascii=False) + "\n")
    return rep.summary()


def coder_countries(coder):
    """A test for 'is this a country code' from the coder's actor dictionary."""
    countries = set(coder.dictionary.countries)
    return lambda code: code in countries


@actors_app.command("check")
def actors_check(
    files: Annotated[list[Path], typer.Argument(help="Actor dictionary files (YAML) to validate.")],
) -> None:
    """Validate actor dictionary files; list every problem. Exit 1 if an entry has one, 2 if a file
    cannot be read as an actor dictionary at all."""
    from ..actors import check_actor_file
    from ..errors import ActorFileError

    bad = unreadable = 0
    for f in files:
        try:
            problems = check_actor_file(f, unreadable="raise")
        except ActorFileError as exc:
            unreadable += 1
            fail(exc)
            continue
        if problems:
            bad += 1
            err.print(f"[red]{shown(str(f))}: {len(problems)} problem(s)[/red]")
            for p in problems:
                err.print(f"  - {shown(p)}")
        else:
            typer.echo(f"{f}: ok")
    raise typer.Exit(EXIT_USAGE if unreadable else EXIT_PARTIAL if bad else EXIT_OK)


@actors_app.command("update")
def actors_update(
    from_wikidata: Annotated[bool, typer.Option(
        "--from-wikidata", help="Build office holders from Wikidata's public SPARQL service.")] = False,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Where to write the people file (YAML).")] = Path("wikidata_people.yaml"),
    since: Annotated[int, typer.Option("--since", help="Only terms that ended in or after this year.")] = 2000,
    country: Annotated[list[str] | None, typer.Option(
        "--country", help="Only this country (ISO alpha-3); repeat for several.")] = None,
    endpoint: Annotated[str, typer.Option("--endpoint", help="SPARQL endpoint.")] = "https://query.wikidata.org/sparql",
    response: Annotated[Path | None, typer.Option(
        "--response", help="Read a saved SPARQL JSON response instead of querying the service.")] = None,
) -> None:
    """Build heads of state and government, foreign and defence ministers with their terms."""
    from ..actors import check_actor_file
    from ..actors.wikidata import WikidataError, build_query, fetch, parse_results, to_yaml

    if not from_wikidata:
        raise typer.BadParameter("name the source: --from-wikidata", param_hint="--from-wikidata")
    output = output_file(output, inputs=[response] if response is not None else []) or output
    try:
        if response is not None:
            results = json.loads(response.read_text(encoding="utf-8"))
            source = str(response)
        else:
            results = fetch(build_query(since, country or ()), endpoint)
            source = endpoint
        people = parse_results(results)
    except (OSError, ValueError, WikidataError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_PARTIAL) from None
    output.write_text(to_yaml(people, source), encoding="utf-8")
    problems = check_actor_file(output)
    for p in problems:
        err.print(f"[yellow]warning:[/yellow] {output}: {p}")
    roles = sum(len(p["roles"]) for p in people)
    typer.echo(f"{output}: {len(people)} people, {roles} terms")
    raise typer.Exit(EXIT_PARTIAL if problems else EXIT_OK)


@app.command("schema")
def schema_cmd(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the schema to this file.")] = None,
) -> None:
    """Print the JSON Schema of one output event (the output contract)."""
    from ..model import event_json_schema

    output = output_file(output)
    text = json.dumps(event_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


@app.command("version")
def version_cmd() -> None:
    """Print the version."""
    from .. import __version__

    typer.echo(__version__)


@actors_app.command("unknown")
def actors_unknown(
    db: Annotated[Path, typer.Option("--db", help="The store file (DuckDB) or dataset folder.")] = Path(
        "realpolitik.duckdb"),
    top: Annotated[int, typer.Option("--top", min=1, help="How many actor texts to list.")] = 20,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or jsonl.")] = "table",
) -> None:
    """List the most frequent actor texts no dictionary resolved, with an example sentence each."""
    from ..render import text_table
    from .common import check_table_format, open_store, write_rows

    check_table_format(fmt)
    try:
        frame = open_store(db).unknown_actors(top)
    except RealpolitikError as exc:
        raise fail(exc) from None
    if write_rows(frame, fmt, lambda rec: rec):
        return
    if frame.empty:
        typer.echo("no unresolved actor texts")
    else:
        Console(width=160).print(text_table(
            ["actor text", "events", "as source", "as target", "first day", "example"],
            frame.itertuples(index=False), right={"events", "as source", "as target"}, fold=True))
        err.print("add them to your own actor file (see `realpolitik actors check`) and code again with --actors")
