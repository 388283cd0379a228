"""The watcher's loop: poll the sources that are due, then fetch, code and store their new articles.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.watch.poll import poll_round, sync_sources
    >>> store = Store(":memory:")
    >>> sync_sources(store, [])
    >>> poll_round(store).polled  # no sources: nothing to do
    0

A round (:func:`poll_round`):

1. each source whose ``next_poll`` has come is asked for with its validators (ETag,
   Last-Modified); a feed (RSS, Atom) or a sitemap (``urlset``, or a ``sitemapindex`` whose
   sitemaps are read one level down) is told by its content; its links (fragment left out) not
   yet known become ``pending`` rows of ``watch_entries``, **in the same transaction** as the
   source's new validators and next poll. A source that fails (timeout, error status, malformed
   XML, too big, refused) records why, and is polled again after its interval doubled at each
   failure in a row; the others go on.
2. the pending articles are fetched in batches of ``watch.batch_size``: each page as it arrives
   has its main text extracted (:func:`realpolitik.io.web.read_html`) and kept in its row
   (committed at once), then the batch is coded and its documents stored through
   :func:`realpolitik.store.batches.write_batch`, **in one transaction** with the rows marked
   ``done`` and their text cleared. A page is therefore fetched once: a watcher killed at any
   point and started again polls its sources conditionally, codes the texts it kept, and fetches
   only what it had not received. The same link in two feeds is one row; the same article at two
   URLs is one document (the store's content hash), and a near copy is linked to the first
   (its near-duplicate search). An article that fails is tried again later, up to
   ``watch.max_attempts`` times (at once ``failed`` when trying again cannot help).

:func:`watch` runs rounds until stopped (or one, ``once``), reading the sources file again when it
changes; one watcher at a time works on a store file (a lock file beside it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pyarrow as pa

from ..config import ServerSettings, Settings, WatchSettings
from ..errors import (
    FetchError,
    InputError,
    RealpolitikError,
    RobotsUnavailableError,
    SourcesFileError,
    StoreError,
)
from ..model import Document
from .fetch import Fetcher, Page, host_of, strip_fragment
from .sources import Source, read_sources

__all__ = ["Link", "Listing", "RoundReport", "WatchReport", "read_listing", "sync_sources", "poll_round",
           "watch"]

log = logging.getLogger(__name__)

_SITEMAP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(urlset|sitemapindex)\b")
_FEED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b")


@dataclass(frozen=True)
class Link:
    """An article link a source lists."""

    url: str
    """Absolute, without its fragment."""
    title: str | None = None
    """The entry's title in the feed."""
    published: dt.date | None = None
    """The entry's date in the feed (published, else updated; a sitemap's lastmod)."""


@dataclass(frozen=True)
class Listing:
    """What a feed or sitemap lists."""

    kind: str
    """``feed`` or ``sitemap``."""
    links: tuple[Link, ...]
    """Its article links, in its order, each once."""
    sitemaps: tuple[str, ...] = ()
    """For a sitemap index: the sitemaps it lists."""


@dataclass
class RoundReport:
    """What one round did."""

    polled: int = 0
    """Sources asked for."""
    unchanged: int = 0
    """Of those, answered 304 (nothing new)."""
    source_errors: int = 0
    """Of those, failed (see ``realpolitik sources``)."""
    new_entries: int = 0
    """Article links seen for the first time."""
    fetched: int = 0
    """Article pages received."""
    stored: int = 0
    """Articles stored as new documents."""
    already: int = 0
    """Articles whose text the store already held (another URL of the same text): linked to it."""
    duplicates: int = 0
    """Of the stored, near-duplicate copies of a stored document (linked to it)."""
    events: int = 0
    """Events coded and stored."""
    entry_errors: int = 0
    """Article fetches or codings that failed (tried again later, or given up)."""
    given_up: int = 0
    """Of those, articles now ``failed`` for good."""
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    """The round's failures as ``URL: why`` (the first hundred)."""

    def note(self, message: str) -> None:
        if len(self.errors) < 100:
            self.errors.append(message)


