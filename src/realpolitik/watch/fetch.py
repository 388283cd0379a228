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
  loop refused; a URL or redirect target that is not a valid http(s) URL refused; an answer
  longer than ``max_bytes`` (decompressed) cut off while it arrives, and at most one of gzip or
  deflate accepted as its Content-Encoding (no stacked or other encodings); a whole request,
  headers included, bounded by a wall-clock deadline of three times ``timeout_seconds``; an
  article must be HTML; and a link or redirect that leads from the source's host to *another* host is refused
  when that host's address is loopback, private or link-local (the sources file's own URLs and
  the links on a source's own host are fetched as given), unless ``allow_private``. The address
  checked is the one connected to (no second DNS lookup between the check and the request);
  an IPv6 address embedding an IPv4 one (mapped, 6to4, Teredo) is judged by the IPv4 address too.
  A host name is sent IDNA-encoded (``bücher.de`` as ``xn--bcher-kva.de``).

robots.txt is read up to its first 500 KiB (the rest is ignored, as RFC 9309 allows). When it
cannot be read, the host's articles fail with :class:`RobotsUnavailableError` (the watcher tries them
again later without counting an attempt), and it is not asked for again for
``min(60, robots_cache_seconds)`` seconds.

Every failure is a :class:`~realpolitik.errors.FetchError` with the URL, the status when there
was an answer, and ``retry`` False when trying again cannot help (a refusal, a page that is not
HTML or is too big, a 4xx answer).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import math
import random
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from ..config import WatchSettings
from ..errors import FetchError, RobotsUnavailableError

__all__ = ["Fetcher", "Page", "retry_after", "host_of", "strip_fragment", "is_private_address",
           "ROBOTS_AGENT"]

ROBOTS_AGENT = "realpolitik"
"""The name robots.txt rules are read for."""

ROBOTS_BYTES = 512_000
"""Most of a robots.txt read (the standard asks crawlers to read at least 500 KiB); a longer one is
cut there and the rest ignored."""

ROBOTS_FAILURE_SECONDS = 60.0
"""How long a robots.txt that could not be read is not asked for again (at most
``robots_cache_seconds``): the host's articles fail at once meanwhile, for later."""

ACCEPT_ENCODING = "gzip, deflate"
"""The content codings asked for: one of them at most is decoded (by the fetcher, within the size
limit); brotli and zstd are not advertised."""

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
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # not a URL (an unclosed IPv6 bracket): no host
        return ""


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
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        if any(v4 is not None and is_private_address(str(v4)) for v4 in embedded[1:]):
            return True
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
    shared = isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10")
    return bool(ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
                or ip.is_unspecified or shared)


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number of seconds or an HTTP date); None if it
    says nothing that can be read.

    >>> retry_after("120"), retry_after("soon"), retry_after(None)
    (120.0, None, None)
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _media_type(value: str | None) -> str | None:
    return value.split(";", 1)[0].strip().lower() or None if value else None


def _ascii_host(url: str) -> str:
    """The host of a URL as sent on the wire (IDNA-encoded, IPv6 without brackets); a FetchError
    when it cannot be (an empty or over-long label, a character not allowed)."""
    try:
        return httpx.URL(url).raw_host.decode("ascii").lower()
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise FetchError(f"not a valid URL ({exc})", url, retry=False) from None


class _Inflater:
    """Decompresses a gzip or deflate body a piece at a time, never more than it is asked for
    (so that a small compressed answer cannot grow past the size limit in memory)."""

    def __init__(self, gzip: bool) -> None:
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        self._raw_fallback = not gzip  # a "deflate" answer is zlib-wrapped, or (often) raw deflate
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """The bytes ``data`` decompresses to, at most ``room + 1`` of them (more than ``room``:
        the answer is over the limit); raises zlib.error for data that is not compressed so."""
        out: list[bytes] = []
        size = 0
        while data and size <= room:
            try:
                piece = self._obj.decompress(data, room - size + 1)
            except zlib.error:
                if not (self._raw_fallback and not self._started):
                    raise
                self._obj, self._raw_fallback = zlib.decompressobj(-zlib.MAX_WBITS), False
                continue
            self._started = True
            out.append(piece)
            size += len(piece)
            data = self._obj.unconsumed_tail
        return b"".join(out)


def _inflater(value: str | None, url: str, status: int) -> _Inflater | None:
    """The decoder of a Content-Encoding: None for none (or identity), one for gzip or deflate;
    a FetchError for stacked codings (``gzip, gzip``) or any other."""
    codings = [c for c in (v.strip().lower() for v in (value or "").split(",")) if c and c != "identity"]
    if not codings:
        return None
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"refused: Content-Encoding {value!r} (one of gzip or deflate is accepted)", url, status,
                         retry=False)
    return _Inflater(codings[0] != "deflate")


_deadline = threading.local()
"""The wall-clock deadline (``time.monotonic()``) of the request this thread is making, if any."""


