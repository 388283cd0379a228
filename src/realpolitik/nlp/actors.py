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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..actors import ActorDictionary, AliasRef, load_actor_dictionary
from ..actors.dictionary import Resolution
from ..model import Actor
from ..places import Gazetteer, load_gazetteer
from . import extensions  # noqa: F401  (declares the extensions)
from .phrases import CHAIN_DEPS, dateline_end, is_nominal, lemma, modifier_chain, phrase_bounds, words_of

__all__ = ["ActorFinder", "make_actors", "resolve_refs"]

_REF_RANK = {"person": 0, "organization": 1, "country": 2, "seat": 3, "demonym": 4}
_NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "FAC"})
_QUANT = frozenset({"many", "some", "several", "thousands", "hundreds", "dozens", "millions",
                    "most", "ordinary", "angry", "young", "local", "few", "all"})


@dataclass
class _Mention:
    start: int
    end: int
    refs: tuple[AliasRef, ...]
    ner: str | None = None  # NER label when the dictionaries do not know the name
    place_country: str | None = None  # country of a city named only in the gazetteer
    place_name: str | None = None


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


_OWN_PREFIX = frozenset({"led", "run", "controlled", "commanded", "dominated", "owned", "operated", "based",
                         "flagged", "registered", "manned", "crewed"})


class _SpellingIndex:
    """Country names and demonyms reachable by one edit (a letter dropped, added, changed or
    two swapped), for names of at least ``MIN`` letters that no other entry spells exactly."""

    MIN = 6

    def __init__(self, d: ActorDictionary):
        self.refs: dict[str, tuple[AliasRef, ...]] = {}
        self.by_variant: dict[str, set[str]] = {}
        for name, refs in d.index.items():
            if " " in name or "-" in name or len(name) < self.MIN or not name[:1].isupper():
                continue
            if not refs or any(r.kind not in ("country", "demonym") for r in refs):
                continue
            if len({r.key for r in refs}) != 1:
                continue
            low = name.lower()
            self.refs[low] = tuple(AliasRef(r.kind, r.key, f"{r.via}~spelling") for r in refs)
            for v in self._variants(low):
                self.by_variant.setdefault(v, set()).add(low)

    @staticmethod
    def _variants(word: str) -> set[str]:
        return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}

    def lookup(self, word: str) -> tuple[AliasRef, ...]:
        low = word.lower()
        if low in self.refs:
            return ()  # spelt right: the exact matcher's business
        cands: set[str] = set()
        for v in self._variants(low):
            cands |= self.by_variant.get(v, set())
        hits = {c for c in cands if _one_edit(low, c)}
        keys = {self.refs[c][0].key for c in hits}
        if len(keys) != 1:
            return ()
        return self.refs[min(hits)]


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one insertion, deletion, substitution or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def resolve_refs(d: ActorDictionary, refs: Sequence[AliasRef], day: dt.date | None) -> Resolution | None:
    """The best resolution among ``refs`` on ``day``: people, then organizations, then states."""
    if not refs:
        return None
    ref = min(refs, key=lambda r: _REF_RANK[r.kind])
    return d.resolve(ref, day)


