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
from rich.table import Table

from .model import Event

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
            src = _country(e.source)
            tgt = _country(e.target)
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
        t = Table(title="Events by type", show_header=True)
        t.add_column("type")
        t.add_column("events", justify="right")
        t.add_column("share", justify="right")
        for k, v in self.by_type.most_common():
            t.add_row(k, f"{v:,}", f"{v / max(1, self.events):.0%}")
        q = Table(title="By quad class and modality")
        q.add_column("quad class")
        q.add_column("events", justify="right")
        for quad in sorted(self.by_quad):
            q.add_row(quad_names[quad], f"{self.by_quad[quad]:,}")
        for mod, v in self.by_modality.most_common():
            q.add_row(f"modality: {mod}", f"{v:,}")
        d = Table(title="Most frequent dyads (source country -> target country)")
        d.add_column("dyad")
        d.add_column("events", justify="right")
        for (a, b), v in self.by_dyad.most_common(12):
            d.add_row(f"{a} -> {b}", f"{v:,}")
        console.print(t)
        console.print(q)
        console.print(d)


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
