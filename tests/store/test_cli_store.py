"""The store's commands: ingest, events, show, export, import, summary; messages and exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app

from ..conftest import ROOT
from .conftest import example_records, write_jsonl

runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture()
def db(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    write_jsonl(corpus / "a.jsonl", example_records(20))
    (corpus / "broken.txt").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 10)
    path = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(path), "--no-progress"])
    assert result.exit_code == 1, result.output  # one input rejected: the status says so
    assert "broken.txt" in result.output and "20 new documents" in result.output
    return path


def test_ingest_again_is_a_no_op_and_exit_0_without_rejects(db, tmp_path):
    clean = write_jsonl(tmp_path / "clean.jsonl", example_records(20))
    result = runner.invoke(app, ["ingest", str(clean), "--db", str(db), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "0 new documents (20 already stored" in result.output


def test_events_filters_and_formats(db):
    result = runner.invoke(app, ["events", "--db", str(db), "--actor", "IRQ", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert rows and all("IRQ" in (r["source_country"], r["target_country"], r["source_code"], r["target_code"])
                        for r in rows)
    assert all(len(r["day"]) == 10 for r in rows if r["day"])
    csv_out = runner.invoke(app, ["events", "--db", str(db), "--type", "ASSAULT", "--since", "2014-06-01",
                                  "--until", "2014-12-31", "--format", "csv"])
    lines = csv_out.output.splitlines()
    assert lines[0].startswith("event_id,") and len(lines) > 1
    assert all(",ASSAULT," in line for line in lines[1:] if line.count(",") > 10)
    table = runner.invoke(app, ["events", "--db", str(db), "--dyad", "IRQ,USA", "--limit", "3"])
    assert table.exit_code == 0 and "event_id" in table.output
    bad = runner.invoke(app, ["events", "--db", str(db), "--dyad", "IRQ"])
    assert bad.exit_code == 2 and "two actors" in bad.output


def test_show_marks_the_evidence_and_gives_provenance(db):
    out = runner.invoke(app, ["events", "--db", str(db), "--type", "CONSULT", "--format", "jsonl", "--limit", "1"])
    event_id = json.loads(out.output.splitlines()[0])["event_id"]
    shown = runner.invoke(app, ["show", event_id, "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    for label in ("event:", "trigger:", "date:", "modality:", "confidence:", "document:", "cluster:"):
        assert label in shown.output
    assert "[rule " in shown.output and "a.jsonl:" in shown.output
    missing = runner.invoke(app, ["show", "nope", "--db", str(db)])
    assert missing.exit_code == 2 and "no event 'nope'" in missing.output


def test_export_import_and_summary(db, tmp_path):
    out = tmp_path / "events.tsv"
    exp = runner.invoke(app, ["export", str(out), "--db", str(db)])
    assert exp.exit_code == 0 and "(gdelt)" in exp.output
    assert {len(line.split("\t")) for line in out.read_text().splitlines()} == {61}
    unknown = runner.invoke(app, ["export", str(tmp_path / "x.bin"), "--db", str(db)])
    assert unknown.exit_code == 2
    imp = runner.invoke(app, ["import", str(ROOT / "tests/fixtures/datasets/polecat_sample.txt"), "--db", str(db)])
    assert imp.exit_code == 0 and "3 events added" in imp.output
    summary = runner.invoke(app, ["summary", "--db", str(db)])
    assert summary.exit_code == 0
    assert "20 documents" in summary.output and "1 rejected inputs" in summary.output
    assert "polecat 3" in summary.output
    none = runner.invoke(app, ["summary", "--db", str(tmp_path / "missing.duckdb")])
    assert none.exit_code == 2 and "no store here" in none.output
