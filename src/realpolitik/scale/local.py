"""Run one stage over batches, in this process or in a pool of worker processes.

Example::

    >>> from realpolitik.scale.local import map_batches
    >>> list(map_batches(sum, iter([[1, 2], [3, 4]]), workers=1))
    [3, 7]

``map_batches(fn, batches, workers)`` yields ``fn(batch)`` for each batch, in the order of
the batches. With ``workers > 1`` the batches go to that many processes; at most
``2 * workers`` batches are in flight, so a corpus of any size is read only as fast as it is
coded and memory stays bounded. ``fn`` must be picklable (a module-level function, or a
``functools.partial`` of one); an ``initializer`` runs once in each worker (to load the
model there).

The workers end with the process that started them, even when it is killed with SIGKILL and
cannot stop them itself: on Linux the kernel sends each a SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``), and everywhere a watchdog thread in each worker ends it within
a second once its parent is gone.
"""

from __future__ import annotations

import ctypes
import functools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["map_batches"]

PR_SET_PDEATHSIG = 1
"""Linux's prctl option: the signal a process gets when its parent dies."""

WATCH_EVERY = 0.5
"""Seconds between a worker's looks at whether its parent still lives."""

B = TypeVar("B")
R = TypeVar("R")


def map_batches(fn: Callable[[B], R], batches: Iterable[B], workers: int = 1, *,
                initializer: Callable[..., Any] | None = None, initargs: tuple[Any, ...] = ()) -> Iterator[R]:
    """``fn`` over ``batches``, in order, locally or on ``workers`` processes."""
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        for batch in batches:
            yield fn(batch)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    # the kernel's signal follows the thread that forks the workers: only ask for it from the main thread,
    # which lives as long as the process (the watchdog covers the rest)
    start = functools.partial(_start_worker, os.getpid(), threading.current_thread() is threading.main_thread(),
                              initializer)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start,
                             initargs=initargs) as pool:
        pending: deque[Future[R]] = deque()
        for batch in batches:
            pending.append(pool.submit(fn, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _start_worker(parent: int, kernel_signal: bool, initializer: Callable[..., Any] | None, *initargs: Any) -> None:
    """Tie this worker's life to ``parent``'s, then run the caller's initializer."""
    if kernel_signal and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl here: the watchdog alone ends the worker
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="realpolitik-parent-watch", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _watch(parent: int) -> None:
    """End this process as soon as ``parent`` is no longer its parent (it died; the worker was adopted)."""
    while os.getppid() == parent:
        time.sleep(WATCH_EVERY)
    os._exit(1)
