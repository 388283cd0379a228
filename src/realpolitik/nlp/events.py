"""realpolitik_events: assemble coded events from triggers, actors, dates and places.

Writes ``doc._.events``: a tuple of :class:`realpolitik.model.Event`, one per frame of each
trigger. Each frame goes through the event stages in order, as a frozen
:class:`~realpolitik.nlp.frame.Draft` that every rule replaces with a new one:

1. :func:`~realpolitik.nlp.setting.when` — the date the text gives the act, else the
   document's;
2. :func:`~realpolitik.nlp.resolve.actor_at` — the source and target actors, office holders
   resolved at that date;
3. :func:`~realpolitik.nlp.setting.place_of` — the place;
4. :data:`~realpolitik.nlp.parties.RULES` — party rules, each named in the trail;
5. ``historical`` — asserted events dated a year or more before the document;
6. :func:`~realpolitik.nlp.recode.recode` — recoding rules, each named in the trail;
7. :func:`~realpolitik.nlp.confidence.confidence`.

Per-document indexes live in an :class:`~realpolitik.nlp.context.EventContext` built for
each document; the component holds only the shared resources and its settings, so one
component codes documents in several threads at once.

Example::

    >>> import realpolitik
    >>> e = realpolitik.code("Moscow delivered 20 helicopters to the Iraqi army.")[0]
    >>> (e.event_type, e.source.code, e.target.code)
    ('AID', 'RUSGOV', 'IRQMIL')
"""

from __future__ import annotations

import datetime as dt
import hashlib

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..learn.model import EventModel, ScoreMap, load_score_map
from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor, Event, Trigger
from ..ontology import host_codes
from . import extensions  # noqa: F401
from .acts import in_the_foreground, key, one_act, stated_once
from .confidence import clause_kind, confidence
from .context import EventContext
from .frame import Draft, Frame, Step, trail_text
from .pairs import pairs
from .parties import RULES
from .recode import recode
from .resolve import actor_at
from .resources import Resources
from .setting import place_of, reporter_of, when

__all__ = ["EventAssembler", "make_events", "event_id", "assemble"]


def event_id(doc_id: str, start: int, event_type: str, key: str) -> str:
    """Stable id: the same document text always yields the same ids."""
    h = hashlib.blake2b(f"{doc_id}|{start}|{event_type}|{key}".encode(), digest_size=8)
    return h.hexdigest()


class EventAssembler:
    """The event component: stateless between documents."""

    def __init__(self, resources: Resources, historical_after_days: int = 365, require_actor: bool = True,
                 model: EventModel | None = None, scale: ScoreMap | None = None, once: bool = True,
                 require_source: bool = True, background: bool = False, require_target: bool = True):
        self.resources = resources
        self.require_target = require_target
        self.once = once
        self.background = background
        self.model = model
        self.scale = scale
        self.historical_after = historical_after_days
        self.require_actor = require_actor
        self.require_source = require_source

    def __call__(self, doc: Doc) -> Doc:
        ctx = EventContext.of(doc, self.resources)
        out: list[Event] = []
        kinds: list[tuple[str, frozenset[int]]] = []
        links: list[tuple[int, int]] = []
        for span in doc.spans.get("triggers", []):
            mods = span._.modality or ()
            cues = span._.modality_cue or ()
            for k, frame in enumerate(span._.frames):
                modality = mods[k] if k < len(mods) else "asserted"
                cue = cues[k] if k < len(cues) else None
                found = assemble(frame, modality, cue, ctx, self)
                out.extend(found)
                ctx.told.extend(found)
                if not found:
                    continue
                if not self.background:
                    kind, at = clause_kind(frame)
                    kinds.extend([(kind, frozenset({at} if kind == "circumstance" else _words(frame)))] * len(found))
                links.extend([(_first_conjunct(frame.anchor), frame.anchor.i)] * len(found))
        if not self.background:
            keep = in_the_foreground(out, kinds)
            out, links = [out[i] for i in keep], [links[i] for i in keep]
        doc._.events = tuple(stated_once(out, links) if self.once else out)
        return doc


def _first_conjunct(tok: Token) -> int:
    """The first of the coordinated words ``tok`` is one of ("expelled ... and closed": expelled)."""
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok.i


def _words(frame: Frame) -> set[int]:
    """The words of an act: its trigger, operators, object and the acts it governs."""
    out: set[int] = set()
    f: Frame | None = frame
    while f is not None:
        out |= {t.i for t in f.tokens} | {f.anchor.i} | ({f.obj.i} if f.obj is not None else set())
        f = f.inner
    return out


