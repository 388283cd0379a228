"""Measure the coder on whole documents: gold events pinned to the sentences that state them, and
traps (clauses that must not be coded as fact).

Example::

    >>> from realpolitik.doceval import DocGold, GoldDocEvent, score_documents
    >>> from realpolitik import code
    >>> text = "Russia delivered four helicopters to Mali on Tuesday."
    >>> gold = [DocGold("d1", "d1.txt", "2022-04-18", (GoldDocEvent("e1", "delivery", ("AID",), ("RUS",),
    ...         ("MLI",), None, ("Russia delivered",)),), ())]
    >>> rep = score_documents(gold, {"d1": text}, {"d1": code(text, date="2022-04-18")})
    >>> rep.found, rep.total
    (1, 1)

The gold format (a JSON object with ``docs``, each with ``events`` and ``traps``) is that of
``real_dev_gold.json``: an event lists the PLOVER ``types`` it may be coded as, the ISO-3 codes
accepted for its ``source`` and ``target`` (``null`` in ``target``: no target is also right),
the ``date`` where the text gives it, and ``in``: substrings of the sentence(s) that state it.

An output event **finds** a gold event when its type is one of the types, its modality is not
negated, hypothetical or conditional, its sentence overlaps a sentence stating the gold event,
and its source and target countries (the actor's country, or its code's first three letters;
any member of a compound) are accepted; each output event finds at most one gold event (a
maximum matching). A **trap** is failed when an event of one of its types comes out asserted,
reported or historical from a sentence containing its words. The report gives: events found;
for the gold events whose type was found in the stating sentence, how often the source and the
target were right; dates right among the events found that have a gold date; traps failed;
and events output per gold event.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import MalformedRecordError
from .model import Event

__all__ = ["DocGold", "GoldDocEvent", "GoldTrap", "DocReport", "read_doc_gold", "is_doc_gold", "score_documents",
           "evaluate_documents"]

NOT_FACT = frozenset({"negated", "hypothetical", "conditional"})
"""Modalities of events that cannot find a gold event."""
FACT = frozenset({"asserted", "reported", "historical"})
"""Modalities that code a trap's clause as fact."""


@dataclass(frozen=True)
class GoldDocEvent:
    """One gold event of a document."""

    id: str
    what: str
    types: tuple[str, ...]
    sources: tuple[str | None, ...]
    targets: tuple[str | None, ...]
    date: str | None
    anchors: tuple[str, ...]
    """Substrings of the sentences that state the event."""


@dataclass(frozen=True)
class GoldTrap:
    """A clause that must not be coded as fact."""

    id: str
    what: str
    words: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class DocGold:
    """One gold document: where its text is, its date, its events and traps."""

    id: str
    file: str
    date: str | None
    events: tuple[GoldDocEvent, ...]
    traps: tuple[GoldTrap, ...]


def is_doc_gold(text: str) -> bool:
    """Whether a gold file's text is document-level gold (a JSON object with ``docs``)."""
    head = text.lstrip()[:2000]
    return head.startswith("{") and '"docs"' in text[:200000]


