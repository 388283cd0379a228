"""The live view and the sources page in headless Chromium, over a small watched store served by
uvicorn: an event stored while the page is open shows without a reload; each source is listed
and a failing one shows its error. With $REALPOLITIK_SCREENSHOTS set the screenshots are kept."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from realpolitik.store import Store

from .conftest import LiveServer, open_page
from .test_browser import snap
from .test_watch_api import ENTRIES, FIRST, LATER, SOURCES, plant_sources, sources

pytestmark = pytest.mark.slow  # a browser


@pytest.fixture(scope="module")
def watch_db(tmp_path_factory, coder):
    path = tmp_path_factory.mktemp("watched") / "watched.duckdb"
    store = Store(path)
    assert store.ingest_records(FIRST, source="first").events >= 2
    now = dt.datetime.now()
    plant_sources(store, sources(now), ENTRIES, now)
    return path


@pytest.fixture(scope="module")
def watch_server(watch_db):
    server = LiveServer(watch_db)
    yield server
    server.stop()


@pytest.fixture()
def watch_page(browser, watch_server):
    """A fresh page on the watched store's server; fails the test on any script error in the page."""
    yield from open_page(browser, watch_server.url, height=900)


def row_ids(page) -> list[str]:
    return page.locator("[data-testid=live-table] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.event)")


def test_an_event_stored_while_the_live_view_is_open_shows_without_a_reload(watch_page, watch_db, tmp_path, shots):
    page = watch_page
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.goto(page.base + "/#/live")
    store = Store(watch_db)
    before = list(store.events().event_id)
    page.wait_for_function("n => document.querySelectorAll('[data-testid=live-table] tbody tr').length === n",
                           arg=len(before))
    assert set(row_ids(page)) == set(before)
    assert page.locator("header nav a.active").inner_text() == "Live"
    page.evaluate("window.__stayed = 'the same page'")
    loads = len(navigations)

    assert store.ingest_records(LATER, source="later").events >= 2  # as a watcher would, with the page open
    new = [i for i in store.query("SELECT event_id FROM events ORDER BY ingested_at DESC, event_id DESC").event_id
           if i not in before]
    page.wait_for_function("ids => ids.every(id => document.querySelector(`[data-testid=live-table] tr[data-event='${id}']`))",
                           arg=new)
    assert row_ids(page) == new + row_ids(page)[len(new):]  # on top, newest first
    assert set(row_ids(page)[len(new):]) == set(before)  # and the earlier ones kept below
    assert page.evaluate("window.__stayed") == "the same page" and len(navigations) == loads  # no reload
    assert page.locator("[data-testid=live-table] tr.fresh").count() >= 1  # highlighted for a moment
    assert page.locator("[data-testid=live-status]").inner_text().startswith(f"{len(new)} new since")
    snap(page, tmp_path, shots, "live")

    page.locator(f"[data-testid=live-table] tr[data-event='{new[0]}']").click()
    page.locator("[data-testid=event-detail] [data-testid=evidence]").wait_for()
    assert page.evaluate("window.__stayed") == "the same page"


def test_the_live_view_pauses_while_the_tab_is_hidden(watch_page):
    page = watch_page
    page.goto(page.base + "/#/live")
    status = page.locator("[data-testid=live-status]")
    page.wait_for_function("() => document.querySelector('[data-testid=live-status]')?.textContent.includes('new since')")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/events/newest" in r.url else None)
    page.evaluate("""() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
                             document.dispatchEvent(new Event('visibilitychange')); }""")
    assert status.inner_text() == "Paused while this tab is hidden."
    asked.clear()
    page.evaluate("""() => { Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
                             document.dispatchEvent(new Event('visibilitychange')); }""")
    page.wait_for_function("() => document.querySelector('[data-testid=live-status]').textContent.includes('new since')")
    assert asked and all("after=" in url for url in asked)  # asked again at once, for what came since


def test_the_sources_page_lists_each_source_and_marks_a_failing_one(watch_page, tmp_path, shots):
    page = watch_page
    page.goto(page.base + "/#/sources")
    rows = page.locator("[data-testid=sources-table] tbody tr")
    rows.first.wait_for()
    assert page.locator("header nav a.active").inner_text() == "Sources"
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.source)") == [s[0] for s in SOURCES]
    failing = page.locator("[data-testid=sources-table] tbody tr.failing")
    assert failing.count() == 1 and failing.get_attribute("data-source") == SOURCES[1][0]
    assert failing.locator("[data-testid=source-error]").inner_text() == SOURCES[1][7]  # shown as text
    assert "failing" in failing.inner_text() and "HTTP 503" in failing.inner_text()
    good = rows.nth(0).inner_text()
    assert "Good Wire" in good and "(2 / 1 / 0)" in good and "ok" in good
    assert re.search(r"1 min ago", good) and re.search(r"in [345] min", good)  # last fetch, next poll
    assert "not yet fetched" in rows.nth(2).inner_text() and "Maps & Co" in rows.nth(2).inner_text()
    assert "1 failing" in page.locator("[data-testid=sources-summary]").inner_text()
    assert page.locator("main script, main img").count() == 0
    snap(page, tmp_path, shots, "sources")
