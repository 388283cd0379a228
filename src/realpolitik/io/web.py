"""Documents from web formats: HTML pages and RSS/Atom feed files.

Example::

    >>> from realpolitik.io.web import read_html
    >>> page = b"<html><head><title>Talks in Baghdad</title></head><body><article>"
    >>> page += b"<p>Iraq and Russia held talks in Baghdad on Tuesday about oil and arms.</p>"
    >>> page += b"<p>Both sides said the talks went well and would go on.</p></article></body></html>"
    >>> doc = read_html(page, "talks.html")
    >>> doc.title, doc.text.splitlines()[-1]
    ('Talks in Baghdad', 'Both sides said the talks went well and would go on.')

An HTML page gives one document: its main text (boilerplate such as menus and footers
left out), its title and its publication date, extracted with trafilatura. A feed file
gives one document per entry: the entry's content (or summary) as plain text, its title,
link and publication date, read with feedparser.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from ..errors import EmptyInputError, MalformedRecordError
from ..model import Document

__all__ = ["read_html", "read_feed", "looks_like_feed", "html_to_text", "entry_date"]

_FEED_HEAD = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _clean(value: Any) -> str | None:
    """A text field as a string that can be written out: lone surrogates (from character
    references such as '&#xD800;') become U+FFFD; empty is None."""
    if not value:
        return None
    return _SURROGATE.sub("\ufffd", str(value))


def looks_like_feed(data: bytes) -> bool:
    """True when an XML file is an RSS or Atom feed."""
    return bool(_FEED_HEAD.search(data[:4096]))


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def entry_date(entry: Any) -> dt.date | None:
    """The day a feedparser entry was published (else updated); None when it gives none or it is
    no real day ('0000-00-00', day 31 of February)."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        return dt.date(*stamp[:3]) if stamp else None
    except (TypeError, ValueError, OverflowError):
        return None


def read_html(data: bytes, source: str, default_date: dt.date | None = None) -> Document:
    """The main text of an HTML page as a document; raises EmptyInputError if it has none."""
    import trafilatura

    extracted = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                            include_tables=False)
    text = (getattr(extracted, "text", None) or "").strip() if extracted is not None else ""
    if not text:
        raise EmptyInputError("the HTML page has no main text to code", source)
    return Document(id=source, text=_clean(text) or text,
                    date=_date(getattr(extracted, "date", None)) or default_date,
                    title=_clean(getattr(extracted, "title", None)), url=_clean(getattr(extracted, "url", None)),
                    source=source)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), paragraphs kept apart."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(fragment)
    except (ValueError, lxml.etree.ParserError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    text = root.text_content()
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t\xa0]+", " ", text)).strip()


def read_feed(data: bytes, source: str, default_date: dt.date | None = None
              ) -> Iterator[Document | MalformedRecordError | EmptyInputError]:
    """One document per feed entry; an entry with no text yields an error, in feed order."""
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # the parser's own failures (e.g. on '&#xD800;'); report and go on
        yield MalformedRecordError(f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})", source)
        return
    if parsed.get("bozo") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        yield MalformedRecordError(f"not a readable RSS/Atom feed ({reason})", source)
        return
    for n, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#entry{n}"
        content = entry.get("content") or []
        body = " ".join(c.get("value", "") for c in content) if content else entry.get("summary", "")
        text = html_to_text(body or "")
        title = html_to_text(entry.get("title", "") or "") or None
        if not text:
            yield EmptyInputError(f"feed entry {n} has no text", source, n)
            continue
        date = entry_date(entry) or default_date
        link = _clean(entry.get("link"))
        yield Document(id=_clean(entry.get("id")) or link or where, text=_clean(text) or text, date=date,
                       title=_clean(title), url=link, source=source, line=n)
