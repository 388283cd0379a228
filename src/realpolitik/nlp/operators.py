"""Operators: words that govern another event and transform it.

"Iraqi lawmakers *called for* the withdrawal of U.S. troops" is a REQUEST built from the
RETREAT that "withdrawal" expresses; "Moscow *agreed to* deliver" turns AID into AGREE;
"Ankara *condemned* the strike" codes ACCUSE against whoever struck, and keeps the strike.
:func:`compose` dispatches on the lexicon entry's ``operator`` to one short function per
kind; each returns a new frame (with a step added to its trail) or None when the operator
does not apply. The type tables they read (request modes, threat modes, intentions) are in
``lexicon/data/grammar.yaml``.

Example::

    >>> import realpolitik
    >>> [(e.event_type, e.rule) for e in realpolitik.code("Moscow agreed to deliver helicopters to Iraq.")]
    [('AGREE', 'verb:aid:deliver+weapons > intent:operators:agree')]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Token

from ..lexicon import LexEntry
from ..lexicon.grammar import GRAMMAR as G
from ..ontology import load_ontology
from .context import TriggerContext
from .frame import Frame, Step
from .parse import dative, governor_subject, object_of, prep_objects, subject
from .phrases import lemma
from .roles import base_frame, role

__all__ = ["compose", "intended_type", "request_mode", "threat_mode", "warns_of_another"]

_ONTO = load_ontology()
_COOPERATIVE = G.types("cooperative")
_CONFLICTUAL = G.types("conflictual")
_INTENDED = G.table("intended")
_REQUEST_MODE = G.table("request_mode")
_THREAT_MODE = G.table("threat_mode")


def intended_type(event_type: str, mode: str | None) -> tuple[str, str | None]:
    """Events announced for the future: cooperation and retreats become AGREE (CAMEO's
    'express intent to cooperate / to yield'), force or coercion becomes THREATEN."""
    to = _INTENDED.get(event_type)
    if to is None:
        return event_type, mode
    new_type, new_mode = to
    return new_type, (threat_mode(event_type, mode) if new_mode == "$threat" else new_mode)


def request_mode(inner: Frame) -> str | None:
    """The mode of a request (or refusal) of ``inner``: assist, yield, meet or change."""
    return _REQUEST_MODE.get(f"{inner.type}/{inner.mode}", _REQUEST_MODE.get(inner.type, _REQUEST_MODE["*"]))


def threat_mode(event_type: str, mode: str | None) -> str | None:
    """The mode of a threat to do an event of this type and mode."""
    return _THREAT_MODE.get(f"{event_type}/{mode}", _THREAT_MODE.get(event_type))


def _subject_of(tok: Token, pos: str, ctx: TriggerContext) -> Token | None:
    """The operator's own subject (a noun's possessor, modifier or by-phrase, or the
    subject of the verb it is the object of)."""
    if pos != "noun":
        return subject(tok)[0]
    for r in G.roles("noun_source"):
        subj = role(tok, pos, r, ctx.actor_tokens)
        if subj is not None:
            return subj
    return governor_subject(tok, 0)[0]


class _Op:
    """One operator application: the operator word, its entry, the governed frame, and what
    every operator kind reads (its own frame as a trigger, its subject)."""

    __slots__ = ("tok", "pos", "entry", "inner", "ctx", "own", "subj")

    def __init__(self, tok: Token, pos: str, entry: LexEntry, inner: Frame, ctx: TriggerContext):
        self.tok, self.pos, self.entry, self.inner, self.ctx = tok, pos, entry, inner, ctx
        self.own = base_frame(tok, pos, entry, ctx.actor_tokens) if entry.type else None
        self.subj = _subject_of(tok, pos, ctx)

    def carry(self, **changes: Any) -> Frame:
        """The governed frame, now anchored at the operator, with the operator in its chain."""
        i = self.inner
        return i.but(Step(self.entry.operator or "", self.entry.rule), anchor=self.tok,
                     chain=(*i.chain, (self.tok, self.entry)), key=f"{self.entry.rule} > {i.key}",
                     depth=i.depth + 1, **changes)

    def new(self, etype: str, mode: str | None, cameo: str | None, **changes: Any) -> Frame:
        """A new event at the operator word, governing the frame."""
        i = self.inner
        changes.setdefault("inner", i)
        return Frame(token=self.tok, anchor=self.tok, head=self.tok, entry=self.entry, type=etype, mode=mode,
                     contexts=i.contexts, cameo=cameo, chain=(*i.chain, (self.tok, self.entry)),
                     key=f"{self.entry.rule} > {i.key}", depth=i.depth + 1,
                     trail=(*i.trail, Step(self.entry.operator or "", self.entry.rule)), **changes)

    def consume(self) -> None:
        self.ctx.consumed.add(self.inner.anchor.i)


def _carrying(op: _Op) -> Frame | None:
    """light, receive, deny, fail, report: the governed event, with the operator's subject."""
    inner, subj, kind = op.inner, op.subj, op.entry.operator
    source, source_via, target, target_via = inner.source, inner.source_via, inner.target, inner.target_via
    if kind == "receive":
        target, target_via = subj, "receiver"
        frm = role(op.tok, op.pos, "from", op.ctx.actor_tokens)
        if frm is not None:
            source, source_via = frm, "from"
        elif inner.source == subj:
            source = None
    elif source is None or source == target or (inner.source_via == "of" and subj is not None) or \
            (inner.source_via == "poss" and subj is not None and inner.source is not None
             and inner.source.pos_ == "PRON"):
        # "the rebels continued their strike": the subject is who 'their' means
        source, source_via = subj, "light"
        if target is None:
            d = dative(op.tok) or next(iter(prep_objects(op.tok, "to")), None)
            if d is not None:
                target, target_via = d, "light"
    if kind == "light" and target is None:
        for prep in G.roles("light_target"):
            objs = prep_objects(op.tok, prep)
            if objs:
                target, target_via = objs[0], prep
                break
    cues = inner.cues + tuple((m, op.tok.text) for m in G.table("operator_cues").get(kind or "", ()))
    op.consume()
    return op.carry(source=source, source_via=source_via, target=target, target_via=target_via, cues=cues)