@dataclass
class WatchReport:
    """What a watcher did, all its rounds together."""

    rounds: int = 0
    total: RoundReport = field(default_factory=RoundReport)
    last: RoundReport | None = None


# -- reading a listing --------------------------------------------------------------------------

def _link(base: str, href: Any) -> str | None:
    """An absolute http(s) link without its fragment, or None."""
    if not href or not isinstance(href, str):
        return None
    try:
        url = strip_fragment(urljoin(base, href.strip()))
        parts = urlsplit(url)
        return url if parts.scheme in ("http", "https") and parts.hostname else None
    except ValueError:  # not a URL (an unclosed IPv6 bracket, a stray one): skipped
        return None


def _sitemap(body: bytes, url: str) -> Listing:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise FetchError(f"malformed XML in the sitemap ({exc})", url, 200) from None
    name = etree.QName(root).localname
    items: list[tuple[str, str | None]] = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        values = {etree.QName(c).localname: (c.text or "").strip() for c in node if isinstance(c.tag, str)}
        if values.get("loc"):
            items.append((values["loc"], values.get("lastmod")))
    if name == "sitemapindex":
        children = [u for u in (_link(url, loc) for loc, _ in items) if u]
        return Listing("sitemap", (), tuple(dict.fromkeys(children)))
    links: dict[str, Link] = {}
    for loc, lastmod in items:
        u = _link(url, loc)
        if u and u not in links:
            day = None
            if lastmod:
                with contextlib.suppress(ValueError):
                    day = dt.date.fromisoformat(lastmod[:10])
            links[u] = Link(u, None, day)
    return Listing("sitemap", tuple(links.values()))


def _feed(body: bytes, url: str) -> Listing:
    import feedparser

    from ..io.web import entry_date, html_to_text

    try:
        parsed = feedparser.parse(body)
    except Exception as exc:  # the parser's own failures on odd input
        raise FetchError(f"not a readable feed ({type(exc).__name__}: {exc})", url, 200) from None
    links: dict[str, Link] = {}
    for entry in parsed.entries:
        href = entry.get("link")
        if not href:
            for candidate in entry.get("links") or []:
                if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                    href = candidate["href"]
                    break
        u = _link(url, href) or _link(url, entry.get("id"))
        if u and u not in links:
            title = html_to_text(entry.get("title") or "") or None
            links[u] = Link(u, title, entry_date(entry))
    if not links and (parsed.get("bozo") or not parsed.get("version")):
        why = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise FetchError(f"malformed XML, not a readable feed ({why})", url, 200)
    return Listing("feed", tuple(links.values()))


def read_listing(body: bytes, url: str, kind: str = "auto") -> Listing:
    """The article links of a feed or sitemap's bytes; a FetchError (status 200) when it is neither.

    Example::

        >>> xml = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        >>> xml += b'<loc>/world/talks.html#top</loc><lastmod>2024-03-05</lastmod></url></urlset>'
        >>> read_listing(xml, "https://news.example.org/sitemap.xml").links
        (Link(url='https://news.example.org/world/talks.html', title=None, published=datetime.date(2024, 3, 5)),)
    """
    head = body[:4096].lstrip()
    if kind == "sitemap" or (kind == "auto" and _SITEMAP.search(head) and not _FEED.search(head)):
        return _sitemap(body, url)
    return _feed(body, url)


# -- the sources in the store -------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now()


