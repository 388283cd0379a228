"""Actor resolution: the actor a frame's source or target token stands for.

:func:`actor_at` turns a token into an :class:`~realpolitik.model.Actor`: the actor phrase
that holds it, an actor named in its own modifiers ("Russia's S-400" -> Russia), a compound
of coordinated actors ("Tehran, Ankara, and Moscow"), the actor a pronoun most plausibly
refers to ("its", "they"), the group a partitive names ("a group of Moroccan diplomats"), or
the phrase itself when no dictionary knows it. Office holders are resolved at the event's
date ("then-Prime Minister Haider al-Abadi" in December 2017 is Iraq's government).

Example::

    >>> import realpolitik
    >>> e = realpolitik.code("Moscow delivered 20 helicopters to the Iraqi army.")[0]
    >>> (e.source.code, e.target.code)
    ('RUSGOV', 'IRQMIL')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Sequence

from spacy.tokens import Span, Token

from ..actors.dictionary import AliasRef
from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from .actors import resolve_refs
from .antecedents import agrees, clause_subject, topic
from .context import EventContext
from .phrases import CHAIN_DEPS, phrase_bounds
from .phrases import lemma as lemma_of

__all__ = ["actor_at", "at_date", "pronoun", "shift", "compound"]

_PRONOUNS_PLURAL = G.words("pronouns_plural")
_PRONOUNS_PERSON = G.words("pronouns_person")
_PRONOUNS_THING = G.words("pronouns_thing")
_PRONOUNS = _PRONOUNS_PLURAL | _PRONOUNS_PERSON | _PRONOUNS_THING
_PARTITIVE = G.words("partitive")
_NOT_ACTORS = ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL")
_TAIL_MAX = 8  # words of a prepositional tail kept on a description


def actor_at(tok: Token | None, ctx: EventContext, day: dt.date | None, exclude: Token | None = None,
             depth: int = 0, not_code: str | None = None, frame_tokens: Container[int] = ()) -> Actor | None:
    """The actor ``tok`` stands for on ``day`` (offsets in the whole document), or None."""
    if tok is None or depth > 3:
        return None
    span = ctx.actor_span(tok.i)
    actor: Actor | None = None
    own = ctx.actor(span) if span is not None else None
    if span is not None and tok.dep_ == "appos" and (own is None or own.code is None
                                                     or own.kind in ("group", "unknown")):
        # "the PMF, a group of ... that support": the apposition names the actor
        named = ctx.actor_span(tok.head.i)
        if named is not None and ctx.actor(named) is not None and ctx.actor(named).code is not None:
            span = named
    if span is not None and span.root.i in frame_tokens and span._.cue is not None:
        # "Moscow's opposition to ...": the phrase's head is the event; the actor is the name
        actor = _cue_actor(span, day, ctx)
    elif span is not None:
        actor = at_date(span, day, ctx)
    elif (tok.pos_ == "PRON" and tok.lower_ not in G.words("non_referring_pronouns")) or tok.lower_ in _PRONOUNS:
        actor = pronoun(tok, ctx, day, exclude)
        if actor is not None:
            return actor  # already shifted when built
    elif (lemma_of(tok) in _PARTITIVE or tok.like_num) and (
            (part := _partitive(tok, ctx, day, exclude, depth)) is not None or depth > 0
            or not any(c.dep_ == "prep" for c in tok.children)):
        return part  # "two of its soldiers"; "hundreds of banks", no one's, is kept as a phrase below
    elif tok.pos_ == "NOUN" and (named := next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                                                and ctx.actor_span(c.i) is not None), None)) is not None:
        # "NATO ally Turkey", "Trump predecessor Obama": the apposition names the actor
        return actor_at(named, ctx, day, exclude, depth + 1, not_code, frame_tokens)
    else:
        found, done = _modifier_actor(tok, ctx, day, exclude, not_code)
        if done:
            return found
        actor = found
    if actor is not None and actor.country is None and actor.kind == "group":
        # "a group of Moroccan diplomats", "their forces": the country is named elsewhere
        better = _partitive(tok, ctx, day, exclude, depth)
        if better is not None:
            return better
    described = tok.pos_ == "PRON" and any(c.dep_ == "acl" for c in tok.children)  # "those detained"
    counted = any(c.dep_ == "prep" and c.lower_ in G.words("partitive_preps") for c in tok.children) and (
        lemma_of(tok) in _PARTITIVE or tok.like_num)  # "hundreds of banks"
    if actor is None and depth == 0 and (tok.pos_ in ("NOUN", "PROPN") or described) and (
            counted or (not tok.like_num and tok.ent_type_ not in _NOT_ACTORS)):
        # a phrase no dictionary knows still says who or what was acted on; a name ("name") is kept
        # as an actor, with no country, so that the event is not lost
        start, end = phrase_bounds(tok)
        tail = _tail_end(tok, end)
        phrase = tok.doc[start:tail]
        return _tail_country(Actor(text=phrase.text, start=phrase.start_char + ctx.offset,
                                   end=phrase.end_char + ctx.offset, kind="unknown",
                                   resolved_by="name" if tok.pos_ == "PROPN" else "phrase"), tok.doc[end:tail], ctx)
    if actor is None or (actor.code is None and actor.country is None and actor.sector is None
                         and actor.kind not in ("person", "organization", "unknown")):
        return None
    described = actor.kind in ("unknown", "group") or (actor.kind == "organization" and tok.pos_ == "NOUN")
    if described and not actor.members and actor.end == tok.idx + len(tok):
        # "authorities in Wyoming", "the UN force in Haiti": a description keeps its tail
        end = _tail_end(tok, tok.i + 1)
        if end > tok.i + 1:
            last = tok.doc[end - 1]
            actor = actor.model_copy(update={"end": last.idx + len(last),
                                             "text": ctx.text[actor.start:last.idx + len(last)]})
            return _with_members(tok, ctx, day, _tail_country(actor, tok.doc[tok.i + 1:end], ctx))
    return _with_members(tok, ctx, day, actor)


def _tail_country(actor: Actor, tail: Span, ctx: EventContext) -> Actor:
    """A description with no country takes the first country its tail names ('diplomats from
    Poland', 'the ministry of health of Ethiopia', 'depots near Belgorod')."""
    if actor.country is not None or actor.members or not len(tail) or actor.kind == "organization":
        return actor  # "the UN mission in Congo" is no Congolese body
    for t in tail:
        span = ctx.by_token.get(t.i)
        a = ctx.actor(span) if span is not None else None
        country = a.country if a is not None and a.kind == "state" else None
        if country is None and t.i in ctx.places:
            country = ctx.places[t.i]._.place.country
        if country:
            return actor.model_copy(update={"country": country, "code": f"{country}{actor.sector or ''}",
                                            "resolved_by": f"{actor.resolved_by}+tail"})
    return actor


def _tail_end(tok: Token, end: int) -> int:
    """The end of a noun phrase with its place or owner tail ('depots near Belgorod', 'teachers
    from Denver', 'an appeal by the branch of X'): a short prepositional phrase right after it."""
    prep = next((c for c in tok.rights if c.i == end and c.dep_ == "prep"
                 and c.lower_ in G.words("tail_preps")), None)
    if prep is None:
        return end
    words = list(prep.subtree)
    if len(words) > _TAIL_MAX or any(w.pos_ in ("VERB", "AUX") or w.ent_type_ in _NOT_ACTORS for w in words) \
            or not any(w.dep_ == "pobj" for w in prep.children):
        return end
    return words[-1].i + 1 if words[-1].is_punct is False else words[-1].i


def _modifier_actor(tok: Token, ctx: EventContext, day: dt.date | None, exclude: Token | None,
                    not_code: str | None) -> tuple[Actor | None, bool]:
    """An actor named in the phrase's modifiers ("Russia's S-400 missile system") or its
    of-phrase; the second value is True when the answer is final (a possessive pronoun)."""
    for c in sorted(tok.children, key=lambda c: -c.i):
        if c.dep_ in CHAIN_DEPS and c.i < tok.i:
            s = ctx.actor_span(c.i)
            if s is not None:
                return at_date(s, day, ctx), False
            if c.pos_ == "PRON" and c.dep_ == "poss":
                actor = pronoun(c, ctx, day, exclude)
                if actor is not None and (not_code is None or actor.code != not_code):
                    return actor, True
    actor = None
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    s = ctx.actor_span(g.i)
                    if s is not None:
                        actor = at_date(s, day, ctx)
    return actor, False


def _with_members(tok: Token, ctx: EventContext, day: dt.date | None, actor: Actor) -> Actor:
    """The actor, shifted to document offsets, or the compound of it and its coordinated actors."""
    members = _conjoined(tok, ctx, day, actor)
    actor = shift(actor, ctx.offset)
    if not members:
        return actor
    return compound((actor, *members), ctx)


def compound(members: Sequence[Actor], ctx: EventContext) -> Actor:
    """One side of several actors (at document offsets): its words span theirs, its code joins theirs."""
    allm = tuple(sorted(members, key=lambda m: m.start))
    text_start = min(m.start for m in allm)
    text_end = max(m.end for m in allm)
    return Actor(text=ctx.text[text_start - ctx.offset:text_end - ctx.offset], start=text_start,
                 end=text_end, name=" and ".join(m.name or m.text for m in allm),
                 code="+".join(m.code or "?" for m in allm), kind="compound", members=allm,
                 resolved_by="compound")


def _partitive(tok: Token, ctx: EventContext, day: dt.date | None, exclude: Token | None,
               depth: int) -> Actor | None:
    """'a group of Moroccan diplomats', 'two of its soldiers', 'their forces'."""
    for c in tok.children:
        if c.dep_ == "poss" and c.pos_ == "PRON":
            a = pronoun(c, ctx, day, exclude)
            if a is not None and a.country:
                base = ctx.actor_span(tok.i)
                if base is not None and base._.actor is not None:
                    sector = base._.actor.sector
                    return shift(base._.actor, ctx.offset).model_copy(update={
                        "country": a.country, "code": f"{a.country}{sector or ''}",
                        "resolved_by": f"{base._.actor.resolved_by}+pronoun"})
        if c.dep_ == "prep" and c.lower_ in G.words("partitive_preps") and (lemma_of(tok) in _PARTITIVE or tok.like_num):
            for g in c.children:
                if g.dep_ == "pobj":
                    inner = actor_at(g, ctx, day, exclude, depth + 1)
                    if inner is not None and (inner.country or inner.kind in ("organization", "compound")
                                              or ctx.head_of.get(tok.i) is None):
                        return inner
    return None


def _cue_actor(span: Span, day: dt.date | None, ctx: EventContext) -> Actor:
    """The name inside a phrase whose head is the event itself."""
    start, end = span._.cue
    cue = span.doc[start:end]
    refs = span._.refs
    base: Actor = span._.actor
    if not refs:
        return base.model_copy(update={"text": cue.text, "start": cue.start_char, "end": cue.end_char})
    res = resolve_refs(ctx.resources.dictionary, refs, day)
    assert res is not None
    code = f"{res.country}{res.sector or ''}" if res.kind == "state" and res.country else res.code
    return Actor(text=cue.text, start=cue.start_char, end=cue.end_char, name=res.name, code=code,
                 country=res.country, sector=res.sector, kind=res.kind, resolved_by=res.resolved_by)


def _conjoined(tok: Token, ctx: EventContext, day: dt.date | None, first: Actor) -> list[Actor]:
    """Actors coordinated with ``tok``: 'Iran, Turkey, and Russia'; 'Iraq and Syria's'."""
    out: list[Actor] = []
    seen = {first.code}
    cands = [c for c in tok.conjuncts if c.i > tok.i]  # every coordinated word, however nested
    if cands:
        cands += [c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    # a coordinated possessor: "Iraq and Syria's partnership" parses 'Iraq' away from 's
    if tok.dep_ == "poss" and tok.i >= 2 and tok.doc[tok.i - 1].lower_ in G.words("coordinators"):
        prev = tok.doc[tok.i - 2]
        if ctx.actor_span(prev.i) is not None:
            cands.append(prev)
    for c in sorted(set(cands), key=lambda t: t.i):
        s = ctx.actor_span(c.i)
        if s is None:
            continue
        a = at_date(s, day, ctx)
        if a is None or a.code in seen:
            continue
        seen.add(a.code)
        out.append(shift(a, ctx.offset))
    return out


def pronoun(tok: Token, ctx: EventContext, day: dt.date | None, exclude: Token | None) -> Actor | None:
    """The actor a pronoun refers to: a possessive or reflexive one the subject of its clause,
    otherwise the nearest earlier actor that agrees, in this sentence or the one before."""
    low = tok.lower_
    doc = tok.doc
    if low in G.words("possessive_pronouns"):
        owned = tok.head  # "Rwanda's aggression and its support for M23": the parallel owner
        if owned.dep_ == "conj":
            owner_ = next((c for c in owned.head.children if c.dep_ == "poss" and c.pos_ != "PRON"), None)
            s = ctx.by_token.get(owner_.i) if owner_ is not None else None
            if s is not None and agrees(low, ctx.actor(s), s):
                return shift(at_date(s, day, ctx), doc._.char_offset or 0)
        v = tok.head
        for _ in range(4):
            if v.pos_ in ("VERB", "AUX"):
                subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None and subj != tok:
                    s = ctx.by_token.get(subj.i)
                    if s is not None and agrees(low, ctx.actor(s), s):
                        return shift(at_date(s, day, ctx), doc._.char_offset or 0)
                break
            if v.head == v:
                break
            v = v.head
    if tok.dep_ in ("nsubj", "nsubjpass"):
        found = clause_subject(tok, low, ctx)  # "the court freed him after it convicted him": the court
        if found is not None:
            return _coordinated(found, ctx, day) if low in _PRONOUNS_PLURAL else \
                shift(at_date(found, day, ctx), doc._.char_offset or 0)
    sent = tok.sent
    cands = ctx.actors_within(max(0, sent.start - 80), tok.i)
    first = topic(tok, low, ctx, cands)
    if first is not None:
        cands = [first]
    skip = range(exclude.left_edge.i, exclude.right_edge.i + 1) if exclude is not None else range(0)
    for s in reversed(cands):
        if s.start in skip or (exclude is not None and s.start <= exclude.i < s.end):
            continue
        if agrees(low, ctx.actor(s), s):
            return _coordinated(s, ctx, day) if low in _PRONOUNS_PLURAL else \
                shift(at_date(s, day, ctx), doc._.char_offset or 0)
    return None


def _coordinated(s: Span, ctx: EventContext, day: dt.date | None) -> Actor | None:
    """'Egypt, Bahrain and the UAE said they...': 'they' is all of them, not the last."""
    head = s.root
    while head.dep_ == "conj" and head.head != head:
        head = head.head
    if head is not s.root or any(c.dep_ == "conj" for c in head.children):
        together = actor_at(head, ctx, day, depth=1)
        if together is not None and together.members:
            return together
    return shift(at_date(s, day, ctx), s.doc._.char_offset or 0)


def at_date(span: Span, day: dt.date | None, ctx: EventContext) -> Actor:
    """The span's actor (as the document's register resolved it), with office holders
    re-resolved at the event date."""
    actor: Actor = ctx.actor(span)
    refs: tuple[AliasRef, ...] = span._.refs
    person = next((r for r in refs if r.kind == "person"), None)
    if person is None:
        return actor
    d = ctx.resources.dictionary
    p = d.people[person.key]
    roles = list(p.roles)
    # a title in the phrase names the office ("then-Prime Minister"): prefer that role
    words = {t.lower_ for t in span}
    wanted: set[str] = set()
    for w, kinds in G.table("title_roles").items():
        if w in words:
            wanted.update(kinds)
    former = any(w in words for w in G.words("former"))
    titled = [r for r in roles if r.role in wanted] if wanted else []
    if day is None and not titled:
        return actor
    pool = titled or roles
    active = [r for r in pool if day is not None and r.contains(day)]
    if day is None:
        # an undated text that gives the title speaks of the office as held
        role, is_former = max(pool, key=lambda r: r.start), False
    elif active:
        role, is_former = active[0], False
    else:
        role = min(pool, key=lambda r: r.distance(day))
        is_former = not titled and role.end is not None and day > role.end
    if former:
        is_former = True
    if role.org is not None:
        org = d.organizations.get(role.org)
        country = org.country if org else None
        sector = "ELI" if is_former else (org.sector if org else "IGO")
        code = role.org
    else:
        country = role.country
        sector = "ELI" if is_former else role.sector
        code = f"{country}{sector}"
    tag = role.role + (",former" if is_former else "")
    return actor.model_copy(update={"country": country, "sector": sector, "code": code,
                                    "resolved_by": f"people:{p.name}#{tag}"})


def shift(actor: Actor, offset: int) -> Actor:
    """The actor with its offsets moved by ``offset`` (a piece of a long document)."""
    if offset == 0:
        return actor
    return actor.model_copy(update={
        "start": actor.start + offset, "end": actor.end + offset,
        "members": tuple(m.model_copy(update={"start": m.start + offset, "end": m.end + offset})
                         for m in actor.members)})
