"""Trigger matching: which words can express an event, and which lexicon entries apply to them.

A word is a candidate trigger when the lexicon has it as a verb, noun or adjective (names,
dates and nouns used as modifiers are not); an entry applies when the word has the entry's
particle ("call *for*"), modifiers ("*air* strike"), preposition, and an object of the
entry's word class ("impose *sanctions*"). Everything here reads the parse and the lexicon
and returns values; nothing is changed.

Example::

    >>> import realpolitik
    >>> from realpolitik.lexicon import load_lexicon
    >>> from realpolitik.nlp.match import candidate_pos
    >>> doc = realpolitik.Coder.shared().parse("Iraq bought attack helicopters.")
    >>> [candidate_pos(t, set(), load_lexicon()) for t in doc][:4]
    [None, 'verb', None, None]
"""

from __future__ import annotations

from spacy.tokens import Token

from ..lexicon import LexEntry, Lexicon, specificity
from ..lexicon.grammar import GRAMMAR as G
from .parse import gives_time, object_of, prep_objects
from .phrases import lemma

__all__ = ["candidate_pos", "entries_for", "applies", "TokenMemo"]

_ARG_PREPS = G.words("argument_preps")
_NOUN_OBJECT_PREPS = G.words("noun_object_preps")
_EXTENSION_PREPS = G.words("object_extension_preps")
_PARTITIVE = G.words("partitive")
_FRAMING = G.words("framing_participles")
_FRAMING_PARTY = G.words("framing_party_preps")
_NOT_EVENTS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


def candidate_pos(tok: Token, named: set[int], lex: Lexicon) -> str | None:
    """``verb``, ``noun`` or ``adj`` when the word may be a trigger, else None."""
    if tok.i in named:
        return None  # part of a name: 'Popular Mobilization Forces', 'the Cold War'
    if tok.ent_type_ in _NOT_EVENTS:
        return None  # 'March' the month
    lem = lemma(tok)
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        if tok.tag_ in ("VBN", "VBG") and tok.dep_ == "amod" and tok.lower_ in lex.adjs:
            return "adj"  # a participle modifying a noun: 'Iranian-backed militias', 'the visiting premier'
        if tok.tag_ in ("VBN", "VBG") and tok.dep_ == "amod" and tok.i < tok.head.i and tok.head.pos_ in ("NOUN", "PROPN") \
                and tok.head.dep_ != "ROOT" and any(c.dep_ in ("det", "poss") and c.i < tok.i for c in tok.head.children):
            return None  # a participle that only describes its noun: 'the disputed border', 'their ruling party'
            # (with no determiner, or its noun left as the root, it may be a verb the parser
            # misread: 'Sisi pardoned activist X', 'Britain's Rolls-Royce supplied engines')
        if tok.tag_ == "VBG" and tok.dep_ == "csubj" and tok.i == tok.sent.start and tok.lower_ in lex.adjs:
            return "adj"  # 'Visiting German Foreign Minister X warned': a modifier the parser took for a clause
        if tok.tag_ == "VBG" and tok.dep_ == "advcl" and lem in _FRAMING and \
                not any(c.dep_ == "prep" and c.lower_ in _FRAMING_PARTY for c in tok.children):
            return None  # 'Speaking in Nairobi, the minister urged ...': the setting of what is said
        if lem in lex.verbs:
            return "verb"
        if tok.lower_ in lex.adjs:
            return "adj"
        return None
    if tok.pos_ in ("NOUN", "PROPN") and (lem in lex.nouns or tok.lower_ in lex.nouns):
        if tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN"):
            return None  # a modifier: 'attack helicopters', 'protest movement'
        return "noun"
    if tok.pos_ == "ADJ" and (tok.lower_ in lex.adjs or lem in lex.adjs):
        return "adj"
    return None


