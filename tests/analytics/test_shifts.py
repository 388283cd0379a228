"""Shifts between windows: a planted change is found, stable pairs are not, and drift ranks partners."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.analytics.shifts import compare, drift, shifts
from realpolitik.cli import app
from realpolitik.errors import StoreError


def test_the_planted_shift_is_the_only_significant_one(planted):
    f = shifts(planted, dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert f.attrs["before"] == (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    top = f.iloc[0]
    assert (top.a, top.b, bool(top.significant)) == ("IRQ", "RUS", True)
    assert top.difference < -5 and top.ci_high < 0 and top.q_value < 0.01 and top.effect_size < -1
    assert not f.iloc[1:].significant.any()
    assert len(top.event_ids) == 5


def test_drift_ranks_partners_and_bad_windows(planted):
    d = drift(planted, "IRQ", dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert list(d.partner) == ["IRN", "RUS"] and d.iloc[-1].direction == "away"
    with pytest.raises(StoreError, match="before it starts"):
        shifts(planted, dt.date(2018, 12, 31), dt.date(2018, 1, 1))


def test_compare_false_positive_rate_on_equal_samples():
    rng = np.random.default_rng(9)
    hits = sum(compare(rng.normal(0, 3, 20), rng.normal(0, 3, 20), permutations=500, seed=k).p_value <= 0.05
               for k in range(200))
    assert hits / 200 <= 0.08  # about 5% by design


def test_shifts_command(planted):
    result = CliRunner().invoke(app, ["shifts", "--db", planted.path, "--from", "2018-01-01", "--to", "2018-12-31"])
    assert result.exit_code == 0, result.output
    assert "IRQ – RUS" in result.output and "significant" in result.output
    drifted = CliRunner().invoke(app, ["shifts", "--db", planted.path, "--actor", "IRQ", "--from", "2018-01-01",
                                       "--to", "2018-12-31", "--explain"])
    assert drifted.exit_code == 0 and "away" in drifted.output and "gdelt-7" in drifted.output
