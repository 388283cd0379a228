"""A short, readable summary of a coding run.

Example::

    >>> from realpolitik.summary import Summary
    >>> s = Summary()
    >>> s.documents, s.failed
    (0, 0)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.console import Console

from .model import Event
from .render import text_table

__all__ = ["Summary"]


@dataclass
class Summary:
    """Counts gathered while coding: documents, failures, events by type, dyad, modality."""

    documents: int = 0
    failed: int = 0
    warnings: int = 0
    events: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_quad: Counter[int] = field(default_factory=Counter)
    by_modality: Counter[str] = field(default_factory=Counter)
    by_dyad: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_actor: Counter[str] = field(default_factory=Counter)
    first_date: str | None = None
    last_date: str | None = None

    def add(self, events: Iterable[Event]) -> None:
        for e in events:
            self.events += 1
            self.by_type[e.event_type] += 1
            self.by_quad[e.quad_class] += 1
            self.by_modality[e.modality] += 1
            for d in e.each_dyad():  # an act of several parties counts for each pair
                src = _country(d.source)
                tgt = _country(d.target)
                if src:
                    self.by_actor[src] += 1
                if tgt:
                    self.by_actor[tgt] += 1
                if src and tgt and src != tgt:
                    self.by_dyad[(src, tgt)] += 1
            if e.date and e.date_precision != "document":
                if self.first_date is None or e.date < self.first_date:
                    self.first_date = e.date
                if self.last_date is None or e.date > self.last_date:
                    self.last_date = e.date

    def render(self, console: Console) -> None:
        console.print(f"[bold]Coded {self.documents:,} documents[/bold] "
                      f"({self.failed:,} failed, {self.warnings:,} warnings): "
                      f"[bold]{self.events:,} events[/bold]"
                      + (f", dated {self.first_date} to {self.last_date}" if self.first_date else ""))
        quad_names = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                      4: "material conflict"}
        console.print(text_table(["type", "events", "share"],
                                 [(k, f"{v:,}", f"{v / max(1, self.events):.0%}") for k, v in self.by_type.most_common()],
                                 title="Events by type", right={"events", "share"}))
        rows = [(quad_names[q], f"{self.by_quad[q]:,}") for q in sorted(self.by_quad)]
        rows += [(f"modality: {mod}", f"{v:,}") for mod, v in self.by_modality.most_common()]
        console.print(text_table(["quad class", "events"], rows, title="By quad class and modality",
                                 right={"events"}))
        console.print(text_table(["dyad", "events"], [(f"{a} -> {b}", f"{v:,}") for (a, b), v in
                                                      self.by_dyad.most_common(12)],
                                 title="Most frequent dyads (source country -> target country)", right={"events"}))


def _country(actor: object) -> str | None:
    if actor is None:
        return None
    code = getattr(actor, "country", None)
    if code:
        return str(code)
    members = getattr(actor, "members", ())
    if members:
        return "+".join(sorted({m.country for m in members if m.country})) or None
    if getattr(actor, "kind", None) == "organization":
        return getattr(actor, "code", None)
    return None
