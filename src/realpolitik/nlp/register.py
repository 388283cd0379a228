"""realpolitik_register: who a document's later mentions refer to.

Real articles introduce people and countries once and then call them by surname, title,
pronoun or description: "Venezuelan leader Nicolás Maduro ... Mr Maduro", "South Korean
President Lee Myung-bak ... Lee", "the North", "the Central American nation", "the two
countries". This component keeps a register of the actors a document introduces, in order,
and resolves the mentions that do not say who they are on their own:

* a person named by surname or full name again, with or without Mr/Ms, is the person first
  introduced with that name ("Mr Okafor");
* a title alone ("the president", "the foreign minister", "the spokesman") is the last
  person introduced with that title;
* "the North", "the South", "the Kingdom" are the registered country whose name holds the word;
* "North and South Korea" is both Koreas;
* "the Central American nation", "the island country" is the country last named before the
  sentence; "the two countries", "both sides", "the two leaders" the last two named;
* the document's home country (its dateline's, else the one it names most) is kept for the
  event stage, which gives it to groups no sentence places ("the army", "the authorities").

It writes ``span._.resolved`` on actor spans it resolves, ``doc.spans["references"]`` for
descriptive mentions that are no actor phrase, with ``span._.actor``, and ``doc._.home``.
The event stage prefers ``span._.resolved`` to the mention's own actor.

Example::

    >>> import realpolitik
    >>> doc = realpolitik.Coder.shared().parse("Venezuelan leader Nicolás Maduro spoke. Mr Maduro later left.")
    >>> [(s.text, (s._.resolved or s._.actor).country) for s in doc.spans["actors"] if "Maduro" in s.text]
    [('Venezuelan leader Nicolás Maduro', 'VEN'), ('Mr Maduro', 'VEN')]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from . import extensions  # noqa: F401
from .phrases import dateline_end
from .resources import Resources

__all__ = ["Register", "make_register", "Referent"]

_TITLES = G.words("person_titles")
_HONORIFICS = G.words("honorifics")
_COUNTRY_NOUNS = G.words("country_nouns")
_PAIR_NOUNS = G.words("pair_nouns")
_PAIR_WORDS = G.words("pair_words")
_RELATIONS = G.words("relation_nouns")
_OWNERS = G.words("possessive_pronouns")


@dataclass
class Referent:
    """One actor the document introduced: the actor, the words that name it, the titles it
    was given, and where it was last mentioned."""

    actor: Actor
    names: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    last: int = 0
    count: int = 0


def _name_tokens(span: Span, person: bool) -> list[Token]:
    """The words of a person's name in a phrase ("Lee Myung-bak" in "South Korean President Lee
    Myung-bak"): the tagger's, else (for a phrase known to name a person) its capitalised names."""
    named = [t for t in span if t.ent_type_ == "PERSON" and t.lower_ not in _HONORIFICS]
    if named or not person:
        return named
    return [t for t in span if t.pos_ == "PROPN" and t.is_title and t.lower_ not in _TITLES
            and t.lower_ not in _HONORIFICS]


def _clause(tok: Token) -> int:
    """The verb whose clause holds the word (the word itself at the root)."""
    t = tok
    for _ in range(12):
        if t.pos_ in ("VERB", "AUX") or t.head == t:
            return t.i
        t = t.head
    return t.i


def _clauses(tok: Token) -> set[int]:
    """The clause of the word, and those whose subject or object controls it ('prompted
    Mexico to sever ties with the nation': Mexico's clause is the nation's too)."""
    out = {_clause(tok)}
    v = tok.doc[_clause(tok)]
    while v.dep_ == "xcomp" and v.head != v:
        v = v.head
        out.add(v.i)
    return out


def _titles(span: Span) -> set[str]:
    return {t.lower_ for t in span if t.lower_ in _TITLES}