def _actors(frame: Frame, ctx: EventContext, day: dt.date | None) -> tuple[Actor | None, Actor | None]:
    """The source and target actors of the frame's tokens, at the event's date."""
    frame_tokens = {t.i for t in frame.tokens}
    source = actor_at(frame.source, ctx, day, exclude=frame.target, frame_tokens=frame_tokens)
    target_tok = frame.target if frame.target is None or frame.target not in frame.words else None  # "went on strike"
    target = actor_at(target_tok, ctx, day, exclude=frame.source,
                      not_code=source.code if source is not None else None, frame_tokens=frame_tokens)
    if source is not None and target is not None and source.code == target.code and source.start == target.start:
        target = None
    if target is not None and source is not None and (target.resolved_by or "").endswith("+pronoun") and \
            target.country and target.country == source.country:
        target = None  # "withdrew its troops", "laid down their weapons": the actor's own, no party
    return source, target


def _historical(d: Draft, ctx: EventContext, after_days: int) -> Draft:
    """An asserted event dated a year or more before the document is history."""
    w = d.when
    doc_date = ctx.doc._.doc_date
    if d.modality == "asserted" and w.value is not None and doc_date is not None and \
            (doc_date - w.value.last_day).days >= after_days:
        cue = w.span.text if w.span is not None else d.cue
        return d.but(Step("modality", "historical"), modality="historical", cue=cue)
    return d


def assemble(frame: Frame, modality: str, cue: str | None, ctx: EventContext,
             settings: EventAssembler) -> list[Event]:
    """The events of one frame: one for its pairs of parties, none when it has no actor, and none
    of the pairs without a source, or without a target for an act done to someone, where those
    are required."""
    w = when(frame, ctx)
    source, target = _actors(frame, ctx, w.day)
    place, via = place_of(frame, ctx)
    d = Draft(frame=frame, modality=modality, cue=cue, when=w, source=source, target=target, place=place,
              via=via, type=frame.type, mode=frame.mode, cameo=frame.cameo)
    for name, rule in RULES:
        changes = rule(d, ctx)
        if changes is not None:
            d = d.but(Step("party", name), **changes)
    d = _historical(d, ctx, settings.historical_after)
    if settings.require_actor and not any(_actor(a) for a in (d.source, d.target)):
        return []
    d = recode(_loaded_claim(d, ctx))
    drafts = [x.but(Step("party", "not-self"), target=None) if _self_given(x) else x for x in pairs(d)]
    if settings.require_source:
        drafts = [x for x in drafts if _actor(x.source)]
    if settings.require_target and d.type in _ADDRESSED:
        drafts = [x for x in drafts if _actor(x.target)]
    if not drafts:
        return []
    if len(drafts) == 1:
        return [_event(drafts[0], ctx, settings)]
    each = [_event(x, ctx, settings, pair=f"{key(x.source)}>{key(x.target)}") for x in drafts]
    act = each[0].model_copy(update={"event_id": event_id(ctx.doc_id, frame.token.idx + ctx.offset, d.type,
                                                                  frame.key)})  # the id of a one-pair act
    return [one_act(act, each, (d.source, d.target), ctx)]


def _actor(a: Actor | None) -> bool:
    """Whether a side names an actor: one the dictionaries or the tagger know, a thing placed in
    a country ('a school in Kharkiv'), or a name no dictionary knows (kept, with no country;
    ``realpolitik actors unknown`` lists them)."""
    return a is not None and (a.kind != "unknown" or bool(a.country) or (a.resolved_by or "").startswith("name"))


_ADDRESSED = G.types("addressed")
"""Acts done to someone: with no one found, they are not output by default."""

_BORROWED = tuple(f"+{how}:" for how in G.words("borrowed_country"))
"""How ``resolved_by`` marks a country a side took from its sentence or document."""


def _self_given(d: Draft) -> bool:
    """A target that is a thing or an unnamed group given the source's own code from its sentence
    or document, with no place to say it is in the doer's country ("the US pressured European
    countries", "fired at 11 targets"): no party, not the doer acting on itself. Named actors of
    the doer's own country stay ("Iraq called on Iraqis"), and so do things in a place of its own
    ("Bosnian Serb mortars shelled the market in Sarajevo")."""
    s, t, given = d.source, d.target, _BORROWED
    return s is not None and t is not None and bool(s.code) and s.code == t.code and d.place is None \
        and t.kind in ("unknown", "group") and any(k in (t.resolved_by or "") for k in given) \
        and not any(k in (s.resolved_by or "") for k in given)  # a doer itself given the country: either may be so


