"""Dyad series over a store: counts, directions, interval, volume index, evidence, and the command."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from realpolitik.analytics.dyads import dyad_series, parse_actor
from realpolitik.cli import app
from realpolitik.errors import StoreError
from realpolitik.store import Store

from ..conftest import ROOT

DATA = ROOT / "tests" / "fixtures" / "datasets"


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    for f in ("gdelt_sample.export.CSV", "icews_sample.tab", "polecat_sample.txt"):
        s.import_file(DATA / f)
    return s


def test_counts_directions_and_evidence(store):
    f = dyad_series(store, "IRQ", "RUS", freq="year")
    assert list(f.period) == [dt.date(y, 1, 1) for y in range(2019, 2024)]  # empty years are kept
    assert f.events.tolist() == [1, 0, 0, 0, 1]
    assert f.a_to_b.sum() == 2 and f.b_to_a.sum() == 0
    ids = [i for row in f.event_ids for i in row]
    assert sorted(ids) == ["gdelt-910000001", "polecat-20230105-0001"]
    assert f.verbal_cooperation.sum() == 2 and f.AGREE.sum() == 1 and f.CONSULT.sum() == 1
    assert dyad_series(store, "RUS", "IRQ", directed=True, freq="year").events.sum() == 0


def test_interval_and_volume_index(store):
    f = dyad_series(store, "TUR", "SYR", freq="year")
    row = f[f.events > 0].iloc[0]
    assert row.ci_low <= row.mean_intensity <= row.ci_high
    assert row.volume == 4  # all the store's events of 2019 (GDELT sample)
    assert row.index_per_1k == pytest.approx(row.mean_intensity * row.events / row.volume * 1000)


def test_sector_and_bad_input(store):
    assert parse_actor("irq:gov") == ("IRQ", "GOV")
    assert dyad_series(store, "TUR MIL", "SYR", freq="year").events.sum() == 1
    assert dyad_series(store, "TUR GOV", "SYR", freq="year").empty
    with pytest.raises(StoreError, match="frequency"):
        dyad_series(store, "IRQ", "RUS", freq="fortnight")
    with pytest.raises(StoreError, match="not an actor"):
        dyad_series(store, "", "RUS")


def test_same_numbers_as_the_store_query(store):
    mine = dyad_series(store, "IRQ", "RUS", freq="month")
    theirs = store.dyad_series("IRQ", "RUS", freq="month")
    got = mine[mine.events > 0]
    assert got.events.tolist() == theirs.events.tolist()
    assert got.mean_intensity.tolist() == pytest.approx(theirs.mean_intensity.tolist())


def test_relations_command_prints_plots_and_explains(store, tmp_path):
    png = tmp_path / "irq-rus.png"
    result = CliRunner().invoke(app, ["relations", "IRQ", "RUS", "--db", store.path, "--freq", "year",
                                      "--plot", str(png), "--explain"])
    assert result.exit_code == 0, result.output
    assert "IRQ <-> RUS, by year" in result.output and "gdelt-910000001" in result.output
    assert png.stat().st_size > 10_000 and png.read_bytes()[:4] == b"\x89PNG"
    none = CliRunner().invoke(app, ["relations", "IRQ", "BRA", "--db", store.path])
    assert none.exit_code == 0 and "no events" in none.output


def test_interval_quantiles_are_numpys():
    """The bootstrap interval's ends are numpy's linear quantiles of each period's resamples."""
    import numpy as np

    from realpolitik.analytics.dyads import _quantiles

    values = np.random.default_rng(3).normal(size=(7, 500))
    got = np.stack(_quantiles(values, (0.05, 0.95)), axis=1)
    assert got == pytest.approx(np.quantile(values, [0.05, 0.95], axis=1).T)
