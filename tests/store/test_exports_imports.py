"""Exports in every format, and the GDELT, ICEWS and POLECAT importers on files written in
their documented layouts."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile

import pyarrow.parquet as pq
import pytest

from realpolitik.errors import BinaryInputError, EmptyInputError, InputError, StoreError
from realpolitik.store import Store
from realpolitik.store.exports import GDELT_COLUMNS
from realpolitik.store.importers import sniff_format

from ..conftest import ROOT

DATA = ROOT / "tests" / "fixtures" / "datasets"
GDELT = DATA / "gdelt_sample.export.CSV"
ICEWS = DATA / "icews_sample.tab"
POLECAT = DATA / "polecat_sample.txt"


@pytest.fixture()
def imported(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    reports = [store.import_file(f) for f in (GDELT, ICEWS, POLECAT)]
    return store, reports


def test_importers_map_types_countries_and_keep_the_origin(imported):
    store, (g, i, p) = imported
    assert (g.format, g.rows, g.rejected) == ("gdelt", 4, 2)
    assert (i.format, i.rows, i.rejected) == ("icews", 3, 1)
    assert (p.format, p.rows, p.rejected) == ("polecat", 3, 0)
    ev = store.events().set_index("event_id")
    assert ev.loc["gdelt-910000003", ["event_type", "source_country", "target_sector", "mentions"]].tolist() == [
        "ASSAULT", "TUR", "REB", 12]
    assert ev.loc["gdelt-910000004", "event_type"] == "RETREAT"  # 0874, by its base and root code
    assert ev.loc["icews-30000002", ["event_type", "source_country", "target_sector"]].tolist() == [
        "ASSAULT", "RUS", "REB"]
    assert ev.loc["icews-30000003", ["cameo", "event_type", "source_sector"]].tolist() == ["036", "AGREE", "MIL"]
    assert ev.loc["polecat-20230106-0002", ["event_type", "mode", "source_country"]].tolist() == [
        "ASSAULT", "aerial", "TUR"]
    assert ev.loc["polecat-20230107-0003", "target_country"] == "SYR"
    assert set(ev.origin) == {"gdelt", "icews", "polecat"}
    rejects = store.rejects()
    assert "3 tab-separated fields; a GDELT 2.0 row has 61" in " ".join(rejects.message)
    assert 3 in set(rejects.line.dropna().astype(int))  # the short GDELT row, by its line


def test_importing_again_adds_nothing(imported, tmp_path):
    store, _ = imported
    before = store.count()
    assert store.import_file(GDELT).skipped_file
    # the same rows in another file (zipped, as GDELT publishes them) are not added twice
    z = tmp_path / "20190108000000.export.CSV.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(GDELT, "20190108000000.export.CSV")
    r = store.import_file(z)
    assert (r.rows, r.already) == (0, 4) and store.count() == before


def test_empty_binary_and_unreadable_files_are_named_errors(tmp_path):
    store = Store(":memory:")
    (tmp_path / "empty.export.CSV").write_bytes(b"")
    (tmp_path / "image.export.CSV").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (tmp_path / "wide.tab").write_text("Event ID\tEvent Date\n1\t2019-01-01\textra\tfields\n", encoding="utf-8")
    with pytest.raises(EmptyInputError, match="empty.export.CSV: the file is empty"):
        store.import_file(tmp_path / "empty.export.CSV")
    with pytest.raises(BinaryInputError, match="image.export.CSV: the file is binary"):
        store.import_file(tmp_path / "image.export.CSV")
    r = store.import_file(tmp_path / "wide.tab", "icews")
    assert (r.rows, r.rejected) == (0, 1)  # the malformed row is a reject, by its line
    assert store.rejects().line.dropna().astype(int).tolist() == [2]
    assert store.count() == 0


def test_gzipped_import_and_unknown_format(tmp_path):
    gz = tmp_path / "events.icews.tab.gz"
    gz.write_bytes(gzip.compress(ICEWS.read_bytes()))
    store = Store(":memory:")
    assert store.import_file(gz).rows == 3
    odd = tmp_path / "notes.tsv"
    odd.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(InputError, match="--format"):
        store.import_file(odd)
    assert sniff_format("x.tab", ICEWS.read_bytes()[:500]) == "icews"
    assert sniff_format("x.txt", POLECAT.read_bytes()[:500]) == "polecat"
    assert sniff_format("x.txt", GDELT.read_bytes()[:2000]) == "gdelt"


def test_exports_in_every_format(imported, tmp_path):
    store, _ = imported
    n = store.count(actor="IRQ")
    assert n == 6
    assert store.export(tmp_path / "e.parquet", "parquet", actor="IRQ") == n
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == n and "source_country" in table.column_names
    assert store.export(tmp_path / "e.csv", "csv", actor="IRQ") == n
    assert len((tmp_path / "e.csv").read_text().splitlines()) == n + 1
    assert store.export(tmp_path / "e.jsonl", "jsonl", actor="IRQ") == n
    rows = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert {r["origin"] for r in rows} == {"gdelt", "icews", "polecat"}
    assert store.export(tmp_path / "e.json", "plover", dyad=("IRQ", "RUS")) == 2
    recs = [json.loads(x) for x in (tmp_path / "e.json").read_text().splitlines()]
    first = next(r for r in recs if r["id"] == "gdelt-910000001")
    assert first["event"] == ["AGREE"] and first["actor"][0]["code"] == "IRQ" and first["recipient"][0]["code"] == "RUS"
    assert first["date"] == "2019-01-08" and first["quad_code"] == 1


def test_gdelt_export_has_61_columns_and_reimports(imported, tmp_path):
    store, _ = imported
    out = tmp_path / "out.export.CSV"
    n = store.export(out, "gdelt")
    lines = out.read_text().splitlines()
    assert n == len(lines) == 10
    assert {len(line.split("\t")) for line in lines} == {len(GDELT_COLUMNS)} == {61}
    row = next(line.split("\t") for line in lines if line.startswith("910000003\t"))
    assert row[1] == "20190110" and row[26] == "190" and row[29] == "4" and row[31] == "12" and row[32] == "5"
    fresh = Store(":memory:")
    assert fresh.import_file(out, "gdelt").rows == 10
    assert set(fresh.events().event_type) == set(store.events().event_type)


def test_dyad_series_and_bad_filters(imported):
    store, _ = imported
    series = store.dyad_series("IRQ", "RUS", freq="year")
    assert series.events.sum() == 2 and list(series.verbal_cooperation) == [1, 1]
    assert store.dyad_series("IRQ", "RUS", directed=True).events.sum() == 2
    assert store.dyad_series("RUS", "IRQ", directed=True).empty
    with pytest.raises(StoreError, match="unknown event type"):
        store.events(event_type="FIGHT")
    with pytest.raises(StoreError, match="frequency"):
        store.dyad_series("IRQ", "RUS", freq="fortnight")
    with pytest.raises(StoreError, match="no event"):
        store.event("nope")


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "none.duckdb", create=False)
    shutil.copy(GDELT, tmp_path / "x.duckdb")
    with pytest.raises(StoreError, match="cannot open"):
        Store(tmp_path / "x.duckdb")


def test_two_imports_into_one_memory_store_keep_their_own_rejects():
    store = Store(":memory:")
    store.import_file(GDELT)
    icews = store.import_file(ICEWS)
    assert icews.rejected == 1
    sources = sorted(set(store.rejects().source))
    assert [s.rsplit("/", 1)[-1] for s in sources] == ["gdelt_sample.export.CSV", "icews_sample.tab"]
    assert len(store.rejects()) == 3


def test_a_file_read_as_the_wrong_dataset_can_be_imported_again(tmp_path):
    store = Store(tmp_path / "s.duckdb")
    wrong = store.import_file(POLECAT, "icews")
    assert wrong.rows == 0 and wrong.rejected == 3
    right = store.import_file(POLECAT, "polecat")
    assert (right.skipped_file, right.rows) == (False, 3)


def test_rows_without_an_id_are_rejected_not_fatal(tmp_path):
    rows = GDELT.read_text().splitlines()
    no_id = "\t" + rows[0].split("\t", 1)[1]
    f = tmp_path / "x.export.CSV"
    f.write_text("\n".join([rows[0], no_id, rows[1]]) + "\n")
    r = Store(":memory:").import_file(f)
    assert (r.rows, r.rejected) == (2, 1)


def test_gdelt_round_trip_keeps_root_flag_and_date_added(tmp_path):
    store = Store(":memory:")
    store.import_file(GDELT)
    out = tmp_path / "again.export.CSV"
    store.export(out, "gdelt", origin="gdelt")
    original = {line.split("\t")[0]: line.split("\t") for line in GDELT.read_text().splitlines()
                if line.count("\t") == 60}
    for line in out.read_text().splitlines():
        got = line.split("\t")
        want = original[got[0]]
        for k in (1, 5, 6, 7, 12, 15, 17, 25, 26, 27, 28, 29, 31, 52, 59, 60):
            assert got[k] == want[k] or float(got[k] or 0) == float(want[k] or 0), (got[0], k)


def test_filters_reject_bad_values():
    store = Store(":memory:")
    with pytest.raises(StoreError, match="not a date"):
        store.count(since="2019-13-01")
    with pytest.raises(StoreError, match="two actors"):
        store.events(dyad="IRQ")
    assert store.count(since="2019-01-01", dyad="IRQ,RUS") == 0


def test_frames_in_pandas_and_polars():
    polars = pytest.importorskip("polars")
    store = Store(":memory:")
    store.import_file(POLECAT)
    frame = store.events(frame="polars", origin="polecat")
    assert isinstance(frame, polars.DataFrame) and frame.height == 3
    assert frame["event_type"].to_list() == store.events(origin="polecat").event_type.tolist()
    series = store.dyad_series("IRQ", "RUS", frame="polars")
    assert series["events"].to_list() == [1] and series["mentions"].to_list() == [1]
