"""A wrongly shaped actor file is an ActorFileError naming the file and the line or entry, and
`realpolitik actors check` exits 2 on it without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from realpolitik.actors import load_actor_dictionary
from realpolitik.actors.dictionary import read_actor_file
from realpolitik.cli import app
from realpolitik.errors import ActorFileError

runner = CliRunner()

# file content, and what the message must say (where, and what is wrong)
SHAPES = {
    "a list of names": (b"- Ruritania\n- Freedonia\n", ["line 1", "list"]),
    "a mapping of mappings": (b"countries:\n  RUR:\n    name: Ruritania\n", ["line 2", "countries", "list"]),
    "a number": (b"42\n", ["line 1", "number"]),
    "a section that is a number": (b"people: []\ncountries: 5\n", ["line 2", "countries"]),
    "a section that is text": (b"organizations: many\n", ["line 1", "organizations"]),
    "sectors as a list": (b"sectors:\n  - GOV\n", ["line 2", "sectors"]),
    "sector words as a number": (b"sectors:\n  GOV: 5\n", ["line 2", "sectors.GOV"]),
    "actor heads as a number": (b"actor_heads: 7\n", ["line 1", "actor_heads"]),
    "binary": (bytes(range(256)) * 4, ["binary"]),
    "not UTF-8": ("countries:\n  - code: RUR\n    name: Rüritania\n".encode("latin-1"), ["UTF-8"]),
    "empty": (b"", ["empty"]),
    "only a comment": (b"# my actors, to come\n", ["empty"]),
}


@pytest.mark.parametrize("case", list(SHAPES))
def test_a_wrongly_shaped_file_is_an_actor_file_error(tmp_path: Path, case):
    content, says = SHAPES[case]
    f = tmp_path / "mine.yaml"
    f.write_bytes(content)
    with pytest.raises(ActorFileError) as caught:
        read_actor_file(f)
    assert str(f) in str(caught.value)
    for word in says:
        assert word in str(caught.value), str(caught.value)
    with pytest.raises(ActorFileError):
        load_actor_dictionary([f])


@pytest.mark.parametrize("case", list(SHAPES))
def test_actors_check_exits_2_on_a_wrongly_shaped_file(tmp_path: Path, case):
    f = tmp_path / "mine.yaml"
    f.write_bytes(SHAPES[case][0])
    result = runner.invoke(app, ["actors", "check", str(f)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "mine.yaml" in result.stderr


@pytest.mark.parametrize(("content", "code"), [
    ("countries:\n  - [a, b]\n", 1),  # an entry that is not a mapping: a problem of that entry
    ("organizations:\n  - {id: NLF3, name: Some Front, kind: armed_group, country: QQQ, sector: REB}\n", 1),
    ("organizations:\n  - {id: NLF3, name: Some Front, kind: armed_group, country: SYR, sector: REB}\n", 0),
])
def test_entry_problems_still_exit_1_and_good_files_0(tmp_path: Path, content, code):
    f = tmp_path / "mine.yaml"
    f.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["actors", "check", str(f)])
    assert result.exit_code == code, result.output
