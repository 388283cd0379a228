"""The importers on small files of our own: dates and missing values of ICEWS, POLECAT's
intensity and quad codes, the format sniffed from the content, the quad class of every
origin from one table, PLOVER JSON round trips, and the reject summary of ``import``."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from realpolitik.cli import app
from realpolitik.ontology import load_ontology
from realpolitik.store import Store
from realpolitik.store import schema as store_schema
from realpolitik.store.importers import sniff_format

from ..conftest import ROOT

DATA = ROOT / "tests" / "fixtures" / "datasets"
GDELT = DATA / "gdelt_sample.export.CSV"
ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
                "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\t"
                "City\tDistrict\tProvince\tCountry\tLatitude\tLongitude")
POLECAT_HEADER = ("Event ID\tEvent Date\tEvent Type\tEvent Mode\t{intensity}\tQuad Code\tContexts\tActor Name\t"
                  "Actor Country\tPrimary Actor Sector\tRecipient Name\tRecipient Country\tPrimary Recipient Sector\t"
                  "Placename\tCountry\tLatitude\tLongitude")


def icews_line(eid: str, date: str, city: str = "Mosul", province: str = "Nineveh", cameo: str = "040",
               source: str = "Iraq") -> str:
    return "\t".join([eid, date, "Government (Iraq)", "Government", source, "Consult", cameo, "1.0",
                      "Turkey", "Government", "Turkey", "1", "1", "Example Wire", city, "NA", province, "Iraq",
                      "36.3", "43.1"])


def write(path, header: str | None, lines: list[str]):
    path.write_text("".join(x + "\n" for x in ([header] if header else []) + lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(("date", "day"), [("2018-06-01", "2018-06-01"), ("6/1/2018", "2018-06-01"),
                                           ("12/31/2017", "2017-12-31"), ("06/09/2018", "2018-06-09"),
                                           ("20180609", "2018-06-09")])
def test_icews_dates_in_every_layout(tmp_path, date, day):
    f = write(tmp_path / "events.tab", ICEWS_HEADER, [icews_line("1", date)])
    store = Store(":memory:")
    r = store.import_file(f)
    assert (r.rows, r.rejected) == (1, 0)
    assert store.events().date.tolist() == [day]


def test_a_bad_date_names_the_line_the_value_and_the_layouts(tmp_path):
    f = write(tmp_path / "events.tab", ICEWS_HEADER, [icews_line("1", "2018-06-01"), icews_line("2", "31.12.2017")])
    store = Store(":memory:")
    r = store.import_file(f)
    assert (r.rows, r.rejected, r.reasons) == (1, 1, {"no valid date": 1})
    assert r.examples == [f"{f}:3: event 2: no valid date '31.12.2017' (expected YYYY-MM-DD, YYYYMMDD or M/D/YYYY)"]
    assert store.rejects().line.tolist() == [3]


@pytest.mark.parametrize("missing", ["NA", "None", "null", "", "N/A"])
def test_missing_values_are_not_place_names(tmp_path, missing):
    f = write(tmp_path / "events.tab", ICEWS_HEADER,
              [icews_line("1", "2018-06-01", city=missing, province=missing)])
    store = Store(":memory:")
    store.import_file(f)
    ev = store.events().iloc[0]
    assert (ev.location_name, ev.location_kind, ev.location_country) == ("Iraq", "country", "IRQ")
    assert ev.location_admin1 is None and ev.location_text is None


@pytest.mark.parametrize(("intensity_header", "quad", "want_quad"), [
    ("Intensity", "VERBAL COOPERATION", 1), ("Event Intensity", "Material Conflict", 4),
    ("Intensity", "3", 3), ("Event Intensity", "", None)])
def test_polecat_intensity_header_and_quad_names(tmp_path, intensity_header, quad, want_quad):
    header = POLECAT_HEADER.format(intensity=intensity_header)
    rows = ["\t".join(["e1", "2023-01-05", "CONSULT", "visit", "2.0", quad, "", "Iraq", "IRQ", "GOV", "Russia", "RUS",
                       "GOV", "Moscow", "RUS", "55.7", "37.6"]),
            "\t".join(["e2", "2023-01-06", "ASSAULT", "", "", quad, "", "Turkey", "TUR", "MIL", "Iraq", "IRQ",
                       "REB", "", "IRQ", "", ""])]
    f = write(tmp_path / "week.polecat.txt", header, rows)
    store = Store(":memory:")
    assert store.import_file(f).rows == 2
    ev = store.events().set_index("origin_id")
    assert ev.loc["e1", "intensity"] == 2.0  # the file's value
    assert ev.loc["e2", "intensity"] == load_ontology().score("ASSAULT")  # none in the file: PLOVER's score
    got = [None if pd.isna(g) else int(g) for g in ev.origin_quad_class]
    assert got == [want_quad, want_quad]
    assert ev.quad_class.tolist() == [1, 4]  # the PLOVER type's, whatever the file says
    series = store.dyad_series("TUR", "IRQ", freq="year")
    assert series.mean_intensity.notna().all()


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("notes.export.CSV", "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tCAMEO Code\n", "icews"),
    ("icews.2019.tab", "Event ID\tEvent Date\tEvent Type\tActor Name\tRecipient Name\n", "polecat"),
    ("polecat.txt", GDELT.read_text(encoding="utf-8"), "gdelt"),
    ("events.icews.json", '{"id": "x", "event": ["AGREE"], "actor": []}\n', "plover"),
    ("20190108000000.export.CSV", "", "gdelt"),  # no content to read: the name decides
])
def test_the_content_decides_before_the_name(name, content, fmt):
    assert sniff_format(name, content.encode()) == fmt


def test_one_quad_class_for_every_origin_and_the_datasets_own_kept(tmp_path):
    """CAMEO 1031 (demand material aid) is GDELT's QuadClass 3 but PLOVER's REQUEST; CAMEO
    141 (demonstrate) is verbal conflict in GDELT but PROTEST, quad 4, in PLOVER."""
    store = Store(":memory:")
    line = GDELT.read_text(encoding="utf-8").splitlines()[0].split("\t")
    rows = []
    for i, (code, gdelt_quad) in enumerate((("141", "3"), ("0874", "2"))):
        f = list(line)
        f[0], f[26], f[27], f[28], f[29] = f"77{i}", code, code[:3], code[:2], gdelt_quad
        rows.append("\t".join(f))
    store.import_file(write(tmp_path / "q.export.CSV", None, rows))
    ev = store.events().set_index("origin_id")
    assert ev.loc["770", ["event_type", "quad_class", "origin_quad_class"]].tolist() == ["PROTEST", 4, 3]
    assert ev.loc["771", ["event_type", "quad_class", "origin_quad_class"]].tolist() == ["RETREAT", 2, 2]
    out = tmp_path / "back.export.CSV"
    store.export(out, "gdelt")
    back = {r.split("\t")[0]: r.split("\t") for r in out.read_text(encoding="utf-8").splitlines()}
    assert back["770"][29] == "3"  # the GDELT export speaks GDELT's convention


def test_the_migration_moves_a_datasets_quad_class_aside(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    for step in store_schema.MIGRATIONS[0][1]:
        con.execute(step)
    con.execute("INSERT INTO schema_migrations VALUES ('0001_initial', now())")
    con.execute("""INSERT INTO events (event_id, origin, event_type, quad_class, day) VALUES
                   ('gdelt-1', 'gdelt', 'PROTEST', 3, '2019-01-01'), ('ev-1', 'realpolitik', 'PROTEST', 4, '2019-01-01')""")
    con.close()
    store = Store(path)
    ev = store.events().set_index("event_id")
    assert ev.loc["gdelt-1", ["quad_class", "origin_quad_class"]].tolist() == [4, 3]
    assert ev.loc["ev-1", "quad_class"] == 4 and pd.isna(ev.loc["ev-1", "origin_quad_class"])


def test_plover_export_writes_iso_codes_for_gdelt_places(tmp_path):
    line = GDELT.read_text(encoding="utf-8").splitlines()[0].split("\t")
    line[51], line[52], line[53], line[54] = "1", "Belarus", "BO", "BO"
    f = write(tmp_path / "by.export.CSV", None, ["\t".join(line)])
    store = Store(":memory:")
    store.import_file(f)
    store.export(tmp_path / "e.json", "plover")
    rec = json.loads((tmp_path / "e.json").read_text(encoding="utf-8").splitlines()[0])
    assert rec["event_loc"]["country"] == "BLR"  # not Bolivia (ISO BO)


def test_plover_export_import_export_gives_the_same_events(tmp_path, coder):
    store = Store(tmp_path / "a.duckdb")
    store.ingest_records([{"id": "d1", "date": "2023-03-02", "text":
                           "Turkish warplanes struck Kurdish militant positions in northern Iraq on Thursday. "
                           "The Iraqi foreign ministry condemned the strikes and summoned the Turkish ambassador."}])
    for f in (GDELT, DATA / "icews_sample.tab", DATA / "polecat_sample.txt"):
        store.import_file(f)
    first = tmp_path / "first.json"
    n = store.export(first, "plover")
    assert n == store.count() and "realpolitik" in set(store.events().origin)
    again = Store(":memory:")
    r = again.import_file(first)
    assert (r.format, r.rows, r.rejected) == ("plover", n, 0)
    second = tmp_path / "second.json"
    assert again.export(second, "plover") == n
    strip = [{k: v for k, v in json.loads(x).items() if k != "coded_date"} for x in
             first.read_text(encoding="utf-8").splitlines()]
    assert strip == [{k: v for k, v in json.loads(x).items() if k != "coded_date"}
                     for x in second.read_text(encoding="utf-8").splitlines()]
    assert again.import_file(first).skipped_file
    assert store.import_file(first).rows == 0  # into the store it came from: every event is there already


def test_import_prints_the_reasons_and_the_first_rejects(tmp_path):
    lines = [icews_line("1", "2018-06-01"), icews_line("2", "sometime"), "3\t2018-06-01\tshort row",
             icews_line("4", "2018-06-02", cameo="999")]
    f = write(tmp_path / "events.tab", ICEWS_HEADER, lines)
    result = CliRunner().invoke(app, ["import", str(f), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    out = result.output
    assert "4 rows: 1 events added" in out
    assert "1 no valid date" in out and "1 wrong number of fields" in out and "1 unknown event code" in out
    assert f"{f}:3: event 2: no valid date 'sometime'" in out
    assert f"{f}:4: 3 tab-separated fields; the header has 20" in out
    assert f"{f}:5: event 4: unknown event code '999'" in out


@pytest.mark.parametrize(("kind", "country", "name", "geo_type"), [
    ("country", "IRQ", "Iraq", "1"), ("admin1", "USA", "Texas", "2"), ("city", "USA", "Houston", "3"),
    ("city", "IRQ", "Mosul", "4"), ("admin1", "IRQ", "Nineveh", "5"), ("area", None, "Gulf of Aden", "0"),
    (None, None, None, "0")])
def test_gdelt_geo_type_follows_the_kind_of_place(tmp_path, kind, country, name, geo_type):
    store = Store(":memory:")
    with store.db.write() as con:
        con.execute("""INSERT INTO events (event_id, origin, cluster_id, event_type, cameo, quad_class, day, date,
                                           location_name, location_country, location_kind, location_lat)
                       VALUES ('ev-1', 'realpolitik', 'c1', 'ASSAULT', '190', 4, '2019-10-24', '2019-10-24',
                               ?, ?, ?, 10.0)""", [name, country, kind])
    out = tmp_path / "e.tsv"
    store.export(out, "gdelt")
    row = out.read_text(encoding="utf-8").split("\t")
    assert (row[51], row[4]) == (geo_type, "2019.8055")


@pytest.mark.parametrize(("line", "reason"), [
    ('{"id": "p1", "date": "2020-01-01", "event": ["AGREE"], "actor": [{"code": "a\\ud800"}]}', "not UTF-8 text"),
    ('{"id": "p1", "date": "2020-01-01", "event": ["AGREE"]', "not a JSON record"),
    ('["p1", "2020-01-01", "AGREE"]', "not a JSON record"),
    ('{"id": "p1", "date": "2020-01-01", "event": ["PARLEY"]}', "unknown event code"),
    ('{"id": "p1", "date": "sometime", "event": ["AGREE"]}', "no valid date"),
    ('{"date": "2020-01-01", "event": ["AGREE"]}', "no event id")])
def test_a_bad_plover_record_is_a_reject_with_a_reason(tmp_path, line, reason):
    good = '{"id": "p0", "date": "2020-01-01", "event": ["AGREE"], "actor": [{"code": "IRQ"}]}'
    f = write(tmp_path / "events.plover.jsonl", None, [good, line])
    store = Store(":memory:")
    r = store.import_file(f)
    assert (r.rows, r.rejected, r.reasons) == (1, 1, {reason: 1})
    assert r.examples[0].startswith(f"{f}:2: ")


@pytest.mark.parametrize(("names", "sector"), [
    ("General Population / Public", "CVL"), ("Executive Office", "GOV"), ("Government Religious", "REL"),
    ("Parties", "PTY"), ("Legal", "JUD"), ("Education", "EDU"), ("Labor", "LAB"), ("Business", "BUS"),
    ("Media", "JRN"), ("Military,Government", "MIL"), ("Police,Government", "COP"),
    ("Legislative / Parliamentary,Government", "LEG"), ("Judicial,Government", "JUD"), ("Rebels", "REB"),
    ("Insurgents,Dissident", "REB"), ("Dissident", "OPP"), ("NGOs", "NGO"), ("IGOs", "IGO"), ("Elite", "ELI"),
    ("Cabinet,Executive,Government", "GOV"), ("Ethnic", "CVL"), ("Religious", "REL"),
    ("Center Left,Ideological", None), ("Unspecified", None), ("MIL", "MIL")])
def test_dataset_sector_names_are_whole_names(names, sector):
    from realpolitik.store.importers import _sector_of

    assert _sector_of(names) == sector


@pytest.mark.parametrize("end", ["\n", "\r\n"])
@pytest.mark.parametrize("blank", ["", "   ", "\t \r"])
def test_line_ends_and_blank_lines(tmp_path, end, blank):
    lines = [ICEWS_HEADER, icews_line("1", "2018-06-01"), blank, icews_line("2", "2018-06-02"), blank]
    f = tmp_path / "events.tab"
    f.write_bytes(end.join(lines).encode("utf-8"))
    store = Store(":memory:")
    r = store.import_file(f)
    assert (r.lines, r.rows, r.rejected) == (2, 2, 0)
    assert store.events().location_lon.tolist() == [43.1, 43.1]
