"""Roles: the source and target of a trigger, read from its lexicon entry and the parse.

:func:`base_frame` builds the :class:`~realpolitik.nlp.frame.Frame` of one trigger word and
one lexicon entry: the entry's ``source`` and ``target`` roles are tried in order (defaults:
a verb's subject, then its object or dative; a noun's possessor, modifier or by-phrase,
then its prepositional objects). :func:`role` finds one role; :func:`complement` finds the
trigger an operator governs ("called *for* the withdrawal").

Example::

    >>> import realpolitik
    >>> from realpolitik.lexicon import load_lexicon
    >>> from realpolitik.nlp.roles import base_frame
    >>> doc = realpolitik.Coder.shared().parse("Russia sent helicopters to Iraq.")
    >>> entry = next(e for e in load_lexicon().entries_for("verb", "send") if e.type == "AID")
    >>> f = base_frame(doc[1], "verb", entry, {0: None, 4: None})
    >>> f.source.text, f.target.text, f.rule
    ('Russia', 'Iraq', 'verb:aid:send+weapons')
"""

from __future__ import annotations

from collections.abc import Container

from spacy.tokens import Token

from ..lexicon import LexEntry
from ..lexicon.grammar import GRAMMAR as G
from ..ontology import load_ontology
from .frame import Frame, Step
from .parse import RELATIVE, between, dative, noun_subject, object_of, owner, passive, prep_objects, subject
from .phrases import lemma

__all__ = ["base_frame", "role", "complement"]

_VERB_TARGET = G.roles("verb_target")
_NOUN_SOURCE = G.roles("noun_source")
_NOUN_TARGET = G.roles("noun_target")
_OBJECT_PARTICLES = G.words("object_particles")
_HEAD_PREPS = G.words("head_object_preps")
_MEANS_PREPS = G.words("means_preps")
_MOTION = G.words("motion")
_LIGHT_REL = G.words("light_relative")
_COMPLEMENT_PREPS = G.words("complement_preps")
_TRANSPARENT_NOUNS = G.words("transparent_noun")
_TRANSPARENT_PREPS = G.words("transparent_preps")
_PATIENT_POSSESSOR = G.words("patient_possessor_nouns")
_TOPIC_NOUNS = G.words("topic_nouns")


def role(tok: Token, pos: str, name: str, actor_tokens: Container[int]) -> Token | None:
    """The token that fills role ``name`` of a trigger (see ``lexicon/data/README.md``)."""
    if name == "subj":
        if pos != "noun":
            return subject(tok)[0]
        found = noun_subject(tok, actor_tokens)
        if found is not None and found.dep_ == "compound" and found.pos_ == "PROPN" and lemma(tok) in _TOPIC_NOUNS \
                and not _hyphen_pair(found):
            return None  # "the Syria ceasefire talks": a name used as a modifier is the topic, not a party
        return found
    if name == "obj":
        return object_of(tok)
    if name == "dative":
        return dative(tok) or next(iter(prep_objects(tok, "to")), None)
    if name == "poss":
        for c in tok.children:
            if c.dep_ == "poss":
                return c
        if pos == "noun" and tok.dep_ == "conj" and tok.head.pos_ == "NOUN":
            # "its rejection and condemnation of": the conjuncts share the owner
            found = next((c for c in tok.head.children if c.dep_ == "poss"), None)
            if found is not None:
                return found
        return owner(object_of(tok), actor_tokens) if pos == "verb" else None
    if name == "by":
        objs = prep_objects(tok, "by")
        if objs:
            return objs[0]
        for c in tok.children:
            if c.dep_ == "agent":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        return None
    if name == "loc":
        return None
    objs = prep_objects(tok, name)
    if not objs and pos == "verb":
        obj = object_of(tok)
        if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
            objs = prep_objects(obj, name)  # "impose sanctions on Iran"
            if not objs:
                for of in prep_objects(obj, "of"):  # "the town of Tal Afar from ISIS"
                    objs = prep_objects(of, name)
                    if objs:
                        break
    if not objs and pos == "noun" and tok.dep_ == "dobj" and name in _HEAD_PREPS:
        objs = prep_objects(tok.head, name)  # "welcomed support from Moscow"
    return objs[0] if objs else None


def _hyphen_pair(tok: Token) -> bool:
    """'Iran-Saudi talks', 'US-Cuba relations': two names joined by a hyphen are the two parties."""
    doc = tok.doc
    for a, b in ((tok.i - 2, tok.i - 1), (tok.i + 2, tok.i + 1)):
        if 0 <= a < len(doc) and doc[b].text in ("-", "–") and doc[a].pos_ == "PROPN" and doc[a].head in (tok, tok.head):
            return True
    return False


