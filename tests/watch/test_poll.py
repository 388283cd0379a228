"""The watcher's rounds against the local site: every entry stored once, faults recorded while
the other sources flow, new entries picked up at the next poll, and nothing fetched twice."""

from __future__ import annotations

import json
import threading
import time

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.config import Settings
from realpolitik.store import Store
from realpolitik.watch.poll import poll_round, read_listing, sync_sources, watch
from realpolitik.watch.sources import parse_sources
from realpolitik.watch.state import source_statuses

from .conftest import fast
from .feedserver import FeedServer


def site(server: FeedServer, feeds: int = 3, entries: int = 50) -> list[str]:
    """Feeds of made-up articles (RSS, Atom, a sitemap); their URLs."""
    urls = []
    for f in range(feeds):
        fmt = ("rss", "atom", "sitemap")[f % 3]
        path = f"/feed{f}.xml"
        server.add_feed(path, [server.add_article(f"/news/{f}/{i}.html", 1000 * f + i) for i in range(entries)], fmt)
        urls.append(server.url(path))
    return urls


def states(store: Store) -> dict[str, tuple[str, str | None, str | None]]:
    rows = store.query("SELECT url, state, doc_id, last_error FROM watch_entries").itertuples(index=False)
    return {r.url: (r.state, r.doc_id, r.last_error) for r in rows}


