"""`realpolitik shifts` without --from/--to compares the report's windows, and says which."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from realpolitik.analytics.report import build_report
from realpolitik.analytics.shifts import default_windows
from realpolitik.cli import app
from realpolitik.store import Store


@pytest.mark.parametrize("args", [["--actor", "IRQ"], [], ["--actor", "RUS", "--min-events", "2"]])
def test_shifts_without_windows_uses_the_report_halves(planted, args):
    (earlier, later), n = default_windows(planted)
    assert n > 0 and earlier[1] < later[0] and build_report(planted).halves == (earlier, later)
    result = CliRunner().invoke(app, ["shifts", "--db", planted.path, *args])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"windows: {earlier[0]} to {earlier[1]} against {later[0]} to {later[1]}")
    assert "IRQ" in result.output


@pytest.mark.parametrize("args", [["--from", "2018-01-01"], ["--to", "2018-12-31"]])
def test_one_end_of_a_window_alone_is_a_usage_error(planted, args):
    result = CliRunner().invoke(app, ["shifts", "--db", planted.path, *args])
    assert result.exit_code == 2 and "both --from and --to" in result.output


def test_an_empty_store_says_to_give_windows(tmp_path):
    Store(tmp_path / "empty.duckdb").db.close()
    result = CliRunner().invoke(app, ["shifts", "--db", str(tmp_path / "empty.duckdb")])
    assert result.exit_code == 2 and "--from and --to" in result.output
