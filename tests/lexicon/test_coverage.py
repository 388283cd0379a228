"""The codebook coverage check: cases read from YAML, matched against the coder's events."""

from __future__ import annotations

import datetime as dt

import pytest

from realpolitik.errors import InputError
from realpolitik.lexicon.coverage import (
    CodebookCase,
    case_covered,
    coverage,
    coverage_settings,
    main,
    read_cases,
)
from realpolitik.ontology import load_ontology


def _case(code: str, **kw) -> CodebookCase:
    return CodebookCase(code, "text", dt.date(2020, 1, 1), **kw)


def test_read_cases_names_file_and_line(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text('- {cameo: "042", date: 2020-05-01, text: "A visit.", source: IRQ}\n- {cameo: "043", text: "x"}\n',
                 encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.yaml:2"):
        read_cases([tmp_path])
    f.write_text('- {cameo: "042", date: 2020-05-01, text: "A visit.", source: IRQ}\n', encoding="utf-8")
    (case,) = read_cases([f])
    assert case.cameo == "042" and case.source == "IRQ" and case.date == dt.date(2020, 5, 1) and case.line == 1


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe\x00binary", "UTF-8"),
    (b"- {cameo: \"042\", date: [unclosed", "not valid YAML"),
    (b"cameo: \"042\"\n", "list of cases"),
    (b'- {cameo: "042", date: 2020-13-45, text: "x"}\n', "not a date"),
])
def test_bad_case_files_are_named_with_what_is_wrong(tmp_path, capsys, content, message):
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_cases([f])
    assert main([str(f)]) == 2
    assert "bad.yaml" in capsys.readouterr().err


def test_empty_and_large_case_files(tmp_path):
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert read_cases([tmp_path / "empty.yaml"]) == []
    big = tmp_path / "big.yaml"
    big.write_text("".join(f'- {{cameo: "042", date: 2020-05-01, text: "Visit number {k}."}}\n'
                           for k in range(20_000)), encoding="utf-8")
    cases = read_cases([big])
    assert len(cases) == 20_000 and cases[-1].line == 20_000


def test_a_case_needs_the_codes_type_mode_and_parties(code):
    onto = load_ontology()
    events = code("The Iraqi prime minister visited Moscow on Tuesday.", date="2019-10-08")
    assert case_covered(_case("042", source="IRQ", target="RUS"), events, onto)
    assert not case_covered(_case("042", source="RUS"), events, onto)  # wrong source
    assert not case_covered(_case("041"), events, onto)  # CONSULT, but not by telephone
    assert not case_covered(_case("042", modality="negated"), events, onto)


def test_coverage_counts_per_code_and_lists_misses(code):
    cases = [_case("042", source="IRQ"), _case("042", source="SYR"), _case("190")]
    events = code("The Iraqi prime minister visited Moscow on Tuesday.", date="2019-10-08")
    rows = {r.code: r for r in coverage(cases, [events] * 3)}
    assert (rows["042"].cases, rows["042"].covered, rows["042"].cameo_exact) == (2, 1, 1)
    assert len(rows["042"].misses) == 1 and rows["190"].covered == 0
    assert "01" not in rows and "010" not in rows  # statements: PLOVER maps no type
    with pytest.raises(InputError, match="unknown CAMEO"):
        coverage([_case("999")], [[]])


def test_main_exits_one_while_codes_are_short(tmp_path, capsys):
    f = tmp_path / "c.yaml"
    f.write_text('- {cameo: "042", date: 2019-10-08, text: "The Iraqi prime minister visited Moscow.", '
                 'source: IRQ}\n', encoding="utf-8")
    assert main([str(f), "--need", "1"]) == 1  # every other code has no case
    out = capsys.readouterr().out
    listed = {line.split()[0] for line in out.splitlines()[1:-1]}
    assert "042" not in listed and "043" in listed and "cases_covered=1" in out


@pytest.mark.slow
def test_every_code_plover_maps_is_covered_by_three_golden_sentences():
    """The codebook golden files (tests/golden/codebook, our own sentences, at least four per
    code): every CAMEO code PLOVER maps must be coded right from at least three of them."""
    from realpolitik.coder import Coder

    from ..conftest import ROOT

    coder = Coder.shared(coverage_settings())
    cases = read_cases([ROOT / "tests" / "golden" / "codebook"])
    coded = [list(c.events) for c in coder.pipe((case.text, case.date) for case in cases)]
    rows = coverage(cases, coded)
    short = {r.code: (r.covered, r.misses) for r in rows if r.covered < 3}
    assert not short, f"codes short of cover: {short}"
    assert len(rows) == 301 and len(cases) >= 4 * len(rows)
