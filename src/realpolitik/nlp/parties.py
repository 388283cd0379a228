"""Party rules: who did it and to whom, where the roles alone do not say.

Each rule takes a :class:`~realpolitik.nlp.frame.Draft` and returns the fields it changes, or
None when it does not apply; :data:`RULES` lists them in the order they run, by name, and the event
stage adds a ``party:NAME`` step to the trail of every draft a rule changed. For example:

* ``speaker`` — "Israel will not allow ..., the prime minister warned": an official named by
  title alone speaks for the state the sentence is about;
* ``sentence-country`` — a group or person with no country takes the one country its
  sentence names;
* ``pair`` — "Russia and Turkey's ministers met": a compound of two is a dyad;
* ``place-authority`` — "a missionary was arrested in Lebanon": the authorities of the place;
* ``object`` — when no role gave a target, what the verb was done to ("captured three towns").

Example::

    >>> import realpolitik
    >>> e = realpolitik.code("A journalist was arrested in Cairo on Monday.", date="2019-03-06")[0]
    >>> (e.source.code, "party:place-authority" in e.rule)
    ('EGYCOP', True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from spacy.tokens import Span, Token

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor, Place
from .context import EventContext, actor_of
from .frame import Draft, Frame
from .parse import dative, object_of, prep_objects
from .phrases import lemma
from .resolve import actor_at
from .setting import participles, place_actor, place_record

__all__ = ["RULES", "object_target", "hyphen_prefix"]

Changes = dict[str, Any]
"""The fields a rule changes in a draft."""

_PATIENT_OBJECT = G.types("patient_object")
_PARTY_PREPS = G.roles("party_preps")
_BENEFICIARY_IN_OBJECT = G.types("beneficiary_in_object")


def hyphen_prefix(span: Span) -> bool:
    """The span is written onto a hyphen ("Iran" in "Iran-backed")."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].text == "-" and not doc[span.end - 1].whitespace_


def _speaker(d: Draft, ctx: EventContext) -> Changes | None:
    """An official named by title alone speaks for the state that is the subject of what
    they said."""
    source = d.source
    if source is None or source.country is not None or source.kind != "group" or \
            source.sector not in G.words("official_sectors"):
        return None
    verb = d.frame.source.head if d.frame.source is not None else None
    if verb is None:
        return None
    for c in verb.children:
        if c.dep_ == "ccomp":
            subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            span = ctx.by_token.get(subj.i) if subj is not None else None
            said = actor_of(span) if span is not None else None
            if said is not None and said.kind == "state" and said.country:
                country = said.country
                return dict(source=source.model_copy(update={
                    "country": country, "code": f"{country}{source.sector}",
                    "resolved_by": f"{source.resolved_by}+speaker-of:{country}"}))
    return None


def _known(a: Actor | None) -> bool:
    """An actor that names a party (a state, a body, a person, a group), not a thing."""
    return a is not None and a.kind != "unknown"


def _phrase_parties(tok: Token, depth: int = 0) -> Iterator[Token]:
    """Tokens of a noun phrase that may name a party, nearest first: the noun, its possessor and
    modifiers, then the objects of its of-phrase and of its party prepositions, recursively
    ("a ban on imports of *British* beef", "the *American* consulate", "*Iran's* oil sector")."""
    yield tok
    kids = list(tok.children)
    topic = lemma(tok) in G.words("topic_nouns")
    for c in kids:
        if c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i
                                and not (topic and c.dep_ == "compound" and c.pos_ == "PROPN")):
            yield c
    if depth >= 3:
        return
    for prep in ("of", "by", *_PARTY_PREPS):
        for c in kids:
            if c.dep_ == "prep" and c.lower_ == prep:
                for g in c.children:
                    if g.dep_ == "pobj":
                        yield from _phrase_parties(g, depth + 1)
    for c in kids:  # "sanctions imposed on India", "an attack directed at the embassy"
        if c.dep_ == "acl" and c.tag_ == "VBN":
            for prep in _PARTY_PREPS:
                for g in prep_objects(c, prep):
                    yield from _phrase_parties(g, depth + 1)


