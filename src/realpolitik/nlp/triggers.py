"""realpolitik_triggers: find event triggers, their arguments, and compose operators.

Writes ``doc.spans["triggers"]``: one span per word that expresses an event, with
``span._.frames`` holding frozen :class:`~realpolitik.nlp.frame.Frame` records: the event
type, mode and CAMEO code, the tokens that head its source and target phrases, the chain of
operators that shaped it, and the trail of rules applied. The stages, each in its module:

* :mod:`~realpolitik.nlp.match` — which words are triggers and which lexicon entries apply;
* :mod:`~realpolitik.nlp.roles` — source and target from the entry's roles and the parse;
* :mod:`~realpolitik.nlp.operators` — words that govern another event ("called for",
  "agreed to", "condemned");
* this module — the walk over candidates, purposes ("sent troops *to help*"), obligations
  ("X said Y *must*"), causes ("an Israeli strike *killed* six"), and which frames are kept.

Per-document state lives in a :class:`~realpolitik.nlp.context.TriggerContext` passed
through; the component holds only the shared lexicon.

Example::

    >>> import realpolitik
    >>> doc = realpolitik.Coder.shared().parse("Iraqi lawmakers called for the withdrawal of U.S. troops.")
    >>> [(s.text, [f.type for f in s._.frames]) for s in doc.spans["triggers"]]
    [('called', ['REQUEST'])]
"""

from __future__ import annotations

from dataclasses import replace

from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from ..lexicon import Lexicon
from ..lexicon.grammar import GRAMMAR as G
from ..ontology import load_ontology
from . import extensions  # noqa: F401
from .context import TriggerContext, refs_of
from .frame import Frame, Step
from .match import TokenMemo, applies, candidate_pos, entries_for
from .operators import compose, request_mode, warns_of_another
from .parse import subject
from .phrases import irregular_lemmas, lemma
from .resources import Resources
from .roles import base_frame, complement

__all__ = ["TriggerFinder", "make_triggers", "analyse"]

_NAMED_ENTS = ("ORG", "EVENT", "WORK_OF_ART", "LAW", "FAC", "PERSON", "PRODUCT")
_WITH_PURPOSE = G.types("with_purpose")
_HAZARD_PRONE = G.types("hazard_prone")
_OBLIGATION_AUX = G.words("obligation_aux")
_NEED = G.words("need_verbs")
_STANCE = G.words("saying", "stance")