def sync_sources(store: Any, sources: Sequence[Source], settings: WatchSettings | None = None,
                 now: dt.datetime | None = None) -> None:
    """Make the store's sources those of the file: new ones added (due at once), the settings of
    known ones updated (their validators and history kept), the others no longer polled
    (``next_poll`` cleared; their rows and articles stay)."""
    settings = settings or WatchSettings()
    now = now or _now()
    urls = [s.url for s in sources]
    with store.db.write() as con:
        known = dict(con.execute("SELECT url, next_poll FROM watch_sources").fetchall())
        for i, s in enumerate(sources):
            interval = s.interval_seconds or settings.interval_seconds
            kind = None if s.kind == "auto" else s.kind
            if s.url in known:
                soonest = now + dt.timedelta(seconds=interval)
                con.execute("""UPDATE watch_sources SET outlet = ?, language = ?, interval_seconds = ?,
                                   kind = coalesce(?, kind),
                                   next_poll = CASE WHEN next_poll IS NULL THEN ? ELSE least(next_poll, ?) END
                               WHERE url = ?""", [s.outlet, s.language, interval, kind, now, soonest, s.url])
            else:
                con.execute("""INSERT INTO watch_sources (url, kind, outlet, language, interval_seconds, errors,
                                   total_errors, next_poll, added_at)
                               VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?)""",
                            [s.url, kind, s.outlet, s.language, interval, now,
                             dt.datetime.now() + dt.timedelta(microseconds=i)])
        gone = [u for u in known if u not in set(urls)]
        if gone:
            con.execute("UPDATE watch_sources SET next_poll = NULL WHERE url IN (SELECT unnest(?::VARCHAR[]))",
                        [gone])


@dataclass(frozen=True)
class _Due:
    url: str
    kind: str | None
    etag: str | None
    last_modified: str | None
    interval: int
    errors: int


GRACE = 0.1
"""A source is due this share of its interval (at most a minute) before its next poll, so that a
round started by a timer as often as the interval (cron every 15 minutes, sources every 15
minutes) does not find it a few seconds early and leave it for the next."""


def _due_sources(store: Any, now: dt.datetime) -> list[_Due]:
    with store.db.read() as con:
        rows = con.execute("""SELECT url, kind, etag, last_modified, interval_seconds, coalesce(errors, 0)
                              FROM watch_sources WHERE next_poll IS NOT NULL
                                AND next_poll <= ? + to_seconds(least(60, ? * coalesce(interval_seconds, 900)))
                              ORDER BY next_poll, added_at""", [now, GRACE]).fetchall()
    return [_Due(r[0], r[1], r[2], r[3], int(r[4] or 900), int(r[5])) for r in rows]


@dataclass(frozen=True)
class _Polled:
    """A source's answer: the page, its links (None for 304), and the sitemaps of an index that
    failed (``URL: why``; their siblings' links are kept)."""

    page: Page
    listing: Listing | None
    failed: tuple[str, ...] = ()


def _poll_one(fetcher: Fetcher, due: _Due, max_sitemaps: int) -> _Polled:
    """Fetch a source (conditionally) and read its links; a sitemap index's sitemaps too, each on
    its own (one that fails is noted and the others' links kept; all failing fails the source)."""
    page = fetcher.fetch(due.url, etag=due.etag, last_modified=due.last_modified)
    if page.not_modified:
        return _Polled(page, None)
    listing = read_listing(page.body, page.final_url, due.kind or "auto")
    if not listing.sitemaps:
        return _Polled(page, listing)
    links: dict[str, Link] = {}
    failed: list[str] = []
    first: FetchError | None = None
    origin = host_of(due.url)
    children = listing.sitemaps[:max_sitemaps]
    for child in children:
        try:
            sub = fetcher.fetch(child, origin=origin)
            child_links = read_listing(sub.body, sub.final_url, "sitemap").links
        except FetchError as exc:
            first = first or exc
            failed.append(f"{child}: {exc.message}")
            continue
        for link in child_links:
            links.setdefault(link.url, link)
    if first is not None and len(failed) == len(children):
        raise FetchError(f"every sitemap of the index failed ({first.message})", due.url, first.status,
                         first.retry)
    return _Polled(page, Listing("sitemap", tuple(links.values()), listing.sitemaps), tuple(failed))


