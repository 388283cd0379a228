"""Import of generated GDELT 2.0 event files, and a dyad time-series query over the result.

    python bench/import.py [--rows 5000000] [--small 1000000] [--workdir DIR]

Writes two GDELT-format files (61 tab-separated columns, no header) with ``--small`` and
``--rows`` events: random dates over ten years, actors from forty countries with sectors,
common CAMEO codes with their quad classes and Goldstein weights, mention counts and URLs.
Each is imported into a fresh store with ``Store.import_file``; then
``Store.dyad_series("IRQ", "RUS", freq="month")`` (opening the store, filtering the dyad in
both directions, grouping by month) is timed five times and the median kept. The last line
is the headline:

    query_s_large=<median seconds, --rows store> query_s_small=... import_rows_per_s=... rows_large=...
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from realpolitik.store import Store
from realpolitik.store.exports import GDELT_COLUMNS

COUNTRIES = ["IRQ", "RUS", "IRN", "TUR", "SYR", "USA", "FRA", "DEU", "CHN", "IND", "PAK", "EGY", "SAU", "ISR",
             "JOR", "UKR", "POL", "JPN", "KOR", "BRA", "NGA", "KEN", "ETH", "MEX", "GBR", "ITA", "ESP", "CAN",
             "AUS", "IDN", "AFG", "LBN", "YEM", "QAT", "ARE", "KWT", "LBY", "SDN", "SOM", "MLI"]
SECTORS = ["GOV", "MIL", "", "COP", "REB", "BUS", "JRN", "LEG"]
CODES = [("010", 1, 0.0), ("036", 1, 4.0), ("040", 1, 1.0), ("042", 1, 1.9), ("051", 1, 3.4), ("057", 1, 8.0),
         ("061", 2, 6.4), ("070", 2, 7.0), ("0874", 2, 9.0), ("111", 3, -2.0), ("112", 3, -2.0),
         ("130", 3, -4.4), ("141", 3, -6.5), ("163", 4, -8.0), ("173", 4, -5.0), ("190", 4, -10.0),
         ("193", 4, -10.0), ("195", 4, -10.0)]


def generate(path: Path, rows: int, seed: float = 0.42) -> None:
    """Write ``rows`` GDELT-format events to ``path`` with DuckDB (fast, reproducible)."""
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed})")
    countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    sectors = "[" + ", ".join(f"'{s}'" for s in SECTORS) + "]"
    codes = "[" + ", ".join(f"'{c}'" for c, _, _ in CODES) + "]"
    quads = "[" + ", ".join(str(q) for _, q, _ in CODES) + "]"
    golds = "[" + ", ".join(str(g) for _, _, g in CODES) + "]"
    exprs = {c: "''" for c in GDELT_COLUMNS}
    exprs.update({
        "GLOBALEVENTID": "(800000000 + i)::VARCHAR",
        "SQLDATE": "strftime(d, '%Y%m%d')", "MonthYear": "strftime(d, '%Y%m')", "Year": "strftime(d, '%Y')",
        "FractionDate": "round(year(d) + dayofyear(d) / 365.0, 4)::VARCHAR",
        "Actor1Code": "a1 || s1", "Actor1Name": "a1", "Actor1CountryCode": "a1", "Actor1Type1Code": "s1",
        "Actor2Code": "a2 || s2", "Actor2Name": "a2", "Actor2CountryCode": "a2", "Actor2Type1Code": "s2",
        "IsRootEvent": "'1'", "EventCode": "code", "EventBaseCode": "substr(code, 1, 3)",
        "EventRootCode": "substr(code, 1, 2)", "QuadClass": "quad::VARCHAR", "GoldsteinScale": "gold::VARCHAR",
        "NumMentions": "(1 + (random() * 9)::INT)::VARCHAR", "NumSources": "'1'", "NumArticles": "'1'",
        "AvgTone": "round(random() * 10 - 5, 2)::VARCHAR", "DATEADDED": "strftime(d, '%Y%m%d') || '000000'",
        "SOURCEURL": "'https://news.example.org/' || i::VARCHAR",
    })
    select = ", ".join(f"{e} AS {c}" for c, e in exprs.items())
    con.execute(f"""
        COPY (
          WITH base AS (
            SELECT i, DATE '2012-01-01' + (random() * 3650)::INT AS d,
                   {countries}[1 + (random() * {len(COUNTRIES) - 1})::INT] AS a1,
                   {countries}[1 + (random() * {len(COUNTRIES) - 1})::INT] AS a2,
                   {sectors}[1 + (random() * {len(SECTORS) - 1})::INT] AS s1,
                   {sectors}[1 + (random() * {len(SECTORS) - 1})::INT] AS s2,
                   1 + (random() * {len(CODES) - 1})::INT AS k
            FROM range({rows}) t(i))
          SELECT {select} FROM (SELECT *, {codes}[k] AS code, {quads}[k] AS quad, {golds}[k] AS gold FROM base)
        ) TO '{path}' (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '')""")
    con.close()


def measure(work: Path, rows: int) -> tuple[float, float, int]:
    data = work / f"gdelt-{rows}.export.CSV"
    db = work / f"gdelt-{rows}.duckdb"
    for p in (data, db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    t = time.perf_counter()
    generate(data, rows)
    print(f"{rows:,} rows generated in {time.perf_counter() - t:.1f} s ({data.stat().st_size / 1e6:,.0f} MB)")
    store = Store(db)
    t = time.perf_counter()
    report = store.import_file(data, "gdelt")
    import_s = time.perf_counter() - t
    print(f"imported {report.rows:,} events in {import_s:.1f} s ({report.not_plover:,} CAMEO statements with no "
          f"PLOVER type left out, {report.rejected} rejected)")
    times = []
    series = None
    for _ in range(5):
        t = time.perf_counter()
        series = Store(db, create=False).dyad_series("IRQ", "RUS", freq="month")
        times.append(time.perf_counter() - t)
    assert series is not None and int(series.events.sum()) > 0
    print(f"dyad series IRQ-RUS by month: {len(series)} months, {int(series.events.sum()):,} events; "
          f"median {statistics.median(times) * 1000:.0f} ms (runs: {', '.join(f'{x * 1000:.0f}' for x in times)})")
    data.unlink()
    return statistics.median(times), report.rows / import_s, report.rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--small", type=int, default=1_000_000)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="realpolitik-import-"))
    work.mkdir(parents=True, exist_ok=True)
    q_small, _, _ = measure(work, args.small)
    q_large, rate, n = measure(work, args.rows)
    print(f"query_s_large={q_large:.3f} query_s_small={q_small:.3f} import_rows_per_s={rate:.0f} rows_large={n}")


if __name__ == "__main__":
    main()
