"""realpolitik_actors: find actor mentions and resolve them with the actor dictionary.

Writes ``doc.spans["actors"]``: one span per actor noun phrase ("Iraq's then-Prime Minister
Haider Al-Abadi", "Iraqi military officials", "the Popular Mobilization Forces",
"protesters"), each with ``span._.actor`` (an :class:`~realpolitik.model.Actor` resolved
on the document date) and ``span._.refs`` (the dictionary entries the name may stand for,
so that later stages can re-resolve a person at the date of the event).

How a phrase == read:

* names come from the dictionaries (countries and their demonyms and seats of power,
  organizations, people) and, for names the dictionaries lack, from the named-entity
  tagger (people, organizations, and cities through the gazetteer);
* a name that modifies a noun naming a sector takes that noun's phrase: "Iraqi" in
  "Iraqi military officials" gives IRQ with sector MIL (the sector words of
  ``actors/data/sectors.yaml``, highest-ranked first);
* a noun naming a sector with no name in its phrase ("the rebels") == an actor without a
  country (kind ``group``).

Example::

    >>> import realpolitik
    >>> doc = realpolitik.Coder.shared().parse("Iraqi military officials welcomed the move.")
    >>> [(s.text, s._.actor.code) for s in doc.spans["actors"]]
    [('Iraqi military officials', 'IRQMIL')]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..actors import ActorDictionary, AliasRef
from ..actors.dictionary import Resolution
from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from ..places import Gazetteer
from . import extensions  # noqa: F401  (declares the extensions)
from .mentions import Mention, NameFinder, resolve_refs
from .phrases import CHAIN_DEPS, entity_at, is_nominal, lemma, modifier_chain, phrase_bounds, words_of

__all__ = ["ActorFinder", "make_actors", "resolve_refs"]

_QUANT = G.words("quantifiers")


def _own_phrase(noun: Token) -> list[Token]:
    """The noun, its modifiers, appositions and of-phrases, but no other prepositional phrase:
    "the West Bank city of Hebron", "East Timor's capital Dili" (not "members of IS in Istanbul")."""
    out = [noun]
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "poss", "nmod", "appos"):
            out += _own_phrase(c)
        elif c.dep_ == "prep" and c.lower_ == "of":
            out += [t for g in c.children if g.dep_ == "pobj" for t in _own_phrase(g)]
    return out


_OWN_PREFIX = G.words("own_prefix_participles")


class ActorFinder:
    """The actor component. Build it with ``nlp.add_pipe("realpolitik_actors")``."""

    def __init__(self, nlp: Language, dictionary: ActorDictionary, gazetteer: Gazetteer):
        self.d = dictionary
        self.gazetteer = gazetteer
        self.names = NameFinder(nlp, dictionary, gazetteer)

    # -- building phrases -----------------------------------------------------------------

    def _head_of(self, doc: Doc, m: Mention) -> Token:
        """The noun whose phrase the mention belongs to ('officials' for 'Iraqi')."""
        root = doc[m.start:m.end].root
        h = root
        if root.dep_ == "npadvmod" and root.head.lower_ in _OWN_PREFIX and root.head.dep_ == "amod" \
                and is_nominal(root.head.head):
            return root.head.head  # "Vietnamese-led forces": the forces are Vietnam's
        while (h.dep_ in CHAIN_DEPS and h.head != h and h.head.i > h.i
               and is_nominal(h.head) and h.head.i <= m.end + 6):
            h = h.head
            if self._is_sector_noun(h):
                break  # "the Iraqi government's demand": the phrase ends at 'government'

        if h == root and root.dep_ == "pobj" and root.head.lower_ == "of":
            owner = root.head.head  # "the government of Iraq", "forces of Assad"
            if is_nominal(owner) and self._is_sector_noun(owner):
                h = owner
        return h

    @staticmethod
    def _hyphen_prefix(doc: Doc, m: Mention) -> bool:
        """'Iran-' in 'Iran- and Iraq-allied', 'Iraq' in 'Iraq-allied': a prefix of a participle."""
        last = doc[m.end - 1]
        if last.text.endswith("-"):
            return True
        if m.end + 1 >= len(doc) or doc[m.end].text != "-" or last.whitespace_:
            return False
        after = doc[m.end + 1]
        if after.lower_ in _OWN_PREFIX:
            return False  # "Vietnamese-led forces", "Russian-run": the forces are the prefix's own
        return after.lower_ in G.words("hyphen_coordinators") or (after.tag_ in ("VBN", "VBD", "JJ") and after.is_lower)

    @staticmethod
    def _pp_cue(head: Token, by_token: dict[int, Mention]) -> Mention | None:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in G.words("owner_place_preps"):
                for g in c.children:
                    if g.dep_ == "pobj" and g.i in by_token and by_token[g.i].refs:
                        return by_token[g.i]
        return None

    def _is_sector_noun(self, tok: Token) -> bool:
        return lemma(tok) in self.d.sector_words or tok.lower_ in self.d.sector_words

    def _is_actor_head(self, tok: Token) -> bool:
        return lemma(tok) in self.d.actor_heads or tok.lower_ in self.d.actor_heads

    def __call__(self, doc: Doc) -> Doc:
        day = doc._.doc_date
        mentions = self.names(doc)
        by_token: dict[int, Mention] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                by_token[i] = m
        heads_done: set[int] = set()
        spans = self._name_phrases(doc, mentions, by_token, heads_done, day)
        spans += self._group_phrases(doc, spans, heads_done, day)
        spans.sort(key=lambda s: (s.start, -s.end))
        doc.spans["actors"] = spans
        return doc

    def _name_phrases(self, doc: Doc, mentions: list[Mention], by_token: dict[int, Mention],
                      heads_done: set[int], day: dt.date | None) -> list[Span]:
        """The phrase around each name: 'Iraqi military officials', 'the government of Iraq'."""
        absorbed: set[int] = set()
        spans: list[Span] = []
        for m in mentions:
            if id(m) in absorbed:
                continue
            root = doc[m.start:m.end].root
            up = by_token.get(root.head.i)
            if root.dep_ in CHAIN_DEPS | {"npadvmod"} and up is not None and up is not m and \
                    root.head.i > root.i and not self._hyphen_prefix(doc, m):
                continue  # a modifier of another name ('U.S.' in 'U.S./U.K.'): read with it
            head = self._head_of(doc, m)
            head_m = by_token.get(head.i)
            if head.i >= m.end and head_m is None and not self._is_sector_noun(head) and not self._is_actor_head(head):
                stop = self._last_sector_word(doc, m, head)
                if stop is None:
                    spans.append(self._modifier_phrase(doc, m, by_token, absorbed, day))
                    continue
                head = stop
            if head.i in heads_done:
                absorbed.add(id(m))
                continue
            heads_done.add(head.i)
            cues = self._cues(doc, m, head, head_m, by_token, absorbed)
            start, end = phrase_bounds(head)
            start = min(start, min(c.start for c in cues))
            end = max(end, max(c.end for c in cues))
            spans.append(self._build(doc, start, end, head, cues, day))
        return spans

    def _last_sector_word(self, doc: Doc, m: Mention, head: Token) -> Token | None:
        """'Iraqi Shi'a militia operations': the last sector word between the name and the head."""
        stop = None
        for t in doc[m.end:head.i]:
            if (t.dep_ == "compound" and t.pos_ in ("NOUN", "PROPN") and self._is_sector_noun(t)
                    and t.head.i in range(t.i, head.i + 1)):
                stop = t
        return stop

    def _modifier_phrase(self, doc: Doc, m: Mention, by_token: dict[int, Mention], absorbed: set[int],
                         day: dt.date | None) -> Span:
        """A name that modifies a noun naming no actor ('Iraqi oil'): the name's own phrase."""
        root = doc[m.start:m.end].root
        start, _end = phrase_bounds(root)
        start = min(start, m.start)
        own = [m] + [by_token[t.i] for t in modifier_chain(root) if t.i in by_token and by_token[t.i] is not m]
        for c in own:
            absorbed.add(id(c))
        return self._build(doc, start, m.end, root, own, day, own_phrase=False)

    def _cues(self, doc: Doc, m: Mention, head: Token, head_m: Mention | None, by_token: dict[int, Mention],
              absorbed: set[int]) -> list[Mention]:
        """The names in a head's phrase that may say whose it is."""
        cues = [m] if head_m is None else [head_m]
        for t in modifier_chain(head):
            tm = by_token.get(t.i)
            if tm is not None and tm not in cues and not self._hyphen_prefix(doc, tm):
                cues.append(tm)
        if self._hyphen_prefix(doc, m) and head_m is None and len(cues) == 1:
            # "the Iran-allied regime in Damascus": the place names the regime, not the prefix
            pp = self._pp_cue(head, by_token)
            if pp is not None:
                cues = [pp]
                absorbed.add(id(m))
        for c in cues:
            absorbed.add(id(c))
        return cues

    def _group_phrases(self, doc: Doc, spans: list[Span], heads_done: set[int], day: dt.date | None) -> list[Span]:
        """Sector nouns with no name: "the rebels", "protesters", "security forces"."""
        out: list[Span] = []
        covered = {i for s in spans for i in range(s.start, s.end)}
        for tok in doc:
            if tok.i in covered or not is_nominal(tok) or tok.i in heads_done:
                continue
            if not self._is_actor_head(tok):
                continue
            if tok.head.i > tok.i and tok.dep_ in CHAIN_DEPS and self._is_actor_head(tok.head):
                continue  # the head of the phrase comes later ("security forces")
            if tok.dep_ == "compound" and lemma(tok.head) in G.words("craft_nouns"):
                continue  # "fighter jets", "bomber aircraft": a kind of aircraft, not fighters
            start, end = phrase_bounds(tok)
            heads_done.add(tok.i)
            out.append(self._build(doc, start, end, tok, [], day))
            covered.update(range(start, end))
        return out

    def _build(self, doc: Doc, start: int, end: int, head: Token, cues: list[Mention],
               day: dt.date | None, own_phrase: bool = True) -> Span:
        """The actor span of a phrase, with its actor, the dictionary entries and the cue."""
        span = doc[start:end]
        # the words of a state's own name are not sector words ("West Bank", "State of Palestine")
        named_state = frozenset(i for c in cues if c.place_country or (
            c.refs and all(r.kind in ("country", "demonym") for r in c.refs)) for i in range(c.start, c.end))
        words = words_of(doc, start, end, named_state) if own_phrase else words_of(doc, head.i, head.i + 1)
        phrase_sector = self.d.sector_of(words)
        named = [c for c in cues if c.refs]
        compound = self._compound(doc, span, named, phrase_sector, day)
        if compound is not None:
            span._.actor, span._.refs, span._.cue = compound, (), None
            return span
        # the cue nearest the head names the actor ("Russia's Syrian allies" -> Syria)
        primary = min(named, key=lambda c: (0 if c.start <= head.i < c.end else 1, abs(head.i - c.end))) \
            if named else None
        refs: tuple[AliasRef, ...] = primary.refs if primary is not None else ()
        res = resolve_refs(self.d, refs, day)
        span._.cue = (primary.start, primary.end) if primary is not None else None
        ethnic = self._ethnic(span, head, primary, res, words, phrase_sector)
        if ethnic is not None:
            span._.actor, span._.refs = ethnic, ()
            return span
        if res is not None:
            actor = self._resolved(doc, span, head, primary, res, phrase_sector)
        else:
            actor = self._unresolved(doc, span, head, cues, phrase_sector)
        span._.actor, span._.refs = actor, refs
        return span

    def _compound(self, doc: Doc, span: Span, named: list[Mention], phrase_sector: str | None,
                  day: dt.date | None) -> Actor | None:
        """Several different states joined by 'and' in one phrase: a compound actor."""
        states: list[tuple[Mention, Resolution]] = []
        for c in named:
            r = resolve_refs(self.d, c.refs, day)
            statelike = r is not None and (r.kind == "state" or (
                r.kind == "organization" and r.code in self.d.organizations
                and self.d.organizations[r.code].kind == "state_body" and r.country))
            if r is not None and statelike and r.country not in [s[1].country for s in states]:
                states.append((c, r))
        states.sort(key=lambda x: x[0].start)
        joined = any(all(t.text in G.words("state_joiners") for t in doc[a.end:b.start]) and b.start > a.end
                     for (a, _), (b, _) in zip(states, states[1:], strict=False))
        if not (len(states) > 1 and (joined or any(doc[c.start:c.end].root.dep_ == "conj" for c, _ in states))):
            return None
        members = tuple(self._actor(doc[c.start:c.end], r, phrase_sector, "state") for c, r in states)
        return Actor(text=span.text, start=span.start_char, end=span.end_char,
                     name=" and ".join(r.name for _, r in states), code="+".join(a.code or "?" for a in members),
                     kind="compound", members=members, resolved_by="compound")

    def _ethnic(self, span: Span, head: Token, primary: Mention | None, res: Resolution | None,
                words: list[str], phrase_sector: str | None) -> Actor | None:
        """'ethnic Albanians', 'Albanians of southern Serbia': a people, placed where they live."""
        if primary is None or res is None or not any(r.kind == "demonym" for r in primary.refs):
            return None
        marked = "ethnic" in words
        if not (marked or (primary.start <= head.i < primary.end and head.tag_ in ("NNS", "NNPS"))):
            return None
        where = self._located(head)
        if not (marked or where is not None):
            return None
        country = where.country if where is not None else None
        sector = phrase_sector or "CVL"
        return Actor(text=span.text, start=span.start_char, end=span.end_char, name=span.text,
                     code=f"{country or ''}{sector}", country=country, sector=sector, kind="group",
                     resolved_by=f"{res.resolved_by}+ethnic" + (f"+place:{where.resolved_by}" if where else ""))

    def _resolved(self, doc: Doc, span: Span, head: Token, primary: Mention | None, res: Resolution,
                  phrase_sector: str | None) -> Actor:
        """A phrase whose name the dictionary knows."""
        sector: str | None
        if res.kind == "state":
            sector = phrase_sector or res.sector
            if primary is not None and sector is None and self._people_noun(doc, primary, head):
                sector = "CVL"
        elif res.kind == "person":
            sector = res.sector
        else:
            sector = res.sector if res.sector not in (None, "GOV") else (phrase_sector or res.sector)
        return self._actor(span, res, sector, res.kind)

    def _unresolved(self, doc: Doc, span: Span, head: Token, cues: list[Mention],
                    phrase_sector: str | None) -> Actor:
        """A phrase with a name only the tagger knows, or with no name ('the rebels')."""
        unknown = next((c for c in cues if c.ner), None)
        country = unknown.place_country if unknown else None
        name = (unknown.place_name or doc[unknown.start:unknown.end].text) if unknown else None
        kind: Any
        sector: str | None
        if unknown is not None and unknown.ner in ("GPE", "FAC"):
            kind, sector, via = "state", phrase_sector or "CVL", "gazetteer"
        elif unknown is not None:
            kind = "person" if unknown.ner == "PERSON" else "organization"
            sector = phrase_sector or self._org_sector(doc, unknown)
            via = f"ner:{unknown.ner}"
            where = self._located(head) if country is None else None
            if where is not None:  # "King Hassan of Morocco", "the Bar Association of Kenya"
                country, via = where.country, f"{via}+place:{where.resolved_by}"
        else:
            kind, sector, via, name = "group", phrase_sector, "sector-words", None
            where = self._located(head)
            if where is not None:  # "protesters in Najaf", "residents of Mosul"
                country, via = where.country, f"sector-words+place:{where.resolved_by}"
        code = f"{country}{sector or ''}" if country else sector
        return Actor(text=span.text, start=span.start_char, end=span.end_char, name=name, code=code,
                     country=country, sector=sector, kind=kind, resolved_by=via)

    def _located(self, head: Token):
        """The place a phrase says its people are in: "protesters in Najaf", "prisoners in East
        Timor's capital Dili", "settlers in the West Bank city of Hebron"."""
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in G.words("residence_preps"):
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    # the place the tagger saw, whole ("the Democratic Republic of Congo"), first
                    ent = entity_at(g) if g.ent_type_ in ("GPE", "LOC") else None
                    whole = self.gazetteer.lookup(ent.text.removeprefix("the ")) if ent is not None else None
                    if whole is not None and whole.country:
                        return whole
                    # the noun and the names inside its phrase, nearest the noun last
                    names = [t for t in _own_phrase(g) if t.pos_ == "PROPN" and t.ent_type_ not in ("PERSON", "ORG")]
                    for t in sorted(names, key=lambda t: (t != g, -t.i)):
                        found = next(((start, info) for start in range(t.left_edge.i, t.i + 1)
                                      if (info := self.gazetteer.lookup(head.doc[start:t.i + 1].text))), None)
                        if found is None or not found[1].country:
                            continue
                        start, info = found
                        # a lone word that is only some small town's name ("Freedom", "Horn" of "Horn
                        # of Africa") is not a place unless the tagger saw that very word as a place
                        alone = t.ent_type_ in ("GPE", "LOC", "FAC") and t.ent_iob_ == "B" and (
                            t.i + 1 >= len(t.doc) or t.doc[t.i + 1].ent_iob_ != "I")
                        if start == t.i and info.kind == "city" and not alone:
                            continue
                        return info
        return None

    def _people_noun(self, doc: Doc, m: Mention, head: Token) -> bool:
        """'many Iraqis', 'thousands of Kurds': a plural demonym naming people, not the state."""
        tok = doc[m.end - 1]
        if not (m.start <= head.i < m.end) or tok.tag_ not in ("NNS", "NNPS"):
            return False
        if not any(r.kind == "demonym" for r in m.refs):
            return False
        return any(c.lower_ in _QUANT or c.like_num for c in tok.lefts) or (
            tok.head.lower_ == "of" and tok.head.head.lower_ in _QUANT)

    def _org_sector(self, doc: Doc, m: Mention) -> str | None:
        return self.d.sector_of(words_of(doc, m.start, m.end))

    def _actor(self, span: Span, res: Resolution, sector: str | None, kind: Any) -> Actor:
        state_body = res.kind == "organization" and res.code in self.d.organizations and \
            self.d.organizations[res.code].kind == "state_body"
        if res.kind == "state" or (res.kind == "person" and res.country) or (state_body and res.country):
            code = f"{res.country}{sector or ''}" if res.country else res.code
        else:
            code = res.code
        return Actor(text=span.text, start=span.start_char, end=span.end_char, name=res.name,
                     code=code, country=res.country, sector=sector, kind=kind,
                     resolved_by=res.resolved_by)


@Language.factory(
    "realpolitik_actors",
    assigns=["doc.spans", "span._.actor", "span._.refs"],
    requires=["token.dep", "token.pos", "token.lemma", "doc.ents"],
    default_config={"actor_files": [], "shipped": True, "lexicon_files": []},
)
def make_actors(nlp: Language, name: str, actor_files: list[str], shipped: bool,
                lexicon_files: list[str]) -> ActorFinder:
    from .resources import Resources

    r = Resources.of(actor_files, shipped, lexicon_files)
    return ActorFinder(nlp, r.dictionary, r.gazetteer)
