"""Coding work of the HTTP server: off the event loop, a few requests at a time, within a time budget.

Example::

    >>> import threading, time
    >>> from realpolitik.server.work import Budget
    >>> budget = Budget(deadline=time.monotonic() + 60, stopping=threading.Event())
    >>> budget.check()  # the request still wants the result: go on
    >>> budget.cancel(), budget.cancelled  # it gave up: the next check raises Abandoned
    (True, True)

``await CodingPool(workers=2, seconds=60).run(job, *args)`` runs ``job(budget, *args)``.

A request's coding runs in one of ``workers`` threads (daemon threads: a job never holds up
the process when it stops); requests beyond them wait for a free one. The time budget counts
from the request's arrival, waiting included. When it runs out the request gets
:class:`OverBudget` (the server answers 503), and its job is abandoned: the job checks its
:class:`Budget` before each document and before it stores anything, and stops there. A job
that has begun to store is let finish (one transaction, quick), so that a request either
stores all its documents or none. :meth:`CodingPool.stop` (the server's shutdown) abandons
every job the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["CodingPool", "Budget", "OverBudget", "Abandoned", "answer_in", "code_text", "ingest_records"]

T = TypeVar("T")


class OverBudget(Exception):
    """The request's time ran out (``waited`` tells whether it was still waiting for a worker)."""

    def __init__(self, seconds: float, waited: bool):
        self.seconds, self.waited = seconds, waited
        super().__init__(f"over the budget of {seconds:g} s")


class Abandoned(Exception):
    """Raised inside a job at its next check once its request gave up on it."""


class Budget:
    """What a job checks between documents: whether its request still wants the result."""

    def __init__(self, deadline: float, stopping: threading.Event):
        self.deadline = deadline
        self._stopping = stopping
        self._cancelled = False
        self._committed = False
        self._lock = threading.Lock()

    def cancel(self) -> bool:
        """Abandon the job; False if it has already begun to store (then let it finish)."""
        with self._lock:
            if self._committed:
                return False
            self._cancelled = True
            return True

    @property
    def cancelled(self) -> bool:
        return self._cancelled or self._stopping.is_set() or time.monotonic() > self.deadline

    def check(self) -> None:
        """Raise :class:`Abandoned` if the request gave up, ran out of time or the server stops."""
        if self.cancelled:
            raise Abandoned()

    @contextmanager
    def commit(self) -> Iterator[None]:
        """The job's point of no return: checked once more, then never abandoned."""
        with self._lock:
            self.check()
            self._committed = True
        yield


