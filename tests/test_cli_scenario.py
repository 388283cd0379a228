"""The ``scenario`` command: a thin door onto realpolitik.analytics.scenario."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from realpolitik.analytics.synthetic import planted_withdrawal, withdrawal_store
from realpolitik.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A store file of events generated from a world where LBN hangs on its tie with GBR."""
    case = planted_withdrawal(np.random.default_rng(4), kind="remove")
    path = tmp_path_factory.mktemp("scenario") / "world.duckdb"
    withdrawal_store(case, np.random.default_rng(4), db=path).db.close()
    return case, path


def test_scenario_prints_the_moves_and_the_assumptions(world, tmp_path):
    case, db = world
    patron, client = case.pair
    out_json, out_png = tmp_path / "sc.json", tmp_path / "sc.png"
    result = runner.invoke(app, ["scenario", "--remove", f"{patron}:{client}", "--draws", "20", "--seed", "2",
                                 "--json", str(out_json), "--plot", str(out_png), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"{patron}-{client} removed" in result.output
    assert "2019-" in result.output  # the window is named
    lines = [line for line in result.output.splitlines() if line.startswith(f"│ {client} ")]
    assert lines and "yes" in lines[0]
    assert "Assumptions" in result.output and "not a forecast" in result.output
    data = json.loads(out_json.read_text())
    assert client in data["movers"] and data["draws"] == 20
    assert out_png.stat().st_size > 20_000


@pytest.mark.parametrize(("args", "words"), [
    (["--remove", "GBR:ZZZ"], "ZZZ has no tie"),
    (["--remove", "GBR"], "not a pair"),
    ([], "--remove X:Y"),
])
def test_scenario_errors_are_messages_not_tracebacks(world, args, words):
    _, db = world
    result = runner.invoke(app, ["scenario", *args, "--draws", "2", "--db", str(db)])
    assert result.exit_code == 2
    assert words in " ".join(result.output.split())
    assert "Traceback" not in result.output
