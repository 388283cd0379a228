from pathlib import Path

import pytest

from realpolitik.errors import LexiconError
from realpolitik.lexicon import load_lexicon
from realpolitik.model import EVENT_TYPES

LEX = load_lexicon()


@pytest.mark.parametrize("etype", EVENT_TYPES)
def test_every_type_has_verbs_and_nouns(etype):
    verbs = [e for e in LEX.entries if e.type == etype and e.pos == "verb"]
    nouns = [e for e in LEX.entries if e.type == etype and e.pos == "noun"]
    assert verbs, f"no verb for {etype}"
    assert nouns or etype in ("CONCEDE", "THREATEN", "REJECT"), f"no noun for {etype}"


def test_operators_cover_every_kind():
    kinds = {e.operator for e in LEX.entries if e.operator}
    assert {"intent", "request", "reject", "condemn", "praise", "stop", "light", "receive", "deny",
            "threaten", "accuse"} <= kinds


def test_word_classes_expand():
    assert "helicopter" in LEX.words(["$weapons"])
    assert LEX.words(["aid", "$ceasefire"]) >= {"aid", "truce"}


def test_specific_entries_come_first():
    entries = LEX.entries_for("verb", "withdraw")
    assert entries[-1].with_ == () and entries[-1].particle is None


def test_bad_lexicon_file_reports_every_problem(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: AID\nentries:\n  - {verb: give, mode: nosuchmode}\n  - {noun: gift, type: GIFT}\n"
                   "  - {verb: x, noun: y}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as exc:
        load_lexicon([bad])
    text = str(exc.value)
    assert "nosuchmode" in text and "GIFT" in text and "exactly one of verb, noun, adj" in text


def test_user_lexicon_adds_entries(tmp_path: Path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("type: COERCE\nentries:\n  - {verb: kettle, mode: restrict}\n", encoding="utf-8")
    lex = load_lexicon([extra])
    assert lex.entries_for("verb", "kettle")[0].type == "COERCE"
