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
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["map_batches"]

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
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        pending: deque[Future[R]] = deque()
        for batch in batches:
            pending.append(pool.submit(fn, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
