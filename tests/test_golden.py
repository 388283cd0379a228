"""The golden sentences (tests/golden/*.yaml): our own sentences with the events a
careful analyst would code. Each expected event must be found. They check what the coder
recognises, so events whose doer is unknown are kept (the default output drops them; that
setting is tested in test_coder.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from realpolitik.coder import Coder
from realpolitik.config import Settings
from realpolitik.model import MODALITIES

from .conftest import actor_matches

GOLDEN = [case for f in sorted((Path(__file__).parent / "golden").glob("*.yaml"))
          for case in yaml.safe_load(f.read_text(encoding="utf-8")) or []]

CASES = [pytest.param(case, exp, id=f"{i:02d}-{exp['type']}-{case['text'][:40]}")
         for i, case in enumerate(GOLDEN) for exp in case.get("events", [])]
ABSENT = [pytest.param(case, t, id=f"{i:02d}-not-{t}") for i, case in enumerate(GOLDEN)
          for t in case.get("absent", [])]
ACTORS = [pytest.param(case, a, id=f"{i:02d}-{a['text']}") for i, case in enumerate(GOLDEN)
          for a in case.get("actors", [])]


@pytest.fixture(scope="module")
def code():
    # what the coder recognises, before the default output's filters (each has tests of its own)
    coder = Coder.shared(Settings(require_source=False, require_target=False, background=True, modalities=MODALITIES,
                                  min_confidence=0.2))
    return lambda text, date: coder.code(text, date=date)


def _matches(e, exp) -> bool:
    if e.event_type != exp["type"]:
        return False
    for role in ("source", "target"):  # null: no party there (nothing, or a thing in no country)
        a = getattr(e, role)
        if role in exp and ((a is not None and (a.country or a.kind != "unknown")) if exp[role] is None
                            else not actor_matches(exp[role], a)):
            return False
    if "reported_by" in exp and not actor_matches(exp["reported_by"], e.reported_by):
        return False
    if "modality" in exp and e.modality != exp["modality"]:
        return False
    if "mode" in exp and e.mode != exp["mode"]:
        return False
    if "cameo" in exp and e.cameo != str(exp["cameo"]):
        return False
    if "date" in exp and e.date != exp["date"]:
        return False
    return not ("location_country" in exp and (e.location is None or e.location.country != exp["location_country"]))


@pytest.mark.slow
@pytest.mark.parametrize(("case", "exp"), CASES)
def test_expected_event_is_coded(code, case, exp):
    events = code(case["text"], date=str(case["date"]))
    found = [e for act in events for e in (act, *act.each_dyad()) if _matches(e, exp)]
    assert found, (f"expected {exp} in {case['text']!r}; got "
                   + "; ".join(f"{e.event_type}/{e.mode} {e.source and e.source.code}->"
                               f"{e.target and e.target.code} {e.modality} {e.date}" for e in events))


@pytest.mark.slow
@pytest.mark.parametrize(("case", "etype"), ABSENT)
def test_not_coded_as_fact(code, case, etype):
    events = code(case["text"], date=str(case["date"]))
    facts = [e for e in events if e.event_type == etype and e.modality in ("asserted", "historical")]
    assert not facts, f"{etype} coded as fact from {case['text']!r}: {facts[0].trigger.text}"


@pytest.mark.slow
@pytest.mark.parametrize(("case", "exp"), ACTORS)
def test_actor_resolution(coder, case, exp):
    import datetime as dt

    doc = coder.parse(case["text"], date=dt.date.fromisoformat(str(case["date"])))
    events = doc._.events
    actors = [a for e in events for a in (e.source, e.target) if a is not None and exp["text"] in a.text]
    assert actors, f"no event actor mentions {exp['text']!r}"
    assert all(a.country == exp["country"] and a.sector == exp["sector"] for a in actors), actors
