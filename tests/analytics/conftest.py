"""A store with a planted shift: IRQ-RUS cooperate in 2017 and clash in 2018; other pairs stay."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from realpolitik.store import Store

CODES = {"coop": ["036", "042", "057", "061"], "conflict": ["112", "130", "173", "190"]}


def _row(i: int, day: dt.date, a: str, b: str, code: str) -> str:
    f = [""] * 61
    f[0], f[1] = str(700000 + i), day.strftime("%Y%m%d")
    f[5], f[7], f[15], f[17] = a, a, b, b
    f[26], f[27], f[28] = code, code[:3], code[:2]
    f[31] = "1"
    return "\t".join(f)


@pytest.fixture()
def planted(tmp_path):
    """2017: IRQ-RUS cooperate; 2018: they clash. TUR-SYR clash and IRN-IRQ cooperate in both years."""
    rng = np.random.default_rng(5)
    rows, i = [], 0
    for year in (2017, 2018):
        for a, b, kind in (("IRQ", "RUS", "coop" if year == 2017 else "conflict"), ("TUR", "SYR", "conflict"),
                           ("IRN", "IRQ", "coop")):
            for _ in range(25):
                day = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
                x, y = (a, b) if rng.random() < 0.5 else (b, a)
                rows.append(_row(i, day, x, y, str(rng.choice(CODES[kind]))))
                i += 1
    f = tmp_path / "planted.export.CSV"
    f.write_text("\n".join(rows) + "\n")
    s = Store(tmp_path / "s.duckdb")
    assert s.import_file(f).rows == len(rows)
    return s
