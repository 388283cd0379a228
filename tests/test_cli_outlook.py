"""The forecast, backtest and alerts commands on a generated store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from realpolitik.cli import app

from .analytics.outlook_data import build

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-outlook")
    build(path)
    return str(path / "outlook.duckdb")


def test_forecast_prints_writes_json_and_plot(db, tmp_path):
    out, png = tmp_path / "fc.json", tmp_path / "fc.png"
    result = runner.invoke(app, ["forecast", "IRQ", "RUS", "--db", db, "--horizon", "3", "--json", str(out),
                                 "--plot", str(png)])
    assert result.exit_code == 0, result.output
    assert "IRQ <-> RUS" in result.output and "note:" in result.output
    data = json.loads(out.read_text())
    assert data["horizon"] == 3 and len(data["frame"]) == 15 and png.stat().st_size > 1000


def test_forecast_of_an_unknown_actor_exits_2(db):
    result = runner.invoke(app, ["forecast", "IRQ", "XYZ", "--db", db])
    assert result.exit_code == 2 and "no events of actor 'XYZ'" in result.output


def test_backtest_and_alerts_answer(db, tmp_path):
    out = tmp_path / "bt.json"
    result = runner.invoke(app, ["backtest", "--db", db, "--horizons", "1,2", "--min-events", "10", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "local_level" in result.output and json.loads(out.read_text())["dyads"] == 5
    bad = runner.invoke(app, ["backtest", "--db", db, "--horizons", "one"])
    assert bad.exit_code == 2
    result = runner.invoke(app, ["alerts", "--db", db, "--min-events", "10", "--json", str(tmp_path / "al.json")])
    assert result.exit_code == 0, result.output
    assert "IRQ-USA" in result.output
    assert any(a["subject"] == "IRQ-USA" for a in json.loads((tmp_path / "al.json").read_text())["alerts"])