class ActorFinder:
    """The actor component. Build it with ``nlp.add_pipe("realpolitik_actors")``."""

    def __init__(self, nlp: Language, dictionary: ActorDictionary, gazetteer: Gazetteer):
        self.d = dictionary
        self.gazetteer = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.names: dict[int, str] = {}
        lower_names: list[str] = []
        exact_names: list[str] = []
        for name in dictionary.index:
            if name.isupper() and len(name.replace(".", "")) <= 5:
                exact_names.append(name)
            else:
                lower_names.append(name)
        for names, matcher in ((lower_names, self.matcher), (exact_names, self.exact)):
            for name in names:
                doc = nlp.make_doc(name)
                key = nlp.vocab.strings.add(name)
                self.names[key] = name
                matcher.add(name, [doc])
        self.lowered: dict[str, list[str]] = {}
        for name in lower_names:
            self.lowered.setdefault(name.lower(), []).append(name)
        self.misspelt = _SpellingIndex(dictionary)

    # -- finding names --------------------------------------------------------------------

    def _refs(self, key: int, span: Span) -> tuple[AliasRef, ...]:
        name = self.names[key]
        refs = self.d.index.get(name, [])
        if not name.isupper():
            # the name matched ignoring case: take every spelling that folds to it
            refs = [r for n in self.lowered.get(name.lower(), [name]) for r in self.d.index[n]]
        out: list[AliasRef] = []
        seen = set()
        for r in refs:
            k = (r.kind if r.kind != "seat" else "country", r.key)
            if k not in seen:
                seen.add(k)
                out.append(r)
        return tuple(out)

    def _names(self, doc: Doc) -> list[_Mention]:
        datelines: set[int] = set()
        for sent in doc.sents:
            datelines.update(range(sent.start, dateline_end(sent)))
        found: dict[tuple[int, int], int] = {}
        for key, s, e in self.matcher(doc):
            text = doc[s:e].text
            # a lower-case match of a capitalised name is an ordinary word ("turkey", "chad")
            if text.islower() and not self.names[key].islower():
                continue
            found.setdefault((s, e), key)
        for key, s, e in self.exact(doc):
            found[(s, e)] = key
        spans = [Span(doc, s, e, label=k) for (s, e), k in found.items() if s not in datelines]
        kept = [s for s in filter_spans(spans) if not self._inside_place(doc, s)]
        mentions = [_Mention(s.start, s.end, self._refs(s.label, s)) for s in kept]
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for tok in doc:
            # "Ethopia", "Phillipines": a country's name one slip of the keyboard away
            if tok.i in taken or tok.i in datelines or not tok.is_title or len(tok) < _SpellingIndex.MIN \
                    or tok.pos_ not in ("PROPN", "ADJ", "NOUN") or self.gazetteer.lookup(tok.text) is not None:
                continue
            refs = self.misspelt.lookup(tok.text)
            if refs:
                mentions.append(_Mention(tok.i, tok.i + 1, refs))
                taken.add(tok.i)
        for ent in doc.ents:
            if ent.label_ not in _NER_LABELS or any(i in taken or i in datelines for i in range(ent.start, ent.end)):
                continue
            start = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
            end = ent.end
            if end > start and doc[end - 1].tag_ == "POS":
                end -= 1
            if end <= start:
                continue
            m = _Mention(start, end, (), ner=ent.label_)
            if ent.label_ in ("GPE", "FAC"):
                info = self.gazetteer.lookup(doc[start:end].text)
                if info is None or info.country is None:
                    continue
                m.place_country, m.place_name = info.country, info.name
            mentions.append(m)
            taken.update(range(start, end))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _inside_place(self, doc: Doc, span: Span) -> bool:
        """A person's name that begins a longer place name ("Al-Asad air base")."""
        if any(r.kind != "person" for r in self._refs(span.label, span)):
            return False
        for extra in (3, 2, 1):
            end = span.end + extra
            if end <= len(doc) and all(not t.is_punct for t in doc[span.end:end]):
                info = self.gazetteer.lookup(doc[span.start:end].text)
                if info is not None and info.country:
                    return True
        return False

    # -- building phrases -----------------------------------------------------------------

    def _head_of(self, doc: Doc, m: _Mention) -> Token:
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
    def _hyphen_prefix(doc: Doc, m: _Mention) -> bool:
        """'Iran-' in 'Iran- and Iraq-allied', 'Iraq' in 'Iraq-allied': a prefix of a participle."""
        last = doc[m.end - 1]
        if last.text.endswith("-"):
            return True
        if m.end + 1 >= len(doc) or doc[m.end].text != "-" or last.whitespace_:
            return False
        after = doc[m.end + 1]
        if after.lower_ in _OWN_PREFIX:
            return False  # "Vietnamese-led forces", "Russian-run": the forces are the prefix's own
        return after.lower_ in ("and", "or") or (after.tag_ in ("VBN", "VBD", "JJ") and after.is_lower)

    @staticmethod
    def _pp_cue(head: Token, by_token: dict[int, _Mention]) -> _Mention | None:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "of"):
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
        mentions = self._names(doc)
        by_token: dict[int, _Mention] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                by_token[i] = m
        absorbed: set[int] = set()
        spans: list[Span] = []
        heads_done: set[int] = set()

        # 1. phrases around names
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
                # 'Iraqi Shi'a militia operations': stop at the last sector word before the head
                stop = None
                for t in doc[m.end:head.i]:
                    if (t.dep_ == "compound" and t.pos_ in ("NOUN", "PROPN") and self._is_sector_noun(t)
                            and t.head.i in range(t.i, head.i + 1)):
                        stop = t
                if stop is None:
                    root = doc[m.start:m.end].root
                    start, _end = phrase_bounds(root)
                    start = min(start, m.start)
                    own = [m] + [by_token[t.i] for t in modifier_chain(root)
                                 if t.i in by_token and by_token[t.i] is not m]
                    for c in own:
                        absorbed.add(id(c))
                    span = self._build(doc, start, m.end, root, own, day, own_phrase=False)
                    spans.append(span)
                    continue
                head = stop
            if head.i in heads_done:
                absorbed.add(id(m))
                continue
            heads_done.add(head.i)
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
            start, end = phrase_bounds(head)
            start = min(start, min(c.start for c in cues))
            end = max(end, max(c.end for c in cues))
            spans.append(self._build(doc, start, end, head, cues, day))

        # 2. sector nouns with no name: "the rebels", "protesters", "security forces"
        covered = {i for s in spans for i in range(s.start, s.end)}
        for tok in doc:
            if tok.i in covered or not is_nominal(tok) or tok.i in heads_done:
                continue
            if not self._is_actor_head(tok):
                continue
            if tok.head.i > tok.i and tok.dep_ in CHAIN_DEPS and self._is_actor_head(tok.head):
                continue  # the head of the phrase comes later ("security forces")
            start, end = phrase_bounds(tok)
            heads_done.add(tok.i)
            spans.append(self._build(doc, start, end, tok, [], day))
            covered.update(range(start, end))

        spans.sort(key=lambda s: (s.start, -s.end))
        doc.spans["actors"] = spans
        return doc

    def _build(self, doc: Doc, start: int, end: int, head: Token, cues: list[_Mention],
               day: dt.date | None, own_phrase: bool = True) -> Span:
        span = doc[start:end]
        # the words of a state's own name are not sector words ("West Bank", "State of Palestine")
        named_state = frozenset(i for c in cues if c.place_country or (
            c.refs and all(r.kind in ("country", "demonym") for r in c.refs)) for i in range(c.start, c.end))
        words = words_of(doc, start, end, named_state) if own_phrase else words_of(doc, head.i, head.i + 1)
        phrase_sector = self.d.sector_of(words)
        named = [c for c in cues if c.refs]
        refs: tuple[AliasRef, ...] = ()
        # several different states joined by 'and' in one phrase: a compound actor
        states: list[tuple[_Mention, Resolution]] = []
        for c in named:
            r = resolve_refs(self.d, c.refs, day)
            statelike = r is not None and (r.kind == "state" or (
                r.kind == "organization" and r.code in self.d.organizations
                and self.d.organizations[r.code].kind == "state_body" and r.country))
            if r is not None and statelike and r.country not in [s[1].country for s in states]:
                states.append((c, r))
        states.sort(key=lambda x: x[0].start)
        ordered = states
        joined = any(all(t.text in ("/", "-", "–", "and", ",") for t in doc[a.end:b.start]) and b.start > a.end
                     for (a, _), (b, _) in zip(ordered, ordered[1:], strict=False))
        conj = len(states) > 1 and (joined or any(
            doc[c.start:c.end].root.dep_ == "conj" for c, _ in states))
        if conj:
            members = tuple(
                self._actor(doc[c.start:c.end], r, phrase_sector, "state") for c, r in states)
            actor = Actor(text=span.text, start=span.start_char, end=span.end_char,
                          name=" and ".join(r.name for _, r in states),
                          code="+".join(a.code or "?" for a in members), kind="compound",
                          members=members, resolved_by="compound")
            span._.actor = actor
            span._.refs = ()
            span._.cue = None
            return span
        # the cue nearest the head names the actor ("Russia's Syrian allies" -> Syria)
        primary = None
        if named:
            primary = min(named, key=lambda c: (0 if c.start <= head.i < c.end else 1,
                                                 abs(head.i - c.end)))
            refs = primary.refs
        res = resolve_refs(self.d, refs, day)
        span._.cue = (primary.start, primary.end) if primary is not None else None
        kind: str
        sector: str | None
        ethnic = primary is not None and any(r.kind == "demonym" for r in primary.refs) and (
            "ethnic" in words or (primary.start <= head.i < primary.end and head.tag_ in ("NNS", "NNPS")))
        where = self._located(head) if ethnic else None
        if res is not None and ethnic and ("ethnic" in words or where is not None):
            # "ethnic Albanians", "Albanians of southern Serbia": a people, placed where they live
            country = where.country if where is not None else None
            sector = phrase_sector or "CVL"
            actor = Actor(text=span.text, start=span.start_char, end=span.end_char, name=span.text,
                          code=f"{country or ''}{sector}", country=country, sector=sector, kind="group",
                          resolved_by=f"{res.resolved_by}+ethnic" + (f"+place:{where.resolved_by}" if where else ""))
            span._.actor = actor
            span._.refs = ()
            return span
        if res is not None:
            kind = res.kind
            if kind == "state":
                sector = phrase_sector or res.sector
                if primary is not None and sector is None and self._people_noun(doc, primary, head):
                    sector = "CVL"
            else:
                sector = res.sector if res.sector not in (None, "GOV") else (phrase_sector or res.sector)
                if kind == "person":
                    sector = res.sector
            actor = self._actor(span, res, sector, kind)
        else:
            unknown = next((c for c in cues if c.ner), None)
            country = unknown.place_country if unknown else None
            name = (unknown.place_name or doc[unknown.start:unknown.end].text) if unknown else None
            if unknown is not None and unknown.ner in ("GPE", "FAC"):
                kind = "state"
                sector = phrase_sector or "CVL"
                via = "gazetteer"
            elif unknown is not None:
                kind = "person" if unknown.ner == "PERSON" else "organization"
                sector = phrase_sector or self._org_sector(doc, unknown)
                via = f"ner:{unknown.ner}"
                where = self._located(head) if country is None else None
                if where is not None:  # "King Hassan of Morocco", "the Bar Association of Kenya"
                    country, via = where.country, f"{via}+place:{where.resolved_by}"
            else:
                kind = "group"
                sector = phrase_sector
                via = "sector-words"
                name = None
                where = self._located(head)
                if where is not None:  # "protesters in Najaf", "residents of Mosul"
                    country, via = where.country, f"sector-words+place:{where.resolved_by}"
            code = f"{country}{sector or ''}" if country else sector
            actor = Actor(text=span.text, start=span.start_char, end=span.end_char, name=name,
                          code=code, country=country, sector=sector, kind=kind,
                          resolved_by=via)
        span._.actor = actor
        span._.refs = refs
        return span

    def _located(self, head: Token):
        """The place a phrase says its people are in: "protesters in Najaf", "prisoners in East
        Timor's capital Dili", "settlers in the West Bank city of Hebron"."""
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "from", "of"):
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    # the noun and the names inside its phrase, nearest the noun last
                    names = [t for t in _own_phrase(g) if t.pos_ == "PROPN" and t.ent_type_ not in ("PERSON", "ORG")]
                    for t in sorted(names, key=lambda t: (t != g, -t.i)):
                        found = next(((start, info) for start in range(t.left_edge.i, t.i + 1)
                                      if (info := self.gazetteer.lookup(head.doc[start:t.i + 1].text))), None)
                        if found is None or not found[1].country:
                            continue
                        start, info = found
                        # a lone word that is only some small town's name ("Freedom") is not a place
                        # unless the tagger saw a place there
                        if start == t.i and info.kind == "city" and t.ent_type_ not in ("GPE", "LOC", "FAC"):
                            continue
                        return info
        return None

    def _people_noun(self, doc: Doc, m: _Mention, head: Token) -> bool:
        """'many Iraqis', 'thousands of Kurds': a plural demonym naming people, not the state."""
        tok = doc[m.end - 1]
        if not (m.start <= head.i < m.end) or tok.tag_ not in ("NNS", "NNPS"):
            return False
        if not any(r.kind == "demonym" for r in m.refs):
            return False
        return any(c.lower_ in _QUANT or c.like_num for c in tok.lefts) or (
            tok.head.lower_ == "of" and tok.head.head.lower_ in _QUANT)

    def _org_sector(self, doc: Doc, m: _Mention) -> str | None:
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


def refs_of(spans: Iterable[Span]) -> dict[int, Span]:
    """Map every token index to the actor span that covers it (first span wins)."""
    out: dict[int, Span] = {}
    for s in spans:
        for i in range(s.start, s.end):
            out.setdefault(i, s)
    return out


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
