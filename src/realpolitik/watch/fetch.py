"""Polite and safe fetching of feeds, sitemaps and article pages.

Example::

    >>> from realpolitik.config import WatchSettings
    >>> from realpolitik.watch.fetch import Fetcher
    >>> fetcher = Fetcher(WatchSettings(contact="mailto:news@example.org"))
    >>> fetcher.user_agent.startswith("realpolitik/")
    True
    >>> fetcher.fetch("ftp://example.org/feed.xml")
    Traceback (most recent call last):
    ...
    realpolitik.errors.FetchError: ftp://example.org/feed.xml: only http and https URLs are fetched
    >>> fetcher.close()

The rules (settings in :class:`~realpolitik.config.WatchSettings`):

- **polite**: a User-Agent naming the project and a contact; robots.txt read once per host (kept
  for ``robots_cache_seconds``; a missing one allows everything, one that cannot be read for a
  server error or a timeout allows nothing until it can); at most ``host_concurrency`` requests
  to one host at once, started ``host_delay_seconds`` apart, and ``concurrency`` in all;
- **patient**: timeouts, and ``retries`` retries after a timeout, a connection error, a 5xx or
  a 429 answer, waiting ``backoff_seconds`` doubled each time (or the answer's Retry-After, up
  to ``retry_after_max_seconds``); conditional requests (ETag, Last-Modified) answered 304;
- **safe**: http and https only; at most ``max_redirects`` redirects, followed one by one, a
  loop refused; an answer longer than ``max_bytes`` cut off while it arrives; an article must be
  HTML; and a link or redirect that leads from the source's host to *another* host is refused
  when that host's address is loopback, private or link-local (the sources file's own URLs and
  the links on a source's own host are fetched as given), unless ``allow_private``. The address
  checked is the one connected to (no second DNS lookup between the check and the request).

Every failure is a :class:`~realpolitik.errors.FetchError` with the URL, the status when there
was an answer, and ``retry`` False when trying again cannot help (a refusal, a page that is not
HTML or is too big, a 4xx answer).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from ..config import WatchSettings
from ..errors import FetchError

__all__ = ["Fetcher", "Page", "host_of", "strip_fragment", "is_private_address", "ROBOTS_AGENT"]

ROBOTS_AGENT = "realpolitik"
"""The name robots.txt rules are read for."""

ROBOTS_BYTES = 512_000
"""Most of a robots.txt read (the standard asks crawlers to read at least 500 KiB)."""

REDIRECTS = (301, 302, 303, 307, 308)
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
               "*/*;q=0.5")
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Page:
    """An answer: the bytes of a page, or that it has not changed (304)."""

    url: str
    """The URL asked for."""
    final_url: str
    """The URL answered, after redirects."""
    status: int
    """200, or 304 when the validators sent still hold."""
    body: bytes
    """The bytes (decompressed); empty for 304."""
    content_type: str | None
    """The media type of the answer, without parameters, lower case."""
    etag: str | None
    """The answer's ETag, to send as If-None-Match next time."""
    last_modified: str | None
    """The answer's Last-Modified, to send as If-Modified-Since next time."""

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer."""
        return self.status == 304


def host_of(url: str) -> str:
    """The host name of a URL, lower case, without port ('' when it has none).

    Example::

        >>> host_of("https://News.Example.org:8443/a?b")
        'news.example.org'
    """
    return (urlsplit(url).hostname or "").lower()


def strip_fragment(url: str) -> str:
    """A URL without its ``#fragment``.

    Example::

        >>> strip_fragment("https://example.org/a/b?c=1#comments")
        'https://example.org/a/b?c=1'
    """
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def is_private_address(address: str) -> bool:
    """True for an address the watcher does not reach from another host's link: loopback, private,
    link-local, shared, reserved, multicast or unspecified (an IPv4 address inside IPv6 as itself).

    Example::

        >>> is_private_address("10.255.255.1"), is_private_address("::1"), is_private_address("93.184.216.34")
        (True, True, False)
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    shared = isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10")
    return bool(ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
                or ip.is_unspecified or shared)


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date); None if it says nothing."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _media_type(value: str | None) -> str | None:
    return value.split(";", 1)[0].strip().lower() or None if value else None


class _Host:
    """One host's share: its request slots and when its next request may start."""

    def __init__(self, slots: int) -> None:
        self.slots = threading.BoundedSemaphore(slots)
        self.lock = threading.Lock()
        self.next_at = 0.0


