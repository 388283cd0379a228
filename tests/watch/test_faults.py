"""Faults that must not stop the watcher: bad URLs and redirects, odd host names, compressed
bombs, trickling servers, a robots.txt too big or down, a broken sitemap of an index, and
unexpected errors in fetching or coding; each is recorded and the other sources keep flowing."""

from __future__ import annotations

import socket
import threading
import time
import zlib

import httpx
import pytest

from realpolitik.config import Settings
from realpolitik.errors import FetchError, RobotsUnavailableError
from realpolitik.store import Store
from realpolitik.watch import fetch as fetch_module
from realpolitik.watch.fetch import Fetcher, is_private_address
from realpolitik.watch.poll import poll_round, read_listing, sync_sources, watch
from realpolitik.watch.sources import parse_sources

from .conftest import fast
from .feedserver import FeedServer, Route


def gz(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>x</title><link>{link}</link></item>" for link in links)
    return f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


# -- D1: redirects to mailto:, javascript:, data:; a link with a control character ---------------

@pytest.mark.parametrize("location", ["mailto:desk@example.org", "javascript:alert(1)", "data:text/html,<p>x",
                                      "http://[::1", "http://a]b/"])
def test_a_redirect_to_a_non_http_or_invalid_url_is_refused(server: FeedServer, location: str):
    server.fault("/r", "redirect", to=location)
    with Fetcher(fast(robots=False)) as f, pytest.raises(FetchError) as info:
        f.fetch(server.url("/r"))
    assert info.value.retry is False
    assert len(server.hits("/r")) == 1  # not retried


def test_a_same_host_link_with_a_control_character_is_refused(server: FeedServer):
    with Fetcher(fast(robots=False)) as f, pytest.raises(FetchError) as info:
        f.fetch(server.url("/a\x00b"), html=True)
    assert info.value.retry is False


def test_a_source_redirecting_to_mailto_does_not_stop_the_watcher(server: FeedServer, tmp_path):
    server.fault("/bad.xml", "redirect", to="mailto:webmaster@example.org")
    server.add_feed("/good.xml", [server.add_article("/a.html", 1)])
    sources = tmp_path / "sources.txt"
    sources.write_text(f"{server.url('/bad.xml')}\n{server.url('/good.xml')}\n")
    store = Store(tmp_path / "w.duckdb")
    report = watch(store, sources, Settings(watch=fast(robots=False)), once=True, fetcher=None)
    assert report.total.source_errors == 1 and report.total.new_entries == 1


# -- D2: links that urljoin/urlsplit cannot read ----------------------------------------------------

@pytest.mark.parametrize("href", ["http://[::1", "//[::1", "http://a]b/"])
def test_a_listing_link_that_is_not_a_url_is_skipped(href: str):
    listing = read_listing(rss(href, "https://news.example.org/ok.html"), "https://news.example.org/rss")
    assert [lk.url for lk in listing.links] == ["https://news.example.org/ok.html"]
    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>' + href.encode()
               + b"</loc></url></urlset>")
    assert read_listing(sitemap, "https://news.example.org/sm.xml").links == ()


def test_a_feed_with_an_unreadable_link_does_not_stop_the_round(server: FeedServer, tmp_path):
    server.set("/bad.xml", Route(body=rss("http://a]b/", "http://" + "a" * 64 + ".com/x"),
                                 content_type="application/rss+xml"))
    server.add_feed("/good.xml", [])
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(robots=False, max_attempts=1))
    sync_sources(store, parse_sources(server.url("/bad.xml") + "\n" + server.url("/good.xml")), settings.watch)
    report = poll_round(store, settings)
    assert report.polled == 2 and report.source_errors == 0
    rows = store.query("SELECT url, state, last_error FROM watch_entries")
    assert list(rows.state) == ["failed"] and "not a valid" in rows.last_error[0]


# -- D3, D4: host names ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://" + "a" * 64 + ".com/", "http://a..b.com/", "http://[::1/x"])
def test_a_host_name_that_cannot_be_encoded_is_refused(url: str):
    with Fetcher(fast(robots=False), resolve=lambda h, p: ["93.184.216.34"]) as f, \
            pytest.raises(FetchError) as info:
        f.fetch(url, origin="feeds.example.org", html=True)
    assert info.value.retry is False