def _intent(op: _Op) -> Frame | None:
    """'agreed to deliver', 'threatened to strike': the governed event, intended."""
    inner, tok, subj, own = op.inner, op.tok, op.subj, op.own
    if lemma(tok) in G.words("reaching") and inner.token.pos_ == "NOUN" and lemma(inner.token) in G.words(
            "agreement_nouns") and inner.token.head.i in (tok.i, *(c.i for c in tok.children if c.dep_ == "prep")):
        # "the EU and Mercosur agreed a trade deal", "agreed on the text": the agreement is reached
        r = G.recode("reach-agreement")
        op.consume()
        return op.carry(token=tok, type=r.type, mode=r.mode, cameo=r.cameo, source=subj or inner.source,
                        source_via="subj").but(Step("recode", r.name))
    ntype, nmode = intended_type(inner.type, inner.mode)
    if lemma(tok) in G.words("agreeing") and inner.type not in G.types("not_agreeable"):
        ntype, nmode = "AGREE", None  # agreeing or offering to act is agreement
    if lemma(tok) in G.words("preparing") and inner.type in G.types("force"):
        r = G.recode("force-posture")  # "prepared to resume shelling": a force posture
        ntype, nmode = r.type, r.mode
    pledged_support = inner.type == "SUPPORT" and inner.token.pos_ == "NOUN"
    if pledged_support:
        ntype, nmode = "SUPPORT", inner.mode  # "pledged its support": the support itself
    changes: dict[str, Any] = {}
    if not pledged_support:
        changes["cues"] = (*inner.cues, ("intended", tok.text))  # pledging support is an act of support
    if ntype != inner.type:
        # CAMEO codes the intention to act apart (03x: "agreed to send troops" is 0332)
        intent = _ONTO.aim_code("intent", inner.cameo) if ntype in G.types("intention_codes") else None
        changes.update(type=ntype, mode=nmode, cameo=intent or _ONTO.cameo_for(ntype, nmode, inner.contexts),
                       token=tok if (op.entry.type or op.pos != "verb") else inner.token)
    source, source_via, target = inner.source, inner.source_via, inner.target
    if subj is not None and subj != target:
        source, source_via = subj, "intent"  # "Barak agreed to U.S. mediation": Barak
    elif source is None or source == target:
        source, source_via = subj, "intent"
    if target is None and own is not None and own.target is not None:
        changes.update(target=own.target, target_via=own.target_via)
    op.consume()
    return op.carry(source=source, source_via=source_via, **changes)


