"""Cheap shared fixtures: one coder for the session, hand-built texts, paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

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


def actor_matches(expected: str, actor) -> bool:
    """An expected actor key ('IRQ', 'ISIS', 'RUS+IRN') against an Actor record."""
    if actor is None:
        return False
    parts = expected.split("+")
    if len(parts) > 1:
        members = actor.members or (actor,)
        return len(members) == len(parts) and all(
            any(p in (m.country, m.code) for m in members) for p in parts)
    return expected in (actor.country, actor.code) or (
        bool(actor.members) and any(expected in (m.country, m.code) for m in actor.members))