def read_doc_gold(path: str | Path) -> list[DocGold]:
    """Read document-level gold (the format in the module docstring)."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise MalformedRecordError(f"not valid JSON: {exc.msg}", str(p), exc.lineno) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("docs"), list):
        raise MalformedRecordError("document gold is a JSON object with a 'docs' list", str(p), 1)
    out = []
    for k, d in enumerate(raw["docs"]):
        try:
            events = tuple(GoldDocEvent(str(e["id"]), str(e.get("what", "")), tuple(e["types"]),
                                        tuple(e.get("source") or ()), tuple(e.get("target") or (None,)),
                                        e.get("date"), tuple(e["in"])) for e in d.get("events", []))
            traps = tuple(GoldTrap(str(t["id"]), str(t.get("what", "")), str(t["sentence_contains"]),
                                   tuple(t["types"])) for t in d.get("traps", []))
            out.append(DocGold(str(d["id"]), str(d["file"]), d.get("date"), events, traps))
        except (KeyError, TypeError) as exc:
            raise MalformedRecordError(f"document {k + 1} lacks a field or has one of the wrong kind: {exc}",
                                       str(p), 1) from None
    return out


@dataclass
class DocReport:
    """The scores of one run over document-level gold."""

    documents: int = 0
    total: int = 0
    found: int = 0
    type_found: int = 0
    """Gold events whose type was coded (as fact) from a stating sentence."""
    source_right: int = 0
    target_right: int = 0
    dated: int = 0
    dates_right: int = 0
    traps: int = 0
    traps_failed: int = 0
    output: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    failed_traps: list[dict[str, Any]] = field(default_factory=list)
    found_by: Counter[str] = field(default_factory=Counter)
    """Gold events found, by the ways (:data:`WAYS`) the finding event named its parties."""

    def summary(self) -> dict[str, Any]:
        def r(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {"documents": self.documents, "gold_events": self.total, "found": self.found,
                "found_share": r(self.found, self.total), "type_found": self.type_found,
                "source_accuracy_when_type_found": r(self.source_right, self.type_found),
                "target_accuracy_when_type_found": r(self.target_right, self.type_found),
                "dates_right": r(self.dates_right, self.dated), "dated_found": self.dated,
                "traps": self.traps, "traps_coded_as_fact": self.traps_failed,
                "events_output": self.output, "events_per_gold_event": r(self.output, self.total),
                "found_by": dict(sorted(self.found_by.items()))}


WAYS: tuple[tuple[str, str], ...] = (
    ("document register", "a side named by surname, title, pronoun pair or description the document introduced"),
    ("party in a phrase", "the target named in a prepositional phrase, indirect object or owner"),
    ("several parties", "one event per member of a compound side, or a mutual act both ways"),
    ("reported speech", "an act a speaker reports, with the speaker kept as reporter"),
    ("place", "a side taken from a place: where it happened, a visit's host, a place named as party"),
    ("description tail", "a description's country from its of/in/from tail"),
    ("sentence or home country", "a group given the sentence's one country or the document's home"),
    ("other country", "the one other country the sentence names"),
    ("unknown name", "a name no dictionary knows, kept"),
    ("own state", "rebels fighting, or soldiers seizing power, with no one else named: their own state"),
)
"""How an event named its parties, as read from its trail and its actors' provenance."""


def ways(e: Event) -> set[str]:
    """The :data:`WAYS` an event's trail and actors show."""
    rule = e.rule or ""
    how = " ".join(m.resolved_by or "" for a in (e.source, e.target) if a is not None for m in (a, *a.members))
    marks = {
        "document register": "register:" in how,
        "party in a phrase": "party:party" in rule,
        "several parties": any(f"party:{k}" in rule for k in ("pairs", "both-ways", "each-other")),
        "reported speech": e.reported_by is not None,
        "place": "place:" in how or any(f"party:{k}" in rule for k in ("where", "host", "place-target")),
        "description tail": "+tail" in how,
        "sentence or home country": "+sentence" in how or "+home" in how,
        "other country": "other-country" in rule,
        "unknown name": any((a.resolved_by or "").startswith("name") for a in (e.source, e.target) if a is not None),
        "own state": "party:own-state" in rule,
    }
    return {k for k, v in marks.items() if v}


def _codes(actor: Any) -> set[str]:
    """The codes a side answers to: each member's country and code, the code's first three
    letters, and the body an organization belongs to (a UN organ is the UN: 'UNGA' is 'UNO')."""
    if actor is None:
        return set()
    from .actors.dictionary import load_actor_dictionary

    orgs = load_actor_dictionary().organizations
    out = set()
    for m in (*actor.members, actor):
        if m.country:
            out.add(m.country)
        code = m.code
        while code and code not in out:
            out.add(code[:3])
            out.add(code)
            code = orgs[code].parent if code in orgs else None
    return out


def _side_ok(actor: Any, accepted: Sequence[str | None]) -> bool:
    codes = _codes(actor)
    if not codes:  # no actor, or a thing no dictionary places ("shipping lanes"): no country
        return None in accepted
    return bool(codes & {a for a in accepted if a})


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return out


def _sentence_span(text: str, e: Event) -> tuple[int, int]:
    """Where the event's sentence is in the document (the occurrence around its trigger)."""
    s = e.sentence
    best = None
    for a, b in _spans(text, s):
        if a <= e.trigger.start <= b:
            return a, b
        best = best or (a, b)
    return best or (e.trigger.start, e.trigger.end)


