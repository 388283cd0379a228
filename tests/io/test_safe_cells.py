"""Text from documents is written safely: CSV text cells that a spreadsheet would run as a
formula start with a quote (numbers stay numbers), and terminal control sequences in stored
text are shown, not obeyed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.io.writers import EventWriter, spreadsheet_safe, terminal_safe
from realpolitik.store import Store

runner = CliRunner()

FORMULAS = ["=HYPERLINK(\"http://example.invalid\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd"]
CONTROLS = ["\x1b[2J\x1b[31m", "\x1b]0;owned\x07", "\x9b31m", "\x08\x08\x08", "\x7f", "\r"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_cell_that_looks_like_a_formula_starts_with_a_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Iran", "", "2019-01-10", "'quoted", -3.5, 0, -7, None, 2.25])
def test_other_cells_and_numbers_are_left_alone(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("text", CONTROLS)
def test_terminal_safe_shows_control_characters(text):
    shown = terminal_safe(f"Kenya{text}aid")
    assert shown.startswith("Kenya") and shown.endswith("aid")
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in shown), repr(shown)


def test_terminal_safe_keeps_ordinary_text():
    text = "Türkiye and Ελλάδα agreed, in Arabic: مصر.\nA second line\twith a tab."
    assert terminal_safe(text) == text


@pytest.fixture()
def store(tmp_path):
    """A store file with one imported event whose texts carry formulas and control sequences."""
    path = tmp_path / "s.duckdb"
    s = Store(path)
    with s.db.write() as con:
        con.execute(
            "INSERT INTO events (event_id, origin, cluster_id, event_type, source_name, source_code, source_country, "
            "target_name, target_country, sentence, trigger_text, intensity, goldstein, quad_class, day, date) "
            "VALUES ('ev1', 'gdelt', 'c1', 'ASSAULT', ?, 'KEN', 'KEN', ?, 'SOM', ?, ?, -3.5, -10.0, 4, "
            "DATE '2020-05-01', '2020-05-01')",
            ["=1+2 \x1b[31mKenya", "@Somalia\x1b]0;x\x07", "-Kenya\x1b[2J struck a base in Somalia.", "+struck\x1b[5m"])
    return path


def _cells(text: str) -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    return rows[0]


def _check_csv(row: dict[str, str]) -> None:
    assert row["source_name"].startswith("'=")
    assert row["target_name"].startswith("'@")
    assert row["sentence"].startswith("'-")
    assert row["trigger_text"].startswith("'+struck")
    assert float(row["intensity"]) == -3.5 and row["intensity"].startswith("-")
    assert float(row["goldstein"]) == -10.0


def test_export_csv_quotes_formula_text_and_keeps_numbers(store, tmp_path):
    out = tmp_path / "events.csv"
    Store(store, create=False).export(out, "csv")
    _check_csv(_cells(out.read_text(encoding="utf-8")))


def test_events_csv_quotes_formula_text_and_keeps_numbers(store):
    result = runner.invoke(app, ["events", "--db", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    _check_csv(_cells(result.stdout))


def test_events_jsonl_keeps_the_text_as_it_is(store):
    result = runner.invoke(app, ["events", "--db", str(store), "--format", "jsonl"])
    assert json.loads(result.stdout)["source_name"] == "=1+2 \x1b[31mKenya"


@pytest.mark.parametrize("command", [["show", "ev1"], ["events"]])
def test_terminal_printers_write_no_control_sequence_from_the_store(store, command):
    result = runner.invoke(app, [*command, "--db", str(store)])
    assert result.exit_code == 0, result.output
    assert not any(ord(c) < 32 and c not in "\n" or 127 <= ord(c) < 160 for c in result.stdout), repr(result.stdout)
    if command[0] == "show":
        assert "␛[2J" in result.stdout and "struck a base" in result.stdout


@pytest.mark.slow
def test_code_csv_quotes_formula_text(code):
    events = code("Kenya sent aid to Somalia after the floods.", "2020-05-01")
    assert events
    e = events[0].model_copy(update={"sentence": "=cmd|' /C calc'!A0", "rule": "@rule"})
    out = io.StringIO()
    with EventWriter(out, "csv") as w:
        w.write([e])
    row = _cells(out.getvalue())
    assert row["sentence"] == "'=cmd|' /C calc'!A0" and row["rule"] == "'@rule"
    assert float(row["confidence"]) == e.confidence and float(row["intensity"]) == e.intensity
