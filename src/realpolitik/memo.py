"""Answers kept by their question, for the lookups the coder repeats on every document.

A :class:`Remembered` wraps a pure function of one hashable key. It keeps each answer, and
forgets them all at once when it holds ``limit`` of them, so that a long-running process
(a watcher, a server) cannot grow without bound. The owner calls :meth:`Remembered.forget`
when what the answers depend on changes (a dictionary file added).

Example::

    >>> from realpolitik.memo import Remembered
    >>> calls = []
    >>> square = Remembered(lambda x: calls.append(x) or x * x, limit=2)
    >>> square(3), square(3), calls
    (9, 9, [3])
    >>> square(4), square(5), len(square)
    (16, 25, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from .errors import ConfigError

__all__ = ["Remembered"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Remembered(Generic[K, V]):
    """``compute(key)``, worked out once per key while fewer than ``limit`` answers are kept."""

    def __init__(self, compute: Callable[[K], V], limit: int = 1 << 16):
        if limit < 1:
            raise ConfigError(f"a remembered lookup's limit must be at least 1, not {limit}")
        self.compute = compute
        self.limit = limit
        self._answers: dict[K, V] = {}

    def __call__(self, key: K) -> V:
        answers = self._answers
        if key in answers:
            return answers[key]
        if len(answers) >= self.limit:
            answers.clear()
        found = answers[key] = self.compute(key)
        return found

    def forget(self) -> None:
        """Drop every kept answer."""
        self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)