def _record_listing(store: Any, due: _Due, page: Page, listing: Listing | None, now: dt.datetime,
                    failed: Sequence[str] = ()) -> int:
    """Store a source's answer: its new links as pending articles, with its validators and next
    poll, in one transaction; the number of new links. ``failed`` (sitemaps of an index that
    failed) is kept as the source's last error, and its validators are then dropped, so that the
    next poll reads the index and its sitemaps again."""
    nxt = now + dt.timedelta(seconds=due.interval)
    warning = f"{len(failed)} sitemap(s) failed: " + "; ".join(failed[:3]) if failed else None
    added = 0
    with store.db.write() as con:
        if listing is not None and listing.links:
            table = pa.table({"url": [lk.url for lk in listing.links], "title": [lk.title for lk in listing.links],
                              "published": pa.array([lk.published for lk in listing.links], pa.date32())})
            con.register("listed_links", table)
            try:
                added = con.execute("""INSERT INTO watch_entries (url, source_url, title, published, state,
                                           attempts, first_seen)
                                       SELECT l.url, ?, l.title, l.published, 'pending', 0, ? FROM listed_links l
                                       WHERE NOT EXISTS (SELECT 1 FROM watch_entries e WHERE e.url = l.url)""",
                                    [due.url, now]).fetchall()[0][0]  # the rows inserted
            finally:
                con.unregister("listed_links")
        con.execute("""UPDATE watch_sources SET kind = coalesce(?, kind), etag = coalesce(?, etag),
                           last_modified = coalesce(?, last_modified), last_fetch = ?, last_ok = ?,
                           last_status = ?, last_error = ?, errors = 0, next_poll = ? WHERE url = ?""",
                    [listing.kind if listing else None, page.etag, page.last_modified, now, now, page.status,
                     warning, nxt, due.url])
        if failed:
            con.execute("UPDATE watch_sources SET etag = NULL, last_modified = NULL WHERE url = ?", [due.url])
    return int(added)


def _record_source_error(store: Any, due: _Due, exc: FetchError, settings: WatchSettings,
                         now: dt.datetime) -> None:
    wait_s = min(due.interval * 2 ** min(due.errors, 30), settings.source_backoff_max_seconds)
    with store.db.write() as con:
        con.execute("""UPDATE watch_sources SET last_fetch = ?, last_status = ?, last_error = ?,
                           errors = coalesce(errors, 0) + 1, total_errors = coalesce(total_errors, 0) + 1,
                           next_poll = ? WHERE url = ?""",
                    [now, exc.status, exc.message, now + dt.timedelta(seconds=max(wait_s, due.interval)),
                     due.url])


# -- the articles ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    url: str
    source_url: str
    title: str | None
    published: dt.date | None
    attempts: int
    first_seen: dt.datetime | None
    text: str | None
    page_title: str | None
    page_date: dt.date | None
    final_url: str | None
    outlet: str | None


@dataclass(frozen=True)
class _Fetched:
    text: str
    title: str | None
    date: dt.date | None
    final_url: str
    status: int


def _entries(store: Any, limit: int, now: dt.datetime, fetched: bool) -> list[_Entry]:
    """Pending articles: those fetched and waiting to be coded, or those due to be fetched."""
    where = "e.text IS NOT NULL" if fetched else "e.text IS NULL AND (e.next_try IS NULL OR e.next_try <= ?)"
    params: list[Any] = [] if fetched else [now]
    with store.db.read() as con:
        rows = con.execute(f"""SELECT e.url, e.source_url, e.title, e.published, coalesce(e.attempts, 0),
                                      e.first_seen, e.text, e.page_title, e.page_date, e.final_url, s.outlet
                               FROM watch_entries e LEFT JOIN watch_sources s ON s.url = e.source_url
                               WHERE e.state = 'pending' AND {where}
                               ORDER BY e.first_seen, e.url LIMIT {int(limit)}""", params).fetchall()
    return [_Entry(*r) for r in rows]


def _fetch_page(fetcher: Fetcher, entry: _Entry) -> _Fetched:
    """Fetch an article and extract its main text (raises FetchError or InputError)."""
    from ..io.web import read_html

    page = fetcher.fetch(entry.url, origin=host_of(entry.source_url), html=True)
    doc = read_html(page.body, page.final_url)
    return _Fetched(doc.text, doc.title, doc.date, page.final_url, page.status)