def test_a_non_ascii_host_name_is_sent_idna_encoded():
    seen: list[tuple[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.headers["Host"], request.extensions.get("sni_hostname")))
        return httpx.Response(200, html="<p>x</p>")

    with Fetcher(fast(robots=False), transport=httpx.MockTransport(answer),
                 resolve=lambda h, p: ["93.184.216.34"] if h == "xn--bcher-kva.de" else []) as f:
        assert f.fetch("https://bücher.de/a", origin="feeds.example.org", html=True).status == 200
        assert f.fetch("http://BÜCHER.de:8080/a", origin="feeds.example.org", html=True).status == 200
    assert seen == [("xn--bcher-kva.de", "xn--bcher-kva.de"), ("xn--bcher-kva.de:8080", None)]


def test_an_https_link_to_another_host_gets_a_connection_of_its_own():
    """Connections to a checked address are pooled by address: a TLS connection kept open for one
    host name must not carry the next name's request, so each such request closes its own."""
    seen: list[tuple[str, str | None, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.headers["Host"], request.headers.get("Connection"), request.extensions.get("sni_hostname")))
        return httpx.Response(200, html="<p>x</p>")

    with Fetcher(fast(robots=False), transport=httpx.MockTransport(answer),
                 resolve=lambda h, p: ["93.184.216.34"]) as f:
        f.fetch("https://one.example.net/a", origin="feeds.example.org", html=True)
        f.fetch("https://two.example.net/b", origin="feeds.example.org", html=True)
        f.fetch("http://three.example.net/c", origin="feeds.example.org", html=True)
    assert seen == [("one.example.net", "close", "one.example.net"), ("two.example.net", "close", "two.example.net"),
                    ("three.example.net", "keep-alive", None)]


# -- D5: compressed bombs -------------------------------------------------------------------------

def test_a_gzip_bomb_is_cut_off_at_the_limit(server: FeedServer):
    bomb = gz(b"\0" * 20_000_000)
    server.set("/bomb.html", Route(body=bomb, headers={"Content-Encoding": "gzip"}, article=True))
    with Fetcher(fast(robots=False, max_bytes=100_000)) as f, pytest.raises(FetchError, match="too big") as info:
        f.fetch(server.url("/bomb.html"), html=True)
    assert info.value.retry is False


@pytest.mark.parametrize("coding", ["gzip, gzip", "br", "gzip, deflate"])
def test_stacked_or_unknown_content_encodings_are_refused(server: FeedServer, coding: str):
    server.set("/bomb.html", Route(body=gz(gz(b"<p>x</p>")), headers={"Content-Encoding": coding}, article=True))
    with Fetcher(fast(robots=False)) as f, pytest.raises(FetchError, match="Content-Encoding") as info:
        f.fetch(server.url("/bomb.html"), html=True)
    assert info.value.retry is False


@pytest.mark.parametrize("coding", ["gzip", "deflate", "identity"])
def test_one_gzip_or_deflate_coding_is_decoded(coding: str):
    page = b"<html><p>" + b"talks " * 1000 + b"</p></html>"
    body = {"gzip": gz(page), "deflate": zlib.compress(page), "identity": page}[coding]
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("Accept-Encoding", ""))
        return httpx.Response(200, content=body, headers={"Content-Type": "text/html", "Content-Encoding": coding})

    with Fetcher(fast(robots=False), transport=httpx.MockTransport(answer)) as f:
        assert f.fetch("https://news.example.org/a", html=True).body == page
    assert asked == ["gzip, deflate"]


def test_raw_deflate_is_decoded_too():
    page = b"<p>" + b"x" * 5000 + b"</p>"
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = c.compress(page) + c.flush()
    answer = lambda request: httpx.Response(200, content=body, headers={"Content-Type": "text/html",  # noqa: E731
                                                                        "Content-Encoding": "deflate"})
    with Fetcher(fast(robots=False), transport=httpx.MockTransport(answer)) as f:
        assert f.fetch("https://news.example.org/a", html=True).body == page


# -- D7: a server trickling its headers -----------------------------------------------------------

def test_a_server_trickling_its_headers_is_timed_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    done = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 100:
            if done.is_set():
                break
            try:
                conn.send(bytes([byte]))
            except OSError:
                break
            time.sleep(0.05)
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with Fetcher(fast(robots=False, retries=0, timeout_seconds=0.2)) as f, \
                pytest.raises(FetchError, match="too long") as info:
            f.fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", html=True)
    finally:
        done.set()
        listener.close()
    assert time.monotonic() - started < 2.0
    assert info.value.retry is True


