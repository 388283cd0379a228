"""Recoding rules: an event whose actors or clause show it is another kind of event.

A sent force on a peacekeeping mission is military aid; a deployment of two countries'
forces together is cooperation; opening a border to refugees is asylum; arming one's own
forces is mobilization; an act promised unless the other side yields is a threat; "will
not release" is a refusal. :data:`RECODES` and :data:`BY_MODALITY` are tables of named
rules; the first rule of each table that applies changes the draft and adds a
``recode:NAME`` step to its trail. What each rule turns an event into (type, mode, CAMEO
code) is data, in the ``recodes`` section of ``lexicon/data/grammar.yaml``.

Example::

    >>> import realpolitik
    >>> e = realpolitik.code("Jordan opened its border to Syrian refugees.")[0]
    >>> (e.event_type, e.cameo, e.rule.split(" > ")[-1])
    ('AID', '075', 'recode:asylum')
"""

from __future__ import annotations

from collections.abc import Callable

from ..lexicon.grammar import GRAMMAR as G
from ..lexicon.grammar import Recode
from ..ontology import load_ontology
from .frame import Draft, Frame, Step
from .operators import intended_type, threat_mode
from .phrases import lemma

__all__ = ["RECODES", "BY_MODALITY", "recode"]

_ONTO = load_ontology()


def _joint_exercise(d: Draft) -> bool:
    """Forces of two countries mobilised together ('held drills with Egypt', 'Omani and Indian
    ships staged an exercise')."""
    s, t, f = d.source, d.target, d.frame
    if d.type != "MOBILIZE" or s is None or t is None and not s.members:
        return False
    if len({m.country for m in s.members if m.country}) > 1:
        return True
    partners = {m.country for m in (t.members or (t,)) if m.country} - {s.country} if t is not None else set()
    if not (s.country and partners):
        return False
    return f.target_via.endswith("with") or _in_subject(t, f)


def _in_subject(t: object, f: Frame) -> bool:
    """Whether the other country the sentence names stands in the act's own subject phrase
    ('*Pakistani and Chinese* ships'): a party of the act, not its target."""
    if not str(getattr(t, "resolved_by", "")).endswith("+other-country"):
        return False
    for verb in (f.anchor, f.token.head):
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return str(getattr(t, "text", "")) in subj.doc[subj.left_edge.i:subj.right_edge.i + 1].text
    return False


def _peacekeeping(d: Draft) -> bool:
    """Forces sent or a visit made on a peacekeeping mission."""
    f, s = d.frame, d.source
    if not (d.type in G.types("peacekeeping_carriers") and (d.mode is None or d.mode in G.words("peacekeeping_modes"))):
        return False
    clause = f.anchor.subtree if f.anchor.dep_ != "ROOT" else f.anchor.sent
    return any(t.lower_ in G.words("peacekeeping") for t in clause) and s is not None and bool(
        s.country or s.kind == "organization")


def _asylum(d: Draft) -> bool:
    """An opening "to refugees": the border opened for people fleeing."""
    return d.type == "RETREAT" and any(
        c.dep_ == "prep" and c.lower_ in G.words("beneficiary_preps")
        and any(t.lower_ in G.words("refugees") for t in c.subtree) for c in d.frame.token.children)


def _own_forces(d: Draft) -> bool:
    """Training or arming one's own forces."""
    s, t = d.source, d.target
    return d.type == "AID" and s is not None and t is not None and bool(s.country) and \
        t.country in (s.country, None) and t.kind != "compound" and "military" in d.frame.contexts


def _expel_state(d: Draft) -> bool:
    """A state (not its people) expelled from a body or coalition: relations reduced."""
    t = d.target
    return d.type == "COERCE" and d.mode in G.words("expelling_modes") | {"deport"} and t is not None \
        and t.kind == "state" and not t.sector and not t.members


RECODES: tuple[tuple[str, Callable[[Draft], bool]], ...] = (
    ("expel-state", _expel_state),
    ("joint-exercise", _joint_exercise),
    ("peacekeeping", _peacekeeping),
    ("asylum", _asylum),
    ("own-forces", _own_forces),
)
"""Rules that re-type an event by its actors and clause, in order; the first that applies wins."""


