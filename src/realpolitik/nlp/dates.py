"""realpolitik_dates: find date expressions and resolve them against the document date.

Writes ``doc.spans["dates"]`` with ``span._.date_value`` (a
:class:`realpolitik.dates.DateValue`). Expressions come from the tagger's DATE and TIME
entities, and from phrases that date an event by an office holder's term
("at the end of Barack Obama's presidency" == the month his presidency ended, read from
the actor dictionary). The tense of the governing verb breaks ties for a day or month
without a year ("on December 26" in a past-tense clause == the last December 26).

Example::

    >>> import datetime as dt, realpolitik
    >>> doc = realpolitik.Coder.shared().parse("Iraq signed the deal on December 26.", date=dt.date(2019, 1, 10))
    >>> [(s.text, s._.date_value.value) for s in doc.spans["dates"]]
    [('December 26', '2018-12-26')]
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..actors import ActorDictionary
from ..dates import DateValue, resolve_date
from ..lexicon.grammar import GRAMMAR as G
from . import extensions  # noqa: F401

__all__ = ["DateFinder", "make_dates", "tense_of"]

_TERM_NOUNS = G.table("term_nouns")
_END_WORDS = G.words("term_end")
_START_WORDS = G.words("term_start")


def tense_of(tok: Token) -> str | None:
    """'past' or 'future' from the nearest governing verb of ``tok``, else None."""
    h = tok
    for _ in range(8):
        if h.pos_ in ("VERB", "AUX"):
            aux = {c.lower_ for c in h.children if c.dep_ in ("aux", "auxpass")}
            if aux & G.words("future_aux"):
                return "future"
            if h.tag_ in ("VBD", "VBN") or aux & G.words("past_aux"):
                return "past"
            if h.tag_ in ("VBZ", "VBP", "VBG") and not aux:
                return None
        if h.head == h:
            break
        h = h.head
    return None


class DateFinder:
    """The date component."""

    def __init__(self, dictionary: ActorDictionary):
        self.d = dictionary

    def __call__(self, doc: Doc) -> Doc:
        ref = doc._.doc_date
        spans: list[Span] = []
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            value = resolve_date(ent.text, ref, tense_of(ent.root))
            if value is None:
                continue
            span = doc[ent.start:ent.end]
            span._.date_value = value
            spans.append(span)
        spans.extend(self._office_terms(doc, {i for s in spans for i in range(s.start, s.end)}))
        spans.sort(key=lambda s: s.start)
        doc.spans["dates"] = spans
        return doc

    def _office_terms(self, doc: Doc, taken: set[int]) -> list[Span]:
        """'(at) the end of Barack Obama's presidency' -> the month that term ended."""
        out = []
        actors = doc.spans.get("actors", [])
        person_at: dict[int, Span] = {}
        for a in actors:
            if any(r.kind == "person" for r in a._.refs):
                for i in range(a.start, a.end):
                    person_at[i] = a
        for noun in doc:
            kinds = _TERM_NOUNS.get(noun.lemma_.lower())
            if kinds is None:
                continue
            owner = next((c for c in noun.children if c.dep_ == "poss" and c.i in person_at), None)
            if owner is None:
                continue
            edge = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
            which = None
            if edge is not None and edge.lemma_.lower() in _END_WORDS | _START_WORDS:
                which = "end" if edge.lemma_.lower() in _END_WORDS else "start"
            else:
                edge = None
                which = next((("end" if c.lower_ in _END_WORDS else "start") for c in noun.lefts
                              if c.lower_ in _END_WORDS | _START_WORDS), None)
            if which is None:
                continue
            ref = next(r for r in person_at[owner.i]._.refs if r.kind == "person")
            roles = [r for r in self.d.people[ref.key].roles if r.role in kinds]
            if not roles:
                continue
            if doc._.doc_date is not None:
                roles = [r for r in roles if r.start <= doc._.doc_date] or roles
            role = max(roles, key=lambda r: r.start)
            day = role.end if which == "end" else role.start
            if day is None:
                continue
            start = edge.left_edge.i if edge is not None else noun.left_edge.i
            if start > 0 and doc[start - 1].lower_ in G.words("term_date_preps"):
                start -= 1
            if any(i in taken for i in range(start, noun.i + 1)):
                continue
            span = doc[start:noun.i + 1]
            span._.date_value = DateValue(f"{day.year:04d}-{day.month:02d}", "month", "office-term")
            out.append(span)
        return out


@Language.factory(
    "realpolitik_dates",
    assigns=["doc.spans", "span._.date_value"],
    requires=["doc.ents", "doc.spans"],
    default_config={"actor_files": [], "shipped": True, "lexicon_files": []},
)
def make_dates(nlp: Language, name: str, actor_files: list[str], shipped: bool,
               lexicon_files: list[str]) -> DateFinder:
    from .resources import Resources

    return DateFinder(Resources.of(actor_files, shipped, lexicon_files).dictionary)
