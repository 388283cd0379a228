"""Document-level evaluation: gold events pinned to sentences, traps, one output per gold event (issue 14).
The documents here are our own, written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.doceval import DocGold, GoldDocEvent, GoldTrap, read_doc_gold, score_documents, ways
from realpolitik.model import Actor, Event, Trigger

runner = CliRunner()

TEXT = ("Chad expelled the Sudanese ambassador on Monday. The two countries exchanged fire near the border. "
        "Officials said talks could resume next month.")


def _event(etype: str, src: str | None, tgt: str | None, sentence: str, start: int, modality: str = "asserted",
           date: str | None = None) -> Event:
    def actor(code: str | None) -> Actor | None:
        return None if code is None else Actor(text=code, start=0, end=1, code=code, country=code)

    return Event(event_id=f"{etype}{start}", doc_id="d", sentence_index=0, sentence=sentence, event_type=etype,
                 source=actor(src), target=actor(tgt), modality=modality, confidence=0.9, date=date,
                 quad_class=1, intensity=0.0, date_precision="day" if date else "document",
                 trigger=Trigger(text="x", start=start, end=start + 1), rule="verb:test")


GOLD = DocGold("d", "d.txt", "2021-03-08", (
    GoldDocEvent("e1", "expulsion", ("SANCTION",), ("TCD",), ("SDN",), "2021-03-08", ("Chad expelled",)),
    GoldDocEvent("e2", "clash", ("ASSAULT",), ("TCD", "SDN"), ("SDN", "TCD"), None, ("exchanged fire",)),
    GoldDocEvent("e3", "clash, other way", ("ASSAULT",), ("TCD", "SDN"), ("SDN", "TCD"), None, ("exchanged fire",)),
), (GoldTrap("t1", "talks only possible", "talks could resume", ("CONSULT",)),))
S1, S2, S3 = TEXT.split(". ")[0] + ".", TEXT.split(". ")[1] + ".", TEXT.split(". ")[2]


def test_found_matching_and_sides():
    events = [_event("SANCTION", "TCD", "SDN", S1, 5, date="2021-03-08"),
              _event("ASSAULT", "TCD", "SDN", S2, TEXT.index("exchanged")),  # serves one clash only
              _event("ASSAULT", "SDN", "TCD", S2, TEXT.index("fire"))]
    rep = score_documents([GOLD], {"d": TEXT}, {"d": events})
    assert (rep.found, rep.total, rep.type_found) == (3, 3, 3)
    assert (rep.dates_right, rep.dated) == (1, 1)
    assert rep.output == 3 and not rep.misses and rep.traps_failed == 0


def test_one_output_event_serves_one_gold_event_and_wrong_sides_are_misses():
    events = [_event("SANCTION", "SDN", "TCD", S1, 5), _event("ASSAULT", "TCD", "SDN", S2, TEXT.index("fire"))]
    rep = score_documents([GOLD], {"d": TEXT}, {"d": events})
    assert rep.found == 1 and rep.type_found == 3
    assert (rep.source_right, rep.target_right) == (2, 2)  # the expulsion's sides are swapped
    assert {m["id"] for m in rep.misses} == {"e1", "e3"} or {m["id"] for m in rep.misses} == {"e1", "e2"}


def test_negated_and_hypothetical_events_find_nothing_and_traps_catch_facts():
    events = [_event("SANCTION", "TCD", "SDN", S1, 5, modality="negated"),
              _event("CONSULT", "TCD", "SDN", S3, TEXT.index("talks"))]
    rep = score_documents([GOLD], {"d": TEXT}, {"d": events})
    assert rep.found == 0 and rep.traps_failed == 1
    events[1] = events[1].model_copy(update={"modality": "hypothetical"})
    assert score_documents([GOLD], {"d": TEXT}, {"d": events}).traps_failed == 0
    # a trap is failed by an asserted, reported or historical event only: a plan is no fact
    for modality, failed in (("intended", 0), ("reported", 1), ("historical", 1)):
        events[1] = events[1].model_copy(update={"modality": modality})
        assert score_documents([GOLD], {"d": TEXT}, {"d": events}).traps_failed == failed, modality


def _write(tmp_path: Path) -> tuple[Path, Path]:
    texts = tmp_path / "texts"
    (texts / "articles").mkdir(parents=True)
    (texts / "articles" / "a.txt").write_text(
        "Turkey shot down a Russian warplane near the Syrian border on Tuesday, the army said.", encoding="utf-8")
    gold = {"note": "ours", "docs": [
        {"id": "a", "file": "articles/a.txt", "date": "2015-11-24", "events": [
            {"id": "a1", "what": "downing", "types": ["ASSAULT"], "source": ["TUR"], "target": ["RUS"],
             "date": "2015-11-24", "in": ["Turkey shot down"]}], "traps": []},
        {"id": "b", "file": "articles/missing.txt", "date": "2015-11-25", "events": [], "traps": []}]}
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path, texts


def test_read_doc_gold_and_bad_files(tmp_path):
    path, _ = _write(tmp_path)
    docs = read_doc_gold(path)
    assert [d.id for d in docs] == ["a", "b"] and docs[0].events[0].targets == ("RUS",)
    bad = tmp_path / "bad.json"
    bad.write_text('{"docs": [{"id": "x"}]}', encoding="utf-8")
    with pytest.raises(Exception, match="lacks a field"):
        read_doc_gold(bad)


@pytest.mark.slow
def test_the_eval_command_on_documents(tmp_path):
    path, texts = _write(tmp_path)
    r = runner.invoke(app, ["eval", str(path)])
    assert r.exit_code == 2 and "--texts" in r.output
    out = tmp_path / "scores.json"
    r = runner.invoke(app, ["eval", str(path), "--texts", str(texts), "--json", str(out)])
    assert r.exit_code == 0, r.output
    assert "missing.txt" in r.output
    scores = json.loads(out.read_text(encoding="utf-8"))[str(path)]
    assert scores["found"] == 1 and scores["documents"] == 1 and scores["dates_right"] == 1.0


def test_events_found_are_counted_by_how_their_parties_were_named():
    e = _event("SANCTION", "TCD", "SDN", S1, 5).model_copy(update={"rule": "verb:test > party:party > party:pairs"})
    e = e.model_copy(update={"target": e.target.model_copy(update={"resolved_by": "register:pair"})})
    assert ways(e) == {"party in a phrase", "several parties", "document register"}
    rep = score_documents([GOLD], {"d": TEXT}, {"d": [e]})
    assert rep.found == 1 and rep.found_by == {"party in a phrase": 1, "several parties": 1, "document register": 1}
    assert rep.summary()["found_by"]["several parties"] == 1
    assert ways(_event("ASSAULT", "TCD", None, S2, 60)) == set()


def test_an_event_done_to_its_doers_own_state_is_counted_as_such():
    e = _event("ASSAULT", "TCD", "TCD", S2, 60).model_copy(update={"rule": "verb:test > party:own-state"})
    assert ways(e) == {"own state"}


def test_an_organ_of_a_body_counts_as_the_body():
    # the gold's "UNO" is the UN and any of its organs: the dictionary's parent of the organ
    text = "The General Assembly demanded that Moscow withdraw its forces."
    gold = DocGold("u", "u.txt", "2022-03-02", (
        GoldDocEvent("u1", "demand", ("REQUEST",), ("UNO",), ("RUS",), None, ("demanded that Moscow",)),), ())
    organ = Event(event_id="r", doc_id="u", sentence_index=0, sentence=text, event_type="REQUEST",
                  source=Actor(text="The General Assembly", start=0, end=20, code="UNGA", kind="organization"),
                  target=Actor(text="Moscow", start=36, end=42, code="RUSGOV", country="RUS"), confidence=0.9,
                  quad_class=1, intensity=0.0, date_precision="document", modality="asserted",
                  trigger=Trigger(text="demanded", start=21, end=29), rule="verb:test")
    assert score_documents([gold], {"u": text}, {"u": [organ]}).found == 1
    other = organ.model_copy(update={"source": organ.source.model_copy(update={"code": "NATO"})})
    assert score_documents([gold], {"u": text}, {"u": [other]}).found == 0
