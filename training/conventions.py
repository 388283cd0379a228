"""Bring corpus rows in line with the project's coding conventions.

    python training/conventions.py training/corpus/*.jsonl   # rewrites the files in place

The first corpus files were written before some conventions were settled. This script
applies them, so that every row follows docs/conventions.md:

* imposing sanctions, embargoes or tariffs is COERCE (mode restrict), as the published
  CAMEO-to-PLOVER conversion codes CAMEO 163;
* a court's verdict is ACCUSE (CAMEO 116); a prison sentence is COERCE (arrest);
* apologies are SUPPORT (CAMEO 055);
* "X hosted Y": the host is the source and the guest the target (CAMEO 043), with no mode;
* calling for an investigation, or for sanctions, is ACCUSE.

It prints how many rows it changed and is idempotent.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SANCTION_WORDS = re.compile(r"sanction|embargo|tariff|dut(y|ies)|restrictive measures|export controls|"
                            r"visa restrictions|entity list|blacklist", re.I)
SENTENCE_WORDS = re.compile(r"sentenc|jail|prison|term\b", re.I)
VERDICT_WORDS = re.compile(r"convict|guilty|verdict", re.I)
HOST_WORDS = re.compile(r"^(host|hosted|hosting|hosts|received|receives|welcomed|welcomes)$", re.I)
CALL_INQUIRY = re.compile(r"\b(call(ed|s|ing)?|demand(ed|s|ing)?|urg(ed|es|ing)?)\b[^.]{0,40}\b"
                          r"(investigation|inquiry|probe)\b", re.I)
CALL_SANCTIONS = re.compile(r"\b(call(ed|s|ing)? for|demand(ed|s|ing)?)\b[^.]{0,30}\bsanctions\b", re.I)


def convert(row: dict) -> dict:
    t, trig, text = row.get("type"), (row.get("trigger") or ""), row.get("text", "")
    r = dict(row)
    if t == "SANCTION" and (SANCTION_WORDS.search(trig) or (row.get("mode") is None and SANCTION_WORDS.search(text))):
        r["type"], r["mode"] = "COERCE", "restrict"
    elif t == "SANCTION" and row.get("mode") == "convict":
        if SENTENCE_WORDS.search(trig):
            r["type"], r["mode"] = "COERCE", "arrest"
        else:
            r["type"], r["mode"] = "ACCUSE", "disapprove"
    elif t == "CONCEDE" and re.search(r"apolog", trig, re.I):
        r["type"], r["mode"] = "SUPPORT", None
    elif t == "CONSULT" and HOST_WORDS.match(trig.strip()):
        text_l = text.lower()
        src, tgt = row.get("source"), row.get("target")
        if src and tgt and text_l.find(tgt.lower()) < text_l.find(trig.lower()) < text_l.find(src.lower()):
            r["source"], r["target"] = tgt, src  # the host (before the verb) is the source
        r["mode"] = None
    elif t == "REQUEST" and CALL_INQUIRY.search(text):
        r["type"], r["mode"] = "ACCUSE", "investigate"
    elif t == "REQUEST" and CALL_SANCTIONS.search(text):
        r["type"], r["mode"] = "ACCUSE", "disapprove"
    return r


def main(paths: list[str]) -> None:
    changed = 0
    for p in paths:
        path = Path(p)
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        new = [convert(r) for r in rows]
        changed += sum(1 for a, b in zip(rows, new, strict=True) if a != b)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in new), encoding="utf-8")
    print(f"{changed} rows changed")


if __name__ == "__main__":
    main(sys.argv[1:])