def _party_tokens(frame: Frame) -> Iterator[Token]:
    """Where a party of the act may be named, in order: for each word of the construction (the
    governed act's first), its dative, its party prepositions' objects, then its object phrase."""
    # an event about another ("condemned the strike") is no act on the other's parties
    words = list(frame.tokens) if any(e.operator in G.words("judging_operators") for _, e in frame.chain) \
        else list(frame.words)
    # the complement verb of an operator that governs no event: "refused to respond to a request
    # from X", "willing to send resources to Colombia"
    words += [c for t in list(words) for c in t.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB"
              and c not in words]
    for t in words:
        d = dative(t)
        if d is not None:
            yield from _phrase_parties(d)
        for prep in _PARTY_PREPS:
            for g in prep_objects(t, prep):
                if lemma(g) not in G.words("temporal_nouns"):  # "on the eve of a visit to X" is no party
                    yield from _phrase_parties(g)
        obj = object_of(t) if t.pos_ in ("VERB", "AUX") else None
        if obj is None and t.pos_ == "VERB":  # "called Sudanese President Omar al-Bashir", parsed as a predicate
            obj = next((c for c in t.children if c.dep_ == "oprd" and c.pos_ == "PROPN"), None)
        if obj is not None:
            yield from _phrase_parties(obj)


def _party(d: Draft, ctx: EventContext) -> Changes | None:
    """The party named in the act's prepositional argument, indirect object, or as the owner of
    the thing acted on beats the thing acted on ("lifted a ban on imports of British beef",
    "closed the American consulate in Yekaterinburg", "filed a complaint to the Security
    Council"): when the target is no party, the first of those that is one."""
    if _known(d.target) and not (d.target.resolved_by or "").startswith("place:"):
        return None
    frame, source = d.frame, d.source
    own = {t.i for t in frame.words}
    seen: set[int] = set()
    for tok in _party_tokens(frame):
        if tok.i in seen or tok.i in own:
            continue
        seen.add(tok.i)
        a = actor_at(tok, ctx, d.when.day, frame_tokens=own)
        if a is None or not (_known(a) or (tok.pos_ == "PROPN" and not tok.like_num)):
            continue  # a thing, not a party; an unknown name is a party ("against Oommen Chandy")
        if source is not None and (a.start == source.start or (a.country and a.country == source.country)):
            continue
        if d.target is not None and _known(d.target) and a.country == d.target.country:
            return None  # the place already names that party
        return {"target": a}
    if d.target is None:  # no party named: what the act is aimed at ("a scathing attack on the government")
        for prep in G.words("aim_preps"):
            for t in frame.words:
                for g in prep_objects(t, prep):
                    a = actor_at(g, ctx, d.when.day, frame_tokens=own)
                    if a is not None:
                        return {"target": a}
    return None


def _sole_country(sent: Span, ctx: EventContext) -> str | None:
    """The one country a sentence names, through its actors and places, if only one; a
    sponsor's name ("Iran" in "Iran-backed") does not count."""
    found: set[str] = set()
    for s in [*sent.doc.spans["actors"], *sent.doc.spans.get("references", [])]:
        if hyphen_prefix(s):
            continue
        if sent.start <= s.start < sent.end and actor_of(s) is not None:
            a = actor_of(s)
            for m in a.members or (a,):
                if m.country:
                    found.add(m.country)
    if len(found) > 1:
        return None
    for i in range(sent.start, sent.end):
        p = ctx.places.get(i)
        if p is not None and p._.place.country and not hyphen_prefix(p):
            found.add(p._.place.country)
        if len(found) > 1:
            return None
    return next(iter(found)) if found else None


def _with_country(actor: Actor | None, country: str, how: str, things: bool = True,
                  people: bool = True) -> Actor | None:
    """An actor with a sector but no country takes the country the sentence is about; so does an
    organization only the entity tagger found ('the Homeland Union'), which the dictionary
    does not place anywhere; with ``things``, so does a phrase no dictionary knows; without
    ``people``, a person named but not placed keeps no country (a sentence's one country is no
    evidence of a person's)."""
    if actor is None or actor.country is not None or actor.members:
        return actor
    if actor.kind == "person" and not people and not actor.sector:
        return actor
    tagged_only = actor.kind == "organization" and (actor.resolved_by or "").startswith("ner:")
    if actor.kind not in ("group", "person", *(("unknown",) if things else ())) and not tagged_only:
        return actor
    return actor.model_copy(update={"country": country, "code": f"{country}{actor.sector or ''}",
                                    "resolved_by": f"{actor.resolved_by}+{how}:{country}"})


