"""Where, in its evidence sentence, each part of an event was read: the marks a reader highlights.

Example::

    >>> import datetime as dt
    >>> from realpolitik import Coder
    >>> from realpolitik.store.evidence import marks
    >>> text = "Russia delivered helicopters to Iraq on Monday."
    >>> [e] = Coder.shared().code(text, date=dt.date(2017, 1, 20))
    >>> [(m.kind, m.text) for m in marks(e, text)]
    [('source', 'Russia'), ('trigger', 'delivered'), ('target', 'Iraq'), ('date', 'Monday')]

Offsets are relative to the sentence (``event.sentence``), in characters. The source, target,
trigger and place carry offsets into their document; when the document's text is not at
hand, or the sentence was recased or reflowed, each is found by its own words instead. The
date's words (``date_text``) are found the same way. The command line (``realpolitik show``),
the HTTP API and the dashboard all highlight from these marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Event

__all__ = ["Mark", "marks", "provenance"]

KINDS = ("source", "target", "trigger", "date", "place")


@dataclass(frozen=True)
class Mark:
    """One highlighted stretch of an evidence sentence."""

    kind: str
    """source, target, trigger, date or place."""
    start: int
    """Offset of its first character in the sentence."""
    end: int
    """Offset just past its last character."""
    text: str
    """The words marked, as in the sentence."""


def _find(sentence: str, words: str | None, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    if not words:
        return None
    for m in re.finditer(re.escape(words), sentence, flags=re.IGNORECASE):
        if not any(m.start() < e and s < m.end() for s, e in taken):
            return m.start(), m.end()
    return None


def marks(event: Event, doc_text: str | None = None) -> list[Mark]:
    """The marks of ``event`` in its sentence, in reading order, never overlapping."""
    sentence = event.sentence or ""
    if not sentence:
        return []
    base = doc_text.rfind(sentence, 0, event.trigger.start + 1) if doc_text else -1
    spans = [("source", event.source), ("target", event.target), ("trigger", event.trigger),
             ("place", event.location)]
    found: list[Mark] = []
    taken: list[tuple[int, int]] = []
    for kind, span in spans:
        if span is None:
            continue
        start, end = getattr(span, "start", None), getattr(span, "end", None)
        at: tuple[int, int] | None = None
        if base >= 0 and start is not None and end is not None and base <= start and end <= base + len(sentence):
            at = (start - base, end - base)
            if any(at[0] < e and s < at[1] for s, e in taken):
                at = None
        else:
            at = _find(sentence, span.text, taken)
        if at is not None:
            taken.append(at)
            found.append(Mark(kind, at[0], at[1], sentence[at[0]:at[1]]))
    at = _find(sentence, event.date_text, taken)
    if at is not None:
        found.append(Mark("date", at[0], at[1], sentence[at[0]:at[1]]))
    return sorted(found, key=lambda m: (m.start, m.end))


def provenance(got: Any) -> list[tuple[str, str]]:
    """Each value of a stored event with where it came from, as (label, text) lines."""
    row, e, doc, cl = got.row, got.event, got.document or {}, got.cluster
    lines = [("event", f"{row['event_id']}  {row['event_type']}" + (f" / {row['mode']}" if row["mode"] else "")
              + (f"  CAMEO {row['cameo']}" if row["cameo"] else "") + f"  (origin: {row['origin']})")]
    if e is not None:
        for side, a in (("source", e.source), ("target", e.target)):
            if a is not None:
                lines.append((side, f"'{a.text}' -> {a.code or '?'} country={a.country or '-'} "
                                    f"sector={a.sector or '-'} [{a.resolved_by or 'unresolved'}]"))
        lines.append(("trigger", f"'{e.trigger.text}' [rule {e.rule}]"))
        lines.append(("date", f"{e.date or '-'} ({e.date_precision}, {e.date_method}"
                              + (f", from '{e.date_text}'" if e.date_text else "") + ")"))
        if e.location is not None:
            lines.append(("place", f"'{e.location.text}' -> {e.location.name}, {e.location.country or '-'} "
                                   f"[{e.location.resolved_by or '-'}]"))
        lines.append(("modality", e.modality + (f" (cue '{e.modality_cue}')" if e.modality_cue else "")))
        lines.append(("confidence", f"{e.confidence:.2f}"))
    else:
        for side in ("source", "target"):
            if row[f"{side}_code"] or row[f"{side}_country"]:
                lines.append((side, f"{row[f'{side}_name'] or '-'} -> {row[f'{side}_code'] or '-'} "
                                    f"country={row[f'{side}_country'] or '-'} [{row['origin']}]"))
        lines.append(("date", f"{row['date']} [{row['origin']}]"))
    if doc:
        where = doc.get("source") or ""
        if doc.get("line"):
            where += f":{doc['line']}"
        lines.append(("document", f"{doc.get('title') or doc['id']} ({doc.get('date') or 'undated'}) "
                                  f"{doc.get('url') or where}"))
        if doc.get("dup_group") and doc["dup_group"] != doc["id"]:
            lines.append(("copy of", str(doc["dup_group"])))
    elif row.get("url"):
        lines.append(("document", str(row["url"])))
    if cl:
        lines.append(("cluster", f"{row['cluster_id']}: {cl['num_mentions']} mentions in {cl['num_documents']} "
                                 f"documents, {cl['num_articles']} articles, {cl['num_sources']} sources; "
                                 f"first published {cl['first_published'] or '-'}"))
    return lines
