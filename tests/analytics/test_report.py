"""The report: its numbers are the API's, its plots and HTML exist and are not trivial."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from realpolitik.analytics.dyads import dyad_series
from realpolitik.analytics.network import network
from realpolitik.analytics.report import build_report, write_html
from realpolitik.analytics.shifts import shifts
from realpolitik.cli import app


def test_report_numbers_equal_the_api(planted, tmp_path):
    report = build_report(planted, plots_dir=tmp_path / "plots")
    lo, hi = report.span
    assert (lo.year, hi.year) == (2017, 2018) and report.events == 150
    for d in report.strongest:
        assert d["events"] == int(dyad_series(planted, d["a"], d["b"], freq="month").events.sum()) == 50
    g = network(planted, lo, hi)
    assert report.balance == g.graph["balance"]
    assert sorted(map(tuple, report.blocs)) == sorted(
        tuple(sorted(n for n, d in g.nodes(data=True) if d["bloc"] == k)) for k in {d["bloc"] for _, d in g.nodes(data=True)})
    (b0, b1), (a0, a1) = report.halves
    api = shifts(planted, a0, a1, base_since=b0, base_until=b1).set_index(["a", "b"])
    first = report.shifts[0]
    assert (first["a"], first["b"], first["significant"]) == ("IRQ", "RUS", True)
    for s in report.shifts:
        row = api.loc[(s["a"], s["b"])]
        assert (s["difference"], s["q_value"]) == (row.difference, row.q_value)
    assert len(report.plots) == 4 and all(p.stat().st_size > 20_000 for p in report.plots)
    page = write_html(report, tmp_path / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 4 and "IRQ – RUS" in page and "http" not in page


def test_report_command_and_empty_store(planted, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--db", planted.path, "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert "Strongest dyads" in result.output and "IRQ – RUS" in result.output and out.stat().st_size > 50_000
    assert (tmp_path / "r-plots" / "network.png").exists()
    from realpolitik.store import Store

    assert build_report(Store(":memory:")).lines() == ["The store holds no dated events between countries."]


@pytest.mark.slow
def test_demo_report_on_the_example_corpus(coder, tmp_path):
    """What `make demo` shows: the report of the example corpus, its plots, and the record it reads."""
    from realpolitik.store import Store

    from ..conftest import ROOT

    store = Store(tmp_path / "demo.duckdb")
    store.ingest([ROOT / "examples" / "corpus"])
    report = build_report(store, plots_dir=tmp_path / "plots")
    assert len(report.strongest) == 6 and len(report.plots) == 4
    assert all(p.stat().st_size > 20_000 for p in report.plots)
    for d in report.strongest:
        series = dyad_series(store, d["a"], d["b"], freq="year", since=report.span[0], until=report.span[1])
        assert d["events"] == int(series.events.sum())
    pairs = {d["pair"] for d in report.strongest}
    assert "IRQ – USA" in pairs  # the corpus is about Iraq and the United States above all
    # the record: Iraq-Russia cooperation through 2015-2019; U.S.-Iraq friction in 2019 after the
    # December 2018 visit; Turkey warming to Russia after the 2015 jet crisis, around the S-400 purchase
    by_year = {pair: dyad_series(store, *pair, freq="year").set_index("period")
               for pair in (("IRQ", "RUS"), ("USA", "IRQ"), ("RUS", "TUR"))}
    iraq_russia = by_year[("IRQ", "RUS")]
    assert (iraq_russia.loc[iraq_russia.events > 0, "mean_intensity"] > 0).all()
    us_iraq = by_year[("USA", "IRQ")]
    y2018, y2019 = dt.date(2018, 1, 1), dt.date(2019, 1, 1)
    assert us_iraq.loc[y2019, "mean_intensity"] < us_iraq.loc[y2018, "mean_intensity"]
    conflict = us_iraq.verbal_conflict + us_iraq.material_conflict
    assert conflict[y2019] >= 3 and conflict[y2019] >= 5 * conflict[y2018]  # 2018: one clerical objection
    turkey = by_year[("RUS", "TUR")]
    assert turkey.loc[dt.date(2015, 1, 1), "mean_intensity"] < 0
    assert (turkey.loc[dt.date(2016, 1, 1):, "mean_intensity"].dropna() > 0).all()