def entries_for(tok: Token, pos: str, lex: Lexicon, memo: TokenMemo | None = None) -> list[LexEntry]:
    """The lexicon entries of a candidate, most specific first."""
    key = tok.lower_ if pos == "adj" else lemma(tok)
    out = lex.entries_for(pos, key)
    if not out and pos == "noun":
        out = lex.entries_for(pos, tok.lower_)
    if not out and pos == "adj":
        out = lex.entries_for(pos, lemma(tok))
    if pos == "verb" and sum(1 for e in out if e.with_) > 1:
        out = _object_first(tok, out, lex, memo or TokenMemo())
    return out


def _object_first(tok: Token, entries: list[LexEntry], lex: Lexicon, memo: TokenMemo) -> list[LexEntry]:
    """Among entries as specific as each other, one selected only by a word of the object's
    of-phrase comes after the others: "dropped its veto of the aid package" is about the veto,
    not the aid (unless the object is a number or a part: "200 of their citizens")."""
    obj = object_of(tok)
    if obj is None or obj.like_num or obj.lower_ in _PARTITIVE:
        return entries  # "evacuated 200 of their citizens": the of-phrase is the object
    tail = {w for c in obj.children if c.dep_ == "prep" and c.lower_ in _EXTENSION_PREPS
            for g in c.children if g.dep_ == "pobj" for w in _phrase_words(g)}
    if not tail:
        return entries
    tail -= _phrase_words(obj)

    def tail_only(e: LexEntry) -> bool:
        chosen = lex.words(e.with_) & _words(tok, "verb", e, memo)
        return bool(chosen) and chosen <= tail

    # the entries come in order of specificity, which a stable sort keeps within each rank
    return sorted(entries, key=lambda e: (specificity(e)[:2], tail_only(e)))


def _phrase_words(h: Token) -> set[str]:
    """A noun's lemma and form, and those of its modifiers."""
    return {lemma(h), h.lower_} | {w for c in h.children if c.dep_ in ("compound", "amod", "nmod", "nummod")
                                   for w in (lemma(c), c.lower_)}


class TokenMemo:
    """What :func:`applies` works out about one token, kept across its lexicon entries: its
    object words by the entry's particle, and the words that may be its particles."""

    def __init__(self) -> None:
        self.words: dict[str, set[str]] = {}
        self.particles: dict[str, Token] | None = None


def applies(tok: Token, pos: str, entry: LexEntry, lex: Lexicon,
            memo: TokenMemo | None = None) -> tuple[bool, Token | None]:
    """Whether ``entry`` applies to ``tok``, and the object that selected it (for ``with``)."""
    if entry.particle:
        kids = memo.particles if memo is not None else None
        if kids is None:
            kids = _particles(tok)
            if memo is not None:
                memo.particles = kids
        if not _has_particle(kids, entry.particle):
            return False, None
    if entry.mods and not _has_mods(tok, entry.mods):
        return False, None
    if entry.prep and not any(c.dep_ == "prep" and c.lower_ == entry.prep for c in tok.children):
        return False, None
    obj_tok = None
    if entry.with_ or entry.without:
        words = _words(tok, pos, entry, memo)
        if entry.with_ and pos == "verb":
            obj_tok = object_of(tok)
            if obj_tok is None and entry.particle:
                obj_tok = next(iter(prep_objects(tok, entry.particle.split()[-1])), None)
        if entry.with_ and not (words & lex.words(entry.with_)):
            return False, None
        if entry.without and words & lex.words(entry.without):
            return False, None
    return True, obj_tok


def _words(tok: Token, pos: str, entry: LexEntry, memo: TokenMemo | None) -> set[str]:
    """The object words an entry's ``with`` and ``without`` are checked against (kept in
    ``memo`` by the entry's particle, the one thing they depend on)."""
    key = entry.particle or ""
    words = memo.words.get(key) if memo is not None else None
    if words is None:
        words = _object_words(tok, pos, entry)
        if memo is not None:
            memo.words[key] = words
    return words


