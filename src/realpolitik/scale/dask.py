"""Run one stage over batches on a Dask cluster: the same interface as :mod:`realpolitik.scale.local`.

Example::

    >>> from realpolitik.scale.dask import cluster, map_batches
    >>> with cluster(workers=1) as client:
    ...     sorted(map_batches(sum, iter([[1, 2], [3, 4]]), client))
    [3, 7]

``cluster(scheduler=ADDRESS)`` connects to a running Dask scheduler (``tcp://host:8786``, on
Kubernetes, Slurm or anywhere: docs/scale.md); without an address it starts a local cluster of
``workers`` processes, one thread each (spaCy holds the interpreter lock, so processes, not
threads, use the cores). ``map_batches(fn, batches, client)`` submits ``fn(batch)`` for each
batch and yields the results as they finish (not in order), keeping at most two batches per
worker thread in flight (counted again every ten seconds, as workers join or leave) so that a
corpus of any size is read only as fast as the cluster codes it. A task whose worker dies is
run again on another worker (Dask's own bookkeeping);
``fn`` must therefore be safe to run twice, as the dataset writer is. Needs the extra:
``pip install 'realpolitik[dask]'``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ..errors import ConfigError

__all__ = ["cluster", "map_batches", "worker_threads"]

RECOUNT = 10.0
"""Seconds between two counts of the cluster's worker threads (each asks the scheduler)."""

B = TypeVar("B")
R = TypeVar("R")


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError("the Dask engine needs Dask: pip install 'realpolitik[dask]'") from None
    return distributed


@contextmanager
def cluster(scheduler: str | None = None, workers: int = 2, memory_limit: str = "auto") -> Iterator[Any]:
    """A Dask client: of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes."""
    distributed = _distributed()
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout="30s")
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    local = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                     dashboard_address=":0", memory_limit=memory_limit,
                                     silence_logs=logging.ERROR)
    client = distributed.Client(local)
    try:
        yield client
    finally:
        client.close()
        local.close()


def worker_threads(client: Any) -> int:
    """Threads across the cluster's workers (at least 1)."""
    info = client.scheduler_info()
    return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))


def map_batches(fn: Callable[[B], R], batches: Iterable[B], client: Any, *, in_flight: int | None = None
                ) -> Iterator[R]:
    """``fn`` over ``batches`` on the cluster, results as they finish (see the module docstring)."""
    distributed = _distributed()
    try:
        client.wait_for_workers(1, timeout=600)
    except (TimeoutError, OSError):
        raise ConfigError("no Dask worker joined the scheduler within ten minutes") from None
    done = distributed.as_completed()
    pending = 0
    limit, counted = in_flight or 2 * worker_threads(client), time.monotonic()
    for batch in batches:
        done.add(client.submit(fn, batch, pure=False))
        pending += 1
        if not in_flight and time.monotonic() - counted > RECOUNT:  # workers may join or leave as it runs
            limit, counted = 2 * worker_threads(client), time.monotonic()
        while pending >= limit:
            future = next(done)
            pending -= 1
            yield future.result()
            future.release()
    for future in done:
        yield future.result()
        future.release()
