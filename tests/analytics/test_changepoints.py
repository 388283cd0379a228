"""Change points on generated series with planted shifts, and on series with none."""

from __future__ import annotations

import numpy as np
import pytest

from realpolitik.analytics.changepoints import change_points, noise_level
from realpolitik.analytics.synthetic import planted_shift

SNR = 3.0  # the documented signal-to-noise ratio: the shift is three noise standard deviations


def test_planted_shifts_are_found_within_one_period():
    rng = np.random.default_rng(2019)
    found = 0
    for _ in range(300):
        y, k = planted_shift(rng, SNR)
        found += any(abs(c - k) <= 1 for c in change_points(y))
    assert found / 300 >= 0.90


def test_false_alarms_on_series_without_change_stay_under_five_percent():
    rng = np.random.default_rng(2020)
    alarms = sum(bool(change_points(rng.normal(0, 1, 60))) for _ in range(300))
    assert alarms / 300 <= 0.05


def test_two_shifts_and_the_scale_of_the_noise():
    rng = np.random.default_rng(7)
    y = np.r_[np.zeros(40), np.full(40, 5.0), np.full(40, -2.0)] * 10 + rng.normal(0, 10, 120)
    assert [round(c / 40) * 40 for c in change_points(y)] == [40, 80]
    assert 7 < noise_level(y) < 13  # the shifts do not inflate the noise estimate


@pytest.mark.parametrize("series", [[], [1.0], [1.0, 2.0, 3.0], [5.0] * 30])
def test_short_and_flat_series_have_no_change(series):
    assert change_points(series) == []
