"""Random bytes and random records through every importer: a file is either imported, with
each bad row a reject with a reason and every row accounted for, or refused with one of the
project's own errors; nothing else escapes."""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realpolitik.errors import RealpolitikError
from realpolitik.store import Store
from realpolitik.store.exports import GDELT_COLUMNS
from realpolitik.store.importers import GDELT1_COLUMNS, IMPORT_FORMATS

from .test_import_formats import DATA, ICEWS_HEADER

FUZZ = settings(max_examples=12, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(FUZZ, max_examples=6)

HEADERS = {"icews": ICEWS_HEADER,
           "polecat": (DATA / "polecat_sample.txt").read_text(encoding="utf-8").splitlines()[0]}
WIDTHS = {"gdelt": len(GDELT_COLUMNS), "gdelt1": len(GDELT1_COLUMNS), "gdelt1url": len(GDELT1_COLUMNS) + 1,
          "icews": ICEWS_HEADER.count("\t") + 1, "polecat": HEADERS["polecat"].count("\t") + 1}

values = st.one_of(
    st.sampled_from(["", "NA", "None", "null", "0", "-1", "1", "4", "010", "040", "042", "043", "0874", "190",
                     "20190108", "2019-01-08", "1/8/2019", "13/45/2019", "99999999", "2019-02-30", "Iraq", "IRQ",
                     "Occupied Palestinian Territory", "Government,Executive Office", "General Population / Public",
                     "ASSAULT", "consult", "Verbal Cooperation", "nan", "1e309", "-0.0", "\u00e9t\u00e9", "\u202e",
                     "'", '"', "\\", "%s", "{}", "[]", "\ud800", "a\udfffb"]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.text(max_size=3),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
)


def _import(data: bytes, name: str, fmt: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        store = Store(":memory:")
        try:
            r = store.import_file(path, fmt)
        except RealpolitikError:
            return
        assert r.rows + r.already + r.not_plover + r.rejected == r.lines
        assert sum(r.reasons.values()) == r.rejected
        assert store.count() == r.rows


def _good_rows(fmt: str) -> list[list[str]]:
    """Rows of the test fixtures that import, to mutate."""
    text = (DATA / {"gdelt": "gdelt_sample.export.CSV", "icews": "icews_sample.tab",
                    "polecat": "polecat_sample.txt"}[fmt]).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[(0 if fmt == "gdelt" else 1):]]
    return [r for r in rows if len(r) == WIDTHS[fmt]]


GOOD = {fmt: _good_rows(fmt) for fmt in ("gdelt", "icews", "polecat")}


@st.composite
def table_files(draw, fmt: str) -> bytes:
    """A file of ``fmt`` rows: real rows with random fields changed, random rows, rows of the
    wrong width, GDELT 1.0 widths, odd encodings and line ends."""
    width_key = draw(st.sampled_from(["gdelt", "gdelt", "gdelt1", "gdelt1url"])) if fmt == "gdelt" else fmt
    lines = [HEADERS[fmt]] if fmt in HEADERS else []
    for _ in range(draw(st.integers(0, 6))):
        if width_key == fmt and draw(st.booleans()):
            row = list(draw(st.sampled_from(GOOD[fmt])))
            for _ in range(draw(st.integers(0, 3))):
                row[draw(st.integers(0, len(row) - 1))] = draw(values)
        else:
            width = WIDTHS[width_key] + draw(st.sampled_from([0, 0, 0, -1, 1, -5]))
            row = [draw(values) for _ in range(max(width, 0))]
        lines.append("\t".join(row))
    end = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", ""]))
    text = end.join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "latin-1", "utf-16", "utf-8-sig"]))
    data = text.encode(encoding, errors="replace")
    if not draw(st.integers(0, 3)):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=4)) + data[at:]
    return data


@functools.lru_cache(maxsize=1)
def _good_records() -> list[dict]:
    """PLOVER records as the exporter writes them, to mutate."""
    store = Store(":memory:")
    store.import_file(DATA / "icews_sample.tab")
    store.import_file(DATA / "polecat_sample.txt")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "e.json"
        store.export(out, "plover")
        return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


@st.composite
def plover_files(draw) -> bytes:
    records = []
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            rec = dict(draw(st.sampled_from(_good_records())))
            for _ in range(draw(st.integers(0, 2))):
                rec[draw(st.sampled_from(sorted(rec)))] = draw(st.one_of(values, st.none(), st.floats(),
                                                                          st.lists(values, max_size=2)))
            records.append(json.dumps(rec, allow_nan=True))
            continue
        rec = draw(st.dictionaries(
            st.sampled_from(["id", "date", "event", "mode", "context", "actor", "recipient", "event_loc", "quad_code",
                             "event_scale", "text", "comment", "coder", "link"]),
            st.one_of(values, st.lists(values, max_size=2), st.none(), st.floats(), st.booleans(),
                      st.dictionaries(st.sampled_from(["code", "sector", "name", "lat", "lon", "country"]),
                                      st.one_of(values, st.floats()), max_size=3),
                      st.lists(st.dictionaries(st.sampled_from(["code", "sector", "entity_text"]), values,
                                               max_size=3), max_size=2)),
            max_size=10))
        records.append(json.dumps(rec, allow_nan=True) if draw(st.integers(0, 5)) else draw(st.text(max_size=20)))
    return ("\n".join(records) + "\n").encode("utf-8", errors="replace")


@pytest.mark.parametrize("fmt", [None, *IMPORT_FORMATS])
@FEW
@given(data=st.binary(max_size=600))
def test_random_bytes(fmt, data):
    _import(data, "random.export.CSV", fmt)


@pytest.mark.parametrize("fmt", ["gdelt", "icews", "polecat"])
@FUZZ
@given(data=st.data())
def test_random_records(fmt, data):
    content = data.draw(table_files(fmt))
    _import(content, f"random.{fmt}.tab", data.draw(st.sampled_from([fmt, None])))


@FUZZ
@given(content=plover_files())
def test_random_plover_records(content):
    _import(content, "random.plover.jsonl", "plover")


@FEW
@given(suffix=st.sampled_from([".gz", ".zip"]), data=st.binary(max_size=200))
def test_damaged_archives(suffix, data):
    _import(data, f"random.export.CSV{suffix}", "gdelt")