def warns_of_another(tok: Token, pos: str, entry: LexEntry, inner: Frame | None, ctx: TriggerContext) -> bool:
    """A warning or fear of another country's act ("Manila warned that Chinese ships could ram
    its boats"): no threat of the speaker's, whatever act it governs, if any."""
    if entry.operator != "threaten" or lemma(tok) not in G.words("warning"):
        return False
    subj = _subject_of(tok, pos, ctx)
    # the governed act's doer; with no act found, the subject of the clause warned of
    doers = [inner.source] if inner is not None else [
        next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        for clause in tok.children if clause.dep_ == "ccomp"]
    return any(_someone_else(doer, subj, ctx) for doer in doers)


def _someone_else(doer: Token | None, subj: Token | None, ctx: TriggerContext) -> bool:
    """The doer of the governed act and the operator's subject are of two known, different countries."""
    def country(t: Token | None) -> str | None:  # the word's own actor, or its modifier's ("Chinese ships")
        for w in ([t, *(c for c in t.lefts if c.dep_ in ("amod", "compound", "poss", "nmod"))] if t is not None else []):
            span = ctx.actor_tokens.get(w.i)
            if span is not None and span._.actor is not None and span._.actor.country:
                return str(span._.actor.country)
        return None

    a, b = country(doer), country(subj)
    return a is not None and b is not None and a != b


def _request(op: _Op) -> Frame | None:
    """request, reject, threaten: a new event at the operator, aimed at whoever must act."""
    inner, tok, subj, own, kind = op.inner, op.tok, op.subj, op.own, op.entry.operator or ""
    if kind == "request" and lemma(tok) in G.words("telling") and not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in inner.anchor.children):
        return None  # "told reporters that ...": a report, not an order
    ordered = object_of(tok)
    if kind == "request" and lemma(tok) in G.words("ordering") | G.words("telling") and inner.type == "RETREAT" \
            and lemma(inner.token) in G.words("leaving") and _answers_to_another(ordered, subj, op.ctx):
        # "ordered the Americans to vacate the base", "told French troops to leave": an expulsion
        r = G.recode("order-out")
        op.consume()
        return op.new(r.type, r.mode, r.cameo, source=subj, source_via="subj", target=ordered,
                      target_via="obj").but(Step("recode", r.name))
    if kind == "request" and lemma(tok) in G.words("ordering") and inner.type in G.types("orderable") \
            and not _answers_to_another(ordered, subj, op.ctx):
        # "a judge ordered nine officials jailed": the order is the act itself
        target, via = inner.target, inner.target_via
        if inner.target is None and inner.source is not None and inner.source != subj:
            target, via = inner.source, "ordered"
        op.consume()
        return op.carry(token=tok, source=subj, source_via="ordered-by", target=target, target_via=via)
    if kind == "request" and inner.type in G.types("punishing") and inner.cameo in G.words("punishing_codes"):
        # "called for sanctions against Nigeria": a demand to punish is an accusation
        r = G.recode("demand-punishment")
        op.consume()
        return op.new(r.type, r.mode, r.cameo, source=subj, source_via="subj", target=inner.target,
                      target_via="inner-target").but(Step("recode", r.name))
    if kind == "request" and inner.type == "ACCUSE" and inner.mode == "investigate":
        # "called for a full investigation into the death": demanding an inquiry accuses
        op.consume()
        return op.carry(token=tok, source=subj, source_via="subj")
    ntype = G.table("operator_types")[kind]
    nmode = threat_mode(inner.type, inner.mode) if kind == "threaten" else request_mode(inner)
    # CAMEO codes what is threatened, demanded or refused: "threatened to cut aid" 1311
    cameo = op.entry.cameo if (op.entry.cameo and kind == "threaten" and nmode is None) else \
        _ONTO.aim_code(G.table("operator_aims")[kind], inner.cameo) or _ONTO.cameo_for(ntype, nmode, inner.contexts)
    aimed = _ONTO.cameo.get(cameo)
    if kind == "threaten" and aimed is not None and aimed.plover_mode and aimed.plover_type == ntype \
            and (nmode is None or len(aimed.code) == 4):
        nmode = aimed.plover_mode  # a specific code of what is threatened knows its mode: "threatened to occupy"
    if kind == "request" and not {lemma(tok)} & (G.words("demanding") | G.words("ordering")):
        cameo = _ONTO.aim_code("appeal", cameo) or cameo  # "urged talks" is an appeal (026), "demanded talks" 106
    source, source_via = (own.source, own.source_via) if own and own.source is not None else (subj, "subj")
    if source == inner.source and inner.anchor.dep_ == "xcomp" and kind == "request":
        source = subj
    addressee = own.target if own is not None else None
    if addressee is not None and addressee != inner.anchor and addressee not in inner.tokens:
        target, target_via = addressee, own.target_via if own else "addressee"
    elif kind == "threaten":
        target, target_via = inner.target, "threatened"
    elif inner.source is not None and inner.source != source:
        target, target_via = inner.source, "inner-source"
    else:
        target, target_via = inner.target, "inner-target"
    if kind == "request" and inner.anchor.dep_ == "xcomp" and target is None:
        ctrl = subject(inner.anchor)[0]
        if ctrl is not None and ctrl != source:
            target = ctrl
    op.consume()
    return op.new(ntype, nmode, cameo, source=source, source_via=source_via, target=target,
                  target_via=target_via, cues=tuple(c for c in inner.cues if c[0] in ("negated",)))