class TriggerFinder:
    """The trigger component: stateless between documents."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        # the words a trigger can be, as string hashes: a quick sieve before the per-token test
        words = lexicon.verbs | lexicon.nouns | lexicon.adjs
        forms = {w for w in words} | {low for low, base in irregular_lemmas().items() if base in words}
        self._lower = frozenset(get_string_id(w) for w in forms)
        self._lemma = frozenset(get_string_id(v) for w in words for v in (w, w.capitalize(), w.title(), w.upper()))

    def __call__(self, doc: Doc) -> Doc:
        actor_tokens = refs_of(doc.spans["actors"]) if "actors" in doc.spans else {}
        named = _named_tokens(doc)
        words = doc.to_array([LOWER, LEMMA]).reshape(len(doc), 2).tolist()
        sieve = [i for i, (low, lem) in enumerate(words) if low in self._lower or lem in self._lemma]
        cands = {i: pos for i in sieve if (pos := candidate_pos(doc[i], named, self.lex)) is not None}
        ctx = TriggerContext(self.lex, cands, actor_tokens)
        for i in cands:
            f = analyse(doc[i], ctx)
            if f is not None:
                ctx.found.append(f)
        frames = [ctx.current(f) for f in ctx.found]
        frames = [_obligation(f, ctx) for f in frames]
        frames = _caused(frames)
        hazards = self.lex.classes.get("hazards", frozenset())
        frames = [f for f in frames if not (f.source is not None and f.type in _HAZARD_PRONE
                                            and (lemma(f.source) in hazards or f.source.lower_ in hazards))]
        doc.spans["triggers"] = _spans(doc, frames, ctx.consumed)
        return doc


def _named_tokens(doc: Doc) -> set[int]:
    """Tokens inside names, which are never triggers ('Popular Mobilization Forces')."""
    named: set[int] = set()
    for s in doc.spans.get("actors", []):
        a = s._.actor
        if a is not None and a.kind in ("organization", "person") and s._.cue is not None:
            named.update(range(*s._.cue))
    for ent in doc.ents:
        if ent.label_ in _NAMED_ENTS:
            named.update(t.i for t in ent if t.is_title or t.is_upper)
    return named


def analyse(tok: Token, ctx: TriggerContext) -> Frame | None:
    """The frame of a candidate trigger: the first lexicon entry that applies, composed with
    the event it governs when it is an operator (memoised per token)."""
    if tok.i in ctx.memo:
        return ctx.memo[tok.i]
    ctx.memo[tok.i] = None  # guard against cycles
    pos = ctx.cands[tok.i]
    result: Frame | None = None
    memo = TokenMemo()
    for entry in entries_for(tok, pos, ctx.lex, memo):
        ok, obj_tok = applies(tok, pos, entry, ctx.lex, memo)
        if not ok:
            continue
        if entry.operator is not None:
            inner_tok = complement(tok, pos, entry, ctx.cands)
            inner = analyse(inner_tok, ctx) if inner_tok is not None else None
            if warns_of_another(tok, pos, entry, inner, ctx):
                continue  # a fear of someone else's act is no threat; that act is coded on its own
            composed = compose(tok, pos, entry, inner, ctx) if inner is not None else None
            if composed is not None:
                result = composed
                break
            if entry.type is None:
                continue
        base = base_frame(tok, pos, entry, ctx.actor_tokens, obj=obj_tok)
        if base.type == "RETREAT" and lemma(tok) in G.words("permitting"):
            # "allowed a delegation to visit": the visit is what was allowed, not an act of its own
            ctx.consumed.update(c.i for c in tok.children if c.dep_ in ("ccomp", "xcomp") and c.i in ctx.cands)
        if base.type in _WITH_PURPOSE:
            base = _purpose(base, ctx)
        if entry.when_source:
            sector = _sector(base.source, ctx)
            if (sector or "NONE") not in entry.when_source:
                continue
        result = base
        break
    ctx.memo[tok.i] = result
    return result


def _sector(tok: Token | None, ctx: TriggerContext) -> str | None:
    if tok is None or tok.i not in ctx.actor_tokens:
        return None
    actor = ctx.actor_tokens[tok.i]._.actor
    if actor is not None and not actor.sector and actor.country:
        return G.table("acts_through").get(actor.kind)  # "China protested": the state acts through its government
    return actor.sector if actor is not None else None


def _purpose(f: Frame, ctx: TriggerContext) -> Frame:
    """'sent troops to help the Philippine army': a deployment whose purpose is aid is aid;
    'called his counterpart to express support': the message is the event; 'staged rallies
    to demand reforms': the demand is the protest's topic."""
    heads = [f.token] + ([f.token.head] if f.token.dep_ in ("dobj", "pobj") else [])
    for c in (c for h in heads for c in h.children):
        if f.type == "PROTEST" and c.dep_ in ("advcl", "xcomp", "acl") and c.i in ctx.cands and c.i != f.token.i:
            inner = analyse(c, ctx)
            if inner is not None and inner.type in G.types("protest_topic"):
                ctx.consumed.add(c.i)
            continue
        if c.dep_ in ("advcl", "xcomp") and c.i in ctx.cands and any(
                g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            inner = analyse(c, ctx)
            key = f"{f.key} > purpose:{inner.key}" if inner is not None else f.key
            if inner is not None and inner.type == "AID" and f.type == "MOBILIZE":
                r = G.recode("deployment-aid")
                ctx.consumed.add(c.i)
                target, via = (inner.target, "purpose") if f.target is None else (f.target, f.target_via)
                return f.but(Step("purpose", r.name), type=r.type, mode=r.mode, contexts=r.contexts or (),
                             cameo=r.cameo, key=key, target=target, target_via=via)
            if inner is not None and f.type == "CONSULT" and f.mode != "visit" and \
                    inner.type in G.types("message"):
                ctx.consumed.add(c.i)
                return f.but(Step("purpose", inner.key), type=inner.type, mode=inner.mode, cameo=inner.cameo,
                             contexts=inner.contexts, key=key)
            return f
    return f


def _obligation(f: Frame, ctx: TriggerContext) -> Frame:
    """'Russia said Sudan must return the helicopter': the speaker requests the act."""
    found = _obliged_clause(f)
    if found is None:
        return f
    clause, a = found
    if clause.dep_ not in ("ccomp", "acl") or lemma(clause.head) not in _STANCE:
        return f
    say = clause.head
    speaker = subject(say)[0]
    if speaker is None or speaker == f.source:
        return f
    key = f"operators:{lemma(say)}+obligation > {f.key}"
    entry = replace(f.entry, operator="request", type="REQUEST", rule=key, weight=0.75)
    mode = request_mode(f)
    target, via = (f.source, "obliged") if f.source is not None else (f.target, "inner-target")
    ctx.consumed.add(a.i)
    return Frame(token=say, anchor=say, head=say, entry=entry, type="REQUEST", mode=mode, contexts=f.contexts,
                 cameo=load_ontology().cameo_for("REQUEST", mode, f.contexts), chain=(*f.chain, (say, entry)),
                 key=key, depth=f.depth + 1, inner=f, source=speaker, source_via="speaker", target=target,
                 target_via=via, trail=(*f.trail, Step("obligation", lemma(say))))


def _obliged_clause(f: Frame) -> tuple[Token, Token] | None:
    """The clause that says the event must happen ('must', 'should', 'needs to'), and the
    word that said so."""
    for a in [f.token, *[t for t, _ in f.chain], f.anchor]:
        if a.dep_ in ("acomp", "attr") and a.head.pos_ in ("AUX", "VERB"):
            a = a.head  # "the US must be ready to mediate"
        if any(c.dep_ == "aux" and c.lower_ in _OBLIGATION_AUX for c in a.children):
            return a, a
        if a.dep_ == "xcomp" and lemma(a.head) in _NEED and a.head.dep_ in ("ccomp", "acl"):
            return a.head, a
    return None


def _caused(frames: list[Frame]) -> list[Frame]:
    """'an Israeli air strike killed six': the strike's source did the killing."""
    renewed: dict[int, tuple[Frame, Frame]] = {}

    def current(f: Frame) -> Frame:
        while id(f) in renewed:
            f = renewed[id(f)][1]
        return f

    by_anchor = {f.token.i: f for f in frames if f.source is not None}
    caused, causing = G.types("caused"), G.types("causing")
    for f in frames:
        f = current(f)
        cause = by_anchor.get(f.source.i) if f.source is not None else None
        cause = current(cause) if cause is not None else None
        if cause is not None and cause is not f and f.type in caused and \
                cause.type in causing and cause.source is not None:
            renewed[id(f)] = (f, f.but(Step("cause", cause.key), source=cause.source, source_via="cause"))
    return [current(f) for f in frames]