def _role_lists(pos: str, entry: LexEntry) -> tuple[tuple[str, ...], tuple[str, ...]]:
    src_roles = entry.source or (("subj",) if pos in ("verb", "adj") else _NOUN_SOURCE)
    if entry.source == ("of",):
        src_roles = _NOUN_SOURCE + ("of",)
    tgt_roles = entry.target or (_VERB_TARGET if pos == "verb" else _NOUN_TARGET)
    if entry.target == ("of",):
        tgt_roles = ("of",) + _NOUN_TARGET
    if pos == "noun" and not entry.source and "from" not in tgt_roles:
        src_roles = (*src_roles, "from")  # "a call from Washington", "support from Moscow"
    return src_roles, tgt_roles


def base_frame(tok: Token, pos: str, entry: LexEntry, actor_tokens: Container[int],
               step: Step | None = None, obj: Token | None = None) -> Frame:
    """The frame of one trigger under one lexicon entry, before any operator; ``step`` names
    who proposed it (by default the entry, under the trigger's part of speech)."""
    etype = entry.type or "AGREE"
    cameo = entry.cameo or load_ontology().cameo_for(etype, entry.mode, entry.contexts)
    source, target, source_via, target_via, pair = _roles(tok, pos, entry, actor_tokens)
    return Frame(token=tok, anchor=tok, entry=entry, type=etype, mode=entry.mode, contexts=entry.contexts,
                 cameo=cameo, key=entry.rule, trail=(step or Step(pos, entry.rule),), head=tok, source=source,
                 target=target, source_via=source_via, target_via=target_via, between=pair, obj=obj)


def _roles(tok: Token, pos: str, entry: LexEntry, actor_tokens: Container[int]) \
        -> tuple[Token | None, Token | None, str, str, tuple[Token, ...]]:
    """Source, target, how each was found, and the pair of a 'between' phrase."""
    src_roles, tgt_roles = _role_lists(pos, entry)
    if pos == "adj" and "modified" in entry.source:  # 'the visiting Iraqi premier': the noun acts
        noun = tok.head if tok.dep_ in ("amod", "acl") else next(
            (c for c in (*tok.children, *tok.head.children) if c.dep_ in ("dobj", "nsubj") and c is not tok), None)
        return noun, None, "modified", "", ()
    if pos == "adj" and tok.dep_ in ("amod", "acl"):
        # 'Iranian-supported militias': the hyphenated prefix is the source, the noun the target
        prefix = next((c for c in tok.children if c.dep_ in ("npadvmod", "compound", "nmod", "amod")
                       and c.i < tok.i), None)
        by = role(tok, "verb", "by", actor_tokens)
        src, via = (prefix, "prefix") if prefix is not None else (by, "by")
        return src, tok.head, via, "modified", ()
    source: Token | None = None
    target: Token | None = None
    source_via, target_via = "", ""
    pair: tuple[Token, ...] = ()
    if "between" in src_roles:
        pair = between(tok)
        if pair:
            source, target = pair
            source_via = target_via = "between"
    if source is None:
        source, source_via = _first_role(tok, pos, src_roles, actor_tokens)
    if source is None and pos == "noun":
        source, source_via = _means_subject(tok)
    if target is None:
        target, target_via = _first_role(tok, pos, tgt_roles, actor_tokens, not_token=source)
    if target is None and pos == "verb" and "obj" in tgt_roles and entry.particle \
            and entry.particle in _OBJECT_PARTICLES:
        # "called in the ambassador", parsed as a preposition: its object is the verb's
        target = next(iter(prep_objects(tok, entry.particle)), None)
        target_via = "obj" if target is not None else ""
    if target is None:
        target, target_via = _conjunct_target(tok, pos, tgt_roles, actor_tokens, source)
    if pos == "noun":
        source, source_via, target, target_via = _noun_relcl(tok, source, source_via, target, target_via)
        source, source_via, target, target_via = _possessor_patient(tok, source, source_via, target, target_via)
    return source, target, source_via, target_via, pair


def _possessor_patient(tok: Token, source: Token | None, source_via: str, target: Token | None,
                       target_via: str) -> tuple[Token | None, str, Token | None, str]:
    """'the general's killing', 'Meng's detention': the possessor of such a noun is whom it was
    done to, unless an of-phrase names that ('Iran's seizure of the tanker')."""
    if source_via != "poss" or lemma(tok) not in _PATIENT_POSSESSOR or prep_objects(tok, "of"):
        return source, source_via, target, target_via
    if target is None or target == source:
        agent = next(iter(prep_objects(tok, "by")), None)
        return agent, ("by" if agent is not None else ""), source, "poss-patient"
    return source, source_via, target, target_via


