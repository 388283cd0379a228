"""Targets: what an act is done to, where the roles alone name no party.

:func:`party` looks for the party named in the act's prepositional argument, indirect object,
or as the owner of the thing acted on ("lifted a ban on imports of *British* beef", "closed the
*American* consulate", "filed a complaint *to the Security Council*"), which beats the thing
acted on; :func:`object_target` falls back on what the verb was done to ("captured three
towns"); :func:`requester` aims the refusal of a request at who asked, and :func:`condition` a
refusal to stop "until X acts" at X. All are party rules (:data:`realpolitik.nlp.parties.RULES`).

Example::

    >>> import realpolitik
    >>> e = realpolitik.code("China agreed to lift a ban on imports of British beef.")[0]
    >>> (e.source.code, e.target.code, e.rule.split(" > ")[-1])
    ('CHN', 'GBR', 'party:party')
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.tokens import Token

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from .context import EventContext
from .frame import Draft, Frame
from .pairs import each_other
from .parse import dative, made_to_act, object_of, prep_map, prep_objects
from .phrases import lemma
from .resolve import actor_at
from .setting import place_actor, place_record

__all__ = ["party", "object_target", "known", "requester", "condition", "counterpart", "display", "referred"]

Changes = dict[str, Any]
_PATIENT_OBJECT = G.types("patient_object")
_BENEFICIARY_IN_OBJECT = G.types("beneficiary_in_object")
_PARTY_PREPS = G.roles("party_preps")
_CONDITION_MARKS = G.words("condition_marks")
_RECIPIENT_TYPES = G.types("done_to_someone")
_MUTUAL_TYPES = G.types("reciprocal")  # several doers of these do them to each other


def known(a: Actor | None) -> bool:
    """An actor that names a party (a state, a body, a person, a group), not a thing."""
    return a is not None and a.kind != "unknown"


def _phrase_parties(tok: Token, depth: int = 0, doer: bool = False) -> Iterator[Token]:
    """Tokens of a noun phrase that may name a party, nearest first: the noun, its possessor and
    modifiers, then the objects of its of-phrase and of its party prepositions, recursively
    ("a ban on imports of *British* beef", "the *American* consulate", "*Iran's* oil sector");
    with ``doer``, of an event judged, only who did it ("the *Israeli* strike", "the attack
    *by* X", not "the attack on a church")."""
    yield tok
    kids = list(tok.children)
    topic = lemma(tok) in G.words("topic_nouns")
    for c in kids:
        if c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i
                                and not (topic and c.dep_ == "compound" and c.pos_ == "PROPN")):
            yield c
    if depth >= 3:
        return
    about = bool({lemma(tok), tok.lower_} & G.words("about_nouns"))
    for prep in (("by",) if doer else ("of", "by", *_PARTY_PREPS)):
        if about and prep in G.words("about_preps"):
            continue  # "share information on North Korea": what it is about
        for c in kids:
            if c.dep_ == "prep" and c.lower_ == prep:
                for g in c.children:
                    if g.dep_ == "pobj":
                        yield from _phrase_parties(g, depth + 1)
    for c in kids:  # "sanctions imposed on India", "an attack directed at the embassy"
        if c.dep_ == "acl" and c.tag_ == "VBN":
            objects = prep_map(c)
            for prep in _PARTY_PREPS:
                for g in objects.get(prep, ()):
                    yield from _phrase_parties(g, depth + 1)


def _act_words(frame: Frame) -> list[Token]:
    """The words of the act itself: an event about another ("condemned the strike") is no act on
    the other's parties, so a judging frame has only its chain of operators."""
    return [t for t, _ in frame.chain] if _judging(frame) else list(frame.words)


def display(frame: Frame, clause: Token) -> bool:
    """Whether a clause says what display a hostile act is meant as ("targeted ships to show
    their support for X"): its parties are not the act's."""
    return clause.dep_ == "advcl" and lemma(clause) in G.words("display_verbs") and \
        frame.type in G.types("conflictual")


