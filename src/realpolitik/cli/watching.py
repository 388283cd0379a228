"""Commands that follow the news: ``watch`` (poll feeds and sitemaps into a store) and ``sources``
(what each watched source last did).

Each parses its arguments, makes one call on :mod:`realpolitik.watch` and prints (see
:mod:`realpolitik.cli.common` for exit codes).
"""

from __future__ import annotations

import dataclasses
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from rich.console import Console

from ..errors import RealpolitikError
from .common import DEFAULT, EXIT_OK, EXIT_PARTIAL, Db, app, check_table_format, err, fail, open_store, shown


def _settings(contact: str | None, interval: str | None, allow_private: bool, values: list[str]) -> Any:
    """The settings of a watch from its options: ``--set name=value`` for any watch setting, then
    the named options over them."""
    from ..config import Settings, WatchSettings
    from ..watch.sources import parse_interval

    given: dict[str, Any] = {}
    for item in values:
        name, eq, value = item.partition("=")
        name = name.strip().removeprefix("watch.")
        if not eq or name not in WatchSettings.model_fields:
            known = ", ".join(WatchSettings.model_fields)
            raise typer.BadParameter(f"{item!r}: use NAME=VALUE with a watch setting ({known})", param_hint="--set")
        given[name] = value
    if contact is not None:
        given["contact"] = contact
    if interval is not None:
        try:
            given["interval_seconds"] = parse_interval(interval)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--interval") from None
    if allow_private:
        given["allow_private"] = True
    try:
        return Settings(watch=WatchSettings(**given))
    except RealpolitikError as exc:
        raise fail(exc) from None


def _line(r: Any) -> str:
    """A round's report in one line."""
    text = (f"{r.polled} sources polled ({r.unchanged} unchanged, {r.source_errors} failed), "
            f"{r.new_entries} new links, {r.fetched} pages fetched, {r.stored} articles stored "
            f"({r.already} already stored, {r.duplicates} near copies), {r.events} events, "
            f"{r.entry_errors} article failures in {r.seconds:.1f} s")
    return text


@app.command("watch")
def watch_cmd(
    sources: Annotated[Path, typer.Argument(
        help="The sources file: one feed or sitemap URL a line, with optional settings (see docs/watch.md).")],
    db: Db = DEFAULT,
    once: Annotated[bool, typer.Option("--once", help="Run one round (poll what is due, fetch what waits) "
                                                      "and exit; for cron and timers.")] = False,
    alerts: Annotated[Path | None, typer.Option(
        "--alerts", help="A file of alert rules (YAML) checked after each round (see docs/alert-rules.md).")] = None,
    contact: Annotated[str | None, typer.Option(
        "--contact", help="How site operators reach you (URL or mailto:), sent in the User-Agent.")] = None,
    interval: Annotated[str | None, typer.Option(
        "--interval", help="How often each source is polled unless its line says otherwise: 900, 15m, 2h.")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Let links and redirects to another host reach loopback and private addresses.")
    ] = False,
    setting: Annotated[list[str] | None, typer.Option(
        "--set", help="Any watch setting as NAME=VALUE (e.g. host_delay_seconds=2); repeat for more.")] = None,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="Show a status line (default: when standard error is a terminal).")
    ] = None,
) -> None:
    """Poll feeds and sitemaps; fetch, code and store their new articles. Runs until stopped
    (Ctrl-C or SIGTERM, which finish the article at hand), or one round with --once."""
    from ..watch.poll import watch

    settings = _settings(contact, interval, allow_private, setting or [])
    rules = None
    if alerts is not None:
        from ..watch.alerting import load_rules

        try:
            rules = load_rules(alerts)
        except RealpolitikError as exc:
            raise fail(exc) from None
    store = open_store(db, create=True)
    stop = threading.Event()
    show = progress if progress is not None else err.is_terminal
    failures = 0

    def stopping(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():  # a second signal: stop now
            raise KeyboardInterrupt
        stop.set()
        err.print("realpolitik: stopping after the work at hand (again to stop at once)")

    def after_round(report: Any) -> None:
        nonlocal failures
        failures += report.source_errors + report.entry_errors
        if report.polled or report.fetched or report.entry_errors or once:
            err.print(f"{db}: {_line(report)}")
        if rules is not None:
            from ..watch.alerting import check_alerts

            try:
                check_alerts(store, rules)
            except RealpolitikError as exc:
                err.print(f"[red]alerts:[/red] {shown(str(exc))}")

    def sources_error(exc: Exception) -> None:
        err.print(f"[red]error:[/red] {shown(str(exc))} (the sources read before are still watched)")

    previous = {s: signal.signal(s, stopping) for s in (signal.SIGINT, signal.SIGTERM)}
    status = err.status("watching", spinner="dots") if show else None
    try:
        if status is not None:
            status.start()

        def on_progress(r: Any) -> None:
            if status is not None:
                status.update(f"watching: {r.polled} polled, {r.new_entries} new links, {r.fetched} fetched, "
                              f"{r.stored} stored, {r.entry_errors} failed")

        try:
            watch(store, sources, settings, once=once, stop=stop, after_round=after_round,
                  on_progress=on_progress, on_sources_error=sources_error)
        except RealpolitikError as exc:
            raise fail(exc) from None
        except KeyboardInterrupt:
            err.print("realpolitik: stopped")
    finally:
        if status is not None:
            status.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
    raise typer.Exit(EXIT_PARTIAL if once and failures else EXIT_OK)


@app.command("sources")
def sources_cmd(
    db: Db = DEFAULT,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or jsonl.")] = "table",
) -> None:
    """List the watched sources: last fetch and answer, articles listed, stored, waiting and
    failed, failures, next poll and the last error."""
    import pandas as pd

    from ..render import text_table
    from ..watch.state import source_statuses
    from .common import write_rows

    check_table_format(fmt)
    try:
        statuses = source_statuses(open_store(db))
    except RealpolitikError as exc:
        raise fail(exc) from None
    records = [dataclasses.asdict(s) for s in statuses]
    frame = pd.DataFrame(records, columns=[f.name for f in dataclasses.fields(_status_type())])
    if write_rows(frame, fmt, lambda rec: {k: (None if v != v else v) for k, v in rec.items()}):
        raise typer.Exit(EXIT_OK)
    if not statuses:
        typer.echo(f"{db}: no watched sources (start with `realpolitik watch SOURCES --db {db}`)")
        raise typer.Exit(EXIT_OK)

    def when(v: Any) -> str:
        return "" if v is None else v.strftime("%Y-%m-%d %H:%M:%S")

    rows = [(s.url, s.kind, s.outlet, when(s.last_fetch), s.last_status, s.entries, s.stored, s.pending, s.failed,
             f"{s.errors}/{s.total_errors}", when(s.next_poll) if s.next_poll else "not polled", s.last_error)
            for s in statuses]
    Console(width=max(160, Console().width)).print(text_table(
        ["source", "kind", "outlet", "last fetch", "status", "links", "stored", "waiting", "failed",
         "errors (row/all)", "next poll", "last error"], rows,
        right={"status", "links", "stored", "waiting", "failed"}, fold=True))


def _status_type() -> Any:
    from ..watch.state import SourceStatus

    return SourceStatus
