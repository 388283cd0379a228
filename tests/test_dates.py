import datetime as dt

import pytest

from realpolitik.dates import DateValue, resolve_date, shift_days

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


# Placeholder document dates (0001-01-01, 9999-12-31) are common in exports: a relative date
# that would leave the years 1 to 9999 does not resolve, and never raises.
FIRST, LAST = dt.date(1, 1, 1), dt.date(9999, 12, 31)
EDGE_EXPRESSIONS = ["yesterday", "tomorrow", "today", "next week", "last week", "this weekend", "last year",
                    "next year", "two days ago", "three weeks ago", "two months ago", "five years ago",
                    "next month", "last month", "Tuesday", "next Tuesday", "last Friday", "last December",
                    "next January", "December 26", "January 2", "in December", "99999999999 days ago"]


@pytest.mark.parametrize("ref", [FIRST, dt.date(1, 1, 5), dt.date(9999, 12, 25), LAST])
@pytest.mark.parametrize("text", EDGE_EXPRESSIONS)
@pytest.mark.parametrize("tense", [None, "past", "future"])
def test_date_arithmetic_is_total_at_the_edges_of_the_calendar(text, ref, tense):
    v = resolve_date(text, ref, tense)
    if v is not None:
        assert dt.date(1, 1, 1) <= v.first_day <= v.last_day <= dt.date(9999, 12, 31)


@pytest.mark.parametrize(("text", "ref", "value"), [
    ("yesterday", FIRST, None),
    ("last week", FIRST, None),
    ("last year", FIRST, None),
    ("last December", FIRST, None),
    ("five years ago", dt.date(3, 6, 1), None),
    ("today", FIRST, "0001-01-01"),
    ("tomorrow", FIRST, "0001-01-02"),
    ("next year", FIRST, "0002"),
    ("tomorrow", LAST, None),
    ("next week", LAST, None),
    ("next year", LAST, None),
    ("next January", LAST, None),
    ("yesterday", LAST, "9999-12-30"),
    ("last December", LAST, "9998-12"),
    ("in December", LAST, "9999-12"),
])
def test_out_of_range_relative_dates_are_left_unresolved(text, ref, value):
    v = resolve_date(text, ref)
    assert (v.value if v else None) == value


@pytest.mark.parametrize(("value", "last"), [("9999-12", dt.date(9999, 12, 31)), ("9999", dt.date(9999, 12, 31)),
                                             ("2016-02", dt.date(2016, 2, 29)), ("2019-12", dt.date(2019, 12, 31))])
def test_last_day_of_a_month_or_year(value, last):
    assert DateValue(value, "month" if "-" in value else "year", "absolute").last_day == last


@pytest.mark.parametrize(("day", "days", "moved"), [
    (dt.date(2019, 1, 10), -10, dt.date(2018, 12, 31)),
    (LAST, 1, None), (FIRST, -1, None), (FIRST, 10**12, None), (LAST, 0, LAST),
])
def test_shift_days(day, days, moved):
    assert shift_days(day, days) == moved


@pytest.mark.slow
@pytest.mark.parametrize(("text", "date"), [
    ("Russia delivered helicopters to Iraq yesterday.", "0001-01-01"),
    ("Russia delivered helicopters to Iraq last year.", "0001-01-01"),
    ("Turkish jets will bomb villages near Dohuk next week.", "9999-12-31"),
    ("Iraq signed the deal on December 31. Two days later Russia delivered helicopters to Iraq.", "9999-12-31"),
])
def test_a_placeholder_document_date_is_coded_with_the_rest_of_its_batch(coder, text, date):
    from realpolitik.model import Document

    docs = [Document(id="edge", text=text, date=dt.date.fromisoformat(date)),
            Document(id="plain", text="Iran sent aid to Syria on Monday.", date=dt.date(2017, 1, 20))]
    edge, plain = coder.pipe(docs)
    assert edge.ok and plain.ok
    assert edge.events and all(e.date is not None and "0000" not in e.date for e in edge.events)
    assert [e.date for e in plain.events] == ["2017-01-16"]
