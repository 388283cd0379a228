"""Ingest throughput against Coder.pipe alone on the same documents, and ingest's peak memory
as the corpus doubles.

    python bench/ingest.py [--docs 20000] [--workdir DIR]

Generates ``--docs`` short news documents (two to four sentences each, built from the
project's own templates with many actors, numbers and days so that no two are the same),
writes them as JSON lines, then runs three fresh processes one after another:

1. ``Coder.pipe`` over the documents held in memory (the baseline: parsing and coding only);
2. ``realpolitik ingest``'s library call on the JSONL file into a new DuckDB store (reading,
   hashing, near-duplicate search, coding, writing, all included);
3. the same ingest on the first half of the file, for the peak memory of half the corpus;
4. ``Coder.pipe`` on the first half, for the baseline's own peak memory at half size (the
   parser's vocabulary grows with every new word it sees, with or without a store).

Model loading is left out of every timing. Peak memory is the process's high-water mark of
resident memory (VmHWM). The last line is the headline:

    ratio=<ingest docs/s / pipe docs/s> ingest_docs_per_s=... pipe_docs_per_s=... peak_mb_half=... peak_mb_full=...
    memory_growth=<full / half> store_mb_half=<ingest peak - pipe peak, half> store_mb_full=<same, full>
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = [
    ("Iraq", "Iraqi", "Baghdad"), ("Russia", "Russian", "Moscow"), ("Iran", "Iranian", "Tehran"),
    ("Turkey", "Turkish", "Ankara"), ("Syria", "Syrian", "Damascus"), ("the United States", "American", "Washington"),
    ("France", "French", "Paris"), ("Germany", "German", "Berlin"), ("China", "Chinese", "Beijing"),
    ("India", "Indian", "New Delhi"), ("Pakistan", "Pakistani", "Islamabad"), ("Egypt", "Egyptian", "Cairo"),
    ("Saudi Arabia", "Saudi", "Riyadh"), ("Israel", "Israeli", "Jerusalem"), ("Jordan", "Jordanian", "Amman"),
    ("Ukraine", "Ukrainian", "Kyiv"), ("Poland", "Polish", "Warsaw"), ("Japan", "Japanese", "Tokyo"),
    ("South Korea", "South Korean", "Seoul"), ("Brazil", "Brazilian", "Brasilia"), ("Nigeria", "Nigerian", "Abuja"),
    ("Kenya", "Kenyan", "Nairobi"), ("Ethiopia", "Ethiopian", "Addis Ababa"), ("Mexico", "Mexican", "Mexico City"),
]
TEMPLATES = [
    "{A} and {B} signed an agreement on {topic} in {capA} on {day}.",
    "The {adjA} foreign minister met his {adjB} counterpart in {capB} to discuss {topic}.",
    "{A} accused {B} of violating the border {n} times since {month}.",
    "{adjA} troops shelled positions near the border with {B} on {day}, killing {n} people.",
    "{A} announced {n} million dollars in aid for flood victims in {B}.",
    "{A} threatened to impose sanctions on {B} over its {topic} policy.",
    "Protesters marched outside the {adjB} embassy in {capA} on {day}.",
    "{A} called on {B} to withdraw its forces from the disputed area.",
    "{A} rejected a proposal from {B} on {topic}.",
    "{A} recalled its ambassador from {B} after the incident on {day}.",
    "The {adjA} president praised {B} for its help with {topic}.",
    "{A} deployed {n} additional soldiers along its frontier with {B}.",
    "{adjA} police arrested {n} {adjB} citizens accused of smuggling.",
    "{A} agreed to release {n} {adjB} prisoners under the deal.",
    "{A} expelled {n} {adjB} diplomats on {day}.",
    "Officials in {capA} said talks with {B} on {topic} would resume in {month}.",
]
TOPICS = ["energy", "trade", "security", "water rights", "refugees", "oil exports", "arms sales", "fishing",
          "grain shipments", "border crossings", "debt relief", "air defence", "counterterrorism", "nuclear talks"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def generate(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            (a, adj_a, cap_a), (b, adj_b, cap_b) = rng.sample(COUNTRIES, 2)
            s = rng.choice(TEMPLATES).format(
                A=a, B=b, adjA=adj_a, adjB=adj_b, capA=cap_a, capB=cap_b, topic=rng.choice(TOPICS),
                day=rng.choice(DAYS), month=rng.choice(MONTHS), n=rng.randint(2, 900))
            sentences.append(s[0].upper() + s[1:])
        date = f"20{rng.randint(10, 23):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        docs.append({"id": f"gen-{i}", "date": date, "text": " ".join(sentences) + f" (Report {i}.)"})
    return docs


def _hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, corpus: Path, limit: int, db: Path) -> None:
    from realpolitik import Coder, Document
    from realpolitik.store import Store

    coder = Coder.shared()
    list(coder.pipe(["Iraq and Russia signed an agreement on Tuesday."]))  # warm-up
    if mode == "pipe":
        lines = corpus.read_text(encoding="utf-8").splitlines()[:limit]
        docs = (Document(id=r["id"], text=r["text"], date=r["date"]) for r in map(json.loads, lines))
        t = time.perf_counter()
        events = sum(len(r.events) for r in coder.pipe(docs))
        seconds = time.perf_counter() - t
        n = len(lines)
    else:
        part = corpus
        if limit < 10**9:
            part = corpus.with_name(f"{corpus.stem}-{limit}.jsonl")
            part.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:limit]),
                            encoding="utf-8")
        store = Store(db)
        t = time.perf_counter()
        report = store.ingest([part])
        seconds = time.perf_counter() - t
        n, events = report.documents, report.events
    print(json.dumps({"mode": mode, "docs": n, "events": events, "seconds": seconds, "hwm_mb": _hwm_mb()}))


def run(mode: str, corpus: Path, limit: int, db: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--limit", str(limit),
                          "--db", str(db)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--child", choices=["pipe", "ingest"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=10**9, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.corpus, args.limit, args.db)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="realpolitik-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "generated.jsonl"
    docs = generate(args.docs)
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    for old in work.glob("*.duckdb*"):
        old.unlink()
    pipe = run("pipe", corpus, 10**9, work / "unused.duckdb")
    full = run("ingest", corpus, 10**9, work / "full.duckdb")
    half = run("ingest", corpus, args.docs // 2, work / "half.duckdb")
    pipe_half = run("pipe", corpus, args.docs // 2, work / "unused.duckdb")
    pipe_rate = pipe["docs"] / pipe["seconds"]
    ingest_rate = full["docs"] / full["seconds"]
    print(f"documents: {args.docs:,} generated; pipe coded {pipe['events']:,} events, ingest stored {full['events']:,}")
    print(f"Coder.pipe: {pipe['seconds']:.1f} s; ingest: {full['seconds']:.1f} s (half corpus: {half['seconds']:.1f} s)")
    print(f"peak memory (MB): Coder.pipe {pipe_half['hwm_mb']:.0f} (half) {pipe['hwm_mb']:.0f} (full); "
          f"ingest {half['hwm_mb']:.0f} (half) {full['hwm_mb']:.0f} (full)")
    print(f"ratio={ingest_rate / pipe_rate:.3f} ingest_docs_per_s={ingest_rate:.1f} pipe_docs_per_s={pipe_rate:.1f} "
          f"peak_mb_half={half['hwm_mb']:.0f} peak_mb_full={full['hwm_mb']:.0f} "
          f"memory_growth={full['hwm_mb'] / half['hwm_mb']:.3f} "
          f"store_mb_half={half['hwm_mb'] - pipe_half['hwm_mb']:.0f} store_mb_full={full['hwm_mb'] - pipe['hwm_mb']:.0f}")


if __name__ == "__main__":
    main()