def test_three_feeds_stored_once_with_faults_beside_them(server: FeedServer, coder, tmp_path):
    good = site(server)
    server.fault("/slow.rss", "slow", seconds=5)
    server.fault("/error.rss", "status", code=500)
    server.fault("/forbidden.rss", "status", code=403)
    server.fault("/malformed.rss", "malformed")
    server.fault("/loop.rss", "loop")
    server.add_feed("/vanishing.rss", [server.add_article("/v/1.html", 5001)])
    server.fault("/vanishing.rss", "gone", after=1)
    server.fault("/bad/huge.html", "huge", size=2_000_000)
    server.fault("/bad/report.pdf", "pdf")
    server.fault("/bad/moved.html", "redirect", to="http://10.255.255.1/inside")
    server.add_article("/bad/other-host.html", 5002)
    server.add_feed("/mixed.rss", [server.add_article("/m/1.html", 5003)])
    server.add_entries("/mixed.rss", [server.add_article("/m/2.html", 5004)])
    mixed = server.feeds["/mixed.rss"][1]
    from .feedserver import Entry
    for path in ("/bad/huge.html", "/bad/report.pdf", "/bad/moved.html"):
        mixed.append(Entry("bad", server.url(path), 1.0))
    mixed.append(Entry("other host", server.url("/bad/other-host.html", host="localhost"), 1.0))
    mixed.append(Entry("same as feed 0", server.url("/news/0/3.html") + "#comments", 1.0))  # a cross-feed duplicate
    server.add_feed("/mixed.rss", mixed)
    refused = FeedServer.refused_url()
    faults = [server.url(p) for p in ("/slow.rss", "/error.rss", "/forbidden.rss", "/malformed.rss", "/loop.rss")]
    lines = good + faults + [server.url("/vanishing.rss"), server.url("/mixed.rss") + ' outlet="Mixed Daily"', refused]
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(timeout_seconds=0.3, retries=0))
    sync_sources(store, parse_sources("\n".join(lines)), settings.watch)
    first = poll_round(store, settings)
    assert first.polled == 11 and first.source_errors == 6

    entries = states(store)
    articles = [u for u in entries if "/news/" in u]
    assert len(articles) == 150 and all(entries[u][0] == "done" for u in articles)
    assert len({entries[u][1] for u in articles}) == 150
    docs = store.query("SELECT count(*) AS n, count(DISTINCT url) AS urls FROM documents").iloc[0]
    assert docs.n == 150 + 3 and docs.urls == 153  # the three feeds, the vanishing one's and two mixed
    for path in articles:  # every page fetched exactly once
        assert len(server.hits(path.replace(server.base, ""), status=200)) == 1
    assert server.url("/news/0/3.html#comments") not in entries  # one entry for the same link

    failed = {u.replace(server.base, ""): e[2] for u, e in entries.items() if e[0] == "failed"}
    assert "too big" in failed["/bad/huge.html"]
    assert "not an HTML page" in failed["/bad/report.pdf"]
    assert "10.255.255.1" in failed["/bad/moved.html"]
    other = server.url("/bad/other-host.html", host="localhost")
    assert "refused" in entries[other][2] and server.hits("/bad/other-host.html") == []
    outlets = store.query("SELECT DISTINCT outlet FROM documents WHERE url LIKE '%/m/%'")["outlet"].tolist()
    assert outlets == ["Mixed Daily"]

    time.sleep(1.05)  # every source is due again after its interval of a second
    second = poll_round(store, Settings(watch=fast(timeout_seconds=0.3, retries=0, robots_cache_seconds=0)))
    assert second.fetched == 0 and second.new_entries == 0
    for url in good:
        hits = server.hits(url.replace(server.base, ""))
        assert [h.status for h in hits] == [200, 304] and hits[1].if_none_match

    result = CliRunner().invoke(app, ["sources", "--db", str(tmp_path / "w.duckdb"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    listed = {r["url"]: r for r in map(json.loads, result.output.splitlines())}
    assert set(listed) == set(good + faults + [server.url("/vanishing.rss"), server.url("/mixed.rss"), refused])
    why = {u.replace(server.base, ""): r["last_error"] for u, r in listed.items()}
    assert "timed out" in why["/slow.rss"]
    assert "answered 500" in why["/error.rss"] and "answered 403" in why["/forbidden.rss"]
    assert "malformed XML" in why["/malformed.rss"] and "redirect loop" in why["/loop.rss"]
    assert "answered 404" in why["/vanishing.rss"] and listed[server.url("/vanishing.rss")]["stored"] == 1
    assert "connection failed" in listed[refused]["last_error"]
    assert listed[server.url("/slow.rss")]["errors"] == 2 and listed[good[0]]["errors"] == 0
    assert all(listed[u]["last_status"] == 304 for u in good)
    # the link both feed 0 and the mixed feed list belongs to the one that was read first
    assert sum(listed[u]["stored"] for u in [*good, server.url("/mixed.rss")]) == 152
    table = CliRunner().invoke(app, ["sources", "--db", str(tmp_path / "w.duckdb")])
    assert table.exit_code == 0 and "redirect loop" in table.output


def test_a_new_entry_is_stored_at_the_next_poll(server: FeedServer, coder, tmp_path):
    (url,) = site(server, feeds=1, entries=3)
    sources = tmp_path / "sources.txt"
    sources.write_text(url + " interval=1\n", encoding="utf-8")
    store = Store(tmp_path / "w.duckdb")
    stop = threading.Event()
    rounds: list[int] = []
    runner = threading.Thread(target=watch, args=(store, sources, Settings(watch=fast())),
                              kwargs={"stop": stop, "after_round": lambda r: rounds.append(r.stored)})
    runner.start()
    try:
        deadline = time.monotonic() + 60
        while sum(rounds) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        polls_before = len(server.hits("/feed0.xml"))
        server.add_entries("/feed0.xml", [server.add_article("/news/late.html", 777)])
        while sum(rounds) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        runner.join(30)
    assert sum(rounds) == 4
    polls = server.hits("/feed0.xml")[polls_before:]
    assert polls[0].status == 200  # the first poll after the change brought it
    assert len(server.hits("/news/late.html", status=200)) == 1
    assert states(store)[server.url("/news/late.html")][0] == "done"


def test_a_stop_between_fetching_and_coding_fetches_nothing_again(server: FeedServer, coder, tmp_path,
                                                                  monkeypatch):
    (url,) = site(server, feeds=1, entries=6)
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(batch_size=4))
    sync_sources(store, parse_sources(url), settings.watch)
    from realpolitik.watch import poll

    def crash(*args, **kwargs):
        raise SystemExit("killed while coding")

    monkeypatch.setattr(poll, "_code_batch", crash)
    with pytest.raises(SystemExit):
        poll_round(store, settings)
    kept = store.query("SELECT count(*) AS n FROM watch_entries WHERE text IS NOT NULL AND state = 'pending'")
    assert kept.n[0] == 6  # the first batch's pages, and the second's, fetched while the first was coded
    monkeypatch.undo()
    report = poll_round(store, settings)
    assert report.fetched == 0 and report.stored == 6
    assert all(len(server.hits(f"/news/0/{i}.html", status=200)) == 1 for i in range(6))
    left = store.query("SELECT count(*) AS n FROM watch_entries WHERE text IS NOT NULL")
    assert left.n[0] == 0


def test_an_article_that_keeps_failing_is_given_up(server: FeedServer, tmp_path):
    server.add_feed("/f.rss", [server.add_article("/ok.html", 1)])
    server.fault("/ok.html", "status", code=503)
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast(max_attempts=2, retries=0, retry_failed_seconds=0))
    sync_sources(store, parse_sources(server.url("/f.rss")), settings.watch)
    poll_round(store, settings)
    row = store.query("SELECT state, attempts, status, last_error, next_try FROM watch_entries").iloc[0]
    assert (row.state, row.attempts, row.status) == ("pending", 1, 503) and row.next_try is not None
    poll_round(store, settings)
    row = store.query("SELECT state, attempts, last_error FROM watch_entries").iloc[0]
    assert (row.state, row.attempts) == ("failed", 2) and "503" in row.last_error


def test_syndicated_copies_are_one_document(server: FeedServer, coder, tmp_path):
    from .feedserver import Route, article_page

    server.set("/a/original.html", Route(body=article_page(42), article=True))
    server.set("/b/copy.html", Route(body=article_page(42), article=True))
    server.add_feed("/a.rss", [server.add_article("/a/original.html", 42)])
    server.add_feed("/b.rss", [server.add_article("/b/copy.html", 42)])
    store = Store(tmp_path / "w.duckdb")
    sync_sources(store, parse_sources(server.url("/a.rss") + "\n" + server.url("/b.rss")), fast())
    report = poll_round(store, Settings(watch=fast()))
    entries = states(store)
    assert {e[0] for e in entries.values()} == {"done"} and len({e[1] for e in entries.values()}) == 1
    assert report.stored == 1 and report.already == 1


def test_sources_left_out_of_the_file_stop_being_polled(server: FeedServer, tmp_path):
    server.add_feed("/a.rss", [])
    server.add_feed("/b.rss", [])
    store = Store(tmp_path / "w.duckdb")
    settings = Settings(watch=fast())
    sync_sources(store, parse_sources(server.url("/a.rss") + "\n" + server.url("/b.rss")), settings.watch)
    sync_sources(store, parse_sources(server.url("/b.rss") + " interval=5m"), settings.watch)
    poll_round(store, settings)
    assert server.hits("/a.rss") == [] and len(server.hits("/b.rss")) == 1
    status = {s.url: s for s in source_statuses(store)}
    assert status[server.url("/a.rss")].next_poll is None
    assert status[server.url("/b.rss")].interval_seconds == 300


def test_a_sitemap_index_is_followed_one_level():
    index = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>")
    listing = read_listing(index, "https://news.example.org/index.xml")
    assert listing.kind == "sitemap" and listing.sitemaps == ("https://news.example.org/s1.xml",) and not listing.links
