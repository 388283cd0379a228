"""The command line: formats, files, standard input, bad input, exit codes."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.model import event_json_schema

from .conftest import ROOT, SEED

runner = CliRunner()
pytestmark = pytest.mark.slow

TEXT = "Russia delivered six fighter jets to the Iraqi air force on Tuesday.\n"


@pytest.fixture(autouse=True)
def _shared_coder(coder):
    """CLI calls reuse the session's coder (Coder.shared) instead of loading the model again."""
    return coder


def _events(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_code_text_file_jsonl_validates_against_schema(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = runner.invoke(app, ["code", str(f), "--date", "2014-07-03"])
    assert r.exit_code == 0, r.output
    events = _events(r.stdout)
    assert events and events[0]["event_type"] == "AID" and events[0]["doc_id"] == str(f)
    schema = event_json_schema()
    for e in events:
        jsonschema.validate(e, schema)
    assert events[0]["date"] == "2014-07-01"


def test_seed_article_through_the_cli(tmp_path: Path):
    out = tmp_path / "seed.jsonl"
    r = runner.invoke(app, ["code", str(SEED), "--date", "2019-01-10", "--output", str(out)])
    assert r.exit_code == 0, r.output
    events = _events(out.read_text(encoding="utf-8"))
    schema = event_json_schema()
    for e in events:
        jsonschema.validate(e, schema)
    types = {e["event_type"] for e in events}
    assert {"AID", "AGREE", "RETREAT", "CONSULT", "REQUEST", "ASSAULT", "SUPPORT", "COOPERATE"} <= types


def test_jsonl_input_keeps_ids_and_dates(tmp_path: Path):
    f = tmp_path / "docs.jsonl"
    f.write_text(json.dumps({"id": "n1", "text": TEXT, "date": "2014-07-03"}) + "\n"
                 + json.dumps({"id": "n2", "text": "Iran condemned the Israeli strike on Damascus.",
                               "date": "2018-05-10", "title": "t"}) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["code", str(f)])
    assert r.exit_code == 0, r.output
    events = _events(r.stdout)
    assert {e["doc_id"] for e in events} == {"n1", "n2"}
    assert any(e["doc_id"] == "n2" and e["event_type"] == "ACCUSE" for e in events)


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_other_formats(tmp_path: Path, fmt: str):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = runner.invoke(app, ["code", str(f), "--date", "2014-07-03", "--format", fmt])
    assert r.exit_code == 0, r.output
    if fmt == "csv":
        lines = r.stdout.splitlines()
        assert lines[0].startswith("event_id,doc_id,sentence_index,event_type")
        assert ",AID," in lines[1]
    else:
        assert "AID" in r.stdout and "RUS" in r.stdout


def test_unknown_format_is_a_usage_error(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = runner.invoke(app, ["code", str(f), "--format", "xml"])
    assert r.exit_code == 2


def test_bad_date_is_a_usage_error(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = runner.invoke(app, ["code", str(f), "--date", "10/01/2019"])
    assert r.exit_code == 2


def test_bad_input_is_reported_and_the_rest_is_coded(tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Turkish troops attacked Kurdish fighters in Afrin, \xa0 near the Syrian border.".encode("cp1252")
                      + " Caf\xe9 owners fled.".encode("latin-1"))
    spanish = tmp_path / "es.txt"
    spanish.write_text("Las fuerzas del gobierno atacaron las posiciones de los rebeldes en el norte del "
                       "país y los combates continuaron durante toda la noche en la región.", encoding="utf-8")
    lines = tmp_path / "mixed.jsonl"
    lines.write_text("\n".join([
        json.dumps({"id": "ok1", "text": TEXT, "date": "2014-07-03"}),
        "{not json",
        json.dumps({"id": "notext"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "baddate", "text": TEXT, "date": "yesterday"}),
        json.dumps({"id": "ok2", "text": "Iran condemned the Israeli strike.", "date": "2018-05-10"}),
    ]) + "\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    r = runner.invoke(app, ["code", str(good), str(empty), str(binary), str(latin), str(spanish),
                            str(lines), str(missing), "--date", "2018-01-20"])
    assert r.exit_code == 1, r.output
    err = r.stderr
    assert f"{empty}: the file is empty" in err
    assert f"{binary}: the file is binary" in err
    assert f"{latin}:1: not valid UTF-8; decoded as Windows-1252" in err
    assert f"{spanish}: the text does not look like English" in err
    assert f"{lines}:2: not valid JSON" in err
    assert f"{lines}:3: missing 'text'" in err
    assert f"{lines}:4: a line must be a JSON object" in err
    assert f"{lines}:5: 'date' is not a date" in err
    assert f"{missing}: no such file or folder" in err
    ids = {e["doc_id"] for e in _events(r.stdout)}
    assert {str(good), str(latin), "ok1", "ok2"} <= ids


def test_huge_document_is_coded_in_pieces(tmp_path: Path):
    import calendar

    def day(n: int) -> str:  # a different day for every act: told once each, none merged
        return f"{calendar.month_name[1 + n // 28 % 12]} {1 + n % 28}, {2000 + n // 336}"

    text = "".join(
        "".join(f"Turkish jets struck Kurdish positions in northern Iraq on {day(k * 30 + j)}, officials said. "
                f"Iraq condemned the Turkish strikes on its territory. " for j in range(30)) + "\n\n"
        for k in range(60))  # about 280,000 characters, more than one piece
    f = tmp_path / "big.txt"
    f.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["code", str(f), "--date", "2019-01-10"])
    assert r.exit_code == 0, r.output
    events = _events(r.stdout)
    assert len(events) >= 60 * 30
    for e in events[::97]:
        assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
        assert e["sentence"] in text
    assert max(e["sentence_index"] for e in events) >= 60 * 60 - 5


def test_too_large_document_is_rejected_with_a_clear_message(tmp_path: Path):
    from realpolitik import Coder, Document, Settings

    coder = Coder.shared(Settings(max_chars=5_000))
    results = list(coder.pipe([Document(id="big", text="Iraq and Iran met. " * 1000, source="big.txt"),
                               Document(id="small", text=TEXT)]))
    assert results[0].error is not None and "max_chars" in str(results[0].error)
    assert results[1].ok and results[1].events


def test_folder_and_gzip_inputs(tmp_path: Path):
    d = tmp_path / "corpus" / "sub"
    d.mkdir(parents=True)
    (d / "a.txt").write_text(TEXT, encoding="utf-8")
    with gzip.open(d / "b.jsonl.gz", "wt", encoding="utf-8") as g:
        g.write(json.dumps({"id": "gz1", "text": "Iran condemned the Israeli strike.", "date": "2018-05-10"}) + "\n")
    (d / "ignored.bin").write_bytes(b"\x00\x01")
    r = runner.invoke(app, ["code", str(tmp_path / "corpus"), "--date", "2014-07-03"])
    assert r.exit_code == 0, r.output
    assert {e["doc_id"] for e in _events(r.stdout)} == {str(d / "a.txt"), "gz1"}


def test_user_actor_file(tmp_path: Path):
    actors = tmp_path / "mine.yaml"
    actors.write_text("organizations:\n  - {id: NLF2, name: New Liberation Front, kind: armed_group, "
                      "country: SYR, sector: REB}\n", encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text("The New Liberation Front attacked a Turkish convoy near Afrin.", encoding="utf-8")
    r = runner.invoke(app, ["code", str(f), "--actors", str(actors), "--date", "2018-02-01"])
    assert r.exit_code == 0, r.output
    assert any(e["source"] and e["source"]["code"] == "NLF2" for e in _events(r.stdout))


def test_invalid_user_actor_file_is_a_usage_error(tmp_path: Path):
    actors = tmp_path / "bad.yaml"
    actors.write_text("organizations:\n  - {id: bad id, name: X, kind: armed_group, sector: REB}\n", encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = runner.invoke(app, ["code", str(f), "--actors", str(actors)])
    assert r.exit_code == 2
    assert "bad.yaml" in r.stderr


def test_actors_check(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text("organizations:\n  - {id: NLF2, name: New Liberation Front, kind: armed_group, "
                    "country: SYR, sector: REB}\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("people:\n  - {name: X, roles: [{role: head_of_state, country: QQQ, start: 2001-01-01}]}\n",
                   encoding="utf-8")
    assert runner.invoke(app, ["actors", "check", str(good)]).exit_code == 0
    r = runner.invoke(app, ["actors", "check", str(bad)])
    assert r.exit_code == 1 and "QQQ" in r.stderr


def test_shipped_actor_files_check_clean():
    for f in sorted((ROOT / "src" / "realpolitik" / "actors" / "data").glob("*.yaml")):
        r = runner.invoke(app, ["actors", "check", str(f)])
        assert r.exit_code == 0, r.stderr


def test_schema_command_matches_docs():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    assert json.loads(r.stdout) == json.loads((ROOT / "docs" / "event.schema.json").read_text(encoding="utf-8"))


def test_summary(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    r = runner.invoke(app, ["code", str(f), "--date", "2014-07-03", "--summary", "-o", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 0
    assert "Coded 1 documents" in r.stdout and "AID" in r.stdout


def test_real_process_with_stdin_and_exit_status(tmp_path: Path):
    """The installed command, as a user runs it: standard input in, events out, true exit status."""
    exe = Path(sys.executable).with_name("realpolitik")
    p = subprocess.run([str(exe), "code", "-", "--date", "2014-07-03"], input=TEXT.encode(),
                       capture_output=True, timeout=300)
    assert p.returncode == 0, p.stderr.decode()
    events = _events(p.stdout.decode())
    assert events[0]["doc_id"] == "stdin" and events[0]["event_type"] == "AID"
    p = subprocess.run([str(exe), "code", "-"], input=b"", capture_output=True, timeout=300)
    assert p.returncode == 1 and b"standard input is empty" in p.stderr