def _bounded(timeout: float | None) -> float | None:
    """A socket operation's timeout cut to what is left before this thread's request deadline; a
    timeout at once when it has passed."""
    at = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits no longer than its request's deadline, so
    that a server trickling its headers or body a byte at a time cannot hold a request open."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """The network of the fetcher's own transport: connections bounded by their request's deadline."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_tcp(host, port, _bounded(timeout), local_address,
                                                       socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(path, _bounded(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _transport(limits: httpx.Limits) -> httpx.BaseTransport:
    """An HTTP transport whose connections keep to each request's deadline (see _DeadlineStream)."""
    transport = httpx.HTTPTransport(limits=limits, trust_env=False)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is not None:  # httpx has no public door for it; without it, only the body is bounded
        pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]
    return transport


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
        self.failure: FetchError | None = None
        self.failed_at = -1e18


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
        limits = httpx.Limits(max_connections=s.concurrency, max_keepalive_connections=s.concurrency)
        self._client = httpx.Client(
            transport=transport or _transport(limits), follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(s.timeout_seconds), limits=limits,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING})
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
                robots: bool, truncate: bool = False) -> Page:
        seen: list[str] = []
        current = url
        while True:
            hop = self._hop(current, origin, headers)
            if robots:
                self._check_robots(current, origin)
            seen.append(strip_fragment(current))
            answer = self._with_retries(hop, limit, html, truncate)
            if isinstance(answer, Page):
                return Page(url=url, final_url=current, status=answer.status, body=answer.body,
                            content_type=answer.content_type, etag=answer.etag,
                            last_modified=answer.last_modified)
            status, location = answer
            try:
                target = strip_fragment(urljoin(current, location))
            except ValueError:
                raise FetchError(f"a redirect to an invalid URL ({location[:200]!r})", url, status,
                                 retry=False) from None
            if target in seen:
                raise FetchError(f"redirect loop ({current} -> {target})", url, status, retry=False)
            if len(seen) > self.settings.max_redirects:
                raise FetchError(f"more than {self.settings.max_redirects} redirects", url, status, retry=False)
            current = target

    def _hop(self, url: str, origin: str, headers: dict[str, str]) -> _Hop:
        """Check one URL against the rules; the request to make for it (to the checked address)."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError as exc:
            raise FetchError(f"not a valid URL ({exc})", url, retry=False) from None
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError("only http and https URLs are fetched", url, retry=False)
        if not host:
            raise FetchError("the URL has no host", url, retry=False)
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            raise FetchError("the URL has a bad port", url, retry=False) from None
        wire = _ascii_host(url)
        if host == origin:
            return _Hop(url, url, dict(headers), {})
        try:
            addresses = [str(ipaddress.ip_address(wire))]
        except ValueError:
            try:
                addresses = self._resolve(wire, port)
            except UnicodeError as exc:
                raise FetchError(f"not a valid host name ({exc})", url, retry=False) from None
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
        secure = parts.scheme.lower() == "https"
        extensions: dict[str, Any] = {"sni_hostname": wire} if secure else {}
        named = f"[{wire}]" if ":" in wire else wire
        sent = {**headers, "Host": named if parts.port is None else f"{named}:{parts.port}"}
        if secure:
            # connections are pooled by address: one kept open would carry the next name's request
            # over a TLS session whose certificate was checked for another name
            sent["Connection"] = "close"
        return _Hop(url, connect, sent, extensions)

    # -- robots.txt ----------------------------------------------------------------------------

    def _check_robots(self, url: str, origin: str) -> None:
        parts = urlsplit(url)
        key = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._lock:
            entry = self._robots.setdefault(key, _Robots())
        with entry.lock:
            now = time.monotonic()
            if entry.failure is not None and now - entry.failed_at < min(ROBOTS_FAILURE_SECONDS,
                                                                          self.settings.robots_cache_seconds):
                raise RobotsUnavailableError(entry.failure.message, url, entry.failure.status)
            if now - entry.read_at > self.settings.robots_cache_seconds or entry.parser is None:
                try:
                    entry.parser = self._read_robots(key, origin, url)
                except RobotsUnavailableError as exc:
                    entry.failure, entry.failed_at = exc, time.monotonic()
                    raise
                entry.failure = None
                entry.read_at = time.monotonic()
            allowed = entry.parser.can_fetch(ROBOTS_AGENT, url)
        if not allowed:
            raise FetchError(f"robots.txt of {parts.netloc} does not allow it", url, retry=False)

    def _read_robots(self, base: str, origin: str, url: str) -> RobotFileParser:
        parser = RobotFileParser(base + "/robots.txt")
        try:
            page = self._follow(base + "/robots.txt", origin, {"Accept": "text/plain, */*;q=0.5"}, ROBOTS_BYTES,
                                html=False, robots=False, truncate=True)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                parser.parse([])  # no robots.txt: everything is allowed
                parser.modified()
                return parser
            raise RobotsUnavailableError(f"robots.txt of {urlsplit(base).netloc} cannot be read ({exc.message}); "
                                    "tried again later", url, exc.status) from None
        except OSError as exc:
            raise RobotsUnavailableError(f"robots.txt cannot be read ({exc})", url) from None
        parser.parse(page.body.decode("utf-8", "replace").splitlines())
        parser.modified()  # the standard parser allows nothing until it is marked as read
        return parser

    # -- one request, with its retries --------------------------------------------------------

    def _with_retries(self, hop: _Hop, limit: int, html: bool, truncate: bool) -> Page | tuple[int, str]:
        s = self.settings
        attempt = 0
        while True:
            try:
                return self._request(hop, limit, html, truncate)
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

    def _request(self, hop: _Hop, limit: int, html: bool, truncate: bool) -> Page | tuple[int, str]:
        host = self._host(hop.url)
        with host.slots:
            with host.lock:
                now = time.monotonic()
                start = max(now, host.next_at)
                host.next_at = start + self.settings.host_delay_seconds
            if start > now:
                self._sleep(start - now)
            with self._slots:
                return self._send(hop, limit, html, truncate)

    def _send(self, hop: _Hop, limit: int, html: bool, truncate: bool) -> Page | tuple[int, str]:
        """One request; ``truncate`` keeps the first ``limit`` bytes of a longer answer instead of
        refusing it. The whole of it, headers included, keeps to a wall-clock deadline."""
        url = hop.url
        deadline = time.monotonic() + 3 * self.settings.timeout_seconds
        _deadline.at = deadline
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
                                     retry_after(r.headers.get("Retry-After")))
                if status != 200:
                    raise FetchError(f"the server answered {status}", url, status,
                                     retry=status in (408, 425) or not 400 <= status < 500)
                kind = _media_type(r.headers.get("Content-Type"))
                if html and kind is not None and kind not in HTML_TYPES:
                    raise FetchError(f"not an HTML page ({kind})", url, status, retry=False)
                declared = r.headers.get("Content-Length")
                if not truncate and declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"too big: {int(declared):,} bytes (the limit is {limit:,})", url, status,
                                     retry=False)
                body = self._read_body(r, url, limit, truncate, deadline)
                if html and kind is None and not body.lstrip()[:1] == b"<":
                    raise FetchError("not an HTML page (no Content-Type, and not markup)", url, status, retry=False)
                return Page(url, url, 200, body, kind, r.headers.get("ETag"), r.headers.get("Last-Modified"))
        except httpx.TimeoutException:
            if time.monotonic() >= deadline:
                raise _Retryable(f"the answer took too long to arrive (over {3 * self.settings.timeout_seconds:g} s)",
                                 None, None) from None
            raise _Retryable(f"timed out after {self.settings.timeout_seconds:g} s", None, None) from None
        except httpx.RemoteProtocolError as exc:
            if str(exc).startswith("Invalid URL in location header"):  # httpx reads the Location itself
                raise FetchError(f"a redirect to an invalid URL ({exc})", url, retry=False) from None
            raise _Retryable(f"connection failed ({type(exc).__name__}: {exc})", None, None) from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({type(exc).__name__}: {exc})", None, None) from None
        except httpx.HTTPError as exc:  # an answer that breaks the protocol
            raise FetchError(f"bad answer ({type(exc).__name__}: {exc})", url) from None
        except httpx.InvalidURL as exc:  # a URL, or a redirect's Location, httpx cannot make a request of
            raise FetchError(f"not a valid URL ({exc})", url, retry=False) from None
        finally:
            _deadline.at = None

    @staticmethod
    def _read_body(r: httpx.Response, url: str, limit: int, truncate: bool, deadline: float) -> bytes:
        """The body as it arrives, decompressed here (one gzip or deflate coding at most) so that
        no more than ``limit`` bytes are ever held: over it, a FetchError (or, ``truncate``, the
        first ``limit`` bytes)."""
        status = r.status_code
        inflater = _inflater(r.headers.get("Content-Encoding"), url, status)
        pieces = r.iter_raw()
        if r.is_stream_consumed:  # an answer read whole already (a test's mock transport): httpx decoded it
            pieces, inflater = iter([r.content]), None
        chunks: list[bytes] = []
        size = 0
        for raw in pieces:
            if time.monotonic() > deadline:
                raise _Retryable("the answer took too long to arrive", status, None)
            try:
                chunk = inflater.feed(raw, limit - size) if inflater is not None else raw
            except zlib.error as exc:
                raise FetchError(f"bad answer (cannot decompress it: {exc})", url, status, retry=False) from None
            if size + len(chunk) > limit:
                if not truncate:
                    raise FetchError(f"too big: over {limit:,} bytes", url, status, retry=False)
                chunks.append(chunk[:limit - size])
                break
            size += len(chunk)
            chunks.append(chunk)
        return b"".join(chunks)


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
