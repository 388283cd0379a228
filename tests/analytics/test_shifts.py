"""Shifts between windows: a planted change is found, stable pairs are not, and drift ranks partners."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.analytics.shifts import compare, drift, shifts
from realpolitik.cli import app
from realpolitik.errors import StoreError
from realpolitik.store import Store

CODES = {"coop": ["036", "042", "057", "061"], "conflict": ["112", "130", "173", "190"]}


def _row(i: int, day: dt.date, a: str, b: str, code: str) -> str:
    f = [""] * 61
    f[0], f[1] = str(700000 + i), day.strftime("%Y%m%d")
    f[5], f[7], f[15], f[17] = a, a, b, b
    f[26], f[27], f[28] = code, code[:3], code[:2]
    f[31] = "1"
    return "\t".join(f)


@pytest.fixture()
def store(tmp_path):
    """2017: IRQ-RUS cooperate; 2018: they clash. TUR-SYR clash and IRN-IRQ cooperate in both years."""
    rng = np.random.default_rng(5)
    rows, i = [], 0
    for year in (2017, 2018):
        for a, b, kind in (("IRQ", "RUS", "coop" if year == 2017 else "conflict"), ("TUR", "SYR", "conflict"),
                           ("IRN", "IRQ", "coop")):
            for _ in range(25):
                day = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
                x, y = (a, b) if rng.random() < 0.5 else (b, a)
                rows.append(_row(i, day, x, y, str(rng.choice(CODES[kind]))))
                i += 1
    f = tmp_path / "planted.export.CSV"
    f.write_text("\n".join(rows) + "\n")
    s = Store(tmp_path / "s.duckdb")
    assert s.import_file(f).rows == len(rows)
    return s


def test_the_planted_shift_is_the_only_significant_one(store):
    f = shifts(store, dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert f.attrs["before"] == (dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    top = f.iloc[0]
    assert (top.a, top.b, bool(top.significant)) == ("IRQ", "RUS", True)
    assert top.difference < -5 and top.ci_high < 0 and top.q_value < 0.01 and top.effect_size < -1
    assert not f.iloc[1:].significant.any()
    assert len(top.event_ids) == 5


def test_drift_ranks_partners_and_bad_windows(store):
    d = drift(store, "IRQ", dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert list(d.partner) == ["IRN", "RUS"] and d.iloc[-1].direction == "away"
    with pytest.raises(StoreError, match="before it starts"):
        shifts(store, dt.date(2018, 12, 31), dt.date(2018, 1, 1))


def test_compare_false_positive_rate_on_equal_samples():
    rng = np.random.default_rng(9)
    hits = sum(compare(rng.normal(0, 3, 20), rng.normal(0, 3, 20), permutations=500, seed=k).p_value <= 0.05
               for k in range(200))
    assert hits / 200 <= 0.08  # about 5% by design


def test_shifts_command(store):
    result = CliRunner().invoke(app, ["shifts", "--db", store.path, "--from", "2018-01-01", "--to", "2018-12-31"])
    assert result.exit_code == 0, result.output
    assert "IRQ – RUS" in result.output and "significant" in result.output
    drifted = CliRunner().invoke(app, ["shifts", "--db", store.path, "--actor", "IRQ", "--from", "2018-01-01",
                                       "--to", "2018-12-31", "--explain"])
    assert drifted.exit_code == 0 and "away" in drifted.output and "gdelt-7" in drifted.output
