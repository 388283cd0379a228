"""The evaluation command and its scores, on small gold files written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from realpolitik.actors import load_actor_dictionary
from realpolitik.cli import app
from realpolitik.errors import MalformedRecordError
from realpolitik.evaluation import GoldActor, GoldEvent, read_gold, score

FIX = Path(__file__).parent / "fixtures"


class A:
    def __init__(self, text, country=None, code=None, sector=None, members=()):
        self.text, self.country, self.code, self.sector, self.members = text, country, code, sector, members


def test_read_plv_and_gsr():
    plv = read_gold(FIX / "gold_plv.tsv")
    assert [g.event_type for g in plv] == ["ASSAULT", "CONSULT", "YIELD", "AGREE"]
    assert plv[0].sources[0].text == "Turkish warplanes" and plv[0].quad == 4 and plv[0].merge_yield
    gsr = read_gold(FIX / "gold_gsr.json")
    assert [g.event_type for g in gsr] == ["ACCUSE", "REQUEST", "ASSAULT"]  # 0.5 names mapped
    assert gsr[1].targets[0].code == "TUR"


def test_bad_gold_files(tmp_path: Path):
    bad = tmp_path / "x.tsv"
    bad.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(MalformedRecordError):
        read_gold(bad)
    broken = tmp_path / "x.json"
    broken.write_text("[{oops", encoding="utf-8")
    with pytest.raises(MalformedRecordError):
        read_gold(broken)


def test_scores():
    gold = [
        GoldEvent("1", "s1", "ASSAULT", 4, (GoldActor("Turkish jets"),), (GoldActor("PKK fighters"),)),
        GoldEvent("2", "s2", "CONSULT", 1, (GoldActor("Iraq", "IRQ", "GOV"),), (GoldActor("Iran", "IRN"),)),
        GoldEvent("3", "s3", "RETREAT", 2, merge_yield=True),
        GoldEvent("4", "s4", "AID", 2),
    ]
    preds = [
        [("ASSAULT", 0.9, A("Turkish jets", "TUR"), A("PKK", code="PKK")), ("THREATEN", 0.2, None, None)],
        [("AGREE", 0.8, A("Iraq", "IRQ", sector="GOV"), A("Iran", "IRN")), ("CONSULT", 0.6, None, None)],
        [("CONCEDE", 0.7, None, None)],
        [],
    ]
    r = score(gold, preds)
    assert r.top1_correct == 2 and r.top1_accuracy == 0.5  # CONCEDE counts as YIELD for PLV-style gold
    assert r.no_event == 1
    assert r.dyad_total == 2 and r.dyad_hits == 1
    assert r.source_country_total == 1 and r.source_country_correct == 1
    assert r.source_sector_accuracy == 1.0
    assert r.quad_correct == 3 and r.quad_total == 4  # AGREE shares CONSULT's quad 1; YIELD is quad 2; no event is wrong
    per = r.per_type()
    assert per["ASSAULT"][:3] == (1.0, 1.0, 1.0)
    assert per["CONSULT"][1] == 0.0
    assert len(r.errors) == 2 and r.errors[0]["gold"] == "CONSULT"
    cal = r.calibration()
    assert sum(n for *_, n in cal) == 3


def test_an_unstated_gold_role_is_matched_only_by_a_missing_actor():
    text = "Police in Lagos opened an inquiry on Monday."
    gold = [GoldEvent("1", text, "ACCUSE", 3, (GoldActor("Police in Lagos"),), (GoldActor("a recipient"),))]
    assert score(gold, [[("ACCUSE", 0.9, A("Police in Lagos", "NGA"), None)]]).dyad_hits == 1
    assert score(gold, [[("ACCUSE", 0.9, A("Police in Lagos", "NGA"), A("Lagos", "NGA"))]]).dyad_hits == 0
    stated = [GoldEvent("1", text, "ACCUSE", 3, (GoldActor("Police in Lagos"),), (GoldActor("Lagos"),))]
    assert score(stated, [[("ACCUSE", 0.9, A("Police in Lagos", "NGA"), None)]]).dyad_hits == 0


def test_country_codes_come_from_the_dictionary():
    countries = set(load_actor_dictionary().countries)
    assert "IRQ" in countries and "IGO" not in countries


@pytest.mark.slow
def test_eval_command(tmp_path: Path, coder):
    out = tmp_path / "scores.json"
    errs = tmp_path / "errors.jsonl"
    r = CliRunner().invoke(app, ["eval", str(FIX / "gold_plv.tsv"), str(FIX / "gold_gsr.json"),
                                 "--json", str(out), "--errors", str(errs)])
    assert r.exit_code == 0, r.output
    assert "top-1 event-type accuracy" in r.stdout and "Confusion" in r.stdout
    scores = json.loads(out.read_text(encoding="utf-8"))
    plv = scores[str(FIX / "gold_plv.tsv")]
    assert plv["sentences"] == 4 and plv["top1_accuracy"] >= 0.5
    gsr = scores[str(FIX / "gold_gsr.json")]
    assert gsr["top1_accuracy"] == 1.0 and gsr["source_country_accuracy"] == 1.0
    lines = [json.loads(x) for x in errs.read_text(encoding="utf-8").splitlines()]
    assert any(x["id"] == "4" for x in lines)  # the sentence with no event is an error


@pytest.mark.slow
def test_eval_rules_only(tmp_path: Path):
    """--rules-only codes with the learned layer off: no event comes from the model."""
    out = tmp_path / "scores.json"
    errs = tmp_path / "errors.jsonl"
    r = CliRunner().invoke(app, ["eval", str(FIX / "gold_plv.tsv"), "--rules-only", "--no-confusion",
                                 "--json", str(out), "--errors", str(errs)])
    assert r.exit_code == 0, r.output
    assert "Confusion" not in r.stdout
    assert json.loads(out.read_text(encoding="utf-8"))[str(FIX / "gold_plv.tsv")]["sentences"] == 4
    for line in errs.read_text(encoding="utf-8").splitlines():
        assert not any(e["rule"].startswith("model:") or "+mode:model" in e["rule"]
                       for e in json.loads(line)["events"])
