"""Cheap shared fixtures: one coder for the session, hand-built texts, paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from realpolitik.lexicon.coverage import actor_matches  # noqa: F401  (the golden tests import it from here)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_e03869ec10ecd5aa.txt"


@pytest.fixture(scope="session")
def coder():
    """The default coder, built once (loading the English model takes a few seconds)."""
    from realpolitik import Coder

    return Coder.shared()


@pytest.fixture(scope="session")
def code(coder):
    """Code one text with the shared coder: code(text, date) -> list[Event]."""

    def run(text: str, date: str | dt.date | None = None):
        return coder.code(text, date=date)

    return run

