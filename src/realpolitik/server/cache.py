"""Answers of the read routes, kept until the store changes.

Example::

    >>> cache = AnswerCache(entries=2, max_bytes=1000)
    >>> cache.put(("/api/summary", b"", (1,)), 200, [], b"{}")
    >>> cache.get(("/api/summary", b"", (1,)))[2]
    b'{}'
    >>> cache.get(("/api/summary", b"", (2,))) is None  # the store changed since
    True

:class:`CacheMiddleware` keeps the answer (status 200 only) of each ``GET /api/...`` request but
``/api/health``, keyed by its path, its query string and the store's generation stamp
(:attr:`realpolitik.store.db.Database.generation`, which every write bumps, this process's
or another's): an ingest makes every kept answer stale at once, and stale ones are never
read again and leave as new ones come. At most ``entries`` answers and ``max_bytes`` bytes
are kept, the least recently used leaving first. Requests for an answer being computed wait
for it rather than compute it again (eight clients asking for the same network cost one).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["AnswerCache", "CacheMiddleware"]

Key = tuple[str, bytes, tuple[int, ...]]


class AnswerCache:
    """A bounded least-recently-used map of request keys to (status, headers, body)."""

    def __init__(self, entries: int, max_bytes: int = 64 * 1024 * 1024):
        self.entries, self.max_bytes = entries, max_bytes
        self._answers: OrderedDict[Key, tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self._bytes = 0
        self.hits = self.misses = 0

    def get(self, key: Key) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        got = self._answers.get(key)
        if got is None:
            self.misses += 1
            return None
        self.hits += 1
        self._answers.move_to_end(key)
        return got

    def put(self, key: Key, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if self.entries <= 0 or len(body) > self.max_bytes // 4:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old[2])
        self._answers[key] = (status, headers, body)
        self._bytes += len(body)
        while len(self._answers) > self.entries or self._bytes > self.max_bytes:
            _, (_, _, dropped) = self._answers.popitem(last=False)
            self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._answers)


class CacheMiddleware:
    """ASGI middleware serving kept answers of read routes (see the module docstring)."""

    def __init__(self, app: Any, cache: AnswerCache, stamp: Callable[[], tuple[int, ...]]):
        self.app, self.cache, self.stamp = app, cache, stamp
        self._pending: dict[Key, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope["method"] != "GET" or not path.startswith("/api/")
                or path == "/api/health" or self.cache.entries <= 0):
            await self.app(scope, receive, send)
            return
        key: Key = (path, scope.get("query_string", b""), self.stamp())
        loop = asyncio.get_running_loop()
        pending = self._pending.get(key)
        if pending is not None and pending[0] is loop:
            await pending[1].wait()  # the same answer is being computed: wait for it
        got = self.cache.get(key)
        if got is not None:
            status, headers, body = got
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        done = asyncio.Event()
        self._pending.setdefault(key, (loop, done))
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and start.get("status") == 200:
                    self.cache.put(key, 200, list(start.get("headers", [])), b"".join(chunks))
            await send(message)

        try:
            await self.app(scope, receive, keep)
        finally:
            if self._pending.get(key, (None, None))[1] is done:
                del self._pending[key]
            done.set()