class _Robots:
    """A host's robots.txt rules, read once and kept for a while."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.parser: RobotFileParser | None = None
        self.read_at = -1e18


@dataclass(frozen=True)
class _Hop:
    """One request of a fetch: where to connect, and what to say."""

    url: str
    connect_url: str
    headers: dict[str, str]
    extensions: dict[str, Any]


class Fetcher:
    """The watcher's HTTP client: one per watcher, shared by its threads; see the module docstring.

    ``transport`` replaces the network (an ``httpx.MockTransport`` in tests) and ``resolve``
    the DNS lookup (``host, port -> [addresses]``).
    """

    def __init__(self, settings: WatchSettings | None = None, *, transport: httpx.BaseTransport | None = None,
                 resolve: Callable[[str, int], list[str]] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        from .. import __version__

        self.settings = s = settings or WatchSettings()
        contact = f" (+{s.contact})" if s.contact else ""
        self.user_agent = s.user_agent or f"realpolitik/{__version__}{contact}"
        self._client = httpx.Client(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(s.timeout_seconds),
            limits=httpx.Limits(max_connections=s.concurrency, max_keepalive_connections=s.concurrency),
            headers={"User-Agent": self.user_agent})
        self._resolve = resolve or _resolve
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(s.concurrency)
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, _Robots] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one public call ------------------------------------------------------------------

    def fetch(self, url: str, *, origin: str | None = None, etag: str | None = None,
              last_modified: str | None = None, html: bool = False, max_bytes: int | None = None) -> Page:
        """GET ``url`` by the rules; ``origin`` is the host whose links may lead anywhere on it
        (the source's; default the URL's own host), ``etag``/``last_modified`` the validators of
        the last answer, ``html`` True for an article (it must be an HTML page)."""
        s = self.settings
        limit = max_bytes or (s.max_bytes if html else s.max_feed_bytes)
        headers = {"Accept": HTML_ACCEPT if html else FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, origin if origin is not None else host_of(url), headers, limit, html,
                            robots=s.robots)

    # -- redirects, hop by hop ---------------------------------------------------------------

    def _follow(self, url: str, origin: str, headers: dict[str, str], limit: int, html: bool,
                robots: bool) -> Page:
        seen: list[str] = []
        current = url
        while True:
            hop = self._hop(current, origin, headers)
            if robots:
                self._check_robots(current, origin)
            seen.append(strip_fragment(current))
            answer = self._with_retries(hop, limit, html)
            if isinstance(answer, Page):
                return Page(url=url, final_url=current, status=answer.status, body=answer.body,
                            content_type=answer.content_type, etag=answer.etag,
                            last_modified=answer.last_modified)
            status, location = answer
            target = strip_fragment(urljoin(current, location))
            if target in seen:
                raise FetchError(f"redirect loop ({current} -> {target})", url, status, retry=False)
            if len(seen) > self.settings.max_redirects:
                raise FetchError(f"more than {self.settings.max_redirects} redirects", url, status, retry=False)
            current = target

    def _hop(self, url: str, origin: str, headers: dict[str, str]) -> _Hop:
        """Check one URL against the rules; the request to make for it (to the checked address)."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError("only http and https URLs are fetched", url, retry=False)
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError("the URL has no host", url, retry=False)
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            raise FetchError("the URL has a bad port", url, retry=False) from None
        if host == origin:
            return _Hop(url, url, dict(headers), {})
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = self._resolve(host, port)
            except OSError as exc:
                raise FetchError(f"cannot resolve {host} ({exc})", url) from None
        if not addresses:
            raise FetchError(f"cannot resolve {host}", url)
        if not self.settings.allow_private:
            bad = [a for a in addresses if is_private_address(a)]
            if bad:
                raise FetchError(f"refused: {host} is at a loopback, private or link-local address ({bad[0]}), "
                                 f"reached from {origin or 'another host'} (setting watch.allow_private)",
                                 url, retry=False)
        address = addresses[0]
        shown = f"[{address}]" if ":" in address else address
        netloc = shown if parts.port is None else f"{shown}:{parts.port}"
        connect = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        extensions: dict[str, Any] = {"sni_hostname": host} if parts.scheme.lower() == "https" else {}
        return _Hop(url, connect, {**headers, "Host": parts.netloc.rsplit("@", 1)[-1]}, extensions)

    # -- robots.txt ----------------------------------------------------------------------------

    def _check_robots(self, url: str, origin: str) -> None:
        parts = urlsplit(url)
        key = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._lock:
            entry = self._robots.setdefault(key, _Robots())
        with entry.lock:
            if time.monotonic() - entry.read_at > self.settings.robots_cache_seconds or entry.parser is None:
                entry.parser = self._read_robots(key, origin, url)
                entry.read_at = time.monotonic()
            allowed = entry.parser.can_fetch(ROBOTS_AGENT, url)
        if not allowed:
            raise FetchError(f"robots.txt of {parts.netloc} does not allow it", url, retry=False)

    def _read_robots(self, base: str, origin: str, url: str) -> RobotFileParser:
        parser = RobotFileParser(base + "/robots.txt")
        try:
            page = self._follow(base + "/robots.txt", origin, {"Accept": "text/plain, */*;q=0.5"}, ROBOTS_BYTES,
                                html=False, robots=False)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                parser.parse([])  # no robots.txt: everything is allowed
                parser.modified()
                return parser
            raise FetchError(f"robots.txt of {urlsplit(base).netloc} cannot be read ({exc.message}); "
                             "tried again later", url, exc.status) from None
        except OSError as exc:
            raise FetchError(f"robots.txt cannot be read ({exc})", url) from None
        parser.parse(page.body.decode("utf-8", "replace").splitlines())
        parser.modified()  # the standard parser allows nothing until it is marked as read
        return parser

    # -- one request, with its retries --------------------------------------------------------

    def _with_retries(self, hop: _Hop, limit: int, html: bool) -> Page | tuple[int, str]:
        s = self.settings
        attempt = 0
        while True:
            try:
                return self._request(hop, limit, html)
            except _Retryable as exc:
                wait = s.backoff_seconds * (2 ** attempt) * (0.75 + random.random() / 2)
                if exc.retry_after is not None:
                    if exc.retry_after > s.retry_after_max_seconds:
                        raise FetchError(f"{exc.message}; asked to wait {exc.retry_after:.0f} s", hop.url,
                                         exc.status) from None
                    wait = exc.retry_after
                if attempt >= s.retries:
                    tries = f" (tried {attempt + 1} times)" if attempt else ""
                    raise FetchError(exc.message + tries, hop.url, exc.status) from None
                attempt += 1
                self._sleep(wait)

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(self.settings.host_concurrency)
            return host

    def _request(self, hop: _Hop, limit: int, html: bool) -> Page | tuple[int, str]:
        host = self._host(hop.url)
        with host.slots:
            with host.lock:
                now = time.monotonic()
                start = max(now, host.next_at)
                host.next_at = start + self.settings.host_delay_seconds
            if start > now:
                self._sleep(start - now)
            with self._slots:
                return self._send(hop, limit, html)

    def _send(self, hop: _Hop, limit: int, html: bool) -> Page | tuple[int, str]:
        url = hop.url
        deadline = time.monotonic() + 3 * self.settings.timeout_seconds
        try:
            with self._client.stream("GET", hop.connect_url, headers=hop.headers,
                                     extensions=hop.extensions) as r:
                status = r.status_code
                if status in REDIRECTS:
                    location = r.headers.get("Location")
                    if not location:
                        raise FetchError(f"a redirect ({status}) without a Location", url, status, retry=False)
                    return status, location
                if status == 304:
                    return Page(url, url, 304, b"", None, r.headers.get("ETag"), r.headers.get("Last-Modified"))
                if status == 429 or status >= 500:
                    raise _Retryable(f"the server answered {status}", status,
                                     _retry_after(r.headers.get("Retry-After")))
                if status != 200:
                    raise FetchError(f"the server answered {status}", url, status,
                                     retry=status in (408, 425) or not 400 <= status < 500)
                kind = _media_type(r.headers.get("Content-Type"))
                if html and kind is not None and kind not in HTML_TYPES:
                    raise FetchError(f"not an HTML page ({kind})", url, status, retry=False)
                declared = r.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"too big: {int(declared):,} bytes (the limit is {limit:,})", url, status,
                                     retry=False)
                chunks: list[bytes] = []
                size = 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"too big: over {limit:,} bytes", url, status, retry=False)
                    if time.monotonic() > deadline:
                        raise _Retryable("the answer took too long to arrive", status, None)
                    chunks.append(chunk)
                body = b"".join(chunks)
                if html and kind is None and not body.lstrip()[:1] == b"<":
                    raise FetchError("not an HTML page (no Content-Type, and not markup)", url, status, retry=False)
                return Page(url, url, 200, body, kind, r.headers.get("ETag"), r.headers.get("Last-Modified"))
        except httpx.TimeoutException:
            raise _Retryable(f"timed out after {self.settings.timeout_seconds:g} s", None, None) from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__}: {exc})", None, None) from None
        except httpx.HTTPError as exc:  # an answer that breaks the protocol
            raise FetchError(f"bad answer ({type(exc).__name__}: {exc})", url) from None


class _Retryable(Exception):
    """A failure worth trying again at once (within the retries)."""

    def __init__(self, message: str, status: int | None, retry_after: float | None) -> None:
        super().__init__(message)
        self.message, self.status, self.retry_after = message, status, retry_after


def _resolve(host: str, port: int) -> list[str]:
    """The addresses of a host name, in the system's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in out:
            out.append(address)
    return out
