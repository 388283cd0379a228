"""Measure the coder on gold data: PLOVER gold-standard records (JSON) or PLV sentences (TSV).

Example::

    >>> from realpolitik.evaluation import GoldEvent, score
    >>> gold = [GoldEvent(id="1", text="Iran condemned the strike.", event_type="ACCUSE")]
    >>> report = score(gold, [[("ACCUSE", 0.9, None, None)]])
    >>> report.top1_accuracy
    1.0

Formats:

* **PLOVER gold-standard records** (``PLOVER_GSR_CAMEO.txt``): a JSON list of records with
  ``text``, ``event`` (PLOVER 0.5 names are mapped: DEMAND→REQUEST, DISAPPROVE and
  INVESTIGATE→ACCUSE, FIGHT→ASSAULT), and ``source``/``target`` lists of
  ``{actorText, code, sector}``.
* **PLV** (``PLV_train.tsv``): tab-separated ``sentence``, ``source`` and ``target`` spans,
  ``gold_root`` (15 roots: CONCEDE and RETREAT are one root, YIELD) and ``gold_penta``
  (the quad class).

Scores: top-1 event-type accuracy (the coder's most confident event per sentence; a sentence
with no event counts as wrong), per-type precision, recall and F1 and their macro average, a
confusion matrix, quad-class accuracy, dyad recall (right type with source and target
overlapping the gold spans; where the gold gives a placeholder the sentence does not hold, as
PLV's "a recipient", the role is unstated and only a missing actor matches), and actor country and sector accuracy (where the gold gives
codes).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import MalformedRecordError
from .model import Event

__all__ = ["GoldActor", "GoldEvent", "Report", "read_gold", "score", "evaluate", "PLOVER05"]

PLOVER05 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
"""PLOVER 0.5 type names and their PLOVER 2.0 equivalents."""

YIELD = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
        "YIELD": 2, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4, "SANCTION": 4,
        "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}
NONE = "(none)"


@dataclass(frozen=True)
class GoldActor:
    text: str
    code: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class GoldEvent:
    """One gold sentence with its event."""

    id: str
    text: str
    event_type: str
    quad: int | None = None
    sources: tuple[GoldActor, ...] = ()
    targets: tuple[GoldActor, ...] = ()
    merge_yield: bool = False
    """Whether CONCEDE and RETREAT are scored as one type, YIELD (PLV)."""


def read_gold(path: str | Path) -> list[GoldEvent]:
    """Read a gold file, telling the format from its content."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return _read_gsr(text, str(p))
    return _read_plv(text, str(p))