def test_a_stop_during_polling_leaves_the_sources_not_started(server: FeedServer, tmp_path):
    for i in range(6):
        server.set(f"/slow{i}.xml", Route(body=rss(), content_type="application/rss+xml", sleep=0.5))
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(robots=False, concurrency=1, host_concurrency=1))
    sync_sources(store, parse_sources("\n".join(server.url(f"/slow{i}.xml") for i in range(6))), settings.watch)
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    started = time.monotonic()
    report = poll_round(store, settings, stop=stop)
    assert time.monotonic() - started < 1.5
    assert 1 <= report.polled < 6


# -- D8: robots.txt over the limit, or down -------------------------------------------------------

def test_a_robots_txt_over_the_limit_is_read_up_to_it(server: FeedServer):
    server.robots = "User-agent: *\nDisallow: /private/\n# " + "x" * 600_000 + "\nDisallow: /\n"
    server.add_article("/open.html", 1)
    server.add_article("/private/a.html", 2)
    with Fetcher(fast()) as f:
        assert f.fetch(server.url("/open.html"), html=True).status == 200
        assert f.fetch(server.url("/open.html"), html=True).status == 200
        with pytest.raises(FetchError, match="robots.txt"):
            f.fetch(server.url("/private/a.html"), html=True)
    assert len(server.hits("/robots.txt")) == 1


def test_a_robots_txt_outage_is_not_asked_for_again_for_each_article(server: FeedServer, monkeypatch):
    server.add_article("/a.html", 1)
    server.add_article("/b.html", 2)
    monkeypatch.setattr(server, "robots", None)
    real = server._answer

    def down(h):  # robots.txt answers 503
        if h.path == "/robots.txt":
            server._send(h, 503, b"down", "text/plain")
            return
        real(h)

    monkeypatch.setattr(server, "_answer", down)
    with Fetcher(fast(retries=0)) as f:
        for path in ("/a.html", "/b.html", "/a.html"):
            with pytest.raises(RobotsUnavailableError) as info:
                f.fetch(server.url(path), html=True)
            assert info.value.retry is True
        assert len(server.hits("/a.html")) == 0
        monkeypatch.setattr(fetch_module, "ROBOTS_FAILURE_SECONDS", 0.0)
        monkeypatch.setattr(server, "_answer", real)
        assert f.fetch(server.url("/a.html"), html=True).status == 200


def test_a_robots_txt_outage_does_not_use_up_the_articles_attempts(server: FeedServer, tmp_path, monkeypatch):
    server.add_feed("/f.rss", [server.add_article("/a.html", 1)])
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(retries=0, max_attempts=1, robots=False))
    sync_sources(store, parse_sources(server.url("/f.rss")), settings.watch)
    from realpolitik.watch import poll

    def outage(fetcher, entry):
        raise RobotsUnavailableError("robots.txt of the host cannot be read (503)", entry.url, 503)

    monkeypatch.setattr(poll, "_fetch_page", outage)
    for _ in range(3):
        poll_round(store, settings)
    row = store.query("SELECT state, attempts, next_try, last_error FROM watch_entries").iloc[0]
    assert (row.state, row.attempts) == ("pending", 0) and row.next_try is not None
    assert "robots.txt" in row.last_error


# -- D6: unexpected errors --------------------------------------------------------------------------

def test_an_unexpected_error_fetching_a_page_is_an_attempt(server: FeedServer, tmp_path, monkeypatch):
    server.add_feed("/f.rss", [server.add_article("/a.html", 1)])
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(robots=False, max_attempts=2))
    sync_sources(store, parse_sources(server.url("/f.rss")), settings.watch)
    from realpolitik.watch import poll

    def boom(fetcher, entry):
        raise KeyError("a bug")

    monkeypatch.setattr(poll, "_fetch_page", boom)
    report = poll_round(store, settings)
    assert report.entry_errors == 1
    row = store.query("SELECT state, attempts, last_error FROM watch_entries").iloc[0]
    assert (row.state, row.attempts) == ("pending", 1) and "KeyError" in row.last_error


