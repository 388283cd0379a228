"""Scenarios: the balance dynamics, the projection of a withdrawal, its errors, its record and
its validation on generated worlds (a small sample of scripts/validate_scenarios.py)."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import numpy as np
import pytest

from realpolitik.analytics.balance_dynamics import (
    align_labels,
    evolve,
    project,
    projected_blocs,
    unbalanced_triads,
)
from realpolitik.analytics.scenario import MOVER, Scenario, _huber, plot_scenario, scenario
from realpolitik.analytics.synthetic import planted_withdrawal, withdrawal_store, withdrawal_trial
from realpolitik.errors import NotFoundError, StoreError


def _world() -> nx.Graph:
    """Two blocs (A1-A3, B1-B3) and a client C held to A1 by one strong tie, its other ties weakly the other way."""
    g = nx.Graph()
    for bloc in ("A", "B"):
        g.add_weighted_edges_from([(f"{bloc}1", f"{bloc}2", 6), (f"{bloc}1", f"{bloc}3", 5), (f"{bloc}2", f"{bloc}3", 6)])
    g.add_weighted_edges_from([("A1", "B1", -6), ("A2", "B2", -5), ("A3", "B3", -6), ("A1", "B2", -4),
                               ("C", "A1", 8), ("C", "A2", -2), ("C", "B1", 2)])
    return g


def test_evolve_resolves_an_unbalanced_triad_and_keeps_held_ties():
    x = np.array([[0, 0.6, 0.5], [0.6, 0, -0.2], [0.5, -0.2, 0]])
    out = evolve(x)
    assert np.sign(out[0, 1] * out[1, 2] * out[0, 2]) > 0
    assert out[1, 2] > 0  # the weakest tie gives way
    held = np.zeros((3, 3), dtype=bool)
    held[1, 2] = held[2, 1] = True
    kept = evolve(x, held)
    assert kept[1, 2] == pytest.approx(-0.2)
    assert np.sign(kept[0, 1] * kept[0, 2]) < 0  # the others resolve around it


def test_enemy_of_an_enemy_does_not_merge_three_blocs():
    g = nx.Graph()
    blocs = [["A1", "A2", "A3"], ["B1", "B2", "B3"], ["C1", "C2", "C3"]]
    for members in blocs:
        g.add_weighted_edges_from([(u, v, 5) for i, u in enumerate(members) for v in members[i + 1:]])
    for i, p in enumerate(blocs):
        for q in blocs[i + 1:]:
            g.add_weighted_edges_from([(u, v, -5) for u in p for v in q])
    assert sorted(sorted(b) for b in projected_blocs(project(g))) == blocs


def test_a_client_hanging_on_its_patron_moves_when_the_tie_goes():
    g = _world()
    base = project(g)
    assert {"C", "A1"} <= next(b for b in projected_blocs(base) if "C" in b)
    after = project(g, remove=[("A1", "C")])
    assert not after.has_edge("A1", "C")
    assert "B1" in next(b for b in projected_blocs(after) if "C" in b)
    hostile = project(g, hostile=[("A1", "C")])
    assert hostile["A1"]["C"]["weight"] == pytest.approx(-8)
    assert hostile["C"]["A2"]["weight"] < 0 and hostile["C"]["B1"]["weight"] > 0


def test_unbalanced_triads_are_the_strongest_first():
    g = _world()
    assert unbalanced_triads(g, "C")[0] == ("C", "A1", "A2")
    assert all(t[0] == "C" for t in unbalanced_triads(g, "C"))


def test_align_labels_keeps_most_actors_in_their_bloc():
    reference = {"a": 0, "b": 0, "c": 0, "d": 0, "e": 0, "f": 0, "x": 1, "y": 1}
    # the first group holds two of each bloc: it must not take bloc 0 from the group that is all bloc 0
    out = align_labels(reference, [{"c", "d", "x", "y"}, {"a", "b", "e", "f"}])
    assert out["a"] == 0 and out["x"] == 1
    assert align_labels({"a": 0}, [{"a"}, {"z"}])["z"] == 1


def test_a_wrong_signed_event_does_not_drag_a_tie_across_zero():
    x = np.array([[5.0, 6.0, 5.5, 6.5, -8.0], [5.0, 6.0, 5.5, 6.5, 5.0]])
    assert x[0].mean() < 3.1 and _huber(x[0], 1.5) > 5  # the mean loses half the tie to one event
    assert _huber(x, 1.5)[1] == pytest.approx(x[1].mean())  # events within the spread count fully
    assert _huber(np.array([-2.0, 3.0]), 1.5) == pytest.approx(0.5)  # two events: no outlier to tell


@pytest.fixture(scope="module")
def withdrawn():
    case = planted_withdrawal(np.random.default_rng(4), kind="remove")
    return case, withdrawal_store(case, np.random.default_rng(4))


def test_scenario_names_the_planted_clients(withdrawn):
    case, store = withdrawn
    sc = scenario(store, remove=[case.pair], draws=30, seed=1)
    assert set(case.truth) <= set(sc.movers)
    assert len(set(sc.movers) - set(case.truth)) <= 1
    row = sc.moves.set_index("actor").loc[case.pair[1]]
    assert row.probability >= 0.5 and row.mover
    assert any(case.pair[0] in t.split("-") for t in row.triads)
    edge = sc.before[case.pair[0]][case.pair[1]]
    assert set(edge["event_ids"]) <= set(row.event_ids)
    assert not sc.after.has_edge(*case.pair)
    assert sc.changes == ((case.pair[0], case.pair[1], "remove"),)
    assert all(0 <= p <= 1 for p in sc.moves.probability)
    assert (sc.moves.mover == (sc.moves.probability >= MOVER)).all()
    assert sc.window is not None and sc.window[1].year == 2019


def test_scenario_repeats_with_its_seed(withdrawn):
    case, store = withdrawn
    one = scenario(store, hostile=[case.pair], draws=10, seed=4)
    two = scenario(store, hostile=[case.pair], draws=10, seed=4)
    assert one.moves.probability.tolist() == two.moves.probability.tolist()
    assert one.after[case.pair[0]][case.pair[1]]["weight"] < 0


def test_to_dict_is_json_with_both_networks(withdrawn, tmp_path):
    case, store = withdrawn
    sc = scenario(store, remove=[case.pair], draws=10)
    d = json.loads(json.dumps(sc.to_dict()))
    assert {n["id"] for n in d["before"]["nodes"]} == set(sc.before.nodes)
    assert all({"bloc", "x", "y", "mover"} <= set(n) for n in d["after"]["nodes"])
    assert all(e["sign"] in (-1, 0, 1) for e in d["after"]["edges"])
    assert len(d["after"]["edges"]) == sc.before.number_of_edges() - 1
    assert d["changes"] == [{"a": case.pair[0], "b": case.pair[1], "kind": "remove"}]
    assert d["assumptions"] and d["movers"] == sc.movers
    assert set(sc.probabilities) == set(sc.before.nodes)
    assert sc.probabilities[case.pair[1]] == sc.moves.set_index("actor").probability[case.pair[1]]
    assert plot_scenario(sc, tmp_path / "sc.png").stat().st_size > 20_000


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"remove": [("USA", "ZZZ")]}, NotFoundError, "ZZZ"),
    ({"remove": []}, StoreError, "no change"),
    ({"remove": ["USA"]}, StoreError, "pair"),
    ({"remove": [("USA", "USA")]}, StoreError, "pair"),
])
def test_scenario_errors_say_what_to_do(withdrawn, kwargs, error, words):
    _, store = withdrawn
    with pytest.raises(error, match=words):
        scenario(store, draws=2, **kwargs)


def test_a_pair_without_a_tie_is_an_error(withdrawn):
    case, store = withdrawn
    loose = next((u, v) for u in case.ties for v in case.ties if u < v and not case.ties.has_edge(u, v))
    with pytest.raises(NotFoundError, match="no tie"):
        scenario(store, remove=[loose], draws=2)
    with pytest.raises(StoreError, match="twice"):
        scenario(store, remove=[case.pair], hostile=[case.pair[::-1]], draws=2)


def test_validation_sample_names_the_true_movers():
    """A small sample of scripts/validate_scenarios.py (the documented figures come from 200 cases)."""
    rng = np.random.default_rng(11)
    named = spurious = 0
    cases = 8
    for _ in range(cases):
        case, found = withdrawal_trial(rng, draws=20)
        named += set(case.truth) <= set(found)
        spurious += len(set(found) - set(case.truth))
    assert named >= 5
    assert spurious / cases <= 1


def test_scenario_is_a_frozen_record(withdrawn):
    case, store = withdrawn
    sc = scenario(store, remove=[case.pair], draws=2)
    assert isinstance(sc, Scenario)
    with pytest.raises(AttributeError):
        sc.draws = 3  # type: ignore[misc]


def test_default_window_reaches_back_to_the_changed_tie(tmp_path):
    """The last five years hold no USA-SYR events: the window reaches back to the year of their ties."""
    from realpolitik.store import Store

    header = "\t".join(["Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code",
                        "Actor Name", "Actor Country", "Recipient Name", "Recipient Country"])
    rows = [(f"e{i}", day, a, b, x) for i, (day, a, b, x) in enumerate(
        [("2005-03-01", "USA", "SYR", 4.0), ("2005-06-01", "SYR", "USA", 5.0), ("2005-07-01", "USA", "ISR", 6.0),
         ("2019-02-01", "USA", "ISR", 6.0), ("2019-03-01", "ISR", "USA", 5.0), ("2019-04-01", "SYR", "ISR", -7.0),
         ("2019-05-01", "ISR", "SYR", -6.0)])]
    path = tmp_path / "events.txt"
    path.write_text("\n".join([header] + ["\t".join([i, d, "CONSULT" if x > 0 else "ACCUSE", "", str(x),
                                                     "1" if x > 0 else "3", a, a, b, b]) for i, d, a, b, x in rows]))
    store = Store(":memory:")
    store.import_file(path, "polecat")
    sc = scenario(store, remove=[("USA", "SYR")], draws=5)
    assert sc.window is not None and sc.window[0].isoformat() == "2005-01-01"
    assert "store's last five years" in " ".join(sc.assumptions)
    with pytest.raises(NotFoundError, match="2015-01-01"):
        scenario(store, remove=[("USA", "SYR")], since=dt.date(2015, 1, 1), draws=5)