def _stated_in(text: str, anchors: Sequence[str], span: tuple[int, int]) -> bool:
    lo, hi = span
    return any(a0 < hi and lo < a1 for a in anchors for a0, a1 in _spans(text, a))


def _matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """A maximum matching of gold events to output events (Kuhn's augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for e in edges.get(g, []):
            if e in seen:
                continue
            seen.add(e)
            if e not in owner or augment(owner[e], seen):
                owner[e] = g
                return True
        return False

    for g in edges:
        augment(g, set())
    return {g: e for e, g in owner.items()}


def _score_doc(rep: DocReport, gold: DocGold, text: str, events: Sequence[Event]) -> None:
    spans = [_sentence_span(text, e) for e in events]
    facts = [e.modality not in NOT_FACT for e in events]
    edges: dict[int, list[int]] = {}
    for gi, g in enumerate(gold.events):
        stated = [k for k, e in enumerate(events) if facts[k] and _stated_in(text, g.anchors, spans[k])]
        typed = [k for k in stated if events[k].event_type in g.types]
        if typed:
            rep.type_found += 1
            rep.source_right += any(_side_ok(events[k].source, g.sources) for k in typed)
            rep.target_right += any(_side_ok(events[k].target, g.targets) for k in typed)
        edges[gi] = [k for k in typed if _side_ok(events[k].source, g.sources)
                     and _side_ok(events[k].target, g.targets)]
    matched = _matching(edges)
    for gi, g in enumerate(gold.events):
        rep.total += 1
        k = matched.get(gi)
        if k is not None:
            rep.found += 1
            rep.found_by.update(ways(events[k]))
            if g.date:
                rep.dated += 1
                rep.dates_right += bool(events[k].date) and (events[k].date or "").startswith(g.date)
            continue
        near = [e for j, e in enumerate(events) if _stated_in(text, g.anchors, spans[j])]
        rep.misses.append({"doc": gold.id, "id": g.id, "what": g.what, "types": list(g.types),
                           "source": list(g.sources), "target": list(g.targets),
                           "coded": [_brief(e) for e in near]})
    for t in gold.traps:
        rep.traps += 1
        bad = [e for e in events if t.words in e.sentence and e.event_type in t.types and e.modality in FACT]
        if bad:
            rep.traps_failed += 1
            rep.failed_traps.append({"doc": gold.id, "id": t.id, "what": t.what, "coded": [_brief(e) for e in bad]})


def _brief(e: Event) -> dict[str, Any]:
    return {"type": e.event_type, "source": e.source.code if e.source else None,
            "target": e.target.code if e.target else None, "modality": e.modality, "date": e.date,
            "trigger": e.trigger.text, "confidence": e.confidence, "rule": e.rule}


def score_documents(gold: Sequence[DocGold], texts: Mapping[str, str],
                    coded: Mapping[str, Sequence[Event]]) -> DocReport:
    """Score the events coded from each document (by gold id) against the gold."""
    rep = DocReport()
    for g in gold:
        if g.id not in texts:
            continue
        rep.documents += 1
        events = list(coded.get(g.id, ()))
        rep.output += len(events)
        _score_doc(rep, g, texts[g.id], events)
    return rep


def evaluate_documents(gold_path: str | Path, texts: str | Path, coder: Any) -> tuple[DocReport, list[str]]:
    """Code every gold document whose text is under ``texts`` (at the gold's ``file`` path) with
    ``coder``, on its date, and score it; also return the files that were not there."""
    from .model import Document

    gold = read_doc_gold(gold_path)
    root = Path(texts)
    found: dict[str, str] = {}
    missing: list[str] = []
    for g in gold:
        f = root / g.file
        if f.is_file():
            found[g.id] = f.read_text(encoding="utf-8")
        else:
            missing.append(str(f))
    docs = [Document(id=g.id, text=found[g.id], date=g.date) for g in gold if g.id in found]
    coded = {r.document.id: list(r.events) for r in coder.pipe(docs)}
    return score_documents(gold, found, coded), missing