def _loaded_claim(d: Draft, ctx: EventContext) -> Draft:
    """"Rwanda's aggression against us", said the minister: a loaded word for another's act
    (``words.loaded_nouns``), in a speaker's words, is the speaker's accusation of the doer."""
    tok, s = d.frame.token, d.source
    if d.modality != "reported" or tok.pos_ != "NOUN" or tok.lemma_.lower() not in G.words("loaded_nouns") \
            or s is None or not s.country:
        return d
    who = _reporter(d, ctx)
    if who is None or not (who.country or who.kind == "organization") or who.country == s.country:
        return d
    r = G.recode("loaded-claim")
    return d.but(Step("recode", r.name), type=r.type, mode=r.mode, cameo=r.cameo, source=who, target=s,
                 modality="asserted", cue=None)


def _reporter(d: Draft, ctx: EventContext) -> Actor | None:
    """The actor who reports a reported event, if the text names one."""
    tok = reporter_of(d.frame)
    if tok is None:
        return None
    who = actor_at(tok, ctx, d.when.day)
    return who if who is not None and who.kind != "unknown" else None


def _elsewhere(d: Draft) -> bool:
    """Two parties of two countries acting in a place of neither's (a meeting in a third place)."""
    src, tgt, place = d.source, d.target, d.place
    if src is None or tgt is None or place is None or not place.country:
        return False
    countries = {src.country, tgt.country}
    return None not in countries and len(countries) == 2 and place.country not in countries


def _event(d: Draft, ctx: EventContext, settings: EventAssembler, pair: str = "") -> Event:
    frame, w, onto = d.frame, d.when, ctx.resources.ontology
    sent = frame.token.sent
    probs = ctx.type_probs.get(sent.start)
    trig = frame.token
    cameo, mode = d.cameo, d.mode
    if d.modality == "intended" and d.type in G.types("intention_codes"):
        cameo = onto.aim_code("intent", cameo) or cameo  # "said it would lift the tariffs": CAMEO 0354
    if mode is None and d.type in G.types("met_somewhere") and _elsewhere(d):
        mode = G.table("third_place_mode")[d.type]  # "Biden and Putin met in Geneva": a third place
        cameo = onto.cameo_for(d.type, mode, frame.contexts)
    if cameo in host_codes() and d.source is not None and d.target is not None:  # "Baghdad hosted Lavrov": PLOVER names the visitor
        d = d.but(Step("parties", "visitor as source, host as target"), source=d.target, target=d.source)
    return Event(
        event_id=event_id(ctx.doc_id, trig.idx + ctx.offset, d.type, f"{frame.key}|{pair}" if pair else frame.key),
        doc_id=ctx.doc_id,
        sentence_index=ctx.sent_offset + ctx.sent_index.get(sent.start, 0),
        sentence=ctx.sentence_text(sent),
        event_type=d.type,
        mode=mode,
        contexts=frame.contexts,
        cameo=cameo,
        quad_class=onto.quad(d.type),
        intensity=onto.score(d.type, mode),
        goldstein=onto.goldstein(cameo) if cameo else None,
        source=d.source,
        target=d.target,
        date=w.date,
        date_precision=w.precision,
        date_text=w.text,
        date_method=w.method,
        location=d.place,
        modality=d.modality,
        modality_cue=d.cue,
        reported_by=_reporter(d, ctx) if d.modality == "reported" else None,
        confidence=confidence(frame, d.type, d.source, d.target, onto, settings.model, probs, settings.scale,
                              d.modality),
        trigger=Trigger(text=trig.text, start=trig.idx + ctx.offset, end=trig.idx + len(trig.text) + ctx.offset),
        rule=trail_text(frame.trail + d.trail),
    )


@Language.factory(
    "realpolitik_events",
    assigns=["doc._.events"],
    requires=["doc.spans", "span._.frames", "span._.modality"],
    default_config={"actor_files": [], "shipped": True, "lexicon_files": [], "historical_after_days": 365,
                    "require_actor": True, "use_model": False, "calibrate": True, "once": True,
                    "require_source": True, "background": False, "require_target": True},
)
def make_events(nlp: Language, name: str, actor_files: list[str], shipped: bool, lexicon_files: list[str],
                historical_after_days: int, require_actor: bool, use_model: bool,
                calibrate: bool, once: bool, require_source: bool, background: bool,
                require_target: bool) -> EventAssembler:
    r = Resources.of(actor_files, shipped, lexicon_files)
    return EventAssembler(r, historical_after_days, require_actor, r.model if use_model else None,
                          load_score_map() if calibrate else None, once, require_source, background, require_target)
