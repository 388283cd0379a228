"""The documentation covers every command, option, setting and output field, and the
examples in docstrings run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import click
import pytest
import typer.main

import realpolitik
from realpolitik.cli import app
from realpolitik.config import Settings
from realpolitik.model import Actor, Event, Place, Trigger

from .conftest import ROOT

DOCS = ROOT / "docs"


def _commands(group: click.Group, prefix: str = ""):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", cmd


CLICK = typer.main.get_command(app)
COMMANDS = list(_commands(CLICK))


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_and_option_is_documented(name, cmd):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"`realpolitik {name}" in text, f"command {name!r} missing from docs/cli.md"
    for p in cmd.params:
        if isinstance(p, click.Option):
            assert any(f"`{o}" in text for o in p.opts), f"option {p.opts} of {name} missing from docs/cli.md"


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_documented(name):
    assert f"`{name}`" in (DOCS / "settings.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("model", "name"), [(m, n) for m in (Event, Actor, Place, Trigger)
                                              for n in m.model_fields])
def test_every_output_field_is_documented(model, name):
    text = (DOCS / "events.md").read_text(encoding="utf-8")
    assert re.search(rf"`{name}`", text), f"{model.__name__}.{name} missing from docs/events.md"


MODULES = sorted(m.name for m in pkgutil.walk_packages(realpolitik.__path__, "realpolitik."))


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module, coder):
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {module}"


def test_readme_links_exist():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\(([^)#]+)\)", text):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), link


@pytest.mark.slow
def test_readme_sample_is_real_output(coder):
    """The table at the top of the README is what the coder gives for examples/sample.txt."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [[c.strip() for c in line.strip("│").split("│")] for line in readme.splitlines()
            if line.startswith("│ examples/sample.txt")]
    assert len(rows) >= 3
    text = (ROOT / "examples" / "sample.txt").read_text(encoding="utf-8")
    events = coder.code(text, date="2019-01-10")
    got = [(str(e.sentence_index), e.event_type, e.mode or "", e.source.code if e.source else "",
            e.target.code if e.target else "", e.modality, e.trigger.text) for e in events]
    shown = [(r[1], r[2], r[3], r[4].split(" ")[0], r[5].split(" ")[0], r[7], r[9]) for r in rows]
    assert shown == got
