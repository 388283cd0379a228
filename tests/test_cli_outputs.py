"""No command writes over one of its inputs, its store or any DuckDB database, and a missing
folder of an output file is created instead of ending in a traceback."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.errors import OutputError
from realpolitik.io.paths import output_path

from .conftest import ROOT
from .store.conftest import example_records, write_jsonl

runner = CliRunner()
FIXTURES = ROOT / "tests" / "fixtures"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory, coder):
    """A small store of coded events (closed), and a second DuckDB database that is no store."""
    import duckdb

    folder = tmp_path_factory.mktemp("outputs")
    corpus = write_jsonl(folder / "corpus.jsonl", example_records(20))
    store = folder / "store.duckdb"
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(store), "--no-progress"])
    assert result.exit_code == 0, result.output
    other = folder / "other.db"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    return folder, store, other


# each command, with {store} the store and {target} the file it must not overwrite
OVER_THE_STORE = {
    "relations --html": ["relations", "IRN", "IRQ", "--db", "{store}", "--html", "{target}"],
    "relations --plot": ["relations", "IRN", "IRQ", "--db", "{store}", "--plot", "{target}"],
    "network --gexf": ["network", "--db", "{store}", "--min-events", "1", "--gexf", "{target}"],
    "network --graphml": ["network", "--db", "{store}", "--min-events", "1", "--graphml", "{target}"],
    "network --plot": ["network", "--db", "{store}", "--min-events", "1", "--plot", "{target}"],
    "network --html": ["network", "--db", "{store}", "--min-events", "1", "--html", "{target}"],
    "shifts --html": ["shifts", "--db", "{store}", "--from", "2014-10-01", "--to", "2015-01-31", "--min-events", "1",
                      "--html", "{target}"],
    "report --html": ["report", "--db", "{store}", "--min-events", "1", "--html", "{target}"],
    "export": ["export", "{target}", "--db", "{store}", "--format", "csv"],
    "schema -o": ["schema", "-o", "{target}"],
}


@pytest.mark.slow
@pytest.mark.parametrize("which", ["the store", "another database"])
@pytest.mark.parametrize("command", list(OVER_THE_STORE))
def test_no_output_overwrites_the_store_or_a_database(built, command, which):
    _, store, other = built
    target = store if which == "the store" else other
    before = _digest(target)
    args = [a.format(store=store, target=target) for a in OVER_THE_STORE[command]]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert _digest(target) == before
    assert str(target) in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.slow
@pytest.mark.parametrize("spell", ["same", "dotted", "link"])
def test_code_refuses_to_write_its_events_over_its_input(tmp_path, spell):
    text = "The foreign minister of Chile met his Peruvian counterpart in Lima on Monday.\n"
    source = tmp_path / "news.txt"
    source.write_text(text, encoding="utf-8")
    out = {"same": source, "dotted": tmp_path / "." / ".." / tmp_path.name / "news.txt",
           "link": tmp_path / "alias.txt"}[spell]
    if spell == "link":
        out.symlink_to(source)
    result = runner.invoke(app, ["code", str(source), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert source.read_text(encoding="utf-8") == text
    assert "input" in result.output


@pytest.mark.slow
def test_code_refuses_an_output_inside_an_input_folder(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Kenya sent aid to Somalia after the floods.\n", encoding="utf-8")
    result = runner.invoke(app, ["code", str(folder), "-o", str(folder / "events.jsonl")])
    assert result.exit_code == 2, result.output
    assert not (folder / "events.jsonl").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["code", "export", "relations --html", "schema"])
def test_a_missing_folder_of_the_output_is_created(built, tmp_path, command):
    folder, store, _ = built
    out = tmp_path / "not" / "yet" / ("out.html" if "html" in command else "out.jsonl")
    args = {
        "code": ["code", str(folder / "corpus.jsonl"), "-o", str(out)],
        "export": ["export", str(out), "--db", str(store)],
        "relations --html": ["relations", "IRN", "IRQ", "--db", str(store), "--html", str(out)],
        "schema": ["schema", "-o", str(out)],
    }[command]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 0


@pytest.mark.parametrize("args", [
    ["eval", "{gold}", "--json", "{gold}"],
    ["eval", "{gold}", "--errors", "{gold}"],
    ["actors", "update", "--from-wikidata", "--response", "{response}", "-o", "{response}"],
])
def test_eval_and_actors_update_keep_their_inputs(tmp_path, args):
    gold = tmp_path / "gold.tsv"
    shutil.copy(FIXTURES / "gold_plv.tsv", gold)
    response = tmp_path / "response.json"
    shutil.copy(FIXTURES / "wikidata_response.json", response)
    before = (_digest(gold), _digest(response))
    result = runner.invoke(app, [a.format(gold=gold, response=response) for a in args])
    assert result.exit_code == 2, result.output
    assert (_digest(gold), _digest(response)) == before


@pytest.mark.parametrize("case", ["file over folder", "folder is a file", "duckdb under any name"])
def test_output_path_says_why_not(tmp_path, case):
    if case == "file over folder":
        (tmp_path / "d").mkdir()
        target = tmp_path / "d"
    elif case == "folder is a file":
        (tmp_path / "f").write_text("x", encoding="utf-8")
        target = tmp_path / "f" / "out.csv"
    else:
        target = tmp_path / "notes.txt"
        target.write_bytes(b"\0" * 8 + b"DUCK" + b"\0" * 100)
    with pytest.raises(OutputError) as caught:
        output_path(target)
    assert str(target if case != "folder is a file" else target.parent) in str(caught.value)


def test_output_path_allows_an_ordinary_file_and_makes_its_folder(tmp_path):
    (tmp_path / "old.csv").write_text("a,b\n", encoding="utf-8")
    assert output_path(tmp_path / "old.csv", inputs=[tmp_path / "in.txt"]) == tmp_path / "old.csv"
    assert output_path(tmp_path / "x" / "y.csv").parent.is_dir()