def _actors(value: Any) -> tuple[GoldActor, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for a in value:
        if isinstance(a, dict) and a.get("actorText"):
            sector = a.get("sector")
            out.append(GoldActor(str(a["actorText"]), a.get("code") or None,
                                 str(sector)[:3].upper() if sector else None))
    return tuple(out)


def _read_gsr(text: str, source: str) -> list[GoldEvent]:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRecordError(f"not valid JSON: {exc.msg}", source, exc.lineno) from None
    out: list[GoldEvent] = []
    for r in records:
        event = r.get("event")
        if not r.get("text") or not event or event == "DOCUMENT":
            continue
        etype = PLOVER05.get(event, event)
        out.append(GoldEvent(str(r.get("id", len(out))), str(r["text"]), etype, QUAD.get(etype),
                             _actors(r.get("source")), _actors(r.get("target"))))
    return out


def _read_plv(text: str, source: str) -> list[GoldEvent]:
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    need = {"sentence", "gold_root"}
    if rows.fieldnames is None or not need <= set(rows.fieldnames):
        raise MalformedRecordError(f"a PLV file needs the columns {sorted(need)}", source, 1)
    out = []
    for n, r in enumerate(rows, start=2):
        quad = int(r["gold_penta"]) if r.get("gold_penta", "").isdigit() else None
        src = (GoldActor(r["source"]),) if r.get("source") else ()
        tgt = (GoldActor(r["target"]),) if r.get("target") else ()
        out.append(GoldEvent(r.get("sentence_id") or str(n), r["sentence"], r["gold_root"].strip(), quad,
                             src, tgt, merge_yield=True))
    return out


# -- scoring --------------------------------------------------------------------------------

Prediction = tuple[Any, ...]
"""(event type, confidence, source actor or None, target actor or None[, the Event])."""


@dataclass
class Report:
    """The scores of one evaluation run."""

    n: int = 0
    top1_correct: int = 0
    quad_correct: int = 0
    quad_total: int = 0
    dyad_hits: int = 0
    dyad_total: int = 0
    no_event: int = 0
    source_country_correct: int = 0
    source_country_total: int = 0
    target_country_correct: int = 0
    target_country_total: int = 0
    source_sector_correct: int = 0
    source_sector_total: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)
    reliability: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        return _ratio(self.top1_correct, self.n)

    @property
    def quad_accuracy(self) -> float:
        return _ratio(self.quad_correct, self.quad_total)

    @property
    def dyad_recall(self) -> float:
        return _ratio(self.dyad_hits, self.dyad_total)

    @property
    def source_country_accuracy(self) -> float:
        return _ratio(self.source_country_correct, self.source_country_total)

    @property
    def target_country_accuracy(self) -> float:
        return _ratio(self.target_country_correct, self.target_country_total)

    @property
    def source_sector_accuracy(self) -> float:
        return _ratio(self.source_sector_correct, self.source_sector_total)

    def per_type(self) -> dict[str, tuple[float, float, float, int]]:
        """type -> (precision, recall, F1, gold count), over the gold types."""
        gold = Counter(g for g, _ in self.confusion.elements())
        pred = Counter(p for _, p in self.confusion.elements())
        out = {}
        for t in sorted(gold):
            tp = self.confusion[(t, t)]
            p = tp / pred[t] if pred[t] else 0.0
            r = tp / gold[t] if gold[t] else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[t] = (p, r, f, gold[t])
        return out

    @property
    def macro_f1(self) -> float:
        rows = self.per_type()
        return sum(f for _, _, f, _ in rows.values()) / len(rows) if rows else 0.0

    def calibration(self, bins: int = 10) -> list[tuple[float, float, float, int]]:
        """Reliability curve of the top-1 confidence: (low, high, observed accuracy, count)."""
        out = []
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            cell = [ok for c, ok in self.reliability if lo <= c < hi or (b == bins - 1 and c == 1.0)]
            if cell:
                out.append((lo, hi, sum(cell) / len(cell), len(cell)))
        return out

    @property
    def calibration_error(self) -> float:
        """Expected calibration error of the top-1 confidence: over ten equal-width bands, the
        gap between mean confidence and accuracy, weighted by the band's share of sentences."""
        bands: dict[int, list[tuple[float, bool]]] = defaultdict(list)
        for c, ok in self.reliability:
            bands[min(9, int(c * 10))].append((c, ok))
        n = len(self.reliability)
        return sum(abs(sum(c for c, _ in cell) - sum(ok for _, ok in cell)) for cell in bands.values()) / n \
            if n else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "sentences": self.n, "top1_accuracy": round(self.top1_accuracy, 4),
            "macro_f1": round(self.macro_f1, 4), "quad_accuracy": round(self.quad_accuracy, 4),
            "dyad_recall": round(self.dyad_recall, 4), "no_event": self.no_event,
            "source_country_accuracy": round(self.source_country_accuracy, 4) if self.source_country_total else None,
            "target_country_accuracy": round(self.target_country_accuracy, 4) if self.target_country_total else None,
            "source_sector_accuracy": round(self.source_sector_accuracy, 4) if self.source_sector_total else None,
            "per_type": {t: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "n": n}
                         for t, (p, r, f, n) in self.per_type().items()},
            "calibration_error": round(self.calibration_error, 4),
            "reliability": [{"low": lo, "high": hi, "accuracy": round(acc, 4), "sentences": n}
                            for lo, hi, acc, n in self.calibration(5)],
        }


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _norm_type(t: str, merge_yield: bool) -> str:
    return YIELD.get(t, t) if merge_yield else t


def _overlaps(actor: Any, gold: Sequence[GoldActor], sentence: str) -> bool:
    """The actor's words overlap a gold span's; a gold span none of whose words the sentence holds
    ("a recipient", "An actor") says the role is unstated, which only a missing actor matches."""
    if not gold:
        return False
    low = sentence.lower()
    unstated = not any(g.text.lower() in low or _word_overlap(g.text.lower(), low) for g in gold)
    if actor is None or unstated:
        return actor is None and unstated
    texts = [m.text for m in actor.members] if actor.members else [actor.text]
    texts.append(actor.text)
    for g in gold:
        gt = g.text.lower()
        for t in texts:
            a = t.lower()
            if a and (a in gt or gt in a or _word_overlap(a, gt)):
                return True
    return False


