"""One event per act: acts of several parties, acts told twice, acts told in passing, acts done
to no one found, and the modalities the default output keeps. Sentences of our own."""

from __future__ import annotations

import pytest

from realpolitik import Coder
from realpolitik.config import Settings
from realpolitik.model import MODALITIES

pytestmark = pytest.mark.slow


def _pairs(event):
    return {(d.source.country, d.target.country) for d in event.each_dyad()}


def test_a_mutual_act_of_two_named_together_is_one_event_with_a_dyad_each_way(code):
    [e] = [e for e in code("Peru and Chile held talks in Lima on Monday.", "2023-05-09") if e.event_type == "CONSULT"]
    assert {m.country for m in e.source.members} == {"PER", "CHL"} == {m.country for m in e.target.members}
    assert _pairs(e) == {("PER", "CHL"), ("CHL", "PER")}
    assert len({d.event_id for d in e.dyads}) == 2 and e.event_id not in {d.event_id for d in e.dyads}


def test_a_compound_doer_is_one_event_and_a_dyad_per_doer(code):
    [e] = [e for e in code("Norway and Denmark expelled Belarusian diplomats on Thursday.", "2022-10-03")
           if e.event_type == "SANCTION"]
    assert e.source.kind == "compound" and e.target.code == "BLRGOV"
    assert {(d.source.country, d.target.code) for d in e.each_dyad()} == {("NOR", "BLRGOV"), ("DNK", "BLRGOV")}


def test_talks_with_a_named_party_keep_the_sides_as_the_text_names_them(code):
    [e] = [e for e in code("Seoul held talks with Pyongyang on Friday.", "2018-01-12") if e.event_type == "CONSULT"]
    assert (e.source.country, e.target.country) == ("KOR", "PRK")
    assert _pairs(e) == {("KOR", "PRK"), ("PRK", "KOR")}


def test_a_headline_over_its_lead_is_one_event_told_by_the_lead(code):
    text = "Kenya Expels Somali Envoy\nNairobi expelled Somalia's ambassador on Tuesday over a border row."
    sanctions = [e for e in code(text, "2019-02-20") if e.event_type == "SANCTION"]
    assert [(e.sentence_index, e.source.country, e.target.country) for e in sanctions] == [(1, "KEN", "SOM")]


def test_an_act_told_twice_in_one_sentence_is_one_event_and_two_acts_stay_two(code):
    clashes = [e for e in code("Clashes between Armenia and Azerbaijan killed ten soldiers.", "2022-09-13")
               if e.event_type == "ASSAULT"]
    assert len(clashes) == 1
    text = "Moscow expelled ten German diplomats and closed the German consulate in Kaliningrad."
    assert len([e for e in code(text, "2023-05-01") if e.event_type == "SANCTION"]) == 2


def test_a_headline_and_its_lead_told_with_a_closer_cameo_code_are_one_act(code):
    text = "Iran Threatens Israel\n\nIran's supreme leader threatened Israel with retaliation on Tuesday."
    assert [(e.sentence_index, e.cameo) for e in code(text, "2023-08-25") if e.event_type == "THREATEN"] == [(1, "138")]


def test_an_act_told_in_passing_beside_the_main_act_is_left_out_unless_asked_for():
    text = "The Tamil Tigers, who seized the port of Jaffna years ago, vowed on Sunday to strike navy ships."
    told = Coder.shared(Settings()).code(text, date="2022-10-03")
    assert "ASSAULT" not in {e.event_type for e in told} and "THREATEN" in {e.event_type for e in told}
    kept = Coder.shared(Settings(background=True)).code(text, date="2022-10-03")
    assert "ASSAULT" in {e.event_type for e in kept}
    text = "Colombia recalled its ambassador after the raid in Caracas."
    assert [e.event_type for e in Coder.shared(Settings()).code(text, date="2022-10-03")] == ["SANCTION"]
    assert "ASSAULT" in {e.event_type for e in Coder.shared(Settings(background=True)).code(text, date="2022-10-03")}


def test_an_act_done_to_no_one_found_is_left_out_unless_asked_for():
    text = "Minsk pleaded for calm on Wednesday."
    assert [e for e in Coder.shared(Settings()).code(text, date="2022-03-02") if e.event_type == "REQUEST"] == []
    kept = Coder.shared(Settings(require_target=False)).code(text, date="2022-03-02")
    assert [(e.event_type, e.target) for e in kept] == [("REQUEST", None)]


