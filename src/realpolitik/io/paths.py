"""Where a command may write a file: never over one of its inputs, a store or any DuckDB database.

Example::

    >>> from realpolitik.io.paths import output_path
    >>> output_path("events.jsonl", inputs=["news.jsonl"]).name
    'events.jsonl'
    >>> output_path("news.jsonl", inputs=["news.jsonl"])
    Traceback (most recent call last):
    ...
    realpolitik.errors.OutputError: news.jsonl: this is also an input (news.jsonl); write the output to another file

Every command that writes a file (``code -o``, ``export``, the ``--html``, ``--plot``, ``--gexf``
and ``--graphml`` files of the analyses, ``eval --errors``/``--json``, ``schema -o``,
``actors update -o``) asks :func:`output_path` first. It refuses, with an
:class:`~realpolitik.errors.OutputError` and before anything is opened:

- the file of an input or of the store (the same file under any name: a link, ``./``, ``..``);
- a file inside an input folder (it would be read back as an input next time);
- any existing DuckDB database (known by its magic bytes), whatever its name;
- an existing folder where a file is wanted.

A missing folder on the way is created, as ``--db`` creates the folder of a new store.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError

__all__ = ["output_path", "is_duckdb_file"]

DUCKDB_MAGIC = b"DUCK"
"""The bytes at offset 8 of every DuckDB database file."""


def is_duckdb_file(path: str | Path) -> bool:
    """True if ``path`` is a file that starts like a DuckDB database."""
    try:
        with open(path, "rb") as f:
            return f.read(12)[8:12] == DUCKDB_MAGIC
    except OSError:
        return False


def _same(a: Path, b: Path) -> bool:
    """The same file (or folder), however named."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def output_path(path: str | Path, *, inputs: Iterable[str | Path] = (), stores: Iterable[str | Path] = (),
                folder: bool = False) -> Path:
    """``path`` as a place to write, its folder created; or an OutputError that says why not.

    ``inputs`` are the files and folders the command reads (``"-"``, standard input, is
    ignored), ``stores`` the store files it opens. With ``folder``, ``path`` is a folder that
    the command will fill (``report --plots``).
    """
    out = Path(path)
    for given, kind in [*((i, "an input") for i in inputs), *((s, "the store") for s in stores)]:
        if str(given) in ("-", ":memory:"):
            continue
        other = Path(given)
        if _same(out, other):
            raise OutputError(f"{out}: this is also {kind} ({other}); write the output to another file")
        if kind == "an input" and other.is_dir() and _inside(out, other):
            raise OutputError(f"{out}: inside the input folder {other}, where it would be read as an input; "
                              "write the output outside it")
    if folder:
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out}: a file, not a folder; give a folder for the plots")
        _make_folder(out)
        return out
    if out.is_dir():
        raise OutputError(f"{out}: a folder; give the name of a file to write")
    if out.is_file() and is_duckdb_file(out):
        raise OutputError(f"{out}: a DuckDB database; it is not overwritten. Choose another file name")
    _make_folder(out.parent)
    return out


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder}: not a folder, so no file can be written in it; choose another path") from None
    except OSError as exc:
        raise OutputError(f"{folder}: cannot make this folder ({exc.strerror or exc}); choose another path") from None