def _sentence_country(d: Draft, ctx: EventContext) -> Changes | None:
    sent = d.frame.token.sent
    if sent.start not in ctx.sole:
        ctx.sole[sent.start] = _sole_country(sent, ctx)
    sole = ctx.sole[sent.start]
    if sole is None:
        return None
    source, target = _with_country(d.source, sole, "sentence", people=False), \
        _with_country(d.target, sole, "sentence", people=False)
    return dict(source=source, target=target) if (source, target) != (d.source, d.target) else None


def _home(d: Draft, ctx: EventContext) -> Changes | None:
    """A group or person no sentence places ('the army', 'the authorities', 'the opposition
    leader') belongs to the document's home country: its dateline's, else the one it names most."""
    home = ctx.doc._.home
    if not home:
        return None
    source, target = _with_country(d.source, home, "home", False), _with_country(d.target, home, "home", False)
    return dict(source=source, target=target) if (source, target) != (d.source, d.target) else None


def _with_place_country(actor: Actor | None, place: Place, things: bool = False) -> Actor | None:
    """A group with no country ('protesters', 'militants') takes the country of the place; with
    ``things``, so does a thing acted on ('struck an airport near Damascus')."""
    if actor is None or actor.country is not None or actor.kind not in ("group", *(("unknown",) if things else ()))\
            or not place.country or actor.members:
        return actor
    return actor.model_copy(update={
        "country": place.country, "code": f"{place.country}{actor.sector or ''}",
        "resolved_by": f"{actor.resolved_by}+place:{place.resolved_by}"})


def _place_country(d: Draft, ctx: EventContext) -> Changes | None:
    if d.place is None or d.via in G.words("place_not_setting"):
        return None
    source, target = _with_place_country(d.source, d.place), _with_place_country(d.target, d.place, things=True)
    return dict(source=source, target=target) if (source, target) != (d.source, d.target) else None


def _place_authority(d: Draft, ctx: EventContext) -> Changes | None:
    """'a missionary was arrested in Lebanon', 'were released from captivity in Libya',
    'were expelled from North Korea': the authorities of the place did it."""
    f, place, via = d.frame, d.place, d.via
    releasing = f.type in G.types("releasing") and f.mode == "release"
    expelling = f.mode in G.words("expelling_modes")
    if d.source is None and place is not None and place.country and (f.type == "COERCE" or releasing) and \
            (f.token.tag_ == "VBN" or participles(f.token)) and \
            (via not in G.words("directional_preps") or (via == "from" and expelling)):
        sector = "COP" if f.mode in G.words("police_modes") else "GOV"
        return dict(source=place_actor(place, ctx, "+authority", sector=sector, code=f"{place.country}{sector}",
                                        country_name=True))
    return None


def _provider(d: Draft, ctx: EventContext) -> Changes | None:
    """'the Iraqi Army received training in Russia': the place is the provider."""
    place, target = d.place, d.target
    if d.source is None and place is not None and place.country and \
            any(e.operator == "receive" for _, e in d.frame.chain) and \
            (target is None or target.country != place.country):
        return dict(source=place_actor(place, ctx, country_name=True))
    return None


def _place_target(d: Draft, ctx: EventContext) -> Changes | None:
    """'troops remained on alert in Manila': where it was done is what it was done to."""
    f, place = d.frame, d.place
    if d.target is None and place is not None and not f.entry.target_from_place and \
            f.type not in G.types("not_done_to_place") and d.via in G.words("place_as_target"):
        return dict(target=place_actor(place, ctx, sector="CVL" if place.kind == "city" else None))
    return None