def test_condemning_an_act_told_before_addresses_its_doer(code):
    text = "Israeli jets struck a school in Gaza on Monday. Jordan condemned the attack."
    [e] = [e for e in code(text, "2024-06-04") if e.event_type == "ACCUSE"]
    assert (e.source.country, e.target.country) == ("JOR", "ISR")


def test_an_act_under_doubts_about_whether_is_an_open_question():
    text = "Analysts raised questions about whether Russia will withdraw its troops from the border."
    events = Coder.shared(Settings(modalities=MODALITIES, min_confidence=0)).code(text, date="2021-12-01")
    assert [(e.event_type, e.modality) for e in events if e.event_type == "RETREAT"] == [("RETREAT", "conditional")]
    assert [e for e in Coder.shared(Settings()).code(text, date="2021-12-01") if e.event_type == "RETREAT"] == []


def test_the_store_keeps_a_row_per_dyad(tmp_path):
    from realpolitik.store import Store

    store = Store(tmp_path / "s.duckdb")
    report = store.ingest_records([{"id": "d1", "text": "Peru and Chile held talks in Lima on Monday.",
                                    "date": "2023-05-09"}])
    assert report.events == 2
    rows = store.query("SELECT source_country, target_country FROM events WHERE event_type = 'CONSULT'")
    assert sorted(zip(rows["source_country"], rows["target_country"], strict=True)) == [("CHL", "PER"),
                                                                                        ("PER", "CHL")]


def _starts(text):
    import spacy

    import realpolitik.nlp  # noqa: F401  (registers the components)

    nlp = spacy.blank("en")
    nlp.add_pipe("realpolitik_paragraphs")
    return [t.text for t in nlp(text) if t.is_sent_start and not t.is_space]


def test_a_short_line_over_a_paragraph_is_a_sentence_of_its_own_and_a_wrapped_line_is_not():
    story = ("Ruto Hosts Museveni in Nairobi\nKenya's president received his Ugandan counterpart on Monday "
             "for talks on the oil pipeline and the border.\nUganda agreed to share the cost.")
    assert _starts(story) == ["Ruto", "Kenya", "Uganda"]
    wrapped = ("Iraq and Syria signed a border security pact in Baghdad on\n"
               "Sunday after two days of talks between their ministers\n"
               "of the interior.")
    assert _starts(wrapped) == ["Iraq"]


def test_an_act_told_twice_is_kept_where_the_text_tells_it_fully(code):
    text = ("Protesters said the Burkinabe army had seized power illegally. The Burkinabe army seized power in "
            "Ouagadougou on Friday.")
    assert [(e.sentence_index, e.event_type, e.date) for e in code(text, "2022-10-03")] == [(1, "COERCE", "2022-09-30")]


def test_a_strike_and_the_killing_it_caused_are_one_act(code):
    text = "Israeli jets struck a refugee camp in Gaza on Monday, killing 20 people."
    assert len([e for e in code(text, "2024-06-04") if e.event_type == "ASSAULT"]) == 1


def test_a_main_act_that_did_not_happen_pushes_nothing_into_the_background(code):
    text = "The militia, which attacked a convoy near Goma on Monday, did not attack any village on Tuesday."
    assert [e.event_type for e in code(text, "2024-02-07")] == ["ASSAULT"]


def test_the_sides_of_talks_held_with_a_third_party_are_named_as_the_text_names_them(code):
    [e] = [e for e in code("India and Japan held talks with France in Paris.", "2023-07-14") if e.event_type == "CONSULT"]
    assert e.source.kind == "compound" and e.target.country == "FRA" and "talks" not in e.source.text
    assert {("IND", "FRA"), ("JPN", "FRA"), ("FRA", "IND"), ("FRA", "JPN")} <= _pairs(e)


def test_dyads_under_the_floor_are_left_out():
    from realpolitik.coder import _surest_dyads
    from realpolitik.model import Dyad

    [e] = Coder.shared(Settings()).code("Peru and Chile held talks in Lima on Monday.", date="2023-05-09")
    weak = e.model_copy(update={"dyads": (e.dyads[0], e.dyads[1].model_copy(update={"confidence": 0.1}))})
    one = _surest_dyads(weak, 0.25)
    assert one.dyads == () and one.event_id == e.dyads[0].event_id and isinstance(e.dyads[0], Dyad)


def test_an_act_in_case_of_which_another_follows_is_conditional():
    events = Coder.shared(Settings(modalities=MODALITIES, min_confidence=0)).code(
        "In case Russia attacks Moldova, NATO will respond.", date="2023-07-30")
    assert [(e.event_type, e.modality) for e in events if e.event_type == "ASSAULT"] == [("ASSAULT", "conditional")]
