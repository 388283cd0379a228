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
* ``object`` — when no role gave a target, what the verb was done to ("captured three towns");
* ``counterpart`` — last, an act done to someone with no one named: the country the piece names
  most, other than the doer's ("the UAE announced it was cutting ties", in a piece on Qatar).

Example::

    >>> import realpolitik
    >>> e = realpolitik.code("A journalist was arrested in Cairo on Monday.", date="2019-03-06")[0]
    >>> (e.source.code, "party:place-authority" in e.rule)
    ('EGYCOP', True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Span

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor, Place
from .context import EventContext
from .frame import Draft, Frame
from .parse import passive
from .phrases import lemma
from .regions import regional, regional_body
from .setting import participles, place_actor, place_record, reporter_of
from .targets import condition, counterpart, display, object_target, party, referred, requester

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
            said = ctx.actor(span) if span is not None else None
            if said is not None and said.kind == "state" and said.country:
                country = said.country
                return dict(source=source.model_copy(update={
                    "country": country, "code": f"{country}{source.sector}",
                    "resolved_by": f"{source.resolved_by}+speaker-of:{country}"}))
    return None


def _sole_country(sent: Span, ctx: EventContext) -> str | None:
    """The one country a sentence names, through its actors and places, if only one; a
    sponsor's name ("Iran" in "Iran-backed") does not count."""
    found = _countries_named(sent, ctx)
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
    if actor is None or actor.country is not None or actor.members or actor.sector in G.words("stateless_sectors"):
        return actor  # an international body's people belong to no country the sentence names
    if actor.kind == "person" and not people and not actor.sector:
        return actor
    if actor.kind == "group" and regional(actor.text):
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

    def placed(a: Actor | None) -> Actor | None:
        words = (a.text.lower().split() or [""]) if a is not None else [""]
        if a is not None and a.kind == "group" and words[-1] in G.words("person_titles"):
            return a  # "the president" with no one so titled before: a person, not the home's government
        return _with_country(a, home, "home", False)

    source, target = placed(d.source), placed(d.target)
    return dict(source=source, target=target) if (source, target) != (d.source, d.target) else None


def _countries_named(sent: Span, ctx: EventContext) -> set[str]:
    """The countries a sentence's actors name; a sponsor's name ("Iran" in "Iran-backed") does
    not count."""
    found: set[str] = set()
    for s, a in ctx.named_in(sent):
        if not hyphen_prefix(s):
            found.update(m.country for m in a.members or (a,) if m.country)
    return found


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


def _own_forces(d: Draft, ctx: EventContext) -> Changes | None:
    """'put its military on alert', 'withdrew its troops': forces moved by their own state are
    what the act moves, not its target."""
    s, t = d.source, d.target
    if s is None or t is None or t.members:
        return None
    own = (t.text.lower().split() or [""])[0] in G.words("possessive_pronouns")  # "withdrew its troops"
    named = d.frame.target_via in G.roles("party_preps") or any(
        st.stage == "party" and st.name == "party" for st in d.trail)  # "cut aid to the Colombian army"
    if not own and (not s.country or t.country != s.country or named):
        return None
    last = (t.text.lower().split() or [""])[-1]
    troops = ctx.resources.lexicon.words(("$troops",))
    if t.sector not in G.words("force_sectors") and not (
            t.kind == "unknown" and (last in troops or last.rstrip("s") in troops)):  # "its reserve divisions"
        return None
    moved = {d.type, d.frame.type, d.frame.innermost.type, d.frame.innermost.entry.type} & G.types("moves_forces")
    return {"target": None} if moved else None


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


def _where(d: Draft, ctx: EventContext) -> Changes | None:
    """Where an act has no party, the place where it happened stands in ("set up a research
    centre in Barcelona", "captured the mosque in Mosul"), unless it is where the act came from."""
    p, t = d.place, d.target
    thing = t is not None and (t.resolved_by or "").startswith("phrase") and not (
        p is not None and t.start <= (p.start or 0) < t.end)  # "aid deliveries in Borno": Borno
    if (t is not None and not thing) or p is None or not p.country or d.via in G.words("directional_preps"):
        return None
    if d.frame.type in G.types("not_done_to_place"):
        return None
    return {"target": place_actor(p, ctx, "+where", sector="CVL" if p.kind == "city" else None)}


def _other_country(d: Draft, ctx: EventContext, within: set[int] | None = None) -> Changes | None:
    """An act with no party for a target: the one other country its sentence names, if only one
    ('Tehran warned of a crushing response after the strike in Syria')."""
    t, s = d.target, d.source
    if (t is not None and (t.country or t.kind != "unknown")) or s is None or not s.country:
        return None
    sent = d.frame.token.sent
    clause = _not_reporters(d.frame, sent) & within if within is not None else _not_reporters(d.frame, sent)
    others: dict[str, Span] = {}
    for span, a in ctx.named_in(sent):
        if span.root.i in clause and not hyphen_prefix(span):
            for m in a.members or (a,):
                if m.country and m.country != s.country and not (s.start <= span.start_char + ctx.offset < s.end):
                    others.setdefault(m.country, span)
    if len(others) != 1:
        return None
    (country, span), = others.items()
    c = ctx.resources.dictionary.countries.get(country)
    return {"target": Actor(text=span.text, start=span.start_char + ctx.offset, end=span.end_char + ctx.offset,
                            name=c.name if c else country, code=country, country=country, kind="state",
                            resolved_by=f"{ctx.actor(span).resolved_by}+other-country")}


def _not_reporters(frame: Frame, sent: Span) -> set[int]:
    """The sentence's tokens but the reporter's ('the Thai army said the rebels fired': not
    Thailand) and those of a display the act is meant as ('shelled the post as a show of backing
    for the rebels')."""
    who = reporter_of(frame)
    skip = {t.i for t in who.subtree} if who is not None else set()
    skip |= {t.i for c in frame.token.children if display(frame, c) for t in c.subtree}
    return {i for i in range(sent.start, sent.end) if i not in skip}


def _other_group(d: Draft, ctx: EventContext) -> Changes | None:
    """A target group no country places, acted on by a state, belongs to the one other country
    its sentence names ('Germany agreed to take in 1,500 people from Greek camps'), before it
    would be given the document's home."""
    t = d.target
    if t is None or t.country or t.members or t.kind != "group" or t.sector in G.words("stateless_sectors"):
        return None
    other = _other_country(d.but(target=None), ctx)
    if other is None:
        return None
    country = other["target"].country
    return {"target": t.model_copy(update={"country": country, "code": f"{country}{t.sector or ''}",
                                           "resolved_by": f"{t.resolved_by}+other-country"})}


def _other_source(d: Draft, ctx: EventContext) -> Changes | None:
    """An act whose doer the roles do not name: the one country its sentence names besides the
    target, if only one ('the agreement with Iraq was signed in Ankara')."""
    if d.source is not None or d.target is None or not d.target.country:
        return None
    if any(kind == "presupposed" for kind, _ in d.frame.cues):
        return None  # 'Ghana condemned the detentions in Togo': the one who judges an act did not do it
    word = d.frame.head or d.frame.token
    if not (word.pos_ in ("NOUN", "PROPN") or passive(word)):
        return None  # an active verb whose subject the parse lost: no guess
    # 'the general's killing enraged Tehran': what the act did to others is not who did it
    within = {t.i for t in word.subtree} if word.dep_ in ("nsubj", "nsubjpass") else None
    if within is None and passive(word):  # "was blamed for attacks on Saudi oil fields": what it is blamed for
        sent = word.sent
        within = set(range(sent.start, sent.end)) - {t.i for c in word.children if c.dep_ == "prep"
                                                     and c.lower_ in G.words("blamed_for") for t in c.subtree}
    flipped = _other_country(d.but(source=d.target, target=None), ctx, within)
    return {"source": flipped["target"]} if flipped else None


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
        spans = [p for i in range(dateline_end(sent), sent.end) if (p := ctx.places.get(i)) is not None
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


def _own_state(d: Draft, ctx: EventContext) -> Changes | None:
    """'the rebels resumed fighting', 'the FARC declared a ceasefire': rebels who deal with no
    one named deal with their own state; 'the army seized power': a coup is done to one's own state."""
    s = d.source
    if d.target is not None or s is None or not s.country or s.members:
        return None
    rebels = d.type in G.types("rebels_to_state") and s.sector in G.words("insurgent_sectors")
    if not rebels and not set(d.frame.contexts) & G.words("domestic_contexts"):
        return None
    c = ctx.resources.dictionary.countries.get(s.country)
    return {"target": Actor(text=s.text, start=s.start, end=s.end, name=c.name if c else s.country,
                            code=s.country, country=s.country, kind="state",
                            resolved_by=f"{s.resolved_by}+own-state")}


RULES: tuple[tuple[str, Callable[[Draft, EventContext], Changes | None]], ...] = (
    ("regional-body", regional_body),
    ("speaker", _speaker),
    ("party", party),
    ("requester", requester),
    ("condition", condition),
    ("referred", referred),
    ("sentence-country", _sentence_country),
    ("place-country", _place_country),
    ("other-country-group", _other_group),
    ("home", _home),
    ("own-forces", _own_forces),
    ("place-authority", _place_authority),
    ("provider", _provider),
    ("place-target", _place_target),
    ("host", _host),
    ("object", _object),
    ("where", _where),
    ("other-country", _other_country),
    ("other-country-source", _other_source),
    ("unattributed", _unattributed),
    ("own-state", _own_state),
    ("counterpart", counterpart),
)
"""The party rules, in the order they run."""