def _keep_pages(store: Any, done: Sequence[tuple[_Entry, _Fetched | Exception]], settings: WatchSettings,
                now: dt.datetime, report: RoundReport) -> None:
    """Commit what a batch's fetches gave, as they arrive: the text of each page received (to code
    next), or the failure (tried again later, or given up). A page not asked for because its
    host's robots.txt cannot be read just now is tried again later without counting an attempt;
    an unexpected error counts as a failed attempt that can be tried again."""
    with store.db.write() as con:
        for entry, got in done:
            attempts = entry.attempts + 1
            if isinstance(got, RobotsUnavailableError):
                report.entry_errors += 1
                report.note(f"{entry.url}: {got.message}")
                later = now + dt.timedelta(seconds=max(settings.retry_failed_seconds, 1) * 2 ** entry.attempts)
                con.execute("UPDATE watch_entries SET status = ?, last_error = ?, next_try = ? WHERE url = ?",
                            [got.status, got.message, later, entry.url])
                continue
            if isinstance(got, _Fetched):
                report.fetched += 1
                con.execute("""UPDATE watch_entries SET text = ?, page_title = ?, page_date = ?, final_url = ?,
                                   status = ?, attempts = ?, fetched_at = ?, last_error = NULL, next_try = NULL
                               WHERE url = ?""",
                            [got.text, got.title, got.date, got.final_url, got.status, attempts, now, entry.url])
                continue
            report.entry_errors += 1
            status = got.status if isinstance(got, FetchError) else 200 if isinstance(got, InputError) else None
            retry = got.retry if isinstance(got, FetchError) else not isinstance(got, RealpolitikError)
            message = (got.message if isinstance(got, FetchError | InputError)
                       else str(got) if isinstance(got, RealpolitikError)
                       else f"unexpected error ({type(got).__name__}: {got})")
            report.note(f"{entry.url}: {message}")
            if not retry or attempts >= settings.max_attempts:
                report.given_up += 1
                con.execute("""UPDATE watch_entries SET state = 'failed', attempts = ?, status = ?, last_error = ?,
                                   fetched_at = ?, next_try = NULL WHERE url = ?""",
                            [attempts, status, message, now, entry.url])
            else:
                later = now + dt.timedelta(seconds=settings.retry_failed_seconds * 2 ** (attempts - 1))
                con.execute("""UPDATE watch_entries SET attempts = ?, status = ?, last_error = ?, fetched_at = ?,
                                   next_try = ? WHERE url = ?""", [attempts, status, message, now, later, entry.url])


def _fetch_batch(store: Any, fetcher: Fetcher, pool: ThreadPoolExecutor, entries: list[_Entry],
                 settings: WatchSettings, now: dt.datetime, report: RoundReport,
                 progress: Callable[[], None]) -> None:
    """Fetch a batch of articles at once (the fetcher keeps to its limits), committing each page's
    text as soon as it is received, so that a stop loses as few fetched pages as can be."""
    futures: dict[Future[_Fetched], _Entry] = {pool.submit(_fetch_page, fetcher, e): e for e in entries}
    waiting: set[Future[_Fetched]] = set(futures)
    while waiting:
        finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
        done: list[tuple[_Entry, _Fetched | Exception]] = []
        for f in finished:
            try:
                done.append((futures[f], f.result()))
            except Exception as exc:  # any failure of one page is that page's, recorded as an attempt
                done.append((futures[f], exc))
        _keep_pages(store, done, settings, now, report)
        progress()


def _coding_settings(settings: Settings) -> Settings:
    """The settings the coder is built with: the watcher's and the server's parts left at their
    defaults, so that one coder serves whatever they are."""
    return settings.model_copy(update={"watch": WatchSettings(), "server": ServerSettings()})