def _answers_to_another(ordered: Token | None, orderer: Token | None, ctx: TriggerContext) -> bool:
    """Whether the one ordered is not the orderer's own to command: a state or a body, or
    people of another country ('ordered Nicaragua to release', 'told French troops to leave')."""
    def actor(t: Token | None) -> Any:
        span = ctx.actor_tokens.get(t.i) if t is not None else None
        return span._.actor if span is not None else None

    them, us = actor(ordered), actor(orderer)
    if them is None:
        return False
    if them.kind in ("state", "organization", "compound") and not them.sector:
        return True
    return bool(us is not None and us.country and them.country and them.country != us.country)


_BORROWED = ("shared", "control", "governor", "poss")  # a source the act took from the words around it


def _blamed_for(tok: Token, anchor: Token) -> bool:
    """Whether the act at ``anchor`` hangs from the judging word ``tok`` through "for" or "over"
    ("slammed Bolivia for closing", "criticised Japan over its whaling")."""
    t = anchor
    while t.head != t and t != tok:
        if t.head == tok:
            return t.dep_ == "prep" and t.lower_ in G.words("blamed_for")
        t = t.head
    return False


def _judge(op: _Op) -> Frame | None:
    """condemn, praise, accuse: an event about the governed one, which is kept beside it."""
    inner, tok, subj, own, kind, entry = op.inner, op.tok, op.subj, op.own, op.entry.operator, op.entry
    if kind == "praise" and lemma(tok) in G.words("approving") and op.pos == "verb" and \
            inner.type in G.types("approvable"):
        # "parliament approved troop deployments in Libya": the authority's approval is the act
        op.consume()
        return op.carry(token=tok, source=subj, source_via="approved-by")
    ntype = entry.type or ("ACCUSE" if kind != "praise" else "SUPPORT")
    cameo = entry.cameo or _ONTO.cameo_for(ntype, entry.mode, inner.contexts)
    source, source_via = (own.source, own.source_via) if own and own.source is not None else (subj, "subj")
    target, target_via = None, ""
    kept = inner
    if kind == "accuse":
        accused = object_of(tok) if op.pos == "verb" else None
        if accused is not None and accused != inner.anchor:
            target, target_via = accused, "obj"
            # "A accused B of arming rebels": B is who armed them, whatever subject the gerund borrowed
            if inner.source is None or inner.source == subj or inner.source_via in _BORROWED:
                kept = kept.but(Step("party", "accused"), source=accused, source_via="accused")
        else:
            target, target_via = inner.source, "inner-source"
        kept = kept.but(cues=(*kept.cues, ("reported", tok.text)))
    elif inner.source is not None and inner.source != source:
        target, target_via = inner.source, "inner-source"
    elif own is not None and own.target is not None and own.target != inner.anchor:
        target, target_via = own.target, own.target_via
        if kind in ("condemn", "praise") and _blamed_for(tok, inner.anchor) and \
                (inner.source is None or inner.source == subj or inner.source_via in _BORROWED):
            # "Chile slammed Bolivia for closing the border": Bolivia closed it; so with praise
            kept = kept.but(Step("party", "accused"), source=own.target, source_via="accused")
    kept = kept.but(cues=(*kept.cues, ("presupposed", tok.text)))
    op.ctx.renew(inner, kept)
    op.ctx.found.append(kept)
    return op.new(ntype, entry.mode, cameo, inner=kept, source=source, source_via=source_via,
                  target=target, target_via=target_via)


