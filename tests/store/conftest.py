"""Small corpora for the store's tests, built from the example corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import ROOT

EXAMPLE = ROOT / "examples" / "corpus" / "dispatches.jsonl"


def example_records(n: int | None = None) -> list[dict]:
    rows = [json.loads(line) for line in EXAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:n] if n is not None else rows


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _shared_coder(request):
    """Store tests that code share the session's coder (loaded once)."""
    if request.node.get_closest_marker("slow"):
        request.getfixturevalue("coder")