def _code_batch(store: Any, entries: list[_Entry], settings: Settings, report: RoundReport) -> None:
    """Code the fetched texts of a batch and store them, marking their rows ``done`` (or
    ``failed``, when the text cannot be coded) in the same transaction."""
    from ..ingest import code_batch
    from ..store.batches import stored_ids, write_batch
    from ..store.dedup import content_id

    docs: dict[str, Document] = {}
    ids: dict[str, str] = {}
    for e in entries:
        assert e.text is not None
        cid = content_id(e.text)
        ids[e.url] = cid
        if cid not in docs:
            seen_day = e.first_seen.date() if e.first_seen else None
            docs[cid] = Document(id=cid, text=e.text, date=e.page_date or e.published or seen_day,
                                 title=e.page_title or e.title, url=e.final_url or e.url, source=e.source_url)
    known = stored_ids(store.db, list(docs))
    coded = code_batch(_coding_settings(settings), [d for cid, d in docs.items() if cid not in known])
    errors = {c.document.id: c.error for c in coded if c.error is not None}

    def mark(con: Any) -> None:
        for e in entries:
            cid = ids[e.url]
            error = errors.get(cid)
            if error is not None:
                con.execute("""UPDATE watch_entries SET state = 'failed', last_error = ?, text = NULL,
                                   next_try = NULL WHERE url = ?""", [f"not coded: {error.message}", e.url])
                continue
            con.execute("""UPDATE watch_entries SET state = 'done', doc_id = ?, text = NULL, page_title = NULL,
                               page_date = NULL WHERE url = ?""", [cid, e.url])
            if e.outlet and cid not in known:
                con.execute("UPDATE documents SET outlet = ? WHERE id = ? AND url = ?",
                            [e.outlet, cid, e.final_url or e.url])

    external = {ids[e.url]: e.url for e in entries}
    written = write_batch(store.db, coded, external, [], then=mark)
    report.stored += written.documents
    report.duplicates += written.duplicates
    report.events += written.events
    report.already += sum(1 for e in entries if ids[e.url] not in errors) - written.documents
    for cid, error in errors.items():
        report.entry_errors += 1
        report.given_up += 1
        report.note(f"{docs[cid].url}: not coded: {error.message}")


def _code_safely(store: Any, entries: list[_Entry], settings: Settings, report: RoundReport) -> None:
    """Code a batch; when it fails unexpectedly (not the store), code its entries one at a time,
    and mark one that fails on its own ``failed`` (its text cleared, the error recorded), so that
    it cannot hold up the entries after it."""
    try:
        _code_batch(store, entries, settings, report)
        return
    except StoreError:
        raise
    except Exception as exc:
        if len(entries) == 1:
            _fail_coding(store, entries[0], exc, report)
            return
        log.warning("coding a batch of %d articles failed (%s: %s); coding them one at a time",
                    len(entries), type(exc).__name__, exc)
    for entry in entries:
        try:
            _code_batch(store, [entry], settings, report)
        except StoreError:
            raise
        except Exception as exc:
            _fail_coding(store, entry, exc, report)


def _fail_coding(store: Any, entry: _Entry, exc: Exception, report: RoundReport) -> None:
    """Mark an article whose coding failed unexpectedly ``failed``, its text cleared."""
    message = f"not coded: unexpected error ({type(exc).__name__}: {exc})"
    with store.db.write() as con:
        con.execute("""UPDATE watch_entries SET state = 'failed', last_error = ?, text = NULL, next_try = NULL
                       WHERE url = ?""", [message, entry.url])
    report.entry_errors += 1
    report.given_up += 1
    report.note(f"{entry.url}: {message}")


def _as_fetch_error(exc: Exception, url: str) -> FetchError:
    """A source's failure as a FetchError, to record: itself, or an unexpected error (tried later)."""
    if isinstance(exc, FetchError):
        return exc
    message = exc.message if isinstance(exc, InputError) else f"unexpected error ({type(exc).__name__}: {exc})"
    return FetchError(message, url)


