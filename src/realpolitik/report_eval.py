"""Print an evaluation report as readable tables."""

from __future__ import annotations

from rich.console import Console

from .doceval import DocReport
from .evaluation import Report, confusion_table
from .render import text_table

__all__ = ["render_report", "render_doc_report"]


def render_report(console: Console, name: str, rep: Report, confusion: bool = True) -> None:
    """Headline scores, per-type table, confusion matrix and reliability curve of one run."""
    rows = [("top-1 event-type accuracy", f"{rep.top1_accuracy:.3f}"),
            ("macro F1 (event types)", f"{rep.macro_f1:.3f}"),
            ("quad-class accuracy", f"{rep.quad_accuracy:.3f}"),
            ("dyad recall", f"{rep.dyad_recall:.3f} ({rep.dyad_hits}/{rep.dyad_total})")]
    if rep.source_country_total:
        rows.append(("source country accuracy", f"{rep.source_country_accuracy:.3f} ({rep.source_country_total})"))
    if rep.target_country_total:
        rows.append(("target country accuracy", f"{rep.target_country_accuracy:.3f} ({rep.target_country_total})"))
    if rep.source_sector_total:
        rows.append(("source sector accuracy", f"{rep.source_sector_accuracy:.3f} ({rep.source_sector_total})"))
    rows.append(("sentences with no event", str(rep.no_event)))
    rows.append(("expected calibration error (top-1 confidence)", f"{rep.calibration_error:.3f}"))
    console.print(text_table(["measure", "value"], rows, title=f"{name}: {rep.n} sentences", right={"value"}))
    per_type = [(ty, f"{pr:.2f}", f"{rc:.2f}", f"{f1:.2f}", n) for ty, (pr, rc, f1, n) in rep.per_type().items()]
    console.print(text_table(["type", "precision", "recall", "F1", "gold"], per_type, title="Per type",
                             right={"precision", "recall", "F1", "gold"}))
    if confusion:
        labels, table = confusion_table(rep)
        short = [lab[:4] for lab in labels]
        grid = [(g, *[table[g].get(p, "") for p in labels]) for g in labels if g in table]
        console.print(text_table(["gold", *short], grid, title="Confusion (rows gold, columns predicted)",
                                 right=set(short)))
    cal = rep.calibration()
    if cal:
        console.print(text_table(["confidence", "accuracy", "sentences"],
                                 [(f"{lo:.1f}-{hi:.1f}", f"{acc:.2f}", n) for lo, hi, acc, n in cal],
                                 title="Reliability of the top-1 confidence",
                                 right={"confidence", "accuracy", "sentences"}))


def render_doc_report(console: Console, name: str, rep: DocReport) -> None:
    """The scores of a run over whole documents."""
    s = rep.summary()

    def share(a: int, b: int) -> str:
        return f"{a / b:.3f} ({a}/{b})" if b else "–"

    rows = [("gold events found (type, source, target, stating sentence)", share(rep.found, rep.total)),
            ("source right, where the type was found", share(rep.source_right, rep.type_found)),
            ("target right, where the type was found", share(rep.target_right, rep.type_found)),
            ("dates right, of the events found with a gold date", share(rep.dates_right, rep.dated)),
            ("traps coded as fact", f"{rep.traps_failed} of {rep.traps}"),
            ("events output per gold event", f"{s['events_per_gold_event'] or 0:.2f} ({rep.output}/{rep.total})")]
    console.print(text_table(["measure", "value"], rows, title=f"{name}: {rep.documents} documents",
                             right={"value"}))
    if rep.found_by:
        from .doceval import WAYS

        console.print(text_table(["how the parties were named", "gold events found", "what it means"],
                                 [(w, str(rep.found_by.get(w, 0)), what) for w, what in WAYS],
                                 title="events found, by how their parties were named", right={"gold events found"}))
