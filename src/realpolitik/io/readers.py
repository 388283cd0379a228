"""Read documents from files, folders and standard input, reporting bad input by file and line.

Example::

    >>> from realpolitik.io.readers import read_inputs
    >>> items = list(read_inputs(["examples/corpus/dispatches.jsonl"]))
    >>> items[0].document.id
    'rp-2014-06-10-isis-takes-mosul'

Each input yields :class:`Item` values: a document to code, or the :class:`InputError` that
kept a document (or a JSONL line) from being read, plus any warning (bad bytes replaced, a
file decoded as Windows-1252 rather than UTF-8). One bad line never stops the rest of the
file; one bad file never stops the rest of the inputs.

Formats: plain text and Markdown (one document per file), ``.jsonl`` (one document per
line: ``{"id", "text", "date"?, "title"?, "url"?}``), ``.csv``/``.tsv`` (one document per
row, with a header naming ``text`` and optionally ``id``, ``date``, ``title``, ``url``),
HTML pages (``.html``/``.htm``: main text, title and date extracted), RSS and Atom feed
files (``.rss``/``.atom``/``.xml``: one document per entry), any of them gzip-compressed
(``.gz``), folders (read recursively), and ``-`` for standard input (one text document).

Folders are walked in name order, following links to folders; a folder reached a second
time (a link loop, or two links to one folder) is not read again. Hidden files (``.name``)
are left out. A file name that is not valid UTF-8 is shown, and used as ``source``, with
its bad bytes written as ``\\xNN`` (``caf\\xe9.txt``).

Text is UTF-8 (a BOM is dropped) or UTF-16 with a BOM. Bytes that are not valid UTF-8 are
handled by one rule (:func:`decode_bytes`): a file is *clearly not UTF-8* when it holds more
invalid sequences than valid multi-byte characters (a Windows-1252 or Latin-1 file has
accented letters but no valid multi-byte sequence); it is then decoded as Windows-1252, with a
warning. Otherwise it is UTF-8 with a few stray bytes: they are replaced with U+FFFD and the
warning names the file, line and byte offset of the first. A JSONL line follows the same rule,
without the Windows-1252 fallback (JSON is UTF-8).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from ..errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    MalformedRecordError,
)
from ..model import Document

__all__ = ["Item", "read_inputs", "read_records", "record_item", "decode_bytes", "looks_binary", "count_documents",
           "display_name",
           "TEXT_SUFFIXES", "RECORD_SUFFIXES",
           "TABLE_SUFFIXES", "HTML_SUFFIXES", "FEED_SUFFIXES", "ALL_SUFFIXES"]

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
RECORD_SUFFIXES = (".jsonl", ".ndjson")
TABLE_SUFFIXES = (".csv", ".tsv")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
ALL_SUFFIXES = TEXT_SUFFIXES + RECORD_SUFFIXES + TABLE_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES


@dataclass(frozen=True)
class Item:
    """One thing read: a document, or the error that kept it from being read."""

    document: Document | None = None
    error: InputError | None = None
    warning: str | None = None


def looks_binary(data: bytes) -> bool:
    """True when the first bytes are not text (NUL bytes outside UTF-16, or many control bytes)."""
    head = data[:8192]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    if not head:
        return False
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) > 0.05


def display_name(path: str | os.PathLike[str]) -> str:
    """A path as it is shown and stored: bytes of a name that are not valid UTF-8 are written
    ``\\xNN``, so that the name can be printed, written to JSON and stored.

    Example::

        >>> display_name(os.fsdecode(b"caf\\xe9.txt"))
        'caf\\\\xe9.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _utf8_mostly(data: bytes, source: str, line: int | None = None, start: int = 0
                 ) -> tuple[str | None, str | None, UnicodeDecodeError | None]:
    """UTF-8 text, with a warning when bad bytes were replaced; None for the text when the bytes
    are clearly not UTF-8 (more invalid sequences than valid multi-byte characters)."""
    try:
        return data.decode("utf-8-sig"), None, None
    except UnicodeDecodeError as exc:
        first = exc
    text = data.decode("utf-8-sig", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII characters decoded
    if bad > good:
        return None, None, first
    line = line if line is not None else data[:first.start].count(b"\n") + 1
    more = f" and {bad - 1} more" if bad > 1 else ""
    return text, (f"{source}:{line}: not valid UTF-8 at byte {start + first.start} ({first.reason}){more}; "
                  "the bad bytes were replaced with U+FFFD (re-save the file as UTF-8)"), first


def decode_bytes(data: bytes, source: str) -> tuple[str, str | None]:
    """Decode text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252.

    Returns the text and a warning when bytes were replaced or a fallback was used; raises
    BinaryInputError or EncodingError. The rule (see the module docstring): stray bad bytes in
    UTF-8 text are replaced; only a file that is clearly not UTF-8 is read as Windows-1252.

    Example::

        >>> decode_bytes(b"Erdo\\xc4\\x9fan met \\xff Putin.", "a.txt")[1]  # doctest: +ELLIPSIS
        'a.txt:1: not valid UTF-8 at byte 13 (invalid start byte); the bad bytes were replaced ...'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise EncodingError(f"cannot decode as UTF-16: {exc}", source) from None
    if looks_binary(data):
        raise BinaryInputError("the file is binary, not text (skipped)", source)
    text, warning, utf8_error = _utf8_mostly(data, source)
    if text is not None:
        return text, warning
    assert utf8_error is not None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise EncodingError(
            f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not Windows-1252; "
            "convert the file to UTF-8", source) from None
    line = data[:utf8_error.start].count(b"\n") + 1
    return text, f"{source}:{line}: not valid UTF-8; decoded as Windows-1252 (check the characters)"


def _open(path: Path) -> BinaryIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _inner_suffix(path: Path) -> str:
    return Path(path.stem).suffix.lower() if path.suffix == ".gz" else path.suffix.lower()


def _files(path: Path) -> Iterator[Path | InputError]:
    """The files to read under ``path`` (itself, when a file), or the error of a folder that
    cannot be listed."""
    if not path.is_dir():
        yield path
        return
    seen: set[tuple[int, int]] = set()

    def walk(folder: Path) -> Iterator[Path | InputError]:
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen:  # a link loop, or a folder reached twice
                return
            seen.add((st.st_dev, st.st_ino))
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            yield InputError(f"cannot read the folder ({exc.strerror or exc}); its files are skipped",
                             display_name(folder))
            return
        for p in entries:
            try:
                is_dir, is_file = p.is_dir(), p.is_file()  # both follow links
            except OSError:
                continue
            if is_dir:
                yield from walk(p)
            elif is_file and not p.name.startswith(".") and _inner_suffix(p) in ALL_SUFFIXES:
                yield p

    yield from walk(path)


def _as_date(value: object, source: str, line: int | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MalformedRecordError(f"'date' must be a string YYYY-MM-DD, got {value!r}", source, line)
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise MalformedRecordError(f"'date' is not a date (YYYY-MM-DD): {value!r}", source, line) from None


def read_jsonl(stream: Iterable[bytes], source: str, default_date: dt.date | None) -> Iterator[Item]:
    """Documents from JSON lines; each bad line is one error item."""
    offset = 0
    for n, raw in enumerate(stream, start=1):
        start, offset = offset, offset + len(raw)
        if not raw.strip():
            continue
        line, warning, bad = _utf8_mostly(raw, source, n, start)
        if line is None:
            assert bad is not None
            yield Item(error=EncodingError(f"line is not UTF-8 ({bad.reason} at byte {start + bad.start})",
                                           source, n))
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(error=MalformedRecordError(f"not valid JSON ({exc.msg} at column {exc.colno})", source, n))
            continue
        except (ValueError, RecursionError) as exc:  # a number too long, arrays nested too deep
            yield Item(error=MalformedRecordError(f"not valid JSON ({type(exc).__name__}: {exc})", source, n))
            continue
        if not isinstance(rec, dict):
            yield Item(error=MalformedRecordError("a line must be a JSON object with a 'text' field", source, n))
            continue
        item = record_item(rec, source, n, default_date)
        yield replace(item, warning=warning) if warning else item


def record_item(rec: dict, source: str, n: int, default_date: dt.date | None) -> Item:
    """A document from one JSONL or table record ({'text', 'id'?, 'date'?, 'title'?, 'url'?}), or its error."""
    text = rec.get("text")
    if not isinstance(text, str):
        return Item(error=MalformedRecordError(
            "missing 'text'" if text is None else f"'text' must be a string, got {type(text).__name__}", source, n))
    if not text.strip():
        return Item(error=EmptyInputError("'text' is empty", source, n))
    doc_id = rec.get("id")
    title = rec.get("title")
    url = rec.get("url")
    doc_id = str(doc_id) if doc_id not in (None, "") else None
    for name, value in (("text", text), ("id", doc_id), ("title", title), ("url", url)):
        try:
            if isinstance(value, str):
                value.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate, from a JSON escape such as \ud800
            return Item(error=EncodingError(f"'{name}' holds an invalid character ({exc.reason} at {exc.start})",
                                            source, n))
    try:
        date = _as_date(rec.get("date"), source, n) or default_date
    except MalformedRecordError as exc:
        return Item(error=exc)
    return Item(document=Document(
        id=doc_id if doc_id is not None else f"{source}:{n}", text=text, date=date,
        title=title if isinstance(title, str) and title else None, url=url if isinstance(url, str) and url else None,
        source=source, line=n))


def read_records(records: Iterable[object], source: str, default_date: dt.date | None = None) -> Iterator[Item]:
    """Documents from records already parsed (e.g. a JSON request body), numbered from 1 as lines."""
    for n, rec in enumerate(records, 1):
        if isinstance(rec, dict):
            yield record_item(rec, source, n, default_date)
        else:
            yield Item(error=MalformedRecordError(f"a record must be an object, got {type(rec).__name__}", source, n))


def read_inputs(paths: Iterable[str], default_date: dt.date | None = None,
                stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Documents from paths (files, folders, '-' for standard input), in order."""
    for arg in paths:
        if arg == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read()
            try:
                text, warning = decode_bytes(data, "<stdin>")
            except InputError as exc:
                yield Item(error=exc)
                continue
            if not text.strip():
                yield Item(error=EmptyInputError("standard input is empty", "<stdin>"))
                continue
            yield Item(document=Document(id="stdin", text=text, date=default_date, source="<stdin>"),
                       warning=warning)
            continue
        path = Path(arg)
        if not path.exists():
            yield Item(error=InputError("no such file or folder", display_name(arg)))
            continue
        found = False
        for f in _files(path):
            found = True
            if isinstance(f, InputError):
                yield Item(error=f)
            else:
                yield from _read_file(f, default_date)
        if not found:
            yield Item(error=InputError(
                "the folder holds no files to read (.txt .md .jsonl .csv .tsv .html .rss .atom .xml, "
                "or the same with .gz)", display_name(arg)))


def _read_file(f: Path, default_date: dt.date | None) -> Iterator[Item]:
    source = display_name(f)
    kind = _inner_suffix(f)
    try:
        if kind in RECORD_SUFFIXES:
            with _open(f) as stream:
                yield from read_jsonl(stream, source, default_date)
            return
        with _open(f) as stream:
            data = stream.read()
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield Item(error=InputError(f"cannot read the file: {exc}", source))
        return
    if not data.strip():
        yield Item(error=EmptyInputError("the file is empty", source))
        return
    if kind in HTML_SUFFIXES or (kind in FEED_SUFFIXES and not _looks_like_feed(data)):
        yield from _read_html(data, source, default_date)
        return
    if kind in FEED_SUFFIXES:
        yield from _read_feed(data, source, default_date)
        return
    try:
        text, warning = decode_bytes(data, source)
    except InputError as exc:
        yield Item(error=exc)
        return
    if kind in TABLE_SUFFIXES:
        yield from read_table(text, source, default_date, delimiter="\t" if kind == ".tsv" else ",")
        return
    if not text.strip():  # only a byte-order mark, or spaces in UTF-16
        yield Item(error=EmptyInputError("the file is empty", source), warning=warning)
        return
    yield Item(document=Document(id=source, text=text, date=default_date, source=source), warning=warning)


def _looks_like_feed(data: bytes) -> bool:
    from .web import looks_like_feed

    return looks_like_feed(data)


def _read_html(data: bytes, source: str, default_date: dt.date | None) -> Iterator[Item]:
    from .web import read_html

    if looks_binary(data):
        yield Item(error=BinaryInputError("the file is binary, not HTML (skipped)", source))
        return
    try:
        yield Item(document=read_html(data, source, default_date))
    except InputError as exc:
        yield Item(error=exc)
    except Exception as exc:  # the HTML parser's own failures name no line; report and go on
        yield Item(error=MalformedRecordError(f"cannot read the HTML page ({type(exc).__name__}: {exc})", source))


def _read_feed(data: bytes, source: str, default_date: dt.date | None) -> Iterator[Item]:
    from .web import read_feed

    for got in read_feed(data, source, default_date):
        if isinstance(got, Document):
            yield Item(document=got)
        else:
            yield Item(error=got)


_TABLE_FIELDS = ("id", "text", "date", "title", "url")


def read_table(text: str, source: str, default_date: dt.date | None, delimiter: str = ",") -> Iterator[Item]:
    """Documents from a CSV/TSV table with a header row naming at least ``text``."""
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        yield Item(error=MalformedRecordError(f"no header row ({exc})", source, 1))
        return
    names = [h.strip().lower() for h in header]
    if "text" not in names:
        yield Item(error=MalformedRecordError(
            f"the header has no 'text' column (found: {', '.join(names) or 'nothing'})", source, 1))
        return
    where = {k: names.index(k) for k in _TABLE_FIELDS if k in names}
    row_line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Item(error=MalformedRecordError(f"not a valid CSV row ({exc})", source, row_line))
            row_line = reader.line_num + 1
            continue
        n = row_line
        row_line = reader.line_num + 1
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(names):
            yield Item(error=MalformedRecordError(
                f"the row has {len(row)} fields, the header {len(names)}", source, n))
            continue
        yield record_item({k: row[i] for k, i in where.items()}, source, n, default_date)


def count_documents(paths: Iterable[str]) -> int | None:
    """A quick estimate of how many documents the paths hold (for a progress bar's ETA):
    lines of JSONL and table files, entries of feeds, one per other file. None for stdin."""
    total = 0
    for arg in paths:
        if arg == "-":
            return None
        path = Path(arg)
        if not path.exists():
            continue
        for f in _files(path):
            if isinstance(f, InputError):
                continue
            kind = _inner_suffix(f)
            if kind in RECORD_SUFFIXES + TABLE_SUFFIXES + FEED_SUFFIXES:
                try:
                    with _open(f) as stream:
                        if kind in FEED_SUFFIXES:
                            data = stream.read()
                            total += max(1, data.count(b"<item") + data.count(b"<entry"))
                        else:
                            total += sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
                except (OSError, EOFError, gzip.BadGzipFile, zlib.error):
                    total += 1
            else:
                total += 1
    return total
