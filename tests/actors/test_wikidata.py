"""The Wikidata updater, with a recorded response (the tests have no network)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from realpolitik.actors import check_actor_file, load_actor_dictionary
from realpolitik.actors.wikidata import WikidataError, build_query, fetch, parse_results
from realpolitik.cli import app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "wikidata_response.json"


def test_parse_recorded_response():
    people = parse_results(json.loads(FIXTURE.read_text(encoding="utf-8")))
    names = [p["name"] for p in people]
    assert names == ["Haider al-Abadi", "Fuad Hussein", "Mohammed Shia al-Sudani", "Hakan Fidan"]
    abadi = people[0]
    assert abadi["roles"][0]["country"] == "IRQ" and str(abadi["roles"][0]["end"]) == "2018-10-25"
    assert "Haidar al-Abadi" in abadi["aliases"]
    sudani = people[2]
    assert sudani["roles"][0]["end"] is None  # still in office


def test_query_names_the_offices_and_countries():
    q = build_query(2005, ["irq", "tur"])
    assert "wd:Q48352" in q and "wd:Q7330070" in q and '"IRQ" "TUR"' in q and ">= 2005" in q


def test_fetch_uses_the_endpoint_and_a_user_agent():
    seen = {}

    class Resp(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    def opener(req, timeout):
        seen["url"], seen["ua"] = req.full_url, req.get_header("User-agent")
        return Resp(FIXTURE.read_bytes())

    out = fetch("SELECT 1", "https://example.org/sparql", opener=opener)
    assert out["results"]["bindings"]
    assert seen["url"].startswith("https://example.org/sparql?query=SELECT")
    assert "realpolitik" in seen["ua"]


def test_fetch_reports_network_errors():
    def opener(req, timeout):
        raise OSError("no route to host")

    with pytest.raises(WikidataError, match="no route to host"):
        fetch("SELECT 1", opener=opener)


def test_bad_response():
    with pytest.raises(WikidataError):
        parse_results({"nothing": []})


def test_cli_writes_a_valid_people_file(tmp_path: Path):
    out = tmp_path / "wd.yaml"
    r = CliRunner().invoke(app, ["actors", "update", "--from-wikidata", "--response", str(FIXTURE),
                                 "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert "4 people, 4 terms" in r.stdout
    assert check_actor_file(out) == []
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert {p["name"] for p in data["people"]} == {"Haider al-Abadi", "Fuad Hussein", "Mohammed Shia al-Sudani",
                                                   "Hakan Fidan"}
    d = load_actor_dictionary([out])
    assert any(r.kind == "person" for r in d.lookup("Mohammed Shia al-Sudani"))


def test_cli_needs_a_source(tmp_path: Path):
    r = CliRunner().invoke(app, ["actors", "update", "--output", str(tmp_path / "x.yaml")])
    assert r.exit_code == 2