def _spans(doc: Doc, frames: list[Frame], consumed: set[int]) -> list[Span]:
    """One span per trigger word with its frames; an event an operator took over is left
    out (unless the operator keeps it, as 'condemned the strike' keeps the strike), and so
    is a noun that only selected another trigger's entry ('imposed *sanctions*')."""
    by_token: dict[int, list[Frame]] = {}
    seen: set[int] = set()
    objects = {f.obj.i for f in frames if f.obj is not None}
    for f in frames:
        if f.anchor.i in objects and f.anchor.pos_ in ("NOUN", "PROPN") and f.obj is None:
            continue
        if id(f) in seen:
            continue
        seen.add(id(f))
        if f.anchor.i in consumed and not any(c[0] == "presupposed" for c in f.cues):
            continue
        by_token.setdefault(f.token.i, []).append(f)
    spans = []
    for i, fs in sorted(by_token.items()):
        span = doc[i:i + 1]
        span._.frames = tuple(fs)
        spans.append(span)
    return spans


@Language.factory(
    "realpolitik_triggers",
    assigns=["doc.spans", "span._.frames"],
    requires=["token.dep", "token.lemma", "doc.spans"],
    default_config={"actor_files": [], "shipped": True, "lexicon_files": []},
)
def make_triggers(nlp: Language, name: str, actor_files: list[str], shipped: bool,
                  lexicon_files: list[str]) -> TriggerFinder:
    return TriggerFinder(Resources.of(actor_files, shipped, lexicon_files).lexicon)
