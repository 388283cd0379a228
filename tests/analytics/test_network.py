"""The alignment network: planted blocs recovered, balance, the graph from a store, and the command."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.analytics.network import adjusted_rand_index, balance, blocs, network
from realpolitik.analytics.synthetic import planted_blocs
from realpolitik.cli import app
from realpolitik.store import Store

from ..conftest import ROOT

FLIP = 0.05  # the documented noise: 5% of ties carry the wrong sign


def test_planted_blocs_are_recovered():
    rng = np.random.default_rng(11)
    scores = []
    for _ in range(60):
        g, truth = planted_blocs(rng, FLIP)
        label = {n: k for k, members in enumerate(blocs(g)) for n in members}
        scores.append(adjusted_rand_index(truth, [label[n] for n in g.nodes]))
    assert np.mean(scores) >= 0.9


def test_adjusted_rand_index_and_balance():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) < 0
    g = nx.Graph()
    g.add_weighted_edges_from([("A", "B", 3), ("B", "C", 3), ("A", "C", -3)])  # unbalanced triad
    assert balance(g) == 0.0
    g.add_weighted_edges_from([("C", "D", -2), ("A", "D", 2), ("B", "D", 1)])
    assert balance(g) == pytest.approx(2 / 4)  # ABD and ACD balanced, ABC and BCD not
    assert balance(nx.Graph()) is None


def test_network_from_a_store_and_the_command(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    for f in ("gdelt_sample.export.CSV", "icews_sample.tab", "polecat_sample.txt"):
        store.import_file(ROOT / "tests" / "fixtures" / "datasets" / f)
    g = network(store, min_events=1)
    assert g.has_edge("IRQ", "RUS") and g["IRQ"]["RUS"]["events"] == 2 and g["IRQ"]["RUS"]["weight"] > 0
    assert g.has_edge("TUR", "SYR") and g["SYR"]["TUR"]["weight"] < 0
    assert sorted(g["IRQ"]["RUS"]["event_ids"]) == ["gdelt-910000001", "polecat-20230105-0001"]
    assert all("bloc" in d and d["strength"] > 0 for _, d in g.nodes(data=True))
    assert network(store, min_events=3).number_of_edges() == 0
    gexf = tmp_path / "net.gexf"
    result = CliRunner().invoke(app, ["network", "--db", store.path, "--min-events", "1", "--gexf", str(gexf),
                                      "--graphml", str(tmp_path / "net.graphml")])
    assert result.exit_code == 0, result.output
    assert "IRQ" in result.output and "balance" in result.output
    back = nx.read_gexf(gexf)
    assert back.number_of_edges() == g.number_of_edges()
    assert nx.read_graphml(tmp_path / "net.graphml").number_of_nodes() == g.number_of_nodes()


def test_networks_by_window_keep_bloc_numbers_and_the_pages(planted, tmp_path):
    import datetime as dt

    from realpolitik.analytics.network import networks, windows

    assert windows(dt.date(2017, 3, 5), dt.date(2017, 8, 1), "quarter") == [
        (dt.date(2017, 3, 5), dt.date(2017, 3, 31)), (dt.date(2017, 4, 1), dt.date(2017, 6, 30)),
        (dt.date(2017, 7, 1), dt.date(2017, 8, 1))]
    first, second = networks(planted, dt.date(2017, 1, 1), dt.date(2018, 12, 31), "year")
    # 2017: IRQ, RUS and IRN together against TUR-SYR; 2018: RUS leaves, IRQ keeps its bloc number
    assert first.nodes["IRQ"]["bloc"] == first.nodes["RUS"]["bloc"]
    assert second.nodes["IRQ"]["bloc"] != second.nodes["RUS"]["bloc"]
    assert second.nodes["IRQ"]["bloc"] == first.nodes["IRQ"]["bloc"]
    page, png = tmp_path / "net.html", tmp_path / "net.png"
    result = CliRunner().invoke(app, ["network", "--db", planted.path, "--every", "year", "--html", str(page),
                                      "--plot", str(png), "--explain"])
    assert result.exit_code == 0, result.output
    assert "Blocs by year" in result.output and "gdelt-7" in result.output
    text = page.read_text()
    assert text.count("data:image/png;base64,") == 3 and "type='range'" in text and "http" not in text
    assert png.stat().st_size > 20_000
    bad = CliRunner().invoke(app, ["network", "--db", planted.path, "--every", "decade"])
    assert bad.exit_code == 2 and "unknown window" in bad.output


def test_pages_of_relations_and_shifts(planted, tmp_path):
    r = CliRunner().invoke(app, ["relations", "IRQ", "RUS", "--db", planted.path, "--freq", "quarter",
                                 "--html", str(tmp_path / "r.html")])
    s = CliRunner().invoke(app, ["shifts", "--db", planted.path, "--from", "2018-01-01", "--to", "2018-12-31",
                                 "--html", str(tmp_path / "s.html"), "--plot", str(tmp_path / "s.png")])
    assert r.exit_code == s.exit_code == 0
    assert "data:image/png;base64," in (tmp_path / "r.html").read_text()
    shifts_page = (tmp_path / "s.html").read_text()
    assert "IRQ – RUS" in shifts_page and "<table class='rp'" in shifts_page
    assert (tmp_path / "s.png").stat().st_size > 10_000