def test_an_unexpected_error_reading_a_source_is_a_source_error(server: FeedServer, tmp_path, monkeypatch):
    server.add_feed("/a.rss", [])
    server.add_feed("/b.rss", [server.add_article("/b.html", 2)])
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(robots=False))
    sync_sources(store, parse_sources(server.url("/a.rss") + "\n" + server.url("/b.rss")), settings.watch)
    from realpolitik.watch import poll

    real = poll.read_listing

    def picky(body, url, kind="auto"):
        if url.endswith("/a.rss"):
            raise TypeError("a parser bug")
        return real(body, url, kind)

    monkeypatch.setattr(poll, "read_listing", picky)
    report = poll_round(store, settings)
    assert report.polled == 2 and report.source_errors == 1 and report.new_entries == 1
    errors = dict(store.query("SELECT url, last_error FROM watch_sources").itertuples(index=False))
    assert "TypeError" in errors[server.url("/a.rss")] and not isinstance(errors[server.url("/b.rss")], str)


def test_an_entry_that_breaks_the_coder_is_failed_and_does_not_block_the_others(server: FeedServer, coder,
                                                                                tmp_path, monkeypatch):
    server.add_feed("/f.rss", [server.add_article("/bad.html", 1), server.add_article("/good.html", 2)])
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(robots=False))
    sync_sources(store, parse_sources(server.url("/f.rss")), settings.watch)
    from realpolitik.coder import Coder

    real = Coder.pipe
    bad_text = "Officials said 4 experts"  # article 1's text

    def pipe(self, docs, *args, **kwargs):
        docs = list(docs)
        if any(bad_text in d.text for d in docs):
            raise RuntimeError("a coder bug on this text")
        return real(self, docs, *args, **kwargs)

    monkeypatch.setattr(Coder, "pipe", pipe)
    poll_round(store, settings)
    rows = dict((r.url, (r.state, r.last_error, r.kept)) for r in store.query(
        "SELECT url, state, last_error, text IS NOT NULL AS kept FROM watch_entries").itertuples(index=False))
    state, error, kept = rows[server.url("/bad.html")]
    assert state == "failed" and "RuntimeError" in error and not kept
    assert rows[server.url("/good.html")][0] == "done"
    assert len(server.hits("/bad.html", status=200)) == 1


def test_a_round_that_fails_unexpectedly_does_not_stop_the_watcher(server: FeedServer, tmp_path, monkeypatch):
    server.add_feed("/f.rss", [])
    sources = tmp_path / "sources.txt"
    sources.write_text(server.url("/f.rss") + "\n")
    store = Store(tmp_path / "w.duckdb")
    from realpolitik.watch import poll

    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug in a round")
        stop.set()
        return poll.RoundReport()

    stop = threading.Event()
    monkeypatch.setattr(poll, "poll_round", flaky)
    monkeypatch.setattr(poll, "_next_wake", lambda store, settings: 0.0)
    report = watch(store, sources, Settings(watch=fast(robots=False)), stop=stop)
    assert report.rounds == 2 and "a bug in a round" in report.total.errors[0]


def test_a_store_error_still_stops_the_watcher(server: FeedServer, tmp_path, monkeypatch):
    from realpolitik.errors import StoreError
    from realpolitik.watch import poll

    sources = tmp_path / "sources.txt"
    sources.write_text(server.url("/f.rss") + "\n")

    def broken(*args, **kwargs):
        raise StoreError("the store is broken")

    monkeypatch.setattr(poll, "poll_round", broken)
    with pytest.raises(StoreError):
        watch(Store(tmp_path / "w.duckdb"), sources, Settings(watch=fast()), once=True)


# -- D9: a sitemap index with a broken child --------------------------------------------------------

def test_one_broken_sitemap_of_an_index_keeps_the_others(server: FeedServer, tmp_path):
    server.add_feed("/s1.xml", [server.add_article("/a.html", 1)], "sitemap")
    server.fault("/s2.xml", "malformed")
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{server.url('/s2.xml')}</loc></sitemap>"
             f"<sitemap><loc>{server.url('/s1.xml')}</loc></sitemap></sitemapindex>").encode()
    server.set("/index.xml", Route(body=index, content_type="application/xml"))
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(robots=False))
    sync_sources(store, parse_sources(server.url("/index.xml") + " kind=sitemap"), settings.watch)
    report = poll_round(store, settings)
    assert report.source_errors == 0 and report.new_entries == 1
    assert any("s2.xml" in e for e in report.errors)
    row = store.query("SELECT last_error, etag FROM watch_sources").iloc[0]
    assert "s2.xml" in row.last_error and row.etag is None  # read again in full next time


# -- lesser: addresses embedding a private IPv4 -----------------------------------------------------

@pytest.mark.parametrize("address", ["2002:7f00:1::", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:80ff:fffe"])
def test_6to4_and_teredo_addresses_embedding_a_private_ipv4_are_private(address: str):
    assert is_private_address(address)
