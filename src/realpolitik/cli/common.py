"""What every command shares: the application, the error console, exit codes, dates, the store option.

Exit status: 0 all inputs coded or stored; 1 some inputs could not be read or coded (each is
reported as ``file:line: reason`` and the rest were processed); 2 a usage or configuration
error (nothing was done).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

__all__ = ["app", "actors_app", "err", "write_json", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "parse_date", "fail", "Db",
           "DEFAULT", "open_store", "output_file", "shown"]

app = typer.Typer(
    name="realpolitik",
    help="Political event data from news text: code documents into PLOVER/CAMEO events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
actors_app = typer.Typer(help="Work with actor dictionaries.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")

err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2

Db = Annotated[Path, typer.Option("--db", help="The store file (DuckDB).")]
DEFAULT = Path("realpolitik.duckdb")


def parse_date(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD option value, or a usage error."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def fail(exc: BaseException | str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print an error and return the exit to raise: ``raise fail(exc) from None``."""
    err.print(f"[red]error:[/red] {shown(str(exc))}")
    return typer.Exit(code)


def shown(text: str) -> str:
    """Text from a file or a store, ready for a rich print: control characters made visible
    (:func:`realpolitik.io.writers.terminal_safe`) and square brackets taken literally."""
    from ..io.writers import terminal_safe

    return escape(terminal_safe(text))


def open_store(db: Path, create: bool = False) -> Any:
    """The store at ``db``, or a usage error."""
    from ..errors import RealpolitikError
    from ..store import Store

    try:
        return Store(db, create=create)
    except RealpolitikError as exc:
        raise fail(exc) from None


def output_file(path: Path | None, *, inputs: Iterable[str | Path] = (), db: Path | None = None,
                folder: bool = False) -> Path | None:
    """``path`` checked as an output (see :func:`realpolitik.io.paths.output_path`), or a usage
    error; None stays None. Call it before the command reads or writes anything."""
    from ..errors import RealpolitikError
    from ..io.paths import output_path

    if path is None:
        return None
    try:
        return output_path(path, inputs=inputs, stores=() if db is None else (db,), folder=folder)
    except RealpolitikError as exc:
        raise fail(exc) from None


def write_json(path: Path | None, data: Any) -> None:
    """Write ``data`` as indented JSON to ``path`` (when one is given) and say so."""
    if path is not None:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        typer.echo(f"{path}: JSON written")


def check_table_format(fmt: str) -> None:
    """Refuse a ``--format`` that is none of table, csv and jsonl."""
    if fmt not in ("table", "csv", "jsonl"):
        raise typer.BadParameter(f"unknown format {fmt!r}; use table, csv or jsonl", param_hint="--format")


def write_rows(frame: Any, fmt: str, row: Callable[[dict[str, Any]], dict[str, Any]]) -> bool:
    """Write a data frame to standard output as CSV or JSON lines (each record through ``row``);
    False when the format is the table, which the caller draws."""
    if fmt == "csv":
        from ..io.writers import spreadsheet_safe_frame

        spreadsheet_safe_frame(frame).to_csv(sys.stdout, index=False)
    elif fmt == "jsonl":
        for rec in frame.to_dict(orient="records"):
            sys.stdout.write(json.dumps(row(rec), ensure_ascii=False, default=str) + "\n")
    return fmt != "table"
