"""The founding document (../shared/seed): the events a careful analyst would code.

Each expected event: type, source country, target country (or, for events without a
recipient, the country of the location), and words that must appear in the sentence.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import SEED, actor_matches

EXPECTED = [
    # (what, type, source, target-or-location, words in the evidence sentence, extra checks)
    ("Russia delivers helicopters to Iraq's army", "AID", "RUS", "IRQ", "delivered 20 military choppers", {"date": "2017-01"}),
    ("Iraq signals interest in buying Russia's S-400", "AGREE", "IRQ", "RUS", "S-400", {"modality": "intended"}),
    ("the U.S. withdraws forces from Syria", "RETREAT", "USA", "SYR", "withdrawal of forces from northern Syria", {}),
    ("Trump visits U.S. troops in Iraq on 26 December 2018", "CONSULT", "USA", "IRQ", "visit to American troops", {"date": "2018-12-26"}),
    ("Iraqis call for the withdrawal of U.S. troops", "REQUEST", "IRQ", "USA", "calls for a total withdrawal", {}),
    ("U.S. Army bases open in Anbar province", "MOBILIZE", "USA", "IRQ", "U.S. Army bases in Anbar", {}),
    ("Iraqi air strikes against ISIS in Syria", "ASSAULT", "IRQ", "ISIS", "air strikes", {}),
    ("the PMF support Assad's government", "SUPPORT", "IRQ", "SYR", "that support Bashar", {}),
    ("the military partnership of Baghdad and Damascus", "COOPERATE", "IRQ", "SYR", "military partnership", {}),
    ("the support Moscow lent Damascus", "SUPPORT", "RUS", "SYR", "Moscow lent", {}),
    ("Russia's military intervention in Syria, September 2015", "ASSAULT", "RUS", "SYR", "intervention", {"date": "2015-09"}),
    ("Moscow opposes the 2003 U.S./U.K. invasion", "REJECT", "RUS", "USA", "opposition to the 2003", {"date": "2003"}),
    ("Baghdad seeks cooperation with Damascus", "REQUEST", "IRQ", "SYR", "sought greater cooperation with Damascus", {}),
]


@pytest.fixture(scope="module")
def seed_events(coder):
    return coder.code(SEED.read_text(encoding="utf-8"), date=dt.date(2019, 1, 10), doc_id="seed")


def _countries(actor) -> set[str]:
    if actor is None:
        return set()
    return {m.country or m.code for m in actor.members} if actor.members else {actor.country or actor.code}


def _found(events, etype, source, other, words, extra):
    for e in events:
        if e.event_type != etype or words not in e.sentence:
            continue
        if not actor_matches(source, e.source) and source not in _countries(e.source):
            continue
        where = _countries(e.target) | _countries(e.source if etype == "COOPERATE" else None)
        if e.target is None and e.location is not None:
            where.add(e.location.country)
        if other not in where:
            continue
        if any(getattr(e, k) != v for k, v in extra.items()):
            continue
        return e
    return None


@pytest.mark.slow
@pytest.mark.parametrize(("what", "etype", "source", "other", "words", "extra"), EXPECTED,
                         ids=[x[0] for x in EXPECTED])
def test_seed_event(seed_events, what, etype, source, other, words, extra):
    e = _found(seed_events, etype, source, other, words, extra)
    assert e is not None, f"not coded: {what}"


@pytest.mark.slow
def test_all_thirteen_found(seed_events):
    found = sum(1 for x in EXPECTED if _found(seed_events, *x[1:]) is not None)
    assert found == len(EXPECTED)


@pytest.mark.slow
def test_hypothetical_clause_is_not_fact(seed_events):
    clause = "even if U.S. forces remain in northern Syria"
    sentence = next(e.sentence for e in seed_events if "the future of Syria" in e.sentence) if any(
        "the future of Syria" in e.sentence for e in seed_events) else None
    facts = [e for e in seed_events if clause in e.sentence and e.modality in ("asserted", "historical")
             and e.trigger.text in ("remain", "forces")]
    assert not facts, facts
    # and nothing from inside the if-clause is coded as having happened
    start = SEED.read_text(encoding="utf-8").index(clause)
    end = start + len(clause)
    inside = [e for e in seed_events if start <= e.trigger.start < end]
    assert all(e.modality in ("conditional", "hypothetical") for e in inside), inside
    del sentence


@pytest.mark.slow
def test_then_prime_minister_resolves_to_government(coder):
    events = coder.code("Iraq’s then-Prime Minister Haider al-Abadi met Iranian officials in Tehran in 2017.",
                        date=dt.date(2019, 1, 10))
    abadi = [e.source for e in events if e.source is not None and "Abadi" in e.source.text]
    assert abadi and all(a.country == "IRQ" and a.sector == "GOV" for a in abadi)
