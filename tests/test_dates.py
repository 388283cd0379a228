import datetime as dt

import pytest

from realpolitik.dates import resolve_date

DOC = dt.date(2019, 1, 10)  # a Thursday


@pytest.mark.parametrize(("text", "tense", "value", "precision"), [
    ("December 26", None, "2018-12-26", "day"),
    ("on December 26", "past", "2018-12-26", "day"),
    ("26 December 2018", None, "2018-12-26", "day"),
    ("Dec. 26, 2018", None, "2018-12-26", "day"),
    ("2018-12-26", None, "2018-12-26", "day"),
    ("September 2015", None, "2015-09", "month"),
    ("in September 2015", None, "2015-09", "month"),
    ("last December", None, "2018-12", "month"),
    ("in 2003", None, "2003", "year"),
    ("from 1958 to 1991", None, "1958", "year"),
    ("yesterday", None, "2019-01-09", "day"),
    ("Tuesday", None, "2019-01-08", "day"),
    ("last Thursday", None, "2019-01-03", "day"),
    ("next Monday", None, "2019-01-14", "day"),
    ("two years ago", None, "2017", "year"),
    ("five days ago", None, "2019-01-05", "day"),
    ("last month", None, "2018-12", "month"),
    ("next month", None, "2019-02", "month"),
    ("this year", None, "2019", "year"),
    ("January 15", "future", "2019-01-15", "day"),
    ("January 15", "past", "2018-01-15", "day"),
])
def test_resolution(text, tense, value, precision):
    v = resolve_date(text, DOC, tense)
    assert v is not None and (v.value, v.precision) == (value, precision)


@pytest.mark.parametrize("text", ["the 1990s", "recent years", "decades", "", "soon"])
def test_vague_dates_do_not_resolve(text):
    assert resolve_date(text, DOC) is None


def test_relative_dates_need_a_document_date():
    assert resolve_date("last December", None) is None
    assert resolve_date("26 December 2018", None).value == "2018-12-26"


def test_first_and_last_day():
    v = resolve_date("September 2015", DOC)
    assert (v.first_day, v.last_day) == (dt.date(2015, 9, 1), dt.date(2015, 9, 30))
