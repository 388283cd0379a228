"""Periods and windows reach the last day a date can hold (9999-12-31, a placeholder date common
in exports) without going past it."""

from __future__ import annotations

import datetime as dt

import pytest

from realpolitik.analytics.dyads import _period_end, _periods, _truncate
from realpolitik.analytics.network import windows

LAST = dt.date(9999, 12, 31)


@pytest.mark.parametrize("freq", ["day", "week", "month", "quarter", "year"])
@pytest.mark.parametrize("day", [LAST, dt.date(9999, 12, 27), dt.date(1, 1, 1)])
def test_the_period_of_any_day_ends_within_the_calendar(freq, day):
    start = _truncate(day, freq)
    assert start <= day <= _period_end(start, freq) <= LAST


@pytest.mark.parametrize("freq", ["day", "week", "month", "quarter", "year"])
def test_periods_up_to_the_last_day(freq):
    periods = _periods([dt.date(9999, 11, 20), LAST], freq, None, None)
    assert periods == sorted(set(periods)) and periods[-1] <= LAST == _period_end(periods[-1], freq)


@pytest.mark.parametrize("every", ["month", "quarter", "year"])
def test_windows_up_to_the_last_day(every):
    found = windows(dt.date(9999, 1, 1), LAST, every)
    assert found[0][0] == dt.date(9999, 1, 1) and found[-1][1] == LAST
