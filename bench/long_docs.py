"""Cost of one long document against the same text split into short documents, in the same run.

    python bench/long_docs.py [--sizes 100,1000,10000] [--workdir DIR]

For each size (in kilobytes of text) the example corpus (plus the seed article, when it is
beside the repository) is repeated until the text reaches that size. The text is then coded
twice, each time in a fresh process so that peak memory is that of one case alone:

- ``one``: the whole text as one document;
- ``split``: the same text as the short documents it was built from (the baseline).

Each case reports its wall time, its processor time (steadier on a busy machine) and the
peak resident memory of its process (which includes the English model, about the same in
both). The same act told again in one document is coded once (setting ``once``), so the long
document has fewer events than the short ones: the corpus repeats. The last line is the
headline, for each size::

    <size>k_time_ratio=<one / split> <size>k_cpu_ratio=... <size>k_peak_mb=<one> <size>k_split_peak_mb=<split> ...
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _texts(kb: int) -> list[str]:
    """Short documents, repeated in order until their joined text has ``kb`` kilobytes."""
    base = [json.loads(line)["text"] for line in
            (ROOT / "examples" / "corpus" / "dispatches.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    seed = ROOT.parent / "shared" / "seed" / "000_e03869ec10ecd5aa.txt"
    if seed.exists():
        base.append(seed.read_text(encoding="utf-8"))
    out: list[str] = []
    size = 0
    while size < kb * 1000:
        for text in base:
            out.append(text)
            size += len(text) + 2
            if size >= kb * 1000:
                break
    return out


def child(case: str, kb: int) -> None:
    from realpolitik import Coder, Document

    texts = _texts(kb)
    coder = Coder()
    list(coder.pipe([Document(id="warm", text=texts[0], date="2019-10-20")]))  # load every table
    if case == "one":
        docs = [Document(id="long", text="\n\n".join(texts), date="2019-10-20")]
    else:
        docs = [Document(id=f"d{k}", text=t, date="2019-10-20") for k, t in enumerate(texts)]
    start, cpu = time.perf_counter(), time.process_time()
    events = sum(len(c.events) for c in coder.pipe(docs))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": case, "kb": kb, "seconds": seconds, "cpu": cpu, "peak_mb": peak, "events": events}))


def run(case: str, kb: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", case, "--kb", str(kb)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="text sizes in kilobytes, comma-separated")
    ap.add_argument("--child", choices=["one", "split"], help=argparse.SUPPRESS)
    ap.add_argument("--kb", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.kb)
        return
    head: list[str] = []
    for kb in (int(s) for s in args.sizes.split(",")):
        split = run("split", kb)
        one = run("one", kb)
        ratio, cpu = one["seconds"] / split["seconds"], one["cpu"] / split["cpu"]
        print(f"{kb:>6} KB  one: {one['seconds']:8.1f} s {one['peak_mb']:7.0f} MB {one['events']:7} events   "
              f"split: {split['seconds']:8.1f} s {split['peak_mb']:7.0f} MB {split['events']:7} events   "
              f"time ratio {ratio:.2f} (processor time {cpu:.2f})", flush=True)
        head += [f"{kb}k_time_ratio={ratio:.3f}", f"{kb}k_cpu_ratio={cpu:.3f}", f"{kb}k_peak_mb={one['peak_mb']:.0f}",
                 f"{kb}k_split_peak_mb={split['peak_mb']:.0f}", f"{kb}k_events_ratio={one['events'] / max(1, split['events']):.3f}"]
    print(" ".join(head))


if __name__ == "__main__":
    main()
