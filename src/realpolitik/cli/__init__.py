"""The command line: thin doors onto the library. Each command parses its arguments, makes one
library call, and turns library errors into messages and exit codes.

Exit status: 0 all inputs coded or stored; 1 some inputs could not be read or coded (each is
reported as ``file:line: reason`` and the rest were processed); 2 a usage or configuration
error (nothing was coded).

The commands live by subject: :mod:`~realpolitik.cli.coding` (code, eval, actors, schema,
version), :mod:`~realpolitik.cli.store` (ingest, import, events, show, export, summary, serve)
and :mod:`~realpolitik.cli.analyses` (relations, network, shifts, report);
:mod:`~realpolitik.cli.common` holds what they share. Tables and pages are drawn by
:mod:`realpolitik.render`, as they are for the report.
"""

from __future__ import annotations

import sys

from ..errors import RealpolitikError
from . import analyses, coding, outlook, scenarios, store, watching  # noqa: F401  (register their commands)
from .common import EXIT_USAGE, app, err

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except RealpolitikError as exc:
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(EXIT_USAGE)
