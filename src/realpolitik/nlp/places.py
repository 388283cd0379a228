"""realpolitik_places: find place mentions and resolve them with the embedded gazetteer.

Writes ``doc.spans["places"]`` with ``span._.place`` (a
:class:`realpolitik.places.PlaceInfo`: name, country, province, coordinates). Mentions
are the tagger's GPE, LOC and FAC entities and the names of ``places/data/places.yaml``
(which the tagger often misses: 'Deir ez-Zor', 'Anbar province'); a compass word before
a name is read with it when the gazetteer knows the whole ('northern Syria').

Example::

    >>> import realpolitik
    >>> doc = realpolitik.Coder.shared().parse("Two bases opened in Anbar province.")
    >>> [(s.text, s._.place.country, s._.place.kind) for s in doc.spans["places"]]
    [('Anbar province', 'IRQ', 'admin1')]
"""

from __future__ import annotations

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from ..places import Gazetteer, _data
from . import extensions  # noqa: F401

__all__ = ["PlaceFinder", "make_places"]

_COMPASS = G.words("compass")
_LAND = G.words("land_nouns")
_UNITS = G.words("place_units")
_NEARBY = G.words("nearby_preps")
_NOT_PLACES = ("ORG", "NORP", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY")


class PlaceFinder:
    """The place component."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer, demonyms: dict[str, str] | None = None):
        self.g = gazetteer
        self.demonyms = demonyms or {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        raw = yaml.safe_load(_data("places.yaml")) or {}
        names = []
        for p in raw.get("places") or []:
            names.append(str(p["name"]))
            names.extend(str(a) for a in p.get("aliases") or [])
        self.matcher.add("PLACE", [nlp.make_doc(n) for n in names])

    def __call__(self, doc: Doc) -> Doc:
        cands: list[Span] = [doc[e.start:e.end] for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")]
        cands += [doc[s:e] for _, s, e in self.matcher(doc) if not doc[s:e].text.islower()]
        cands += _named_after_place_preps(doc)
        spans = []
        for span in filter_spans(cands):
            start, end = span.start, span.end
            if doc[start].lower_ == "the":
                start += 1
            if end > start and doc[end - 1].tag_ == "POS":
                end -= 1
            if end <= start:
                continue
            best = None
            # widen with a compass word before, or a unit word after ("Anbar province")
            unit_last = end - start > 1 and doc[end - 1].lower_ in _UNITS  # "Borno State": Borno
            for s, e in ((start - 1, end + 1), (start - 1, end), (start, end + 1), (start, end),
                         *(((start, end - 1),) if unit_last else ())):
                if s < 0 or e > len(doc):
                    continue
                if s < start and doc[s].lower_ not in _COMPASS:
                    continue
                if e > end and doc[e - 1].lower_ not in _UNITS:
                    continue
                info = self.g.lookup(doc[s:e].text)
                if info is not None:
                    best = (s, e, info)
                    break
            if best is None:
                continue
            s, e, info = best
            place = doc[s:e]
            place._.place = info
            spans.append(place)
        # "Syrian territory", "Iraqi airspace": the country named by its adjective
        for tok in doc[:-1]:
            nxt = doc[tok.i + 1]
            country = self.demonyms.get(tok.lower_)
            if country is not None and nxt.lemma_.lower() in _LAND and tok.head == nxt:
                info = self.g.lookup(country)
                if info is not None:
                    place = doc[tok.i:tok.i + 2]
                    place._.place = info
                    spans.append(place)
        doc.spans["places"] = filter_spans(spans)
        if "actors" in doc.spans:
            _places_over_names(doc, self.g)
        return doc


def _places_over_names(doc: Doc, gazetteer: Gazetteer) -> None:
    """Where the gazetteer knows better than the entity tagger: 'Aden' in 'the Gulf of Aden' (a
    name inside a sea or region) is no actor, nor is 'British' in 'British Columbia' (a name
    inside a province or city of another country); a place the tagger took for an
    organization ('seized control of Crimea') stands for its country."""
    places = list(doc.spans["places"])
    info_of = {(p.start, p.end): p._.place for p in places}  # read once; kept up to date below
    bounds = [(p.start, p.end, p) for p in places]
    areas = {(s, e) for s, e, _p in bounds if not info_of[(s, e)].country and e - s > 1}
    cover: dict[int, list[tuple[int, int, Span]]] = {}  # token -> the places over it, in order
    for b in bounds:
        for i in range(b[0], b[1]):
            cover.setdefault(i, []).append(b)
    kept: list[Span] = []
    for a in doc.spans["actors"]:
        actor = a._.actor
        inside = [(s, e, p) for s, e, p in cover.get(a.start, ()) if a.end <= e and a.end - a.start < e - s]
        if any((s, e) in areas for s, e, _p in inside):
            continue
        abroad = next((p for s, e, p in inside if info_of[(s, e)].kind != "country" and info_of[(s, e)].country
                       and actor is not None and actor.country and actor.country != info_of[(s, e)].country),
                      None)
        if abroad is not None:
            if not any(k.start == abroad.start for k in kept):
                info = info_of[(abroad.start, abroad.end)]
                abroad._.actor = Actor(text=abroad.text, start=abroad.start_char, end=abroad.end_char,
                                       name=info.name, code=info.country, country=info.country, kind="state",
                                       resolved_by=f"place:{info.resolved_by or info.name}")
                kept.append(abroad)
            continue
        same = next((p for s, e, p in cover.get(a.start, ()) if (s, e) == (a.start, a.end) and info_of[(s, e)].country),
                    None)
        place = info_of[(a.start, a.end)] if same is not None else None
        if same is not None and place is not None and actor is not None and actor.kind == "state" \
                and actor.country and place.kind == "country" and actor.country != place.country:
            # a name two countries share ("Congo"): the country the actor finder chose for the document
            chosen = gazetteer.lookup(actor.name or "")
            if chosen is not None and chosen.country == actor.country:
                same._.place = info_of[(a.start, a.end)] = chosen
        elif same is not None and place is not None and actor is not None and \
                (actor.resolved_by or "").startswith("ner:"):
            a._.actor = actor.model_copy(update={
                "country": place.country, "code": f"{place.country}{actor.sector or ''}", "kind": "state",
                "resolved_by": f"place:{place.resolved_by or place.name}"})
        kept.append(a)
    doc.spans["actors"] = kept


def _named_after_place_preps(doc: Doc) -> list[Span]:
    """Proper names right after 'in', 'near', 'outside' whatever the tagger called them.

    The tagger often takes a town it has not seen for a language or a person ('near
    Belgorod'); the gazetteer decides whether the name is a place.
    """
    found = []
    for tok in doc:
        if (tok.pos_ == "PROPN" and tok.dep_ == "pobj" and tok.head.lower_ in _NEARBY
                and tok.ent_type_ not in _NOT_PLACES):
            start = tok.i
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head == tok:
                start -= 1
            found.append(doc[start:tok.i + 1])
    return found


@Language.factory(
    "realpolitik_places",
    assigns=["doc.spans", "span._.place"],
    requires=["doc.ents"],
    default_config={"actor_files": [], "shipped": True, "lexicon_files": []},
)
def make_places(nlp: Language, name: str, actor_files: list[str], shipped: bool,
                lexicon_files: list[str]) -> PlaceFinder:
    from .resources import Resources

    r = Resources.of(actor_files, shipped, lexicon_files)
    return PlaceFinder(nlp, r.gazetteer, r.demonyms)