def _host(d: Draft, ctx: EventContext) -> Changes | None:
    """'visited Baghdad', 'withdrew from Syria': the country of the place is the counterpart;
    a visit to one's own troops in Iraq is a visit to Iraq."""
    f, place, source, target = d.frame, d.place, d.source, d.target
    own_abroad = (f.type == "CONSULT" and f.mode == "visit" and target is not None
                  and source is not None and target.country == source.country)
    if (target is None or own_abroad) and f.entry.target_from_place and place is not None \
            and place.country and (source is None or source.country != place.country):
        return dict(target=place_actor(place, ctx, country_name=True))
    return None


def _object(d: Draft, ctx: EventContext) -> Changes | None:
    if d.target is not None:
        return None
    target = object_target(d, ctx)
    return dict(target=target) if target is not None else None


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
        if obj is None and (not inner or base is frame):
            # "allow the airlines to land", "demanded that the government resign": who is made to act
            obj = next((g for c in tok.children if c.dep_ in ("ccomp", "xcomp")
                        for g in c.children if g.dep_ == "nsubj"), None)
        if obj is None or obj.pos_ == "PRON" or (inner and obj.i in frame_tokens):
            continue
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children):
            return None  # "withdrew its troops": the actor's own
        named = _named_in(obj, inner, inside, source, day, ctx, frame_tokens)
        if named is not None:
            return named
        if not patient or (inner and (f.obj is obj or f.entry.with_)) or obj.like_num or \
                lemma(obj) in G.words("eventish"):
            continue
        return actor_at(obj, ctx, day, frame_tokens=frame_tokens)
    if frame.type == "MOBILIZE":
        return _deployed_to(base, day, ctx, frame_tokens)
    return None


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
    """An actor or place named inside the object phrase."""
    for t in obj.subtree:
        if t.i in frame_tokens and inner:
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


def _where(d: Draft, ctx: EventContext) -> Changes | None:
    """Where an act has no party, the place where it happened stands in ("set up a research
    centre in Barcelona", "captured the mosque in Mosul"), unless it is where the act came from."""
    p = d.place
    if d.target is not None or p is None or not p.country or d.via in G.words("directional_preps"):
        return None
    if d.frame.type in G.types("not_done_to_place"):
        return None
    return {"target": place_actor(p, ctx, "+where", sector="CVL" if p.kind == "city" else None)}


def _unattributed(d: Draft, ctx: EventContext) -> Changes | None:
    """'a roadside bomb near Samarra killed two soldiers': unidentified attackers where it happened."""
    f, source, target = d.frame, d.source, d.target
    if not (f.type == "ASSAULT" and (
            (source is not None and source.kind == "unknown" and source.country is None)
            or (source is None and lemma(f.token) in G.words("killing")))
            and (f.token.pos_ == "VERB" or f.token.dep_ in ("nsubj", "nsubjpass", "ROOT"))):
        return None
    where = d.place
    if where is None or not where.country:
        from .phrases import dateline_end

        sent = f.token.sent
        spans = [p for i, p in sorted(ctx.places.items()) if dateline_end(sent) <= i < sent.end
                 and p._.place.country
                 and not (target is not None and target.start <= p.start_char + ctx.offset < target.end)]
        where = place_record(spans[0], ctx.offset) if spans else None
    if where is None or not where.country:
        return None
    anchor_text, a_start, a_end = ((source.text, source.start, source.end) if source is not None
                                   else (where.text, where.start or 0, where.end or 0))
    return dict(source=Actor(text=anchor_text, start=a_start, end=a_end, name=None, code=f"{where.country}UAF",
                              country=where.country, sector="UAF", kind="group",
                              resolved_by=f"place:{where.resolved_by}+unattributed"))


RULES: tuple[tuple[str, Callable[[Draft, EventContext], Changes | None]], ...] = (
    ("speaker", _speaker),
    ("party", _party),
    ("sentence-country", _sentence_country),
    ("place-country", _place_country),
    ("home", _home),
    ("place-authority", _place_authority),
    ("provider", _provider),
    ("place-target", _place_target),
    ("host", _host),
    ("object", _object),
    ("where", _where),
    ("unattributed", _unattributed),
)
"""The party rules, in the order they run."""