class CodingPool:
    """At most ``workers`` coding jobs at a time, each within ``seconds`` of its request's arrival."""

    def __init__(self, workers: int, seconds: float):
        self.workers, self.seconds = workers, seconds
        self._stopping = threading.Event()
        self.running = 0
        self._count = threading.Lock()
        """Jobs running now, abandoned ones included (they stop at their next check)."""
        self._slots = threading.BoundedSemaphore(workers)  # not asyncio's: a slot outlives its request's loop

    async def _acquire(self, deadline: float) -> bool:
        """A free slot, waited for (without blocking the event loop) until ``deadline``: looked for
        again less and less often, from every 10 ms to every 200 ms, so that many waiting requests
        do not keep the loop busy."""
        pause = 0.01
        while not self._slots.acquire(blocking=False):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(0.2, pause * 1.5)
        return True

    def stop(self) -> None:
        """Abandon every job at its next check (the server is shutting down)."""
        self._stopping.set()

    async def run(self, job: Callable[..., T], *args: Any) -> T:
        """``job(budget, *args)`` in a worker thread; :class:`OverBudget` when time runs out first."""
        start = time.monotonic()
        deadline = start + self.seconds
        loop = asyncio.get_running_loop()
        if not await self._acquire(deadline):
            raise OverBudget(self.seconds, waited=True)
        budget = Budget(deadline, self._stopping)
        done: asyncio.Future[T] = loop.create_future()

        def settle(value: Any, error: BaseException | None) -> None:
            if done.cancelled():
                return
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(value)

        def work() -> None:
            value, error = None, None
            try:
                value = job(budget, *args)
            except BaseException as exc:  # handed to the request (Abandoned is dropped with it)
                error = exc
            finally:
                with self._count:
                    self.running -= 1
                self._slots.release()
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(settle, value, error)

        with self._count:
            self.running += 1
        threading.Thread(target=work, daemon=True, name="realpolitik-coding").start()
        try:
            return await asyncio.wait_for(asyncio.shield(done), timeout=max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            if budget.cancel():
                raise OverBudget(self.seconds, waited=False) from None
            return await done  # it is storing: the answer must say so
        except asyncio.CancelledError:  # the client went away
            budget.cancel()
            raise


async def answer_in(pool: CodingPool, job: Callable[..., Any], *args: Any, busy: str, slow: str, late: str,
                    stopping: str) -> Any:
    """``job(budget, *args)`` run in ``pool``, or a 503 answer with ``Retry-After``: "``busy`` (or
    ``slow``) (N s); ``late``" when no worker was free in time (or the job ran out of it), "the
    server is stopping; ``stopping``" when it stops meanwhile."""
    from fastapi.responses import JSONResponse

    try:
        return await pool.run(job, *args)
    except OverBudget as exc:
        detail = f"{busy if exc.waited else slow} ({exc.seconds:g} s); {late}"
    except Abandoned:
        detail = f"the server is stopping; {stopping}"
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "10"})


def code_text(budget: Budget, text: str, date: Any) -> list[Any]:
    """The events of one text (the shared coder), unless the request gave up first."""
    from ..coder import Coder

    budget.check()
    coder = Coder.shared()
    budget.check()
    return coder.code(text, date=date)


def ingest_records(budget: Budget, store: Any, records: list[dict[str, Any]], lock: threading.Lock,
                   on_reject: Callable[[Any], None]) -> Any:
    """Code the records one at a time (checking the budget before each), then store them all in
    one transaction, as :meth:`realpolitik.store.Store.ingest_records` would: read errors and
    documents that cannot be coded are rejects, documents already stored (or repeated) skipped.
    Nothing is stored if the budget runs out before the transaction begins."""
    from ..coder import Coder
    from ..ingest import IngestReport
    from ..io.readers import read_records
    from ..store.batches import Coded, stored_ids, write_batch
    from ..store.dedup import content_id, minhash

    if store.db.dataset:  # a Parquet folder is written batch by batch by the library's own ingest
        budget.check()
        with lock, budget.commit():
            return store.ingest_records(records, source="http", on_reject=on_reject)
    report = IngestReport()
    started = time.perf_counter()
    items = list(read_records(records, "http"))
    report.read = len(items)
    errors = [it.error for it in items if it.error is not None]
    documents: dict[str, Any] = {}
    external: dict[str, str] = {}
    for it in items:
        if it.warning:
            report.warnings += 1
        if it.document is None:
            continue
        cid = content_id(it.document.text)
        if cid in documents:
            report.skipped += 1
            continue
        documents[cid] = it.document.model_copy(update={"id": cid})
        external[cid] = it.document.id
    known = stored_ids(store.db, list(documents))
    report.skipped += len(known)
    coder = Coder.shared() if len(known) < len(documents) else None
    coded = []
    for cid, document in documents.items():
        if cid in known:
            continue
        budget.check()
        assert coder is not None
        (result,) = coder.pipe([document])
        coded.append(Coded(result.document, result.events, result.error,
                           minhash(result.document.text).tobytes() if result.ok else b""))
    with lock, budget.commit():
        written = write_batch(store.db, coded, external, errors)
    report.add(written, on_reject)
    report.seconds = time.perf_counter() - started
    return report
