"""A local news site for the watcher's tests and benchmark: feeds, sitemaps and article pages
served on 127.0.0.1 (a random port) by a threaded HTTP server, changed while a watcher runs.

    server = FeedServer()
    server.add_feed("/world.rss", [server.add_article(f"/world/{i}.html", i) for i in range(50)])
    ... server.url("/world.rss") ...
    server.close()

It answers conditional requests (If-None-Match, If-Modified-Since) with 304, logs every request
(method, path, host, conditional headers, status: ``dropped`` for a request it never answered),
and plants faults: a slow answer, an error status, malformed XML, a redirect loop or a redirect
anywhere, a huge page, a PDF, a path that disappears, holding article requests unanswered.
The articles are short made-up news items, numbered so that each is a distinct text.
"""

from __future__ import annotations

import email.utils
import hashlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

COUNTRIES = [("Iraq", "Baghdad"), ("Jordan", "Amman"), ("Turkey", "Ankara"), ("Egypt", "Cairo"),
             ("Iran", "Tehran"), ("Japan", "Tokyo"), ("Kenya", "Nairobi"), ("Poland", "Warsaw"),
             ("Brazil", "Brasilia"), ("India", "New Delhi"), ("Nigeria", "Abuja"), ("Mexico", "Mexico City"),
             ("France", "Paris"), ("Germany", "Berlin"), ("Pakistan", "Islamabad"), ("Ukraine", "Kyiv"),
             ("Ethiopia", "Addis Ababa"), ("Saudi Arabia", "Riyadh"), ("Syria", "Damascus"), ("China", "Beijing")]
