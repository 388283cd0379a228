"""No sentence of the evaluation sets (../shared/eval) appears anywhere in the repository:
the project is judged on text it has never seen, and its own text must be its own."""

from __future__ import annotations

import csv
import json
import re
import subprocess

import pytest

from .conftest import ROOT, SHARED

EVAL = SHARED / "eval"
SKIP_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build", "dist"}
TEXT_SUFFIXES = {".py", ".md", ".txt", ".yaml", ".yml", ".json", ".jsonl", ".csv", ".tsv", ".toml", ".cfg", ".html"}


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def _eval_sentences() -> list[str]:
    out: list[str] = []
    gsr = EVAL / "plover_gsr" / "PLOVER_GSR_CAMEO.txt"
    if gsr.exists():
        out += [r["text"] for r in json.loads(gsr.read_text(encoding="utf-8")) if r.get("text")]
    plv = EVAL / "plv_train" / "PLV_train.tsv"
    if plv.exists():
        with plv.open(encoding="utf-8") as f:
            out += [r["sentence"] for r in csv.DictReader(f, delimiter="\t")]
    return [_norm(s) for s in out if len(s) >= 40]


def _repo_files() -> list:
    """Files the repository holds or would take (git's view: ignored outputs such as the
    evaluation's own error listing are not part of it)."""
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                             cwd=ROOT, capture_output=True, check=True).stdout.decode()
        return [ROOT / f for f in out.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        return [p for p in ROOT.rglob("*") if not any(d in SKIP_DIRS for d in p.relative_to(ROOT).parts)]


def _repo_text() -> str:
    parts = []
    for p in _repo_files():
        if not p.is_file():
            continue
        if p.suffix.lower() in TEXT_SUFFIXES and p.stat().st_size < 20_000_000:
            parts.append(_norm(p.read_text(encoding="utf-8", errors="ignore")))
    return "\n".join(parts)


@pytest.mark.skipif(not EVAL.exists(), reason="../shared/eval is not beside the repository")
def test_no_eval_sentence_in_the_repository():
    sentences = _eval_sentences()
    assert len(sentences) > 1000
    text = _repo_text()
    leaked = [s for s in sentences if s in text]
    assert not leaked, f"{len(leaked)} evaluation sentence(s) found in the repository, e.g. {leaked[0][:80]!r}"
