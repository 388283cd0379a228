"""How well the lexicon covers the CAMEO codebook, measured on labelled sentences.

A codebook case is a sentence written for one CAMEO code::

    - {cameo: "0233", date: 2023-02-09, text: "Syria's government asked the UN for emergency food aid.",
       source: SYR}

The case is *covered* when the coder finds an event of the PLOVER type the code maps to
(and its mode, where the code maps one), with the given source and target when the case
names them, and the given modality when it names one. A code is covered when at least
``need`` of its cases are. The report also says how often the event's own ``cameo`` field
is the case's code, or at least in its three-digit family.

Run it as ``python -m realpolitik.lexicon.coverage tests/golden/codebook`` (``--help``).

Example::

    >>> from realpolitik.lexicon.coverage import actor_matches
    >>> actor_matches("IRQ", None)
    False
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..ontology import Ontology, load_ontology

__all__ = ["CodebookCase", "CodeCoverage", "read_cases", "actor_matches", "case_covered", "coverage", "coverage_settings",
           "main"]


@dataclass(frozen=True, slots=True)
class CodebookCase:
    """One sentence written for one CAMEO code."""

    cameo: str
    text: str
    date: dt.date
    source: str | None = None
    target: str | None = None
    modality: str | None = None
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class CodeCoverage:
    """What the coder made of one code's cases."""

    code: str
    label: str
    plover: str
    cases: int
    covered: int
    cameo_exact: int
    cameo_family: int
    misses: tuple[str, ...]


def read_cases(paths: Iterable[str | Path]) -> list[CodebookCase]:
    """The cases of YAML files (or of every ``*.yaml`` in a folder)."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    out: list[CodebookCase] = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
            raw = yaml.safe_load(text) or []
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{f}: cannot be read as UTF-8 text: {exc}") from None
        except yaml.YAMLError as exc:
            raise InputError(f"{f}: not valid YAML: {exc}") from None
        except ValueError as exc:  # a YAML date out of range ("2020-13-45")
            raise InputError(f"{f}: a value is not a date (YYYY-MM-DD): {exc}") from None
        if not isinstance(raw, list):
            raise InputError(f"{f}: a codebook file is a list of cases")
        lines = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.startswith("- ")]
        for k, item in enumerate(raw):
            line = lines[k] if k < len(lines) else 0
            if not isinstance(item, dict) or not {"cameo", "text", "date"} <= item.keys():
                raise InputError(f"{f}:{line}: a case needs cameo, text and date")
            try:
                date = item["date"] if isinstance(item["date"], dt.date) else dt.date.fromisoformat(str(item["date"]))
            except ValueError:
                raise InputError(f"{f}:{line}: {item['date']!r} is not a date (YYYY-MM-DD)") from None
            out.append(CodebookCase(str(item["cameo"]), str(item["text"]), date, item.get("source"),
                                    item.get("target"), item.get("modality"), str(f), line))
    return out


def actor_matches(expected: str, actor: Any) -> bool:
    """An expected actor key ('IRQ', 'ISIS', 'RUS+IRN') against an Actor record."""
    if actor is None:
        return False
    parts = expected.split("+")
    if len(parts) > 1:
        members = actor.members or (actor,)
        return len(members) == len(parts) and all(
            any(p in (m.country, m.code) for m in members) for p in parts)
    return expected in (actor.country, actor.code) or (
        bool(actor.members) and any(expected in (m.country, m.code) for m in actor.members))


def case_covered(case: CodebookCase, events: Sequence[Any], onto: Ontology) -> Any:
    """The first event that covers the case, or None: an act, or one of its dyads."""
    etype, mode = onto.plover_for(case.cameo)
    for e in (x for act in events for x in (act, *(act.each_dyad() if act.dyads else ()))):
        if e.event_type != etype or (mode is not None and e.mode != mode):
            continue
        if case.source and not actor_matches(case.source, e.source):
            continue
        if case.target and not actor_matches(case.target, e.target):
            continue
        if case.modality and e.modality != case.modality:
            continue
        return e
    return None


def coverage(cases: Sequence[CodebookCase], coded: Sequence[Sequence[Any]],
             onto: Ontology | None = None) -> list[CodeCoverage]:
    """Per mapped CAMEO code, its cases and how many the coder covered (codes without cases too)."""
    onto = onto or load_ontology()
    by_code: dict[str, list[tuple[CodebookCase, Any]]] = {}
    for case, events in zip(cases, coded, strict=True):
        if case.cameo not in onto.cameo:
            raise InputError(f"{case.file}:{case.line}: unknown CAMEO code {case.cameo!r}")
        by_code.setdefault(case.cameo, []).append((case, case_covered(case, events, onto)))
    out = []
    for code, c in sorted(onto.cameo.items()):
        etype, mode = onto.plover_for(code)
        if etype is None or c.code != code:
            continue
        rows = by_code.get(code, [])
        hits = [e for _, e in rows if e is not None]
        out.append(CodeCoverage(
            code, c.label, f"{etype}/{mode}" if mode else etype, len(rows), len(hits),
            sum(e.cameo == code for e in hits), sum((e.cameo or "")[:3] == code[:3] for e in hits),
            tuple(f"{case.file}:{case.line}" for case, e in rows if e is None)))
    return out


def coverage_settings() -> Any:
    """The coder's settings for coverage: what the lexicon recognises, so acts whose doer or
    addressee the sentence leaves unknown, or that it tells as not (yet) done, are kept (the
    default output drops them)."""
    from ..config import Settings

    return Settings.scoring()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m realpolitik.lexicon.coverage",
                                 description="List the CAMEO codes the lexicon does not cover.")
    ap.add_argument("paths", nargs="+", help="codebook case files, or folders of them")
    ap.add_argument("--need", type=int, default=3, help="covered cases a code needs (default 3)")
    ap.add_argument("--all", action="store_true", help="list every code, not only those short of cover")
    ap.add_argument("--misses", action="store_true", help="list the file:line of each case not covered")
    args = ap.parse_args(argv)
    from ..coder import Coder

    try:
        cases = read_cases(args.paths)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    coder = Coder.shared(coverage_settings())
    coded = [list(c.events) for c in coder.pipe((case.text, case.date) for case in cases)]
    rows = coverage(cases, coded)
    short = [r for r in rows if r.covered < args.need]
    print(f"{'code':<6} {'cases':>5} {'covered':>7} {'exact':>5} {'family':>6}  type  label")
    for r in rows if args.all else short:
        print(f"{r.code:<6} {r.cases:>5} {r.covered:>7} {r.cameo_exact:>5} {r.cameo_family:>6}  {r.plover}  {r.label}")
        if args.misses:
            for m in r.misses:
                print(f"{'':8}{m}")
    hits = sum(r.covered for r in rows)
    print(f"codes={len(rows)} covered_codes={len(rows) - len(short)} short={len(short)} cases={len(cases)} "
          f"cases_covered={hits} cameo_exact={sum(r.cameo_exact for r in rows)} "
          f"cameo_family={sum(r.cameo_family for r in rows)}")
    return 1 if short else 0  # 2: the cases could not be read


if __name__ == "__main__":
    sys.exit(main())
