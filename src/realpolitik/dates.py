"""Resolve date expressions against a document date.

Example::

    >>> import datetime as dt
    >>> from realpolitik.dates import resolve_date
    >>> doc = dt.date(2019, 1, 10)
    >>> resolve_date("December 26", doc)
    DateValue(value='2018-12-26', precision='day', method='relative')
    >>> resolve_date("September 2015", doc)
    DateValue(value='2015-09', precision='month', method='absolute')
    >>> resolve_date("last December", doc).value
    '2018-12'
    >>> resolve_date("Tuesday", doc).value   # the 10th is a Thursday
    '2019-01-08'

The resolver is small and fast (no parsing library at run time). Rules:

* a full date ('26 December 2018', 'Dec. 26, 2018', '2018-12-26') is 'absolute';
* a day and month without a year take the year that puts them nearest the document date,
  preferring the past (a date up to a fortnight ahead is taken as future) unless the tense
  says otherwise (``tense="past"`` or ``"future"``);
* 'last/this/next' + month, weekday, week, month or year; 'yesterday', 'today', 'tomorrow';
  'N days/weeks/months/years ago' are 'relative';
* a bare year ('in 2003', 'the 2003 invasion') has year precision; ranges ('from 1958 to
  1991') resolve to their start; vague spans ('recent years', 'the 1990s') do not resolve.

Date arithmetic is total: a relative date that would fall outside the years 1 to 9999 (a
placeholder document date such as 0001-01-01 or 9999-12-31 with 'yesterday' or 'next year')
does not resolve, like a vague span, and never raises::

    >>> resolve_date("yesterday", dt.date(1, 1, 1)) is None
    True
    >>> shift_days(dt.date(9999, 12, 31), 1) is None
    True
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["DateValue", "resolve_date", "shift_days", "MONTHS", "WEEKDAYS"]

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "several": 3, "few": 3, "a few": 3}

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True)
class DateValue:
    """A resolved date: ISO text as precise as known, its precision and how it was found."""

    value: str
    precision: Precision
    method: str

    @property
    def first_day(self) -> dt.date:
        """The first day the value can mean (for comparisons)."""
        parts = [int(p) for p in self.value.split("-")]
        while len(parts) < 3:
            parts.append(1)
        return dt.date(parts[0], parts[1], parts[2])

    @property
    def last_day(self) -> dt.date:
        """The last day the value can mean."""
        parts = [int(p) for p in self.value.split("-")]
        if len(parts) == 1:
            return dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return dt.date(parts[0], parts[1], parts[2])


_M = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"((?:19|20)\d\d)"
_RE_ISO = re.compile(r"\b" + _Y + r"-(\d\d)-(\d\d)\b")
_RE_DMY = re.compile(r"\b" + _D + r"\s+(?:of\s+)?" + _M + r"(?:,?\s+" + _Y + r")?\b")
_RE_MDY = re.compile(r"\b" + _M + r"\s+" + _D + r"\b(?:,?\s+" + _Y + r")?")
_RE_MY = re.compile(r"\b" + _M + r",?\s+(?:of\s+)?" + _Y + r"\b")
_RE_REL_MONTH = re.compile(r"\b(last|this|next|past|previous|coming|early|mid|late|in)?\s*-?\s*" + _M + r"(?!\w)")
_RE_YEAR = re.compile(r"(?<![\d$£€])" + _Y + r"(?!\d|s\b|'s\b)")
_RE_DECADE = re.compile(r"\b(?:19|20)\d0'?s\b")
_RE_AGO = re.compile(r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|a few)\s+(day|week|month|year)s?\s+ago\b")
_RE_REL_UNIT = re.compile(r"\b(last|this|next|past|previous|coming|earlier this|later this|early this|late last|earlier last|late this|early last)\s+(week|month|year|weekend)\b")
_RE_WEEKDAY = re.compile(r"\b(last|this|next|on|coming|past)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_VAGUE = re.compile(r"\b(recent|coming|past|next|last)\s+(few\s+)?(years|decades|months|weeks|days)\b|\bdecades?\b|\bcentur")


class _OutOfRange(Exception):
    """A relative date falls outside the years ``datetime`` can hold; it does not resolve."""


def shift_days(day: dt.date, days: int) -> dt.date | None:
    """``day`` moved by ``days`` days, or None when that leaves the years 1 to 9999.

    Example::

        >>> shift_days(dt.date(2019, 1, 10), -10)
        datetime.date(2018, 12, 31)
    """
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:  # past the year range, or more days than a timedelta holds
        return None


def _days(day: dt.date, days: int) -> dt.date:
    moved = shift_days(day, days)
    if moved is None:
        raise _OutOfRange
    return moved


def _year(year: int) -> int:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise _OutOfRange
    return year


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    m = year * 12 + (month - 1) + delta
    return _year(m // 12), m % 12 + 1


def _pick_year(month: int, day: int | None, ref: dt.date, tense: str | None) -> int:
    """The year that puts (month, day) nearest ``ref``, preferring the past."""
    best: tuple[float, int] | None = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = dt.date(y, month, day or 1)
        except ValueError:
            continue
        if day is None and (y, month) == (ref.year, ref.month):
            return y  # a whole month that includes the reference date
        delta = (cand - ref).days
        if tense == "past" and delta > 0:
            continue
        if tense == "future" and delta < 0:
            continue
        cost = -delta if delta <= 0 else (delta if delta <= 14 else delta * 3)
        if best is None or cost < best[0]:
            best = (cost, y)
    return best[1] if best else ref.year


def _iso(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


def resolve_date(text: str, ref: dt.date | None, tense: str | None = None) -> DateValue | None:
    """Resolve a date expression; ``ref`` is the document date (None: only absolute dates).

    None when the expression is vague or its date falls outside the years 1 to 9999."""
    try:
        return _resolve(text, ref, tense)
    except _OutOfRange:
        return None


def _resolve(text: str, ref: dt.date | None, tense: str | None) -> DateValue | None:
    t = " ".join(text.lower().replace("’", "'").split())
    if not t:
        return None
    # a range resolves to its start: "from 1958 to 1991", "between March and May 2016"
    m = re.match(r"^(?:from|between)\s+(.+?)\s+(?:to|and|until|till|through)\s+(.+)$", t)
    if m:
        first, second = m.group(1), m.group(2)
        if not _RE_YEAR.search(first):
            year_match = _RE_YEAR.search(second)
            if year_match:
                first = f"{first} {year_match.group(1)}"
        return _resolve(first, ref, tense)
    m = re.match(r"^" + _Y + r"\s*[-–]\s*(?:19|20)?\d\d$", t)
    if m:
        return DateValue(m.group(1), "year", "absolute")

    m = _RE_ISO.search(t)
    if m and _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
        return DateValue(_iso(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day", "absolute")
    for rx, order in ((_RE_DMY, "dmy"), (_RE_MDY, "mdy")):
        m = rx.search(t)
        if not m:
            continue
        if order == "dmy":
            day, month, year = int(m.group(1)), MONTHS[m.group(2).rstrip(".")], m.group(3)
        else:
            month, day, year = MONTHS[m.group(1).rstrip(".")], int(m.group(2)), m.group(3)
        if not 1 <= day <= 31:
            continue
        if year:
            if _valid(int(year), month, day):
                return DateValue(_iso(int(year), month, day), "day", "absolute")
            continue
        if ref is None:
            return None
        y = _pick_year(month, day, ref, tense)
        if _valid(y, month, day):
            return DateValue(_iso(y, month, day), "day", "relative")
    m = _RE_MY.search(t)
    if m:
        return DateValue(_iso(int(m.group(2)), MONTHS[m.group(1).rstrip(".")]), "month", "absolute")
    if _RE_DECADE.search(t) or _VAGUE.search(t):
        return None
    m = _RE_YEAR.search(t)
    if m:
        return DateValue(m.group(1), "year", "absolute")
    if ref is None:
        return None

    if re.search(r"\b(yesterday|last night)\b", t):
        return DateValue(_days(ref, -1).isoformat(), "day", "relative")
    if re.search(r"\b(today|tonight|this morning|this afternoon|this evening|earlier today)\b", t):
        return DateValue(ref.isoformat(), "day", "relative")
    if re.search(r"\btomorrow\b", t):
        return DateValue(_days(ref, 1).isoformat(), "day", "relative")
    m = _RE_AGO.search(t)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS.get(m.group(1), 1)
        unit = m.group(2)
        if unit == "day":
            return DateValue(_days(ref, -n).isoformat(), "day", "relative")
        if unit == "week":
            d = _days(ref, -7 * n)
            return DateValue(_iso(d.year, d.month), "month", "relative")
        if unit == "month":
            y, mo = _shift_month(ref.year, ref.month, -n)
            return DateValue(_iso(y, mo), "month", "relative")
        return DateValue(_iso(_year(ref.year - n)), "year", "relative")
    m = _RE_REL_UNIT.search(t)
    if m:
        which, unit = m.group(1), m.group(2)
        step = -1 if which.endswith("last") or which in ("past", "previous") else (
            1 if which in ("next", "coming") else 0)
        if unit in ("week", "weekend"):
            d = _days(ref, 7 * step)
            return DateValue(_iso(d.year, d.month), "month", "relative")
        if unit == "month":
            y, mo = _shift_month(ref.year, ref.month, step)
            return DateValue(_iso(y, mo), "month", "relative")
        return DateValue(_iso(_year(ref.year + step)), "year", "relative")
    m = _RE_WEEKDAY.search(t)
    if m:
        which, wd = m.group(1), WEEKDAYS[m.group(2)]
        back = (ref.weekday() - wd) % 7
        if which in ("next", "coming") or (tense == "future" and which not in ("last", "past")):
            ahead = (wd - ref.weekday()) % 7 or 7
            return DateValue(_days(ref, ahead).isoformat(), "day", "relative")
        if which in ("last", "past") and back == 0:
            back = 7
        return DateValue(_days(ref, -back).isoformat(), "day", "relative")
    m = _RE_REL_MONTH.search(t)
    if m:
        which, month = m.group(1), MONTHS[m.group(2).rstrip(".")]
        if which in ("last", "past", "previous"):
            y = ref.year if month < ref.month else ref.year - 1
        elif which in ("next", "coming"):
            y = ref.year if month > ref.month else ref.year + 1
        elif which == "this":
            y = ref.year
        else:
            y = _pick_year(month, None, ref, tense)
        return DateValue(_iso(_year(y), month), "month", "relative")
    return None
