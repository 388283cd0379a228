"""The sources file of ``realpolitik watch``: one feed or sitemap URL a line, with its settings.

Example::

    >>> from realpolitik.watch.sources import parse_sources
    >>> text = '''# news to follow
    ... https://news.example.org/world.rss interval=15m outlet="Example News"
    ... https://example.com/sitemap.xml kind=sitemap language=en
    ... '''
    >>> first, second = parse_sources(text, "sources.txt")
    >>> first.interval_seconds, first.outlet, second.kind
    (900, 'Example News', 'sitemap')

Blank lines and lines starting with ``#`` are left out (so is anything after `` #`` on a line).
After the URL come settings as ``key=value`` words, a value with spaces in double quotes:

- ``interval``: how often to poll it: seconds (``900``) or a number with ``s``, ``m``, ``h`` or
  ``d`` (``15m``, ``2h``); default the ``watch.interval_seconds`` setting;
- ``outlet``: the outlet name its articles are stored under (default: each article's host);
- ``language``: the language of its articles, a two- or three-letter code (default ``en``);
  articles are coded as English (the coder rejects text that is not);
- ``kind``: ``feed`` (RSS or Atom), ``sitemap`` or ``auto`` (the default: told by the answer).

Every problem of the file is listed at once in a :class:`~realpolitik.errors.SourcesFileError`,
each with its line.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import SourcesFileError

__all__ = ["Source", "parse_sources", "read_sources", "parse_interval", "duration_seconds", "UNITS"]

KINDS = ("auto", "feed", "sitemap")
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
"""The units of a duration (none: seconds) and their seconds."""
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]?)\s*")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class Source:
    """One line of the sources file."""

    url: str
    """The feed's or sitemap's URL (http or https), as written."""
    line: int
    """Its line in the file (1-based)."""
    interval_seconds: int | None = None
    """How often it is polled; None: the ``watch.interval_seconds`` setting."""
    outlet: str | None = None
    """The outlet its articles are stored under; None: each article's host."""
    language: str = "en"
    """The language of its articles."""
    kind: str = "auto"
    """``feed``, ``sitemap`` or ``auto`` (told by the answer)."""


def duration_seconds(text: str, units: Mapping[str, int] = UNITS) -> float | None:
    """Seconds of a duration written as a number and one of ``units`` (lower case), or None.

    Example::

        >>> duration_seconds("30m"), duration_seconds(" 90 "), duration_seconds("2 weeks")
        (1800.0, 90.0, None)
    """
    m = _DURATION.fullmatch(text)
    if m is None or m.group(2) not in units:
        return None
    return float(m.group(1)) * units[m.group(2)]


def parse_interval(value: str) -> int:
    """Seconds of an interval such as ``900``, ``15m``, ``2h`` or ``1d``; ValueError if it is none.

    Example::

        >>> parse_interval("15m"), parse_interval("2h"), parse_interval("90")
        (900, 7200, 90)
    """
    given = duration_seconds(value.strip().lower())
    if given is None:
        raise ValueError(f"{value!r} is not an interval; write seconds (900) or 15m, 2h, 1d")
    seconds = round(given)
    if seconds < 1:
        raise ValueError(f"{value!r} is shorter than a second")
    return seconds


def _strip_comment(line: str) -> str:
    """The line without a `` #`` comment that is outside double quotes."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def _source(words: list[str], n: int, problems: list[str]) -> Source | None:
    """The source of one line's words, or None with its problems added."""
    url, *settings = words
    before = len(problems)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        problems.append(f"line {n}: {url!r} is not an http(s) URL")
    values: dict[str, object] = {}
    for word in settings:
        key, eq, value = word.partition("=")
        key = key.strip().lower()
        if not eq or not key:
            problems.append(f"line {n}: {word!r} is not a key=value setting")
            continue
        if key in values:
            problems.append(f"line {n}: {key} is given twice")
            continue
        if key == "interval":
            try:
                values["interval_seconds"] = parse_interval(value)
            except ValueError as exc:
                problems.append(f"line {n}: interval: {exc}")
        elif key == "outlet":
            if not value.strip():
                problems.append(f"line {n}: outlet is empty")
            values["outlet"] = value.strip()
        elif key == "language":
            if not _LANGUAGE.match(value):
                problems.append(f"line {n}: language {value!r} is not a language code such as en")
            values["language"] = value.lower()
        elif key == "kind":
            if value.lower() not in KINDS:
                problems.append(f"line {n}: kind {value!r}: use feed, sitemap or auto")
            values["kind"] = value.lower()
        else:
            problems.append(f"line {n}: unknown setting {key!r}; use interval, outlet, language or kind")
        values.setdefault(key, None)
    if len(problems) > before:
        return None
    return Source(url=url, line=n, interval_seconds=values.get("interval_seconds"),  # type: ignore[arg-type]
                  outlet=values.get("outlet"), language=str(values.get("language") or "en"),  # type: ignore[arg-type]
                  kind=str(values.get("kind") or "auto"))


def parse_sources(text: str, name: str = "<sources>") -> list[Source]:
    """The sources of a file's text, in file order; raises SourcesFileError listing every problem."""
    problems: list[str] = []
    out: list[Source] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        try:
            words = shlex.split(line, comments=False, posix=True)
        except ValueError as exc:
            problems.append(f"line {n}: {exc} (a value with spaces goes in double quotes)")
            continue
        source = _source(words, n, problems)
        if source is None:
            continue
        if source.url in seen:
            problems.append(f"line {n}: {source.url} is already on line {seen[source.url]}")
            continue
        seen[source.url] = n
        out.append(source)
    if problems:
        raise SourcesFileError(f"{len(problems)} problem(s) in the sources file", name, problems)
    return out


def read_sources(path: str | Path) -> list[Source]:
    """The sources of a file (see :func:`parse_sources`); a file that cannot be read is a SourcesFileError."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesFileError(f"cannot read the sources file ({exc})", str(path)) from None
    return parse_sources(text, str(path))