def poll_round(store: Any, settings: Settings | None = None, *, fetcher: Fetcher | None = None,
               stop: threading.Event | None = None, on_progress: Callable[[RoundReport], None] | None = None,
               now: dt.datetime | None = None) -> RoundReport:
    """One round over the store's sources (see the module docstring); never raises for a source
    or an article that fails (each is recorded), only for the store itself."""
    settings = settings or Settings()
    ws = settings.watch
    report = RoundReport()
    started = time.perf_counter()
    now = now or _now()
    own = fetcher is None
    fetcher = fetcher or Fetcher(ws)
    stop = stop or threading.Event()

    def progress() -> None:
        report.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(report)

    try:
        with ThreadPoolExecutor(max_workers=ws.concurrency, thread_name_prefix="realpolitik-watch") as pool:
            due = _due_sources(store, now)
            polls = {pool.submit(_poll_one, fetcher, d, ws.max_sitemaps): d for d in due}
            for f in _as_done(polls, stop):
                if f.cancelled():
                    continue
                d = polls[f]
                report.polled += 1
                try:
                    polled = f.result()
                    report.unchanged += 1 if polled.page.not_modified else 0
                    report.new_entries += _record_listing(store, d, polled.page, polled.listing, _now(),
                                                          polled.failed)
                    for failure in polled.failed:
                        report.note(f"{d.url}: sitemap {failure}")
                except StoreError:
                    raise
                except Exception as exc:  # any failure of one source is that source's, recorded
                    error = _as_fetch_error(exc, d.url)
                    report.source_errors += 1
                    report.note(f"{d.url}: {error.message}")
                    _record_source_error(store, d, error, ws, _now())
                progress()
            while not stop.is_set():  # texts kept by a watcher that stopped before coding them
                kept = _entries(store, ws.batch_size, now, fetched=True)
                if not kept:
                    break
                _code_safely(store, kept, settings, report)
                progress()
            _fetch_and_code(store, fetcher, pool, settings, now, report, stop, progress)
    finally:
        if own:
            fetcher.close()
    report.seconds = time.perf_counter() - started
    return report


def _fetch_ahead(store: Any, fetcher: Fetcher, pool: ThreadPoolExecutor, entries: list[_Entry],
                 settings: WatchSettings) -> RoundReport:
    """Fetch a batch while the one before is coded; what it did, to be added to the round's report."""
    report = RoundReport()
    _fetch_batch(store, fetcher, pool, entries, settings, _now(), report, lambda: None)
    return report


def _fetch_and_code(store: Any, fetcher: Fetcher, pool: ThreadPoolExecutor, settings: Settings,
                    now: dt.datetime, report: RoundReport, stop: threading.Event,
                    progress: Callable[[], None]) -> None:
    """Fetch the waiting articles a batch at a time and code them: each batch's pages are fetched
    (waiting on the network) while the batch before is coded (working the processor), and every
    page is kept in the store as it arrives either way, so a stop at any moment loses nothing."""
    ws = settings.watch
    ahead: Future[RoundReport] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="realpolitik-watch-ahead") as runner:
        try:
            while not stop.is_set():
                if ahead is not None:
                    _add(report, ahead.result())
                    ahead = None
                else:
                    batch = _entries(store, ws.batch_size, now, fetched=False)
                    if not batch:
                        break
                    _fetch_batch(store, fetcher, pool, batch, ws, _now(), report, progress)
                following = _entries(store, ws.batch_size, now, fetched=False) if not stop.is_set() else []
                if following:
                    ahead = runner.submit(_fetch_ahead, store, fetcher, pool, following, ws)
                kept = _entries(store, ws.batch_size * 2, now, fetched=True)
                if kept and not stop.is_set():
                    _code_safely(store, kept, settings, report)
                progress()
        finally:
            if ahead is not None:  # stopping: the pages on their way are kept, to be coded next time
                _add(report, ahead.result())


