"""Pin the coder's behaviour: write its events for fixed inputs, and compare a later run field by field.

Usage::

    python scripts/pin_events.py write [--out .pin/events.jsonl] [--extra FILE ...]
    python scripts/pin_events.py check [--against .pin/events.jsonl] [--ignore rule] [--extra FILE ...]

The inputs are the example corpus, ``examples/sample.txt``, the golden files
(``tests/golden/*.yaml``), ``training/corpus`` and the founding document
(``../shared/seed``, dated 2019-01-10). ``--extra`` adds gold files (PLV TSV or PLOVER
records, read by :func:`realpolitik.evaluation.read_gold`) or folders of ``.txt`` articles;
they are coded on this machine only and their events are never committed (the pin file
lives under the git-ignored ``.pin/``).

``check`` codes the same inputs again and prints every difference: a document whose events
differ in number, or an event whose field differs (fields compared as JSON, every field
except those given with ``--ignore``). Exit status 1 when anything differs. Rule work that
changes behaviour on purpose refreshes the pin with ``write``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_e03869ec10ecd5aa.txt"


def _documents(extra: list[str]) -> Iterator[tuple[str, str, str | None]]:
    """(key, text, date) of every pinned input, in a fixed order."""
    for line in (ROOT / "examples" / "corpus" / "dispatches.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            text = f"{r['title']}\n\n{r['text']}" if r.get("title") else r["text"]
            yield f"corpus:{r['id']}", text, r.get("date")
    yield "sample", (ROOT / "examples" / "sample.txt").read_text(encoding="utf-8"), "2019-01-10"
    for f in sorted((ROOT / "tests" / "golden").glob("*.yaml")):
        for i, case in enumerate(yaml.safe_load(f.read_text(encoding="utf-8")) or []):
            yield f"golden:{f.stem}:{i}", case["text"], str(case["date"])
    for f in sorted((ROOT / "training" / "corpus").glob("*.jsonl")):
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                yield f"train:{f.stem}:{i}", json.loads(line)["text"], None
    if SEED.exists():
        yield "seed", SEED.read_text(encoding="utf-8"), "2019-01-10"
    for path in extra:
        p = Path(path)
        if p.is_dir():
            for f in sorted(p.rglob("*.txt")):
                yield f"extra:{f.name}", f.read_text(encoding="utf-8"), f.name[:10] if f.name[:4].isdigit() else None
        else:
            from realpolitik.evaluation import read_gold

            for g in read_gold(p):
                yield f"extra:{p.name}:{g.id}", g.text, None


def _code(extra: list[str]) -> dict[str, list[dict]]:
    from realpolitik import Coder, Document

    coder = Coder.shared()
    docs = list(_documents(extra))
    keyed = {f"k{i}": key for i, (key, _t, _d) in enumerate(docs)}
    out: dict[str, list[dict]] = {}
    stream = (Document(id=f"k{i}", text=text, date=date) for i, (_k, text, date) in enumerate(docs))
    for result in coder.pipe(stream):
        out[keyed[result.document.id]] = [e.model_dump(mode="json") for e in result.events]
    return out


def _write(path: Path, coded: dict[str, list[dict]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for key, events in coded.items():
            f.write(json.dumps({"key": key, "events": events}, ensure_ascii=False, sort_keys=True) + "\n")


def _read(path: Path) -> dict[str, list[dict]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out[r["key"]] = r["events"]
    return out


def _compare(old: dict[str, list[dict]], new: dict[str, list[dict]], ignore: set[str]) -> list[str]:
    problems: list[str] = []
    for key in old.keys() | new.keys():
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            problems.append(f"{key}: only in the {'new' if a is None else 'pinned'} run")
            continue
        if len(a) != len(b):
            problems.append(f"{key}: {len(a)} events pinned, {len(b)} now: "
                            f"{[(e['event_type'], e['trigger']['text']) for e in a]} -> "
                            f"{[(e['event_type'], e['trigger']['text']) for e in b]}")
            continue
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            for field in sorted(x.keys() | y.keys()):
                if field in ignore or x.get(field) == y.get(field):
                    continue
                problems.append(f"{key} event {k} {field}: {json.dumps(x.get(field))[:300]} -> "
                                f"{json.dumps(y.get(field))[:300]}")
    return sorted(problems)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=("write", "check"))
    ap.add_argument("--out", "--against", dest="path", default=str(ROOT / ".pin" / "events.jsonl"))
    ap.add_argument("--ignore", action="append", default=[], help="a field not to compare (repeatable)")
    ap.add_argument("--extra", action="append", default=[], help="a gold file or folder of .txt articles")
    args = ap.parse_args(argv)
    coded = _code(args.extra)
    path = Path(args.path)
    if args.action == "write":
        _write(path, coded)
        print(f"pinned {sum(len(v) for v in coded.values())} events of {len(coded)} inputs in {path}")
        return 0
    problems = _compare(_read(path), coded, set(args.ignore))
    for p in problems:
        print(p)
    n = sum(len(v) for v in coded.values())
    print(f"{len(problems)} differences over {n} events of {len(coded)} inputs")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
