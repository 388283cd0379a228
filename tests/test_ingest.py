"""Ingest and code go on past bad input: odd file names, placeholder dates, a document whose
coding fails with any realpolitik error."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from realpolitik.errors import GazetteerError, InputError, LexiconError, NotEnglishError
from realpolitik.model import Document
from realpolitik.store import Store

pytestmark = pytest.mark.slow  # these code text with the English model

GOOD = "Russia delivered helicopters to Iraq on Monday."
FAILS = "Iran sent aid to Syria on Thursday."  # the date finder is made to fail on 'Thursday'


@pytest.fixture
def failing_dates(monkeypatch):
    """Make the date component raise ``error`` for any text with 'Thursday' in it."""
    import realpolitik.nlp.dates as component

    real = component.resolve_date

    def arm(error: Exception):
        def resolve(text, ref, tense=None):
            if "thursday" in text.lower():
                raise error
            return real(text, ref, tense)

        monkeypatch.setattr(component, "resolve_date", resolve)

    return arm


@pytest.mark.parametrize("error", [
    GazetteerError("the place table is broken", path="places.csv"),
    LexiconError("a bad entry", path="mine.yaml"),
    NotEnglishError("not English after all"),
])
def test_one_document_failing_in_a_batch_is_a_reject_and_the_rest_is_coded(coder, failing_dates, error):
    failing_dates(error)
    docs = [Document(id="one", text=GOOD, date=dt.date(2019, 5, 30), source="a.jsonl", line=1),
            Document(id="two", text=FAILS, date=dt.date(2019, 5, 30), source="a.jsonl", line=2),
            Document(id="three", text=GOOD.replace("Iraq", "Syria"), date=dt.date(2019, 5, 30))]
    one, two, three = coder.pipe(docs)
    assert one.ok and three.ok and one.events and three.events
    assert isinstance(two.error, InputError) and not two.events
    assert str(two.error).startswith("a.jsonl:2: ") and str(error).split(": ")[-1] in str(two.error)
    with pytest.raises(type(error)):
        coder.code(FAILS, date="2019-05-30")


def test_ingest_records_the_failing_document_and_stores_the_rest(tmp_path, failing_dates):
    failing_dates(GazetteerError("the place table is broken", path="places.csv"))
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "one", "text": GOOD, "date": "2019-05-30"},
        {"id": "two", "text": FAILS, "date": "2019-05-30"},
        {"id": "three", "text": GOOD.replace("Iraq", "Syria"), "date": "2019-05-30"}]), encoding="utf-8")
    store = Store(tmp_path / "s.duckdb")
    report = store.ingest([corpus])
    assert (report.documents, report.rejected) == (2, 1)
    rejects = store.rejects()
    assert list(rejects.line) == [2] and "places.csv" in rejects.message[0]


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_ingest_of_placeholder_dates_and_names_that_are_not_utf8(tmp_path, date):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    for name, data in [(b"caf\xe9.txt", GOOD.encode()), (b"vide\xff.txt", b""),
                       (b"dates.jsonl", "".join(json.dumps(r) + "\n" for r in [
                           {"id": "y", "text": "Russia delivered helicopters to Iraq yesterday.", "date": date},
                           {"id": "n", "text": "Turkish jets bombed villages near Dohuk next week.", "date": date},
                           {"id": "l", "text": "Iran sent aid to Syria last year.", "date": date}]).encode())]:
        fd = os.open(folder + b"/" + name, os.O_CREAT | os.O_WRONLY)
        os.write(fd, data)
        os.close(fd)
    store = Store(tmp_path / "s.duckdb")
    report = store.ingest([tmp_path / "in"], default_date=dt.date(2019, 5, 30))
    assert (report.documents, report.rejected) == (4, 1)
    assert list(store.rejects().source) == [f"{tmp_path}/in/vide\\xff.txt"]
    days = store.query("SELECT DISTINCT CAST(date AS VARCHAR) AS d FROM events ORDER BY d").d.tolist()
    assert date in days