TOPICS = ["water", "trade", "energy", "border security", "fisheries", "rail links", "grain exports", "refugees",
          "electricity", "customs", "civil aviation", "health care"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ACTS = [
    "Ministers of {a} and {b} signed an agreement on {topic} in {city} on {day}.",
    "{a} accused {b} of violating the border {n} times since {month}.",
    "The president of {a} met the prime minister of {b} in {city} on {day} to discuss {topic}.",
    "{a} announced {n} million dollars in aid for flood victims in {b} on {day}.",
    "{a} expelled {n} diplomats of {b} on {day} after a dispute over {topic}.",
    "{a} and {b} agreed in {city} on {day} to reopen talks on {topic}.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def article_text(n: int) -> tuple[str, str]:
    """A made-up news item, number ``n``: its headline and two paragraphs, distinct for each n."""
    a, city = COUNTRIES[n % len(COUNTRIES)]
    b, _ = COUNTRIES[(n // len(COUNTRIES) + n + 1) % len(COUNTRIES)]
    if b == a:
        b = COUNTRIES[(n + 7) % len(COUNTRIES)][0]
    topic, day, month = TOPICS[n % len(TOPICS)], DAYS[n % 7], MONTHS[n % 12]
    act = ACTS[n % len(ACTS)].format(a=a, b=b, city=city, topic=topic, day=day, n=n + 2, month=month)
    second = (f"Officials said {n + 3} experts from both countries would meet again in {MONTHS[(n + 5) % 12]} "
              f"to prepare report number {n}.")
    third = f"The talks on {topic} followed {n % 9 + 2} earlier rounds, according to officials in {city}."
    return f"{a} and {b}: {topic} ({n})", f"{act} {second}\n\n{third}"


def article_page(n: int) -> bytes:
    title, text = article_text(n)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{escape(title)}</h1>"
            f"{paragraphs}</article><footer>Copyright the local news site</footer></body></html>").encode()


@dataclass
class Route:
    """What the server answers for one path."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    sleep: float = 0.0
    huge: int = 0
    """Stream this many bytes (no Content-Length) instead of the body."""
    article: bool = False
    gone_after: int | None = None
    """Answer 404 once the path has been asked for this many times."""
    hits: int = 0


@dataclass(frozen=True)
class Hit:
    """One request, as the server saw it."""

    method: str
    path: str
    host: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int | str


@dataclass
class Entry:
    """An item of a feed."""

    title: str
    link: str
    published: float


class FeedServer:
    """The local site (see the module docstring); ``close()`` when done."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.feeds: dict[str, tuple[str, list[Entry]]] = {}
        self.log: list[Hit] = []
        self.robots: str | None = "User-agent: *\nDisallow: /private/\n"
        self.lock = threading.Lock()
        self.closing = threading.Event()
        self.holding: int | None = None
        self.drop = threading.Event()
        self.answered_articles = 0
        self._clock = 1_700_000_000.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                server._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    # -- addresses --------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    @staticmethod
    def refused_url(path: str = "/feed.rss") -> str:
        """A URL on a port where nothing listens (connection refused)."""
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        return f"http://127.0.0.1:{port}{path}"

    # -- content ----------------------------------------------------------------------------

    def _stamp(self) -> float:
        with self.lock:
            self._clock += 60
            return self._clock

    def set(self, path: str, route: Route) -> Route:
        if route.etag is None and route.status == 200 and not route.huge:
            route.etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
            route.last_modified = email.utils.formatdate(self._stamp(), usegmt=True)
        with self.lock:
            self.routes[path] = route
        return route

    def add_article(self, path: str, n: int) -> Entry:
        """Serve article ``n`` at ``path``; its feed entry."""
        self.set(path, Route(body=article_page(n), article=True))
        return Entry(article_text(n)[0], self.url(path), self._stamp())

    def add_feed(self, path: str, entries: list[Entry], fmt: str = "rss") -> None:
        """Serve a feed (``rss``, ``atom`` or ``sitemap``) of these entries at ``path``."""
        with self.lock:
            self.feeds[path] = (fmt, list(entries))
        self._render(path)

    def add_entries(self, path: str, entries: list[Entry]) -> None:
        """Add entries to a feed, newest first (its ETag and Last-Modified change)."""
        with self.lock:
            fmt, old = self.feeds[path]
            self.feeds[path] = (fmt, list(entries) + old)
        self._render(path)

    def _render(self, path: str) -> None:
        fmt, entries = self.feeds[path]
        if fmt == "sitemap":
            body = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    + "".join(f"<url><loc>{escape(e.link)}</loc><lastmod>"
                              f"{time.strftime('%Y-%m-%d', time.gmtime(e.published))}</lastmod></url>"
                              for e in entries) + "</urlset>")
            kind = "application/xml"
        elif fmt == "atom":
            body = ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                    "<title>Local news</title><id>urn:local</id>"
                    + "".join(f"<entry><title>{escape(e.title)}</title><link href=\"{escape(e.link)}\"/>"
                              f"<id>{escape(e.link)}</id><updated>"
                              f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(e.published))}</updated></entry>"
                              for e in entries) + "</feed>")
            kind = "application/atom+xml"
        else:
            body = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Local news</title>'
                    "<link>http://127.0.0.1/</link><description>made-up news</description>"
                    + "".join(f"<item><title>{escape(e.title)}</title><link>{escape(e.link)}</link>"
                              f"<guid>{escape(e.link)}</guid><pubDate>"
                              f"{email.utils.formatdate(e.published, usegmt=True)}</pubDate></item>"
                              for e in entries) + "</channel></rss>")
            kind = "application/rss+xml"
        self.set(path, Route(body=body.encode(), content_type=kind))

    # -- faults ------------------------------------------------------------------------------

    def fault(self, path: str, kind: str, **options: object) -> None:
        """Plant a fault at ``path``: ``status`` (code=500), ``slow`` (seconds=5), ``malformed``,
        ``loop`` (redirects to itself by way of another path), ``redirect`` (to=URL), ``huge``
        (size=bytes), ``pdf``, ``gone`` (after=n requests answered, then 404)."""
        if kind == "status":
            self.set(path, Route(status=int(options.get("code", 500)), body=b"error", etag="-"))  # type: ignore[call-overload]
        elif kind == "slow":
            self.set(path, Route(body=b"<rss/>", sleep=float(options.get("seconds", 5.0))))  # type: ignore[arg-type]
        elif kind == "malformed":
            self.set(path, Route(body=b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>Brok",
                                 content_type="application/rss+xml"))
        elif kind == "loop":
            other = path + "-again"
            self.set(path, Route(status=302, headers={"Location": other}, etag="-"))
            self.set(other, Route(status=301, headers={"Location": path}, etag="-"))
        elif kind == "redirect":
            self.set(path, Route(status=302, headers={"Location": str(options["to"])}, etag="-"))
        elif kind == "huge":
            self.set(path, Route(huge=int(options.get("size", 50_000_000)), article=True))  # type: ignore[call-overload]
        elif kind == "pdf":
            self.set(path, Route(body=b"%PDF-1.4\n" + b"0" * 2000, content_type="application/pdf", article=True))
        elif kind == "gone":
            with self.lock:
                self.routes[path].gone_after = int(options.get("after", 1))  # type: ignore[call-overload]
        else:
            raise ValueError(kind)

    def hold_articles(self, after: int | None) -> None:
        """Once ``after`` article pages have been answered, leave further article requests unanswered
        (until :meth:`release`, which drops them without an answer); None: answer all."""
        with self.lock:
            self.holding = after
            self.drop.clear()

    def release(self) -> None:
        """Stop holding: the held requests are dropped unanswered, new ones answered."""
        with self.lock:
            self.holding = None
        self.drop.set()

    # -- the log -----------------------------------------------------------------------------

    def hits(self, path: str | None = None, status: int | str | None = None) -> list[Hit]:
        with self.lock:
            return [h for h in self.log if (path is None or h.path == path) and (status is None or h.status == status)]

    def close(self) -> None:
        self.closing.set()
        self.drop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- answering ----------------------------------------------------------------------------

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
        host = h.headers.get("Host", "")

        def logged(status: int | str) -> None:
            with self.lock:
                self.log.append(Hit("GET", path, host, inm, ims, status))

        def answered(status: int, body: bytes, kind: str | None, headers: dict[str, str] | None = None) -> bool:
            """Log, then send (so that a client never sees an answer the log lacks); a send that
            fails turns its line into 'aborted'."""
            with self.lock:
                self.log.append(Hit("GET", path, host, inm, ims, status))
                at = len(self.log) - 1
            if self._send(h, status, body, kind, headers):
                return True
            with self.lock:
                self.log[at] = Hit("GET", path, host, inm, ims, "aborted")
            return False

        if path == "/robots.txt":
            if self.robots is None:
                answered(404, b"no robots", "text/plain")
            else:
                answered(200, self.robots.encode(), "text/plain")
            return
        with self.lock:
            route = self.routes.get(path)
            if route is not None:
                route.hits += 1
            held = (route is not None and route.article and self.holding is not None
                    and self.answered_articles >= self.holding)
        if route is None or (route.gone_after is not None and route.hits > route.gone_after):
            answered(404, b"not found", "text/plain")
            return
        if held:
            self.drop.wait(60)
            h.close_connection = True
            logged("dropped")
            return
        if route.sleep and self.closing.wait(route.sleep):
            return
        if route.status != 200:
            answered(route.status, route.body, "text/plain", route.headers)
            return
        if route.huge:
            try:
                h.send_response(200)
                h.send_header("Content-Type", route.content_type)
                h.send_header("Connection", "close")
                h.end_headers()
                chunk = b"<p>" + b"x" * 65_530 + b"</p>"
                sent = 0
                while sent < route.huge:
                    h.wfile.write(chunk)
                    sent += len(chunk)
                logged(200)
            except OSError:
                logged("aborted")
            h.close_connection = True
            return
        if (inm is not None and inm == route.etag) or (inm is None and ims is not None and ims == route.last_modified):
            answered(304, b"", None, {"ETag": route.etag or ""})
            return
        headers = {"ETag": route.etag or "", "Last-Modified": route.last_modified or "", **route.headers}
        if route.article:
            with self.lock:
                self.answered_articles += 1
        answered(200, route.body, route.content_type, headers)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, kind: str | None,
              headers: dict[str, str] | None = None) -> bool:
        try:
            h.send_response(status)
            if kind:
                h.send_header("Content-Type", kind)
            for k, v in (headers or {}).items():
                if v:
                    h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if body:
                h.wfile.write(body)
            h.wfile.flush()
            return True
        except OSError:
            return False