def _first_role(tok: Token, pos: str, roles: tuple[str, ...], actor_tokens: Container[int],
                not_token: Token | None = None) -> tuple[Token | None, str]:
    for r in roles:
        if r == "between":
            continue
        t = role(tok, pos, r, actor_tokens)
        if r == "subj" and pos == "noun" and t is None:
            continue
        if t is not None and (not_token is None or t != not_token):
            return t, r
    return None, ""


def _means_subject(tok: Token) -> tuple[Token | None, str]:
    """'guerrillas wounded two soldiers in a bomb attack': the attack is the verb's means;
    'flew to Moscow for talks': the talks are the trip's purpose."""
    if tok.dep_ != "pobj" or tok.head.lower_ not in _MEANS_PREPS:
        return None, ""
    verb = tok.head.head
    purpose = tok.head.lower_ == "for" and lemma(verb) in _MOTION
    if verb.pos_ == "VERB" and not passive(verb) and (
            purpose or (tok.head.lower_ != "for" and any(c.dep_ == "dobj" for c in verb.children))):
        subj = subject(verb)[0]
        if subj is not None:
            return subj, "means"
    return None, ""


def _conjunct_target(tok: Token, pos: str, roles: tuple[str, ...], actor_tokens: Container[int],
                     source: Token | None) -> tuple[Token | None, str]:
    """A target named on a coordinated trigger of the same kind ('attacked and shelled X')."""
    for c in tok.conjuncts:
        if c.pos_ != tok.pos_:
            continue
        for r in roles:
            if r in ("subj", "poss", "between"):
                continue
            t = role(c, pos, r, actor_tokens)
            if t is not None and t != source:
                return t, f"conj:{r}"
    return None, ""


def _noun_relcl(tok: Token, source: Token | None, source_via: str, target: Token | None,
                target_via: str) -> tuple[Token | None, str, Token | None, str]:
    """'the support that Moscow lent the regime': roles from the light verb's clause."""
    for c in tok.children:
        if c.dep_ == "relcl" and lemma(c) in _LIGHT_REL:
            subj = next((g for g in c.children if g.dep_ == "nsubj" and g.lower_ not in RELATIVE), None)
            obj = next((g for g in c.children if g.dep_ in ("dobj", "dative") and g.lower_ not in RELATIVE), None)
            if subj is not None and source is None:
                source, source_via = subj, "relcl"
            if obj is not None and target is None:
                target, target_via = obj, "relcl"
    return source, source_via, target, target_via


def complement(tok: Token, pos: str, entry: LexEntry, cands: Container[int]) -> Token | None:
    """The trigger an operator governs, if any: its complement clause, object or
    prepositional object ('agreed *to deliver*', 'condemned *the strike*', 'calls *for* a
    withdrawal'), or a trigger conjoined to one of those."""
    order: list[Token] = []
    if pos in ("verb", "adj"):
        order += [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")]
        order += [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        if entry.particle:
            order += prep_objects(tok, entry.particle.split()[-1])
        for c in tok.children:
            if c.dep_ in ("prep", "prt") and c.lower_ in _COMPLEMENT_PREPS:
                order += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
        # "voted on Tuesday to expel": the parser may hang the infinitive on as a purpose clause;
        # after an object it is one ("boycotted the talks to protest")
        if entry.operator in G.words("infinitive_operators") and not any(c.dep_ == "dobj" for c in tok.children):
            order += [c for c in tok.children if c.dep_ == "advcl" and any(
                g.dep_ == "aux" and g.lower_ == "to" for g in c.children) and not any(
                g.dep_ in ("nsubj", "nsubjpass", "mark") for g in c.children)]
        # "urged Turkey to halt": the xcomp may hang from the object
        for c in tok.children:
            if c.dep_ == "dobj":
                order += [g for g in c.children if g.dep_ in ("xcomp", "acl")]
                if lemma(c) in _TRANSPARENT_NOUNS:  # "announced an increase in funding"
                    order += [g for p in c.children if p.dep_ == "prep" and p.lower_ in _TRANSPARENT_PREPS
                              for g in p.children if g.dep_ in ("pobj", "pcomp")]
    else:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in _COMPLEMENT_PREPS:
                order += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if c.dep_ in ("acl", "relcl") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                order.append(c)
            if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                order.append(c)
    for c in order:
        if c.i in cands:
            return c
        for g in c.conjuncts:  # "calls for a total withdrawal": a trigger conjoined to it
            if g.i in cands:
                return g
    return None
