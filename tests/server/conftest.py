"""Stores, servers and a browser for the API and dashboard tests.

``planted`` (a small imported store, no model needed) serves the API tests; the browser tests
use a store coded from the example corpus, plus one hostile document, served by uvicorn on a
free loopback port, and Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from realpolitik.config import ServerSettings

from ..analytics.conftest import planted  # noqa: F401  (the planted-shift store)
from ..conftest import ROOT

TOKEN = "test-token-0123456789abcdef"
TESTSERVER = ServerSettings(allowed_hosts=(*ServerSettings().allowed_hosts, "testserver"))
"""Loopback and the name FastAPI's TestClient sends as Host (the default allows loopback only)."""
HOSTILE = {
    "id": "hostile-1", "date": "2019-03-02", "title": "<script>window.__pwned = 1</script>Iraq <b>talks</b>",
    "text": "Iraq and Russia signed an arms agreement in Baghdad on Friday. <script>window.__pwned = 1</script> "
            "Officials said <img src=x onerror=\"window.__pwned = 2\"> the deal would be reviewed.",
}
CHROMIUM = os.environ.get("REALPOLITIK_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving ``create_app(db)`` in a thread on a free loopback port."""

    def __init__(self, db: Path, **options: object):
        import uvicorn

        from realpolitik.server import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, **options), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def example_db(tmp_path_factory, coder) -> Path:
    """The example corpus coded into a store, with one document full of markup."""
    from realpolitik.store import Store

    folder = tmp_path_factory.mktemp("example")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    store = Store(folder / "example.duckdb")
    report = store.ingest([ROOT / "examples" / "corpus", hostile])
    assert report.rejected == 0 and report.events > 100
    return folder / "example.duckdb"


@pytest.fixture(scope="session")
def live(example_db):
    server = LiveServer(example_db, token=TOKEN)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's package; `make test` installs it) driven by Playwright."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium package (make test does: "
                    "apt-get install chromium) or set REALPOLITIK_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                              headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                    "--disable-background-networking", "--disable-component-update",
                                    "--disable-sync", "--disable-dev-shm-usage"])
        yield b
        b.close()


def open_page(browser, base: str, height: int = 1000):
    """A fresh page on the server at ``base`` (a generator for a fixture to yield from); fails
    the test on any script error in the page."""
    context = browser.new_context(viewport={"width": 1360, "height": height})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # a refused style or script (the page's policy), a failed request: all show as console errors
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.base = base  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not errors, f"errors in the dashboard's console: {errors}"


@pytest.fixture()
def page(browser, live):
    """A fresh page on the live server; fails the test on any script error in the page."""
    yield from open_page(browser, live.url)


@pytest.fixture(scope="session")
def shots() -> Path | None:
    """Where the tests keep their screenshots: $REALPOLITIK_SCREENSHOTS (make screenshots sets
    docs/screenshots), else nowhere beyond the test's own folder."""
    folder = os.environ.get("REALPOLITIK_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path
