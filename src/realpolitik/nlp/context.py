"""Per-document state of the trigger stage, passed through its functions (never kept on a component).

Example::

    >>> from realpolitik.nlp.context import TriggerContext
    >>> ctx = TriggerContext(lex=None, cands={3: "verb"}, actor_tokens={})
    >>> ctx.consumed, ctx.found
    (set(), [])
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .frame import Frame

__all__ = ["TriggerContext", "EventContext", "refs_of", "actor_of"]


@dataclass
class TriggerContext:
    """What the trigger stage learns about one document while it analyses it."""

    lex: Any
    """The :class:`~realpolitik.lexicon.Lexicon`."""
    cands: dict[int, str]
    """Candidate trigger token -> ``verb``, ``noun`` or ``adj``."""
    actor_tokens: dict[int, Any]
    """Token -> the actor span that covers it."""
    memo: dict[int, Frame | None] = field(default_factory=dict)
    """Token -> its analysed frame (None while analysing it, or when it has none)."""
    consumed: set[int] = field(default_factory=set)
    """Tokens whose event an operator took over ('withdrawal' under 'called for')."""
    found: list[Frame] = field(default_factory=list)
    """Frames in the order they were found, an event kept beside its operator included."""
    renewed: dict[int, tuple[Frame, Frame]] = field(default_factory=dict)
    """id(frame) -> (that frame, the frame a later rule made of it)."""

    def renew(self, old: Frame, new: Frame) -> None:
        """Record that ``new`` replaces ``old`` wherever ``old`` was kept."""
        self.renewed[id(old)] = (old, new)
        for k, v in self.memo.items():
            if v is old:
                self.memo[k] = new

    def current(self, f: Frame) -> Frame:
        """The latest frame made of ``f``."""
        while id(f) in self.renewed:
            f = self.renewed[id(f)][1]
        return f


@dataclass
class EventContext:
    """What the event stage reads about one document, indexed once per document."""

    doc: Any
    resources: Any
    """The shared :class:`~realpolitik.nlp.resources.Resources`."""
    by_token: dict[int, Any]
    """Token -> the first actor span that covers it."""
    head_of: dict[int, Any]
    """Token -> the actor span it heads."""
    dates: dict[int, Any]
    """Root token -> date span."""
    date_tokens: dict[int, Any]
    """Token -> the date span that covers it."""
    places: dict[int, Any]
    """Token -> the place span that covers it."""
    trigger_tokens: set[int]
    offset: int
    """Where this piece of text starts in the whole document (characters)."""
    sent_offset: int
    sent_index: dict[int, int]
    """Sentence start token -> its number in this piece."""
    doc_id: str
    sole: dict[int, str | None] = field(default_factory=dict)
    """Sentence start -> the one country the sentence names, once computed."""
    bodies: set[str] | None = None
    """The codes of the organizations the document names, once listed."""
    named: dict[int, list[tuple[Any, Any]]] = field(default_factory=dict)
    """Sentence start -> its actor and reference spans with their actors, once listed."""
    told: list[Any] = field(default_factory=list)
    """The events coded so far in this piece, in the order of their triggers."""

    def sent_start(self, i: int) -> int:
        """The start token of the sentence that holds token ``i``."""
        starts = self._starts
        return starts[bisect_right(starts, i) - 1]

    @cached_property
    def _starts(self) -> list[int]:
        return sorted(self.sent_index)

    @cached_property
    def _dates_by_sent(self) -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {}
        for span in self.dates.values():
            out.setdefault(self.sent_start(span.root.i), []).append(span)
        return out

    def dates_near(self, tokens: Iterable[Any]) -> list[Any]:
        """The date spans (in ``dates`` order) rooted in the sentences of ``tokens``: the
        only ones a dependency path can join to them, found without reading the whole piece."""
        sents = {self.sent_start(t.i) for t in tokens}
        if len(sents) == 1:
            return self._dates_by_sent.get(next(iter(sents)), [])
        return [s for s in self.dates.values() if self.sent_start(s.root.i) in sents]

    @cached_property
    def _actor_order(self) -> tuple[list[Any], list[int], list[int]]:
        spans = list(self.doc.spans["actors"]) if "actors" in self.doc.spans else []
        order = sorted(range(len(spans)), key=lambda k: spans[k].start)
        return spans, [spans[k].start for k in order], order

    def actors_within(self, lo: int, hi: int) -> list[Any]:
        """The actor spans that start at or after token ``lo`` and end by ``hi``, in the
        actor group's order."""
        spans, starts, order = self._actor_order
        ks = sorted(order[bisect_left(starts, lo):bisect_left(starts, hi)])
        return [spans[k] for k in ks if spans[k].end <= hi]
    texts: dict[int, str] = field(default_factory=dict)
    """Sentence start -> its text, once joined."""

    def named_in(self, sent: Any) -> list[tuple[Any, Any]]:
        """The actor spans, then the reference spans, that start in ``sent``, each with its actor."""
        if sent.start not in self.named:
            if not self.named:
                for span in [*self.doc.spans.get("actors", []), *self.doc.spans.get("references", [])]:
                    a = self.actor(span)
                    if a is not None:
                        self.named.setdefault(self.sent_start(span.start), []).append((span, a))
            self.named.setdefault(sent.start, [])
        return self.named[sent.start]

    @classmethod
    def of(cls, doc: Any, resources: Any) -> EventContext:
        actors = list(doc.spans["actors"]) if "actors" in doc.spans else []
        actors += [s for s in doc.spans.get("references", [])]  # after the actor phrases: they win
        head_of: dict[int, Any] = {}
        for s in actors:
            head_of.setdefault(s.root.i, s)
        return cls(
            doc=doc, resources=resources, by_token=refs_of(actors), head_of=head_of,
            dates={s.root.i: s for s in doc.spans["dates"]} if "dates" in doc.spans else {},
            date_tokens={i: s for s in doc.spans.get("dates", []) for i in range(s.start, s.end)},
            places=_places(doc),
            trigger_tokens={s.start for s in doc.spans.get("triggers", [])},
            offset=doc._.char_offset or 0, sent_offset=doc._.sent_offset or 0,
            sent_index={s.start: k for k, s in enumerate(doc.sents)}, doc_id=doc._.doc_id or "doc")

    @cached_property
    def text(self) -> str:
        """The piece's text, joined once (``Doc.text`` joins its tokens on every read)."""
        return str(self.doc.text)

    @cached_property
    def type_probs(self) -> dict[int, dict[str, float]]:
        """Sentence start -> the classifier's type probabilities, read once."""
        return self.doc._.type_probs or {}

    def sentence_text(self, sent: Any) -> str:
        """A sentence's text without the white space around it, joined once per sentence."""
        found = self.texts.get(sent.start)
        if found is None:
            found = self.texts[sent.start] = sent.text.strip()
        return found

    @cached_property
    def actors(self) -> dict[tuple[int, int], Any]:
        """(start, end) -> the actor of each actor and reference span, read once."""
        out: dict[tuple[int, int], Any] = {}
        for s in self.head_of.values():
            if (s.start, s.end) not in out:
                out[(s.start, s.end)] = actor_of(s)
        return out

    @cached_property
    def _countries_named(self) -> tuple[dict[str, int], dict[int, dict[str, int]], dict[str, Any]]:
        """How often the piece's actors name each country, the same per sentence start, and the
        actor of each country's first mention."""
        total: dict[str, int] = {}
        per: dict[int, dict[str, int]] = {}
        first: dict[str, Any] = {}
        for key, a in sorted(((k, a) for k, a in self.actors.items() if a is not None and a.country),
                             key=lambda ka: ka[0]):
            total[a.country] = total.get(a.country, 0) + 1
            here = per.setdefault(self.sent_start(key[0]), {})
            here[a.country] = here.get(a.country, 0) + 1
            first.setdefault(a.country, a)
        return total, per, first

    def salient(self, sent: int) -> list[tuple[str, Any]]:
        """The countries the piece's other sentences (all but the one starting at token ``sent``)
        name, the most often named first (ties: the first named first), each with the actor of
        its first mention in the piece."""
        total, per, first = self._countries_named
        here = per.get(sent, {})
        counts = {c: n - here.get(c, 0) for c, n in total.items() if n > here.get(c, 0)}
        return [(c, first[c]) for c in sorted(counts, key=lambda c: -counts[c])]

    def actor(self, span: Any) -> Any:
        """The actor of an actor span (:func:`actor_of`), from what the document's spans hold."""
        key = (span.start, span.end)
        found = self.actors.get(key, _MISSING)
        return actor_of(span) if found is _MISSING else found

    def actor_span(self, i: int) -> Any:
        """The actor span headed by token ``i``, else one that covers it, else None."""
        return self.head_of.get(i) or self.by_token.get(i)


_MISSING = object()


def _places(doc: Any) -> dict[int, Any]:
    """Token -> place span, but for places the register read as another actor ('the North')."""
    refs = {i for s in doc.spans.get("references", []) for i in range(s.start, s.end)}
    return {i: s for s in doc.spans.get("places", []) if not any(j in refs for j in range(s.start, s.end))
            for i in range(s.start, s.end)}


def actor_of(span: Any) -> Any:
    """The actor of an actor span: the one the document's register resolved it to, else its own."""
    return span._.resolved or span._.actor


def refs_of(spans: Iterable[Any]) -> dict[int, Any]:
    """Map every token index to the actor span that covers it (first span wins)."""
    out: dict[int, Any] = {}
    for s in spans:
        for i in range(s.start, s.end):
            out.setdefault(i, s)
    return out