def _couple(span: Span, a: Actor, country_at: dict[int, str]) -> tuple[str, ...] | None:
    """The two countries a mention names together with the one before it: 'Armenia and
    Azerbaijan' (one compound actor, or two joined by a conjunction); notes the mention's country."""
    countries = tuple(dict.fromkeys(m.country for m in a.members or (a,) if m.country))
    if len(countries) == 1:
        country_at[span.root.i] = countries[0]
        root = span.root
        other = country_at.get(root.head.i) if root.dep_ == "conj" else None
        if other and other != countries[0]:
            return (other, countries[0])
    return countries if len(countries) == 2 else None


def _with(actor: Actor, span: Span, how: str, **changes: object) -> Actor:
    """``actor`` as the referent of ``span`` (the span's own text and offsets)."""
    base = {"text": span.text, "start": span.start_char, "end": span.end_char,
            "resolved_by": f"{actor.resolved_by}+register:{how}"}
    return actor.model_copy(update={**base, **changes})


class Register:
    """The register component: it keeps no state between documents."""

    def __init__(self, resources: Resources):
        self.r = resources

    def __call__(self, doc: Doc) -> Doc:
        people: list[Referent] = []
        states: dict[str, Referent] = {}
        named = self._countries_by_sentence(doc)
        refs: list[Span] = []
        couples: list[tuple[str, ...]] = []  # countries named together ("Armenia and Azerbaijan")
        country_at: dict[int, str] = {}
        for kind, item in self._mentions(doc):
            if kind == "actor":
                resolved = item._.resolved = self._resolve(item, people)
                a = resolved or item._.actor
                self._note(item, a, people, states)
                if a is not None:
                    couple = _couple(item, a, country_at)
                    if couple:
                        couples.append(couple)
                continue
            if kind == "name":
                names = {t.lower_ for t in item}
                found = [p for p in people if names & p.names]
                if len(found) == 1:
                    item._.actor = _with(found[0].actor, item, "name", name=found[0].actor.name or found[0].actor.text)
                    refs.append(item)
                    self._note(item, item._.actor, people, states)
                continue
            span, head = item
            clause = _clauses(head)
            earlier = {c: verb for c, (at, verb) in named.get(span.sent.start, {}).items() if at < span.start}
            relation = head.lemma_.lower() in _RELATIONS  # "its neighbour" is none the sentence named
            same = {c for c, verb in earlier.items() if relation or verb in clause}
            before = [r for r in sorted(states.values(), key=lambda r: r.last) if r.actor.country not in same]
            actor = self._reference(span, head, before, states, couples)
            if actor is not None:
                span._.actor = actor
                refs.append(span)
                self._note(span, actor, people, states)
        doc._.home = self._home(doc, states)
        doc.spans["references"] = refs
        return doc

    @staticmethod
    def _countries_by_sentence(doc: Doc) -> dict[int, dict[str, tuple[int, int]]]:
        """Sentence start -> country -> where the sentence first names it, and that clause's verb."""
        out: dict[int, dict[str, tuple[int, int]]] = {}
        for s in sorted(doc.spans.get("actors", []), key=lambda s: s.start):
            a = s._.actor
            countries = [m.country for m in a.members or (a,) if m.country] if a is not None else []
            if countries:
                here = out.setdefault(s.sent.start, {})
                for c in countries:
                    if c not in here:
                        here[c] = (s.start, _clause(s.root))
        return out

    @staticmethod
    def _mentions(doc: Doc) -> list[tuple[str, Any]]:
        """Actor spans, names no actor phrase holds ('Abiy'), and candidate references ('the
        North', 'both sides'), in text order."""
        spans = list(doc.spans.get("actors", []))
        covered = {i for s in spans for i in range(s.start, s.end)}
        items: list[tuple[int, str, object]] = [(s.start, "actor", s) for s in spans]
        for tok in doc:
            if tok.i not in covered and tok.pos_ == "PROPN" and tok.is_title and \
                    (tok.i == 0 or doc[tok.i - 1].pos_ != "PROPN" or doc[tok.i - 1].i in covered):
                end = tok.i + 1  # a name alone ("Abiy", "Isaias Afwerki"): a person named before?
                while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title and end not in covered:
                    end += 1
                items.append((tok.i, "name", doc[tok.i:end]))
            low = tok.lower_
            if low != "the" and low not in _PAIR_WORDS and not (
                    low in _OWNERS and tok.head.lemma_.lower() in _RELATIONS):
                continue
            head = tok.head
            if head.i <= tok.i or head.i in covered or head.pos_ not in ("NOUN", "PROPN"):
                continue
            start = tok.i + 1 if tok.lower_ == "the" else tok.i
            items.append((start, "reference", (doc[start:head.i + 1], head)))
        return [(k, x) for _, k, x in sorted(items, key=lambda t: t[0])]

    # -- mentions that name an actor only through the document ----------------------------------

    def _resolve(self, span: Span, people: list[Referent]) -> Actor | None:
        a: Actor | None = span._.actor
        if a is None:
            return None
        if a.kind == "state" and a.country and span._.cue is not None:
            return self._ellipsis(span, a)
        guessed = a.kind == "organization" and not a.code  # "Ashton said": a surname the tagger took for a body
        if a.country or a.kind == "compound" or (a.kind == "organization" and not guessed):
            return None
        names = {t.lower_ for t in _name_tokens(span, a.kind == "person" or guessed)}
        if names:
            found = [p for p in people if names & p.names]
            if len({id(p) for p in found}) == 1:  # one person the document named so
                return _with(found[0].actor, span, "name", name=found[0].actor.name or found[0].actor.text)
            return None
        titles = _titles(span)
        definite = span.start > 0 and span.doc[span.start - 1].lower_ == "the"
        if titles and definite and span.root.tag_ not in ("NNS", "NNPS"):
            for p in reversed(people):  # the last person given that title
                if titles & p.titles:
                    return _with(p.actor, span, "title", sector=p.actor.sector or a.sector)
        return None

    def _ellipsis(self, span: Span, a: Actor) -> Actor | None:
        """'North and South Korea': the first word completes the name of another country."""
        doc = span.doc
        start, end = span._.cue
        if end - start < 2 or start < 2 or doc[start - 1].lower_ not in G.words("coordinators"):
            return None
        other = doc[start - 2]
        if not other.is_title:
            return None
        name = " ".join([other.text, *(t.text for t in doc[start + 1:end])])
        refs = [r for r in self.r.dictionary.index.get(name, []) if r.kind == "country"]
        if not refs or refs[0].key == a.country:
            return None
        first = self._state(refs[0].key, doc[start - 2:start - 1], "ellipsis")
        second = a.model_copy(update={"text": doc[start:end].text, "start": doc[start].idx,
                                      "end": doc[end - 1].idx + len(doc[end - 1])})
        return Actor(text=span.text, start=span.start_char, end=span.end_char,
                     name=f"{first.name} and {second.name}", code=f"{first.code}+{second.code}",
                     kind="compound", members=(first, second), resolved_by="compound+register:ellipsis")

    def _state(self, code: str, span: Span, how: str) -> Actor:
        c = self.r.dictionary.countries.get(code)
        return Actor(text=span.text, start=span.start_char, end=span.end_char, name=c.name if c else code,
                     code=code, country=code, kind="state", resolved_by=f"register:{how}")

    def _note(self, span: Span, a: Actor | None, people: list[Referent], states: dict[str, Referent]) -> None:
        """Put the actor a mention names in the register."""
        if a is None:
            return
        for m in a.members or (a,):
            if m.country:
                ref = states.get(m.country)
                if ref is None:
                    ref = states[m.country] = Referent(self._state(m.country, span, "country"))
                ref.last, ref.count = span.start, ref.count + 1
        names = {t.lower_ for t in _name_tokens(span, a.kind == "person")}
        if names and (a.country or a.code) and not a.members:
            same = next((p for p in people if names & p.names), None)
            if same is None:
                same = Referent(a)
                people.append(same)
            same.names |= names
            same.titles |= _titles(span)
            same.last, same.count = span.start, same.count + 1
            people.remove(same)
            people.append(same)  # the most recent last

    # -- the document's home, and mentions that are no actor phrase -------------------------------

    def _home(self, doc: Doc, states: dict[str, Referent]) -> str | None:
        """The country of the dateline (of a name many places hold, the holder the document names
        most), else the country the document mentions most (first on a tie)."""
        for sent in list(doc.sents)[:6]:
            end = dateline_end(sent)
            if end == sent.start:
                continue
            for k in range(end - sent.start, 0, -1):  # "QUITO, Ecuador --", "TRIPOLI:", "KILIS, Turkey --"
                words = [t.text for t in doc[sent.start:sent.start + k] if not t.is_punct]
                holders = [p.country for p in self.r.gazetteer.holders(
                    " ".join(w.title() if w.isupper() else w for w in words)) if p.country]
                if holders:
                    # 'VICTORIA --' in an article about Canada: the holder the document names most
                    named = [c for c in holders if c in states]
                    return max(named, key=lambda c: states[c].count) if named else holders[0]
        if not states:
            return None
        counts = Counter({k: r.count for k, r in states.items()})
        best = max(counts.values())
        return min((r.last, k) for k, r in states.items() if counts[k] == best)[1]

    def _reference(self, span: Span, head: Token, before: list[Referent],
                   states: dict[str, Referent], couples: list[tuple[str, ...]]) -> Actor | None:
        if head.is_title and head.pos_ == "PROPN" and len(span) <= 2:
            # "the North": the one registered country whose name holds the word
            names = {k: (self.r.dictionary.countries[k].name if k in self.r.dictionary.countries else k)
                     for k in states}
            hits = [k for k, n in names.items() if head.text in n.split() and n != head.text]
            return self._state(hits[0], span, "name-word") if len(hits) == 1 else None
        low = head.lemma_.lower()
        words = {t.lower_ for t in span}
        if low in _PAIR_NOUNS and ((head.tag_ in ("NNS", "NNPS") and words & _PAIR_WORDS) or (
                head.tag_ == "NN" and "each" in words)):
            # the two last named together, else the two last named
            pair = list(couples[-1]) if couples else [
                k for k in sorted(states, key=lambda k: states[k].last) if states[k].last < span.start][-2:]
            if len(pair) == 2:
                members = tuple(self._state(k, span, "pair") for k in pair)
                return Actor(text=span.text, start=span.start_char, end=span.end_char,
                             name=" and ".join(m.name or "" for m in members),
                             code="+".join(m.code or "?" for m in members), kind="compound",
                             members=members, resolved_by="compound+register:pair")
        if head.tag_ == "NN" and low in _RELATIONS and before:
            # "cut ties with its neighbour": the last other country named, not the one acting
            return self._state(before[-1].actor.country or "", span, "relation")
        if head.tag_ == "NN" and low in _COUNTRY_NOUNS and before and not any(c.dep_ == "poss" for c in head.children):
            fits = self._fitting(span, low, [r.actor.country or "" for r in before])
            return self._state(fits[-1], span, "description") if fits else None
        return None

    def _fitting(self, span: Span, noun: str, codes: list[str]) -> list[str]:
        """The countries a description can be: 'the kingdom' a kingdom, 'the Central American nation'
        one of that region, when one of them is; else all of them."""
        countries = self.r.dictionary.countries
        text = span.text.lower()
        out = codes
        if noun in G.words("state_forms"):
            forms = [c for c in out if c in countries and noun in (countries[c].official or "").lower()]
            out = forms or out
        for words, places in G.table("region_words").items():
            if words in text:
                placed = [c for c in out if c in countries and (set(countries[c].regions) | {
                    self.r.continents.get(c, "")}) & set(places)]
                out = placed or out
        return out


@Language.factory(
    "realpolitik_register",
    assigns=["span._.resolved", "doc.spans", "doc._.home"],
    requires=["doc.spans", "span._.actor", "span._.place"],
    default_config={"actor_files": [], "shipped": True, "lexicon_files": []},
)
def make_register(nlp: Language, name: str, actor_files: list[str], shipped: bool,
                  lexicon_files: list[str]) -> Register:
    return Register(Resources.of(actor_files, shipped, lexicon_files))