def _object_heads(tok: Token, pos: str, entry: LexEntry, words: set[str]) -> list[Token]:
    """The words that say what a trigger is about: a verb's object and prepositional objects,
    a noun's of-phrase; modifiers and prepositions go into ``words`` directly."""
    heads: list[Token] = []
    if pos == "verb":
        obj = object_of(tok)  # for a passive: its subject, or the noun its participle hangs from
        if obj is None:
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")), None)
        if obj is not None:
            heads.append(obj)
        # "gave the attaché two days to go": who is given a span of time is what the act is about too
        if gives_time(tok):
            heads.extend(c for c in tok.children if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN"))
        if entry.particle:
            heads.extend(prep_objects(tok, entry.particle.split()[-1]))
        if lemma(tok) in G.words("small_clause"):  # "let them walk free", "found him guilty": what they may do, or are
            for c in tok.children:
                if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "ADV", "ADP", "ADJ"):
                    words.add(lemma(c))
                    words.update(g.lower_ for g in c.children if g.dep_ in ("prt", "advmod", "acomp", "advcl", "prep"))
        for c in tok.children:
            if c.dep_ in ("prep", "prt") and c.i > tok.i:
                words.add(c.lower_)
                if c.dep_ == "prep" and not entry.particle and c.lower_ in _ARG_PREPS:
                    # "described the vote as illegitimate": the parser hangs the adjective on "as"
                    heads.extend(g for g in c.children if g.dep_ == "pobj" or (g.dep_ in ("amod", "acomp")
                                                                              and g.pos_ == "ADJ"))
            elif c.dep_ in ("oprd", "acomp", "attr") or (c.dep_ == "xcomp" and c.pos_ in ("ADJ", "NOUN")):
                heads.append(c)
        return heads
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nmod", "npadvmod"):
            words.add(lemma(c))
            words.add(c.lower_)
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    heads.append(g)
                    heads.extend(x for p in g.children if p.dep_ == "prep" and p.lower_ in _NOUN_OBJECT_PREPS
                                 for x in p.children if x.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ in _NOUN_OBJECT_PREPS:
            heads.extend(g for g in c.children if g.dep_ == "pobj")
    return heads


def _object_words(tok: Token, pos: str, entry: LexEntry) -> set[str]:
    words: set[str] = set()
    heads = _object_heads(tok, pos, entry, words)
    for h in list(heads):
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in _EXTENSION_PREPS:
                heads.extend(g for g in c.children if g.dep_ == "pobj")
    for h in heads:
        words.add(lemma(h))
        words.add(h.lower_)
        for c in h.children:
            if c.dep_ in ("compound", "amod", "nmod", "nummod"):
                words.add(lemma(c))
                words.add(c.lower_)
        for c in h.conjuncts:
            words.add(lemma(c))
    return words


def _particles(tok: Token) -> dict[str, Token]:
    """The words that may be particles of ``tok``, by their lower-case form."""
    objects = [c.right_edge.i for c in tok.children if c.dep_ in ("dobj", "dative") and c.i > tok.i]
    return {c.lower_: c for c in tok.children if c.dep_ in ("prt", "prep", "advmod", "dative", "agent")
            and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)
            # a preposition far after the verb, past its object, is no particle of it
            # ("gave the attaché two days to go ... in Lima" is not "give in")
            and (c.dep_ == "prt" or c.i < tok.i or c.i - tok.i <= 4
                 or not any(o < c.i for o in objects) or any(0 < c.i - o <= 2 for o in objects))}


def _has_particle(kids: dict[str, Token], particle: str) -> bool:
    parts = particle.split()
    first = parts[0]
    if first not in kids:
        return False
    if len(parts) == 1:
        return True
    second = parts[1]
    return second in kids or any(g.lower_ == second for g in kids[first].children)


def _has_mods(tok: Token, mods: tuple[str, ...]) -> bool:
    have = {lemma(c) for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    have |= {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    if tok.i > 0:
        have.add(tok.doc[tok.i - 1].lower_)
    return all(m in have for m in mods)