def _party_tokens(frame: Frame) -> Iterator[Token]:
    """Where a party of the act may be named, in order: for each word of the construction (the
    governed act's first), its dative, its party prepositions' objects, then its object phrase."""
    words = _act_words(frame)
    # the complement verb of an operator that governs no event: "refused to respond to a request
    # from X", "willing to send resources to Colombia"
    words += [c for t in list(words) for c in t.children if c.pos_ == "VERB" and c not in words and (
        c.dep_ in ("xcomp", "ccomp") or (c.dep_ in ("acl", "advcl") and any(
            g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            # "a refusal to engage with X", "an offensive to retake Tikrit from X"; not a display the
            # act is meant as ("shelled the post to display backing for X")
            and not display(frame, c)))]
    # what an operator noun is about: "condemnation of the Israeli prime minister's declaration"
    judged = [g for t, e in ((frame.token, frame.entry), *frame.chain) if t.pos_ == "NOUN" and e.operator
              for g in (prep_objects(t, "of") or [x for c in t.conjuncts for x in prep_objects(c, "of")])]
    for t in words:
        d = dative(t)
        if d is not None:
            yield from _phrase_parties(d)
        if t.pos_ in ("VERB", "AUX"):  # "allow the Red Cross to deliver food to ...": who is let act
            yield from (g for g in made_to_act(t) if g.pos_ != "PRON")
        objects = prep_map(t)
        for prep in _PARTY_PREPS:
            for g in objects.get(prep, ()):
                if lemma(g) not in G.words("temporal_nouns"):  # "on the eve of a visit to X" is no party
                    yield from _phrase_parties(g)
        obj = object_of(t) if t.pos_ in ("VERB", "AUX") else None
        if obj is None and t.pos_ == "VERB":  # "called Sudanese President Omar al-Bashir", parsed as a predicate
            obj = next((c for c in t.children if c.dep_ == "oprd" and c.pos_ == "PROPN"), None)
        if obj is not None:
            yield from _phrase_parties(obj, doer=_judged(frame, obj))
    for g in judged:
        yield from _phrase_parties(g)


def party(d: Draft, ctx: EventContext) -> Changes | None:
    """The party named in the act's prepositional argument, indirect object, or as the owner of
    the thing acted on beats the thing acted on ("lifted a ban on imports of British beef",
    "closed the American consulate in Yekaterinburg", "filed a complaint to the Security
    Council"): when the target is no party, the first of those that is one."""
    unplaced_group = d.target is not None and d.target.kind == "group" and not d.target.country
    if known(d.target) and not (d.target.resolved_by or "").startswith("place:") and not unplaced_group:
        return None  # a group no country places ('diplomats from Poland') is no better than a thing
    frame, source = d.frame, d.source
    own = {t.i for t in frame.words}
    seen: set[int] = set()
    for tok in _party_tokens(frame):
        if tok.i in seen or tok.i in own or (tok.dep_ == "poss" and tok.head.i in own):
            continue  # the owner of the act's own word is its doer ("reiterated the UN's commitment")
        seen.add(tok.i)
        a = actor_at(tok, ctx, d.when.day, frame_tokens=own)
        p = ctx.places.get(tok.i)
        if (a is None or a.kind == "unknown") and p is not None and p._.place.country:
            a = place_actor(place_record(p, ctx.offset), ctx, "+party")  # "withdrew from the Golan Heights"
        if a is None or not (known(a) or (tok.pos_ == "PROPN" and not tok.like_num
                                          and tok.ent_type_ not in G.words("thing_entities"))):
            continue  # a thing, not a party; an unknown name is a party ("against Anil Varma"),
            # not when it names a thing ("K-9 howitzers")
        if source is not None and (a.start == source.start or (a.country and a.country == source.country)
                                   or (a.code is not None and a.code == source.code)
                                   or (tok.dep_ == "appos" and source.start <= tok.head.idx + ctx.offset < source.end)):
            continue  # the source itself, by another name ("the UN's mission, MONUSCO")
        if d.target is not None and known(d.target) and d.target.country and a.country == d.target.country:
            return None  # the place already names that party
        return {"target": a}
    if d.target is None:  # no party named: what the act is aimed at ("a scathing attack on the government")
        selecting = _selecting_objects(frame, ctx)
        objects = [prep_map(t) for t in _act_words(frame)]
        for prep in G.words("aim_preps"):
            for found in objects:
                for g in found.get(prep, ()):
                    if g.i in selecting:
                        continue  # part of the act's own words: "remained on alert", "went on strike"
                    a = actor_at(g, ctx, d.when.day, frame_tokens=own)
                    if a is not None:
                        return {"target": a}
    return None


def requester(d: Draft, ctx: EventContext) -> Changes | None:
    """'rejected the interior minister's request to dissolve the riot police': turning down a
    request is done to whoever asked."""
    if d.type != "REJECT":
        return None
    own = {t.i for t in d.frame.words}
    base = d.frame.innermost
    for t, e in ((base.token, base.entry), *d.frame.chain):
        if e.operator != "request" or t.pos_ != "NOUN":
            continue
        who = next(iter(prep_objects(t, "from")), None) or next((c for c in t.children if c.dep_ == "poss"), None)
        a = _other_party(who, ctx, d.when.day, d.source, own) if who is not None and who.pos_ != "PRON" else None
        if a is not None:
            return {"target": a}
    return None


def condition(d: Draft, ctx: EventContext) -> Changes | None:
    """'would not call off the walkout until the port's owners restored the jobs': a refusal to
    stop that waits on another's act is aimed at whoever must act."""
    negated_stop = d.modality == "negated" and any(e.operator == "stop" for _, e in d.frame.chain)
    if d.target is not None or not negated_stop:
        return None
    frame_tokens = {t.i for t in d.frame.words}
    for t in d.frame.words:
        for c in t.children:
            if c.dep_ != "advcl" or not any(m.dep_ == "mark" and m.lower_ in _CONDITION_MARKS for m in c.children):
                continue
            who = next((g for g in c.children if g.dep_ == "nsubj"), None) or next(
                (g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"), None)
            a = _other_party(who, ctx, d.when.day, d.source, frame_tokens) if who is not None else None
            if a is not None:
                return {"target": a}
    return None


def _other_party(tok: Token, ctx: EventContext, day: Any, source: Actor | None, frame_tokens: set[int]) -> Actor | None:
    """The party ``tok`` names, unless it names none or is the source itself."""
    a = actor_at(tok, ctx, day, frame_tokens=frame_tokens)
    return a if known(a) and a is not None and not (source is not None and a.start == source.start) else None


def _selecting_objects(frame: Frame, ctx: EventContext) -> set[int]:
    """The objects that selected the lexicon entries of the construction ("alert" in "remained
    on alert"): words of the act, not what it is aimed at."""
    out: set[int] = set()
    f: Frame | None = frame
    while f is not None:
        if f.obj is not None:
            out.add(f.obj.i)
        if f.entry.with_:
            words = ctx.resources.lexicon.words(f.entry.with_)
            out.update(g.i for c in f.token.children if c.dep_ == "prep" for g in c.children
                       if g.dep_ == "pobj" and (g.lower_ in words or lemma(g) in words))
        f = f.inner
    return out


def object_target(d: Draft, ctx: EventContext) -> Actor | None:
    """When no role gave a target, what the verb was done to: an actor or place named in its
    object ("closed the borders with Iraqi Kurdistan", "rejected the call of the European
    Parliament"), else the object phrase itself ("captured three towns", "condemned the
    bombing"), unless the object only says what kind of event it was ("imposed sanctions")."""
    frame, source, day = d.frame, d.source, d.when.day
    base = frame.innermost  # "close" in "threatened to close"
    # the object is what is acted upon in attacks, arrests, accusations, refusals, demands;
    # in aid, deals or deployments it is what is given or moved, and only a foreign actor
    # named in it is the counterpart ("lifted the ban on Egyptian imports")
    patient = frame.type in _PATIENT_OBJECT
    inside = patient or frame.type in _BENEFICIARY_IN_OBJECT
    frame_tokens = {t.i for t in frame.tokens}
    for f, inner, tok in _object_verbs(frame, base):
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
        made = None
        if obj is None and (not inner or base is frame):
            # "allow the airlines to land", "demanded that the government resign": who is made to act
            obj = made = next(iter(made_to_act(tok)), None)
        if obj is None or obj.pos_ == "PRON" or (inner and obj.i in frame_tokens):
            continue
        if made is not None:  # whoever is let or made to act is a party, whatever the act
            who = _other_party(made, ctx, day, source, frame_tokens)
            if who is not None:
                return who
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children):
            return None  # "withdrew its troops": the actor's own
        if _judged(frame, obj):
            # "condemned the attack on a church": who attacked, else the attack, not the church
            doers = (actor_at(t, ctx, day, frame_tokens=frame_tokens) for t in _phrase_parties(obj, doer=True)
                     if t is not obj)
            return next((a for a in doers if known(a)), None) or actor_at(obj, ctx, day, frame_tokens=frame_tokens)
        named = _named_in(obj, inner, inside, source, day, ctx, frame_tokens)
        if named is not None:
            return named
        if not patient or (inner and (f.obj is obj or f.entry.with_)) or obj.like_num or \
                lemma(obj) in G.words("eventish") or (frame.type in G.types("force") and lemma(obj)
                                                      in ctx.resources.lexicon.words(("$weapons",))):
            continue  # "fired howitzers": a weapon is what the act is done with
        return actor_at(obj, ctx, day, frame_tokens=frame_tokens)
    if frame.type == "MOBILIZE":
        return _deployed_to(base, day, ctx, frame_tokens)
    return None


def _judging(frame: Frame) -> bool:
    """The act is a judgement of another ("condemned the strike", "praised the deal")."""
    return any(e.operator in G.words("judging_operators") for _, e in frame.chain)


def _judged(frame: Frame, tok: Token) -> bool:
    """The word is the event a judging operator governs ("condemned *the attack*")."""
    return _judging(frame) and tok.i in {t.i for t in frame.words} - {t.i for t, _ in frame.chain}


def _object_verbs(frame, base):
    """(frame, is_innermost, verb) to read an object from: the innermost event's verb, the
    operator's, and the complement verb of an operator that governs no event ("refused to
    allow the airlines to land", "agreed to provide Sri Lanka with technology")."""
    comps = [c for c in frame.anchor.children if c.dep_ == "xcomp" and c.pos_ == "VERB"] if base is frame else []
    if frame.type == "AID":  # "provided $1.7 billion to support Syrian refugees in Jordan"
        comps += [c for c in base.token.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB"
                  and c not in comps]
    for f, inner, tok in ((base, True, base.token), (frame, False, frame.anchor), *((frame, False, c) for c in comps)):
        if not inner and f is base and tok is frame.anchor:
            continue
        if tok.pos_ in ("VERB", "AUX"):
            yield f, inner, tok


def _named_in(obj: Token, inner: bool, inside: bool, source: Actor | None, day, ctx: EventContext,
              frame_tokens: set[int]) -> Actor | None:
    """An actor or place named inside the object phrase, not in what it is about ("information
    on North Korea")."""
    about = {g.i for t in obj.subtree if {lemma(t), t.lower_} & G.words("about_nouns")
             for c in t.children if c.dep_ == "prep" and c.lower_ in G.words("about_preps") for g in c.subtree}
    for t in obj.subtree:
        if (t.i in frame_tokens and inner) or t.i in about:
            continue
        if t.i in ctx.by_token or t.i in ctx.head_of:
            a = actor_at(t, ctx, day, frame_tokens=frame_tokens)
            if a is not None and a.kind != "unknown" and (
                    source is None or not (source.start <= a.start < source.end)) and (
                    inside or (a.country is not None and a.country != (source and source.country))):
                return a
        p = ctx.places.get(t.i)
        if p is not None and p._.place.country and (
                inside or p._.place.country != (source and source.country)):
            place = place_record(p, ctx.offset)
            return place_actor(place, ctx, "+object", sector="CVL" if place.kind == "city" else None)
    return None


def _deployed_to(base, day, ctx: EventContext, frame_tokens: set[int]) -> Actor | None:
    """'troops stayed on alert in the border region': where forces were sent or readied."""
    subject = {t.i for c in base.token.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    for c in base.token.subtree:
        if c.i in subject or not (c.dep_ == "prep" and c.lower_ in G.words("deployment_preps")):
            continue
        g = next((g for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")), None)
        if g is not None and g.ent_type_ not in ("DATE", "TIME"):
            return actor_at(g, ctx, day, frame_tokens=frame_tokens)
    return None


def counterpart(d: Draft, ctx: EventContext) -> Changes | None:
    """'the UAE announced it was cutting ties', in a piece about Qatar; 'the UN called for the
    release', 'France denounced the mutiny', in pieces about Myanmar and Mali: an act done to
    someone whose sentence names no one it was done to (nothing, or only one thing) was done to
    the country the piece's other sentences name most, other than the doer's own (its state, as
    the piece first names it). The doer is a country's or an international body. A sentence
    alone has no other sentences: the rule is for articles."""
    s, t = d.source, d.target
    head = d.frame.target
    thing = (t is not None and t.kind == "unknown" and not t.country and not (t.resolved_by or "").startswith("name")
             and head is not None and head.tag_ in ("NN", "DT"))  # one thing ("the mutiny", "those"), not "others", "six states"
    if (t is not None and not thing) or s is None or d.type not in _RECIPIENT_TYPES or \
            not (s.country or s.kind == "organization" or (s.members and d.type not in _MUTUAL_TYPES)) or \
            (s.members and each_other(d)):
        return None
    own = {s.country, *(m.country for m in s.members or () if m.country)} - {None}
    for country, first in ctx.salient(ctx.sent_start(d.frame.tokens[0].i)):
        if country in own:
            continue
        c = ctx.resources.dictionary.countries.get(country)
        return {"target": Actor(text=first.text, start=first.start, end=first.end, name=c.name if c else country,
                                code=country, country=country, kind="state",
                                resolved_by=f"{first.resolved_by}+counterpart")}
    return None


def referred(d: Draft, ctx: EventContext) -> Changes | None:
    """'Jordan condemned the attack': an act judged with no doer of its own in the sentence is
    the act of that kind the document last told as fact, surely and with a named doer, and on
    the place or party the judged act names, if it names one ('the attack on the mosque in
    Peshawar'); that doer is the target."""
    inner = d.frame.inner
    if d.target is not None or inner is None or inner.source is not None \
            or not any(kind == "presupposed" for kind, _ in inner.cues):
        return None
    told = next((e for e in reversed(ctx.told) if e.event_type == inner.type and e.source is not None
                 and e.modality in G.words("fact_modalities")), None)
    if told is None or told.confidence < REFERRED_SURE or (told.source.resolved_by or "").startswith("place:") \
            or (d.source is not None and told.source.country == d.source.country):
        return None
    where = {a.country for a in (told.target, told.location) if a is not None and a.country}
    hit = actor_at(inner.target, ctx, d.when.day) if inner.target is not None else None
    if hit is not None and hit.country and hit.country not in where:
        return None  # the act judged was done elsewhere
    return {"target": told.source}


REFERRED_SURE = 0.5
"""How sure an act told before must be for a later judgement of it to take its doer as target."""
