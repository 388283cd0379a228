"""Headlines in title case or capitals are read with ordinary words lower-cased."""

from __future__ import annotations

from realpolitik.nlp.casing import Recaser

COMMON = {"seize", "foreign", "tanker", "jail", "opposition", "figure", "charge", "military", "arrest",
          "dozen", "protest", "enter", "third", "week", "the", "minister", "visit", "police", "say"}


def _recaser() -> Recaser:
    return Recaser(["Iran", "Uganda", "Georgia", "NATO", "Theresa May"], COMMON,
                   is_place=lambda t: t in ("Gulf", "Tbilisi"))


def test_title_case_headline_keeps_names_and_length():
    r = _recaser()
    text = "Uganda Jails Opposition Figure Besigye on Military Charges"
    out = r.recase(text)
    assert out == "Uganda jails opposition figure Besigye on military charges"
    assert len(out) == len(text)


def test_capitals_headline():
    assert _recaser().recase("IRAN SEIZES FOREIGN TANKER, NATO SAYS") == "Iran seizes foreign tanker, NATO says"


def test_ordinary_sentences_and_name_lists_are_left_alone():
    r = _recaser()
    plain = "Police in Georgia arrested dozens of protesters on Tuesday."
    assert r.recase(plain) is plain
    assert r.recase("Iran, Uganda and Georgia") == "Iran, Uganda and Georgia"
    two = "A body line.\nTheresa May Visits Tbilisi Police"
    assert r.recase(two) == "A body line.\nTheresa May visits Tbilisi police"


def test_coded_headline_keeps_the_documents_letters(coder):
    events = coder.code("Uganda Jails Opposition Figure Besigye on Military Charges")
    jail = next(e for e in events if e.event_type == "COERCE")
    assert jail.source.code == "UGA" and jail.trigger.text == "Jails"
    assert jail.sentence == "Uganda Jails Opposition Figure Besigye on Military Charges"
    assert jail.target is not None and "Besigye" in jail.target.text


def test_odd_input_is_returned_as_it_came():
    r = _recaser()
    for text in ("", "\n\n", "1234 5678", "\x00\x01 BINARY \xff", "Iran " * 20000):
        assert r.recase(text) == text