def _as_done(futures: dict[Future[Any], Any], stop: threading.Event | None = None) -> Iterator[Future[Any]]:
    """The futures as they finish; once ``stop`` is set, those not started are cancelled (and
    yielded cancelled), those running awaited (each bounded by the fetcher's deadline)."""
    waiting = set(futures)
    while waiting:
        finished, waiting = wait(waiting, timeout=0.2, return_when=FIRST_COMPLETED)
        if stop is not None and stop.is_set():
            for f in waiting:
                f.cancel()
        yield from finished


# -- the loop -----------------------------------------------------------------------------------

@contextlib.contextmanager
def _watch_lock(store: Any) -> Iterator[None]:
    """Hold ``STORE.watch-lock`` for the watcher's life: a second watcher on the store fails at once
    (two would fetch the same articles). The lock goes with the process, however it ends."""
    path = str(getattr(store.db, "path", ":memory:"))
    if path == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # no advisory locks here: one watcher a store is up to the user
        yield
        return
    lock = Path(path + ".watch-lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(f"{path}: another `realpolitik watch` is working on this store; stop it first, "
                             "or give this one another --db") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)


def _next_wake(store: Any, settings: WatchSettings) -> float:
    """Seconds until a source or an article is next due (at least a fifth of a second, at most
    the polling interval)."""
    with store.db.read() as con:
        (soonest,) = con.execute("""SELECT least((SELECT min(next_poll) FROM watch_sources),
                                                 (SELECT min(next_try) FROM watch_entries
                                                  WHERE state = 'pending'))""").fetchall()[0]
    if soonest is None:
        return float(settings.interval_seconds)
    return min(max((soonest - dt.datetime.now()).total_seconds(), 0.2), float(settings.interval_seconds))


def watch(store: Any, sources: str | Path, settings: Settings | None = None, *, once: bool = False,
          stop: threading.Event | None = None, fetcher: Fetcher | None = None,
          after_round: Callable[[RoundReport], None] | None = None,
          on_progress: Callable[[RoundReport], None] | None = None,
          on_sources_error: Callable[[SourcesFileError], None] | None = None) -> WatchReport:
    """Watch the sources of a file into a store: rounds until ``stop`` is set (or one, with ``once``).

    The sources file is read at start (a SourcesFileError stops here) and again whenever it
    changes (a bad edit is passed to ``on_sources_error`` and the previous sources are kept).
    ``after_round`` is called after each round (alert rules are checked there).
    """
    settings = settings or Settings()
    stop = stop or threading.Event()
    path = Path(sources)
    listed = read_sources(path)
    mtime = path.stat().st_mtime_ns
    out = WatchReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings.watch)
    try:
        with _watch_lock(store):
            sync_sources(store, listed, settings.watch)
            while True:
                try:
                    changed = path.stat().st_mtime_ns
                except OSError:
                    changed = mtime
                if changed != mtime:
                    mtime = changed
                    try:
                        listed = read_sources(path)
                        sync_sources(store, listed, settings.watch)
                    except SourcesFileError as exc:
                        if on_sources_error:
                            on_sources_error(exc)
                try:
                    report = poll_round(store, settings, fetcher=fetcher, stop=stop, on_progress=on_progress)
                except StoreError:
                    raise
                except Exception as exc:  # a bug in a round: reported, and the next round goes on
                    log.exception("a watch round failed")
                    report = RoundReport()
                    report.note(f"the round failed: {type(exc).__name__}: {exc}")
                out.rounds += 1
                out.last = report
                _add(out.total, report)
                if after_round:
                    after_round(report)
                if once or stop.is_set():
                    break
                stop.wait(_next_wake(store, settings.watch))
                if stop.is_set():
                    break
    finally:
        if own:
            fetcher.close()
    return out


def _add(total: RoundReport, r: RoundReport) -> None:
    for name in ("polled", "unchanged", "source_errors", "new_entries", "fetched", "stored", "already",
                 "duplicates", "events", "entry_errors", "given_up"):
        setattr(total, name, getattr(total, name) + getattr(r, name))
    total.seconds += r.seconds
    for e in r.errors:
        total.note(e)
