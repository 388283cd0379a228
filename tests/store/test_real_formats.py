"""The importers and exporters on real files of the datasets (``../shared/formats``): every
row accounted for, ICEWS sectors and country names, GDELT 1.0 rows, and a GDELT export that
matches the file it came from."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from realpolitik.ontology import host_codes
from realpolitik.store import Store
from realpolitik.store.exports import GDELT_COLUMNS

from ..conftest import ROOT, SHARED

FORMATS = SHARED / "formats"
GDELT2 = FORMATS / "gdelt2-20191024143000.export.CSV"
GDELT1 = FORMATS / "gdelt1-sample-events.csv"
ICEWS = FORMATS / "icews-events.2018.sample.tab"
SECTORS = ROOT / "tests" / "fixtures" / "datasets" / "icews_2018_sectors.csv"

pytestmark = pytest.mark.skipif(not FORMATS.is_dir(), reason="the real dataset samples (../shared/formats) are absent")


def _data_rows(path, header: bool) -> int:
    lines = [x for x in path.read_bytes().split(b"\n") if x.strip()]
    return len(lines) - (1 if header else 0)


def _icews_rows() -> list[dict[str, str]]:
    with ICEWS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def icews_store():
    store = Store(":memory:")
    return store, store.import_file(ICEWS)


@pytest.mark.parametrize(("path", "fmt", "header"), [(GDELT2, "gdelt", False), (GDELT1, "gdelt", False),
                                                     (ICEWS, "icews", True)],
                         ids=["gdelt2", "gdelt1", "icews"])
def test_every_row_of_a_real_file_is_accounted_for(path, fmt, header):
    store = Store(":memory:")
    r = store.import_file(path)
    assert r.format == fmt
    assert r.lines == _data_rows(path, header)
    assert r.rows + r.already + r.not_plover + r.rejected == r.lines
    assert r.rows > 0.75 * r.lines  # most rows are events, none lost to the layout
    assert sum(r.reasons.values()) == r.rejected == len(store.rejects())
    assert store.count() == r.rows


def test_gdelt1_rows_of_57_and_58_columns_both_import():
    store = Store(":memory:")
    store.import_file(GDELT1)
    widths = {}
    for line in GDELT1.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        widths[fields[0]] = len(fields)
    ev = store.events().set_index("origin_id")
    assert {widths[i] for i in ev.index} == {57, 58}
    with_url = ev[[widths[i] == 58 for i in ev.index]]
    assert with_url.url.notna().all() and ev[[widths[i] == 57 for i in ev.index]].url.isna().all()


def test_icews_sectors_agree_with_the_hand_checked_table(icews_store):
    store, _ = icews_store
    with SECTORS.open(encoding="utf-8", newline="") as f:
        expected = {r["sectors"]: r["sector"] or None for r in csv.DictReader(f)}
    ev = store.events().set_index("origin_id")
    wrong = []
    for row in _icews_rows():
        if row["Event ID"] not in ev.index:
            continue
        got = ev.loc[row["Event ID"]]
        told_by_host = got["cameo"] in host_codes()  # stored visitor first: the dataset's target is the source
        for side, col in (("source", "Target Sectors" if told_by_host else "Source Sectors"),
                          ("target", "Source Sectors" if told_by_host else "Target Sectors")):
            want, have = expected[row[col]], got[f"{side}_sector"]
            if (want or "") != (have if isinstance(have, str) else ""):
                wrong.append((row["Event ID"], row[col], have, want))
    assert not wrong, wrong[:5]
    assert len(expected) == len({r[c] for r in _icews_rows() for c in ("Source Sectors", "Target Sectors")})


@pytest.mark.parametrize(("name", "iso3"), [("Occupied Palestinian Territory", "PSE"), ("Moldova, Republic of", "MDA"),
                                            ("the former Yugoslav Republic of Macedonia", "MKD")])
def test_every_icews_country_name_resolves(icews_store, name, iso3):
    store, _ = icews_store
    ids = {r["Event ID"] for r in _icews_rows() if r["Source Country"] == name and r["CAMEO Code"] not in host_codes()}
    assert ids
    ev = store.events().set_index("origin_id")
    assert set(ev.loc[sorted(ids & set(ev.index)), "source_country"]) == {iso3}


def test_every_country_name_of_the_icews_sample_resolves(icews_store):
    store, _ = icews_store
    ev = store.events()
    country = {side: dict(zip(ev.origin_id, ev[f"{side}_country"], strict=True)) for side in ("source", "target")}
    def sides(r: dict[str, str]) -> tuple[tuple[str, str], ...]:  # a host's telling is stored visitor first
        flip = r["CAMEO Code"] in host_codes()
        return (("Source Country", "target" if flip else "source"), ("Target Country", "source" if flip else "target"))

    unresolved = {r[c] for r in _icews_rows() if r["Event ID"] in country["source"]
                  for c, side in sides(r) if r[c] != "NA" and not isinstance(country[side][r["Event ID"]], str)}
    assert not unresolved


def test_icews_na_is_no_place(icews_store):
    store, _ = icews_store
    ev = store.events()
    for col in ("location_name", "location_text", "location_admin1", "source_name", "target_name"):
        assert not ev[col].isin(["NA", "None", "null"]).any(), col
    no_city = {r["Event ID"] for r in _icews_rows() if r["City"] == "NA" and r["Province"] == "NA"
               and r["Country"] != "NA"}
    sub = ev[ev.origin_id.isin(no_city)]
    assert len(sub) and (sub.location_kind == "country").all()


def test_icews_hosts_and_visitors_follow_the_conventions(icews_store):
    """Both CAMEO 042 (the visitor's telling) and 043 (the host's) are CONSULT visit with the
    visitor as source and the host as target, as PLOVER has it; the CAMEO code is kept."""
    store, _ = icews_store
    ev = store.events().set_index("origin_id")
    seen = set()
    for row in _icews_rows():
        if row["CAMEO Code"] in ("042", "043") and row["Event ID"] in ev.index:
            got = ev.loc[row["Event ID"]]
            assert (got.event_type, got["mode"], got.cameo) == ("CONSULT", "visit", row["CAMEO Code"])
            visitor, host = ((row["Target Name"], row["Source Name"]) if row["CAMEO Code"] == "043"
                             else (row["Source Name"], row["Target Name"]))
            assert (got.source_name, got.target_name) == (visitor, host)
            seen.add(row["CAMEO Code"])
    assert seen == {"042", "043"}


def test_gdelt_export_matches_the_real_file_row_for_row(tmp_path):
    store = Store(":memory:")
    store.import_file(GDELT2)
    out = tmp_path / "again.export.CSV"
    n = store.export(out, "gdelt")
    original = {f[0]: f for f in (line.split("\t") for line in GDELT2.read_text(encoding="utf-8").splitlines())}
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(rows) == store.count()
    col = {c: i for i, c in enumerate(GDELT_COLUMNS)}
    for name in ("ActionGeo_Type", "FractionDate", "QuadClass", "SQLDATE", "MonthYear", "EventCode",
                 "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "Actor1CountryCode", "Actor2CountryCode"):
        wrong = [(r[0], original[r[0]][col[name]], r[col[name]]) for r in rows
                 if r[col[name]] != original[r[0]][col[name]]]
        assert not wrong, (name, len(wrong), wrong[:3])


@pytest.mark.parametrize(("day", "fraction"), [("2019-10-24", "2019.8055"), ("2016-06-28", "2016.4877"),
                                               ("2020-01-01", "2020.0027"), ("2021-12-31", "2021.9890")])
def test_fraction_date_is_gdelts(tmp_path, day, fraction):
    d = dt.date.fromisoformat(day)
    assert f"{d.year + ((d.month - 1) * 30 + d.day) / 365:.4f}" == fraction  # the codebook's formula
    line = GDELT2.read_text(encoding="utf-8").splitlines()[0].split("\t")
    line[1] = day.replace("-", "")
    src = tmp_path / "one.export.CSV"
    src.write_text("\t".join(line) + "\n", encoding="utf-8")
    store = Store(":memory:")
    store.import_file(src, "gdelt")
    out = tmp_path / "out.tsv"
    store.export(out, "gdelt")
    assert out.read_text(encoding="utf-8").split("\t")[4] == fraction


def test_a_store_written_host_first_is_turned_visitor_first(tmp_path):
    """Events of a code told from the host (043) stored before, host first, are turned to PLOVER's
    order by a migration, the full record with them; one-sided ones and other codes are left."""
    import duckdb

    from realpolitik.store.schema import migrate

    path = tmp_path / "old.duckdb"
    Store(path).count()  # created, every migration applied
    con = duckdb.connect(str(path))
    record = '{"event_type": "CONSULT", "source": {"code": "IRQ"}, "target": {"code": "IRN"}}'
    con.executemany("INSERT INTO events (event_id, cameo, source_code, source_country, target_code, target_country, "
                    "record, origin, event_type) VALUES (?, ?, ?, ?, ?, ?, ?, 'realpolitik', 'CONSULT')",
                    [("hosted", "043", "IRQ", "IRQ", "IRN", "IRN", record), ("alone", "043", "IRQ", "IRQ", None, None, None),
                     ("visit", "042", "IRN", "IRN", "IRQ", "IRQ", None)])
    con.execute("DELETE FROM schema_migrations WHERE name = '0003_visitor_first'")
    assert migrate(con) == ["0003_visitor_first"]
    rows = {r[0]: r[1:] for r in con.execute("SELECT event_id, source_code, target_code, record FROM events").fetchall()}
    con.close()
    assert rows["hosted"][:2] == ("IRN", "IRQ") and '"source":{"code":"IRN"}' in rows["hosted"][2].replace(" ", "")
    assert rows["alone"][:2] == ("IRQ", None) and rows["visit"][:2] == ("IRN", "IRQ")
