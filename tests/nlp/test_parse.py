"""The parse helpers on hand-built Docs: no English model needed (issue 13)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from realpolitik.nlp.parse import (
    between,
    dative,
    noun_subject,
    object_of,
    owner,
    passive,
    prep_objects,
    subject,
)

VOCAB = spacy.blank("en").vocab  # English lexical attributes, no model


def parse(spec: str) -> Doc:
    """A Doc from 'word/HEAD/dep/POS/TAG' items separated by spaces (HEAD: index of the head)."""
    items = [w.split("/") for w in spec.split()]
    words = [i[0] for i in items]
    return Doc(VOCAB, words=words, heads=[int(i[1]) for i in items], deps=[i[2] for i in items],
               pos=[i[3] for i in items], tags=[i[4] for i in items], lemmas=[i[5] if len(i) > 5 else i[0].lower()
                                                                          for i in items])


def test_active_subject_and_object():
    d = parse("Iran/1/nsubj/PROPN/NNP seized/1/ROOT/VERB/VBD/seize a/3/det/DET/DT tanker/1/dobj/NOUN/NN")
    assert subject(d[1]) == (d[0], "subj")
    assert object_of(d[1]) == d[3]
    assert not passive(d[1])


def test_passive_agent_is_the_subject_and_the_patient_the_object():
    d = parse("The/1/det/DET/DT tanker/3/nsubjpass/NOUN/NN was/3/auxpass/AUX/VBD seized/3/ROOT/VERB/VBN/seize "
              "by/3/agent/ADP/IN Iran/4/pobj/PROPN/NNP")
    assert passive(d[3])
    assert subject(d[3]) == (d[5], "by")
    assert object_of(d[3]) == d[1]


def test_a_passive_without_agent_has_no_subject():
    d = parse("Two/1/nummod/NUM/CD soldiers/3/nsubjpass/NOUN/NNS were/3/auxpass/AUX/VBD killed/3/ROOT/VERB/VBN/kill")
    assert subject(d[3]) == (None, "")


def test_a_relative_clause_takes_its_noun_as_subject():
    d = parse("forces/0/ROOT/NOUN/NNS that/2/nsubj/PRON/WDT support/0/relcl/VERB/VBP Assad/2/dobj/PROPN/NNP")
    assert subject(d[2]) == (d[0], "relcl")


def test_a_relative_clause_with_its_own_subject_acts_on_its_noun():
    d = parse("the/1/det/DET/DT regime/1/ROOT/NOUN/NN that/4/dobj/PRON/WDT Moscow/4/nsubj/PROPN/NNP "
              "supported/1/relcl/VERB/VBD/support")
    assert object_of(d[4]) == d[1]
    assert subject(d[4]) == (d[3], "subj")


@pytest.mark.parametrize(("verb", "expected"), [("urged", 2), ("wanted", 0)])
def test_control_object_or_subject(verb, expected):
    d = parse(f"Iraq/1/nsubj/PROPN/NNP {verb}/1/ROOT/VERB/VBD/{verb[:-1] if verb == 'urged' else 'want'} "
              "Turkey/1/dobj/PROPN/NNP to/4/aux/PART/TO withdraw/1/xcomp/VERB/VB")
    assert subject(d[4]) == (d[expected], "control")


def test_called_on_x_to_act_makes_x_the_actor():
    d = parse("Baghdad/1/nsubj/PROPN/NNP called/1/ROOT/VERB/VBD/call on/1/prep/ADP/IN Ankara/2/pobj/PROPN/NNP "
              "to/5/aux/PART/TO withdraw/1/xcomp/VERB/VB")
    assert subject(d[5]) == (d[3], "control")


def test_coordinated_verbs_share_a_subject_but_a_reported_clause_does_not():
    d = parse("Iran/1/nsubj/PROPN/NNP fired/1/ROOT/VERB/VBD/fire and/1/cc/CCONJ/CC hit/1/conj/VERB/VBD")
    assert subject(d[3]) == (d[0], "shared")
    d = parse("Iran/1/nsubj/PROPN/NNP said/1/ROOT/VERB/VBD/say talks/3/nsubj/NOUN/NNS failed/1/ccomp/VERB/VBD/fail")
    assert subject(d[3]) == (d[2], "subj")
    d = parse("Iran/1/nsubj/PROPN/NNP said/1/ROOT/VERB/VBD/say failing/1/ccomp/VERB/VBG/fail")
    assert subject(d[2]) == (None, "")


def test_a_dateline_is_no_subject():
    d = parse("BAGHDAD/3/nsubj/PROPN/NNP --/3/punct/PUNCT/: Gunmen/3/nsubj/NOUN/NNS attacked/3/ROOT/VERB/VBD/attack")
    # the nearest subject is the real one; a dateline alone never is
    assert subject(d[3]) == (d[2], "subj")
    d = parse("BAGHDAD/2/nsubj/PROPN/NNP --/2/punct/PUNCT/: attacked/2/ROOT/VERB/VBD/attack")
    assert subject(d[2]) == (None, "")


def test_dative_and_to_phrase():
    d = parse("Russia/1/nsubj/PROPN/NNP gave/1/ROOT/VERB/VBD/give Iraq/1/dative/PROPN/NNP jets/1/dobj/NOUN/NNS")
    assert dative(d[1]) == d[2]
    d = parse("Russia/1/nsubj/PROPN/NNP sent/1/ROOT/VERB/VBD/send jets/1/dobj/NOUN/NNS to/1/dative/ADP/IN "
              "Iraq/3/pobj/PROPN/NNP")
    assert dative(d[1]) == d[4]


def test_two_word_prepositions():
    d = parse("troops/1/nsubj/NOUN/NNS pulled/1/ROOT/VERB/VBD/pull out/1/prt/ADP/RP of/2/prep/ADP/IN "
              "Syria/3/pobj/PROPN/NNP")
    assert prep_objects(d[1], "of") == [d[4]]
    assert prep_objects(d[1], "from") == []


def test_owner_of_the_object():
    d = parse("Turkey/1/nsubj/PROPN/NNP downed/1/ROOT/VERB/VBD/down Russia/4/poss/PROPN/NNP 's/2/case/PART/POS "
              "jet/1/dobj/NOUN/NN")
    assert owner(object_of(d[1]), set()) == d[2]
    d = parse("Iran/1/nsubj/PROPN/NNP seized/1/ROOT/VERB/VBD/seize a/5/det/DET/DT British/4/npadvmod/ADJ/JJ "
              "flagged/5/amod/VERB/VBN tanker/1/dobj/NOUN/NN")
    assert owner(d[5], {3}) == d[3]
    assert owner(d[5], set()) is None


def test_an_actor_in_a_nouns_own_modifiers():
    d = parse("Iraqi/2/amod/ADJ/JJ air/2/compound/NOUN/NN strikes/2/ROOT/NOUN/NNS")
    assert noun_subject(d[2], {0}) == d[0]
    assert noun_subject(d[2], set()) is None


def test_between_two_parties():
    d = parse("talks/0/ROOT/NOUN/NNS between/0/prep/ADP/IN Iraq/1/pobj/PROPN/NNP and/2/cc/CCONJ/CC "
              "Iran/2/conj/PROPN/NNP")
    assert between(d[0]) == (d[2], d[4])
    d = parse("talks/0/ROOT/NOUN/NNS in/0/prep/ADP/IN Baghdad/1/pobj/PROPN/NNP")
    assert between(d[0]) == ()