def _unless(d: Draft) -> Recode | None:
    """An act promised on a condition the other side must meet ('unless', 'if ... not')."""
    f = d.frame
    if d.modality != "intended" or f.type not in G.types("conditional_threats"):
        return None
    marked = any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in G.words("unless") for g in c.children)
                 for t in f.tokens for c in t.children)
    if not marked:
        return None
    return G.recode("threat-to-break" if f.type in G.types("relations_threats") else "threat-of-force")


def _if_provoked(d: Draft) -> bool:
    """'Iran said it could close the strait if attacked': a harm the speaker's own side may do
    on a condition the other side sets off is a threat, made when said."""
    f = d.frame
    if d.modality != "hypothetical" or f.type not in G.types("conditional_threats") or f.source is None:
        return False
    own = f.source.pos_ == "PRON" or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in f.source.children)
    if not own or f.anchor.dep_ != "ccomp" or lemma(f.anchor.head) not in G.words("saying"):
        return False
    return any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in G.words("provoking_marks")
                                         for g in c.children) for c in f.anchor.children)


def _boycott(d: Draft) -> Recode | None:
    """'said they will boycott the meeting'."""
    f = d.frame
    if d.modality == "intended" and f.type == "REJECT" and f.token.lemma_.lower() in G.words("boycotting"):
        return G.recode("boycott-threat")
    return None


def _refusal(d: Draft) -> bool:
    """A negated cooperative act that is a refusal: 'will not release', 'failed to agree'."""
    if d.modality != "negated" or d.type not in G.types("refusable"):
        return False
    low = (d.cue or "").lower()
    if low.startswith(tuple(G.words("refusal_cues"))):
        return True
    if low not in G.words("negators"):
        return False
    if f"{d.type}/{d.mode}" in G.words("refused_when_not_done"):
        return True  # "did not allow the monitors in": withholding access is declining it
    return any(c.dep_ == "aux" and c.lower_ in G.words("refusal_aux") for t in d.frame.tokens for c in t.children)


def _apply(d: Draft, r: Recode, frame: Frame) -> Draft:
    mode = d.mode if r.keep_mode else r.mode
    cameo = r.cameo or _ONTO.cameo_for(r.type, mode, frame.contexts)
    return d.but(Step("recode", r.name), type=r.type, mode=mode, cameo=cameo)


def _by_modality(d: Draft) -> Draft | None:
    """The modality's own recodes: conditional promises are threats, intentions are AGREE or
    THREATEN, refusals are REJECT (and asserted)."""
    f = d.frame
    r = _unless(d) or _boycott(d)
    if r is not None:
        return _apply(d, r, f)
    if _if_provoked(d):  # threatened as the act is threatened: "could cut trade ties" 1313
        mode = threat_mode(d.type, d.mode)
        return d.but(Step("recode", "if-provoked"), type="THREATEN", mode=mode, modality="asserted",
                     cameo=_ONTO.aim_code("threat", d.cameo) or _ONTO.cameo_for("THREATEN", mode, f.contexts))
    if d.modality == "intended":
        etype, emode = intended_type(f.type, f.mode)
        if etype == f.type:
            return d.but(type=etype, mode=emode)
        # CAMEO's intention to do the act itself ("will withdraw": 0356), else the type's
        return d.but(Step("recode", "intended"), type=etype, mode=emode,
                     cameo=_ONTO.aim_code("intent", d.cameo) or _ONTO.cameo_for(etype, emode, f.contexts))
    if _refusal(d):
        mode = G.table("refusal_mode").get(d.type, G.table("refusal_mode")["*"])
        return d.but(Step("recode", "refusal"), type="REJECT", mode=mode, modality="asserted",
                     cameo=_ONTO.aim_code("refusal", d.cameo) or _ONTO.cameo_for("REJECT", mode, f.contexts))
    return None


BY_MODALITY = _by_modality


def recode(d: Draft) -> Draft:
    """The draft after the first recoding rule that applies, then the modality's recodes."""
    for name, applies in RECODES:
        if applies(d):
            d = _apply(d, G.recode(name), d.frame)
            break
    return BY_MODALITY(d) or d
