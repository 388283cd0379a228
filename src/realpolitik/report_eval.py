"""Print an evaluation report as readable tables."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .evaluation import Report, confusion_table

__all__ = ["render_report"]


def render_report(console: Console, name: str, rep: Report, confusion: bool = True) -> None:
    """Headline scores, per-type table, confusion matrix and reliability curve of one run."""
    t = Table(title=f"{name}: {rep.n} sentences")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_row("top-1 event-type accuracy", f"{rep.top1_accuracy:.3f}")
    t.add_row("macro F1 (event types)", f"{rep.macro_f1:.3f}")
    t.add_row("quad-class accuracy", f"{rep.quad_accuracy:.3f}")
    t.add_row("dyad recall", f"{rep.dyad_recall:.3f} ({rep.dyad_hits}/{rep.dyad_total})")
    if rep.source_country_total:
        t.add_row("source country accuracy", f"{rep.source_country_accuracy:.3f} ({rep.source_country_total})")
    if rep.target_country_total:
        t.add_row("target country accuracy", f"{rep.target_country_accuracy:.3f} ({rep.target_country_total})")
    if rep.source_sector_total:
        t.add_row("source sector accuracy", f"{rep.source_sector_accuracy:.3f} ({rep.source_sector_total})")
    t.add_row("sentences with no event", str(rep.no_event))
    console.print(t)
    p = Table(title="Per type")
    for col in ("type", "precision", "recall", "F1", "gold"):
        p.add_column(col, justify="right" if col != "type" else "left")
    for ty, (pr, rc, f1, n) in rep.per_type().items():
        p.add_row(ty, f"{pr:.2f}", f"{rc:.2f}", f"{f1:.2f}", str(n))
    console.print(p)
    if confusion:
        labels, table = confusion_table(rep)
        short = {lab: lab[:4] for lab in labels}
        c = Table(title="Confusion (rows gold, columns predicted)")
        c.add_column("gold")
        for lab in labels:
            c.add_column(short[lab], justify="right")
        for g in labels:
            if g not in table:
                continue
            c.add_row(g, *[str(table[g].get(p, "")) for p in labels])
        console.print(c)
    cal = rep.calibration()
    if cal:
        r = Table(title="Reliability of the top-1 confidence")
        for col in ("confidence", "accuracy", "sentences"):
            r.add_column(col, justify="right")
        for lo, hi, acc, n in cal:
            r.add_row(f"{lo:.1f}-{hi:.1f}", f"{acc:.2f}", str(n))
        console.print(r)