_STOPWORDS = {"the", "a", "an", "of", "and", "'s", "’s", "in", "on"}


def _word_overlap(a: str, b: str) -> bool:
    wa = {w for w in re.findall(r"[\w'’-]+", a) if w not in _STOPWORDS}
    wb = {w for w in re.findall(r"[\w'’-]+", b) if w not in _STOPWORDS}
    return bool(wa & wb)


def _countries(actor: Any) -> set[str]:
    if actor is None:
        return set()
    out = {m.country for m in actor.members if m.country} | {m.code for m in actor.members if m.code}
    if actor.country:
        out.add(actor.country)
    if actor.code:
        out.add(actor.code)
    return out


def _sides(p: Prediction) -> list[tuple[Any, Any]]:
    """The (source, target) of a prediction, and of each of its event's dyads."""
    dyads = getattr(p[4], "dyads", ()) if len(p) > 4 else ()
    return [(p[2], p[3]), *((d.source, d.target) for d in dyads)]


def _sectors(actor: Any) -> set[str]:
    if actor is None:
        return set()
    return {m.sector for m in (actor.members or (actor,)) if m.sector}


def score(gold: Sequence[GoldEvent], predictions: Sequence[Sequence[Prediction]],
          is_country: Any = None) -> Report:
    """Score predictions (per gold sentence, each a list of events) against the gold."""
    is_country = is_country or (lambda code: bool(code) and len(code) == 3 and code.isalpha() and code.isupper())
    rep = Report()
    for g, preds in zip(gold, predictions, strict=True):
        rep.n += 1
        gtype = _norm_type(g.event_type, g.merge_yield)
        top = max(preds, key=lambda p: p[1]) if preds else None
        ptype = _norm_type(top[0], g.merge_yield) if top else NONE
        rep.confusion[(gtype, ptype)] += 1
        ok = ptype == gtype
        rep.top1_correct += ok
        if top is None:
            rep.no_event += 1
        else:
            rep.reliability.append((top[1], ok))
        if g.quad is not None:
            rep.quad_total += 1
            rep.quad_correct += top is not None and QUAD.get(ptype) == g.quad
        if g.sources and g.targets:
            rep.dyad_total += 1
            rep.dyad_hits += any(
                _norm_type(p[0], g.merge_yield) == gtype and any(
                    _overlaps(s, g.sources, g.text) and _overlaps(t, g.targets, g.text) for s, t in _sides(p))
                for p in preds)
        gold_src = {a.code for a in g.sources if a.code and is_country(a.code)}
        if gold_src:
            rep.source_country_total += 1
            rep.source_country_correct += top is not None and bool(_countries(top[2]) & gold_src)
        gold_tgt = {a.code for a in g.targets if a.code and is_country(a.code)}
        if gold_tgt:
            rep.target_country_total += 1
            rep.target_country_correct += top is not None and bool(_countries(top[3]) & gold_tgt)
        gold_sec = {a.sector for a in g.sources if a.sector and a.sector.isalpha()}
        if gold_sec and top is not None and top[2] is not None:
            rep.source_sector_total += 1
            rep.source_sector_correct += bool(_sectors(top[2]) & gold_sec)
        if not ok:
            rep.errors.append({
                "id": g.id, "text": g.text, "gold": gtype, "predicted": ptype,
                "gold_source": [a.text for a in g.sources], "gold_target": [a.text for a in g.targets],
                "events": [{"type": p[0], "confidence": p[1],
                            "source": getattr(p[2], "text", None), "target": getattr(p[3], "text", None),
                            **({"trigger": p[4].trigger.text, "rule": p[4].rule, "modality": p[4].modality}
                               if len(p) > 4 else {})}
                           for p in preds],
            })
    return rep


def evaluate(gold: Sequence[GoldEvent], coded: Iterable[Sequence[Event]], is_country: Any = None) -> Report:
    """Score the coder's events for each gold sentence."""
    preds = [[(e.event_type, e.confidence, e.source, e.target, e) for e in events] for events in coded]
    return score(gold, preds, is_country)


def confusion_table(rep: Report) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Labels and a gold -> predicted -> count table."""
    labels = sorted({g for g, _ in rep.confusion} | {p for _, p in rep.confusion})
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for (g, p), n in rep.confusion.items():
        table[g][p] = n
    return labels, table
