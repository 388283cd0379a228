"""How the rules alone code the project's own labelled corpus: a tool for lexicon work.

    python scripts/corpus_rules.py                       # accuracy and the commonest confusions
    python scripts/corpus_rules.py --type AID --show 40  # misses of one gold type, with triggers
    python scripts/corpus_rules.py --out misses.json     # every miss, for study

The corpus (training/corpus/*.jsonl) is written by the project; the evaluation sets are not
used here. The top event of each sentence (highest confidence) is compared with the label.
"""

from __future__ import annotations

import argparse
import glob
import json
from collections import Counter
from pathlib import Path

from realpolitik import Coder, Settings

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", default=sorted(glob.glob(str(ROOT / "training/corpus/*.jsonl"))))
    ap.add_argument("--type", help="show misses of this gold type (or NONE)")
    ap.add_argument("--predicted", help="only misses coded as this type (or NONE)")
    ap.add_argument("--show", type=int, default=0, help="how many misses to print")
    ap.add_argument("--out", help="write every miss to this JSON file")
    args = ap.parse_args()
    rows = [json.loads(line) for f in args.files for line in Path(f).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    coder = Coder(Settings(require_actor=False, use_model=False, check_language=False))
    misses, confusion, right = [], Counter(), Counter()
    for row, coded in zip(rows, coder.pipe([r["text"] for r in rows]), strict=True):
        top = max(coded.events, key=lambda e: e.confidence) if coded.events else None
        got = top.event_type if top else "NONE"
        if got == row["type"]:
            right[got] += 1
            continue
        confusion[(row["type"], got)] += 1
        misses.append({"gold": row["type"], "predicted": got, "text": row["text"], "trigger": row.get("trigger"),
                       "coded_trigger": top.trigger.text if top else None, "rule": top.rule if top else None})
    total = len(rows)
    print(f"{total} sentences; rules' top event right on {sum(right.values())} ({sum(right.values()) / total:.3f})")
    for (g, p), n in confusion.most_common(25):
        print(f"  {g:>9} -> {p:<9} {n}")
    shown = [m for m in misses if (not args.type or m["gold"] == args.type)
             and (not args.predicted or m["predicted"] == args.predicted)]
    for m in shown[:args.show]:
        print(f"{m['gold']} -> {m['predicted']} | {m['trigger']!r} (coded {m['coded_trigger']!r}, {m['rule']}) | {m['text']}")
    if args.out:
        Path(args.out).write_text(json.dumps(misses, indent=1), encoding="utf-8")
    print(f"accuracy={sum(right.values()) / total:.4f} misses={len(misses)}")


if __name__ == "__main__":
    main()
