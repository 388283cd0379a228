"""Fixtures of the watcher's tests: the local news site, and settings for speed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from realpolitik.config import Settings, WatchSettings

from .feedserver import FeedServer


@pytest.fixture
def server():
    """A local news site on 127.0.0.1 (see feedserver.py), closed after the test."""
    s = FeedServer()
    yield s
    s.close()


def fast(**values) -> WatchSettings:
    """Watch settings for tests: no delay between requests, tiny backoffs, short timeouts."""
    base = dict(host_delay_seconds=0, host_concurrency=4, concurrency=8, backoff_seconds=0.01,
                timeout_seconds=2, retries=1, interval_seconds=1, retry_failed_seconds=0, max_bytes=200_000,
                max_feed_bytes=200_000)
    base.update(values)
    return WatchSettings(**base)


@pytest.fixture
def settings():
    return Settings(watch=fast())


@dataclass
class Hook:
    """A webhook on 127.0.0.1 that answers each POST with the next of ``answers`` (then 200)."""

    url: str
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[tuple[dict[str, str], Any]] = field(default_factory=list)


@pytest.fixture()
def hook() -> Iterator[Hook]:
    state = Hook("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802  (the name http.server calls)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append((dict(self.headers), json.loads(body)))
            status, headers = state.answers.pop(0) if state.answers else (200, {})
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