def _stop(op: _Op) -> Frame | None:
    """Ending an event: ending cooperation is SANCTION, ending force RETREAT, lifting
    sanctions RETREAT, lifting restrictions CONCEDE, cancelling a meeting REJECT."""
    inner, subj = op.inner, op.subj
    itype, lem = inner.type, lemma(op.tok)
    if itype == "CONSULT" and lem in G.words("cancelling"):
        r = G.recode("cancel-meeting")
    elif itype == "CONSULT":
        r = G.recode("break-off-contact")
    elif itype in _COOPERATIVE:
        r = G.recode("end-cooperation")
    elif itype == "SANCTION" or inner.cameo in G.words("punishing_codes"):
        r = G.recode("ease-sanctions")  # sanctions, embargoes, boycotts (163) are COERCE when imposed
    elif itype in G.types("de_escalable"):
        r = G.recode("de-escalate")
    elif itype == "PROTEST" and subj is not None and (
            (inner.source is not None and subj != inner.source and inner.source.pos_ != "PRON")
            or lem in G.words("preventing")):
        r = G.recode("prevent-protest")  # "police prevented the demonstration"
    elif itype in G.types("concedable"):
        r = G.recode("give-in")
    else:
        return None
    cameo = r.cameo or _ONTO.cameo_for(r.type, r.mode, inner.contexts)
    source, source_via = subj, "subj"
    if inner.source is not None and inner.source != subj and subj is None:
        source, source_via = inner.source, "inner-source"
    target = inner.target
    if target is None and inner.source is not None and inner.source != source:
        target = inner.source
    op.consume()
    return op.new(r.type, r.mode, cameo, source=source, source_via=source_via, target=target,
                  target_via="inner").but(Step("recode", r.name))


def _permit(op: _Op) -> Frame | None:
    """'let the envoy visit the prison', 'allowed aid convoys to reach the town': the one who
    lets others in grants access; 'let the activists walk free' releases them. The letting
    of any other act leaves that act to be coded on its own."""
    inner, subj = op.inner, op.subj
    if inner.type in G.types("admitted"):
        r = G.recode("grant-access")
        cameo = G.table("access_codes").get(inner.type, r.cameo)  # aid let through: 0863
    elif inner.type == "RETREAT" and inner.mode == "release":
        r = G.recode("let-go")
        cameo = r.cameo
    else:
        return None
    let_in = object_of(op.tok) or inner.source
    if subj is None or let_in is None or let_in == subj:
        return None
    op.consume()
    return op.new(r.type, r.mode, cameo, source=subj, source_via="subj", target=let_in,
                  target_via="obj").but(Step("recode", r.name))


_KINDS: dict[str, Callable[[_Op], Frame | None]] = {
    "light": _carrying, "receive": _carrying, "deny": _carrying, "fail": _carrying, "report": _carrying,
    "intent": _intent, "request": _request, "reject": _request, "threaten": _request,
    "condemn": _judge, "praise": _judge, "accuse": _judge, "stop": _stop, "permit": _permit,
}


def compose(tok: Token, pos: str, entry: LexEntry, inner: Frame, ctx: TriggerContext) -> Frame | None:
    """The event an operator word makes of the event it governs, or None."""
    kind = _KINDS.get(entry.operator or "")
    return kind(_Op(tok, pos, entry, inner, ctx)) if kind is not None else None
