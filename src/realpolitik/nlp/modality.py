"""realpolitik_modality: how the text presents each event.

Sets ``span._.modality`` (a tuple, one value per frame of the trigger span) and
``span._.modality_cue`` (the words that decided it). The values:

* ``negated`` — "did not attack", "no agreement", "denied bombing", "failed to reach";
* ``conditional`` — inside an if/unless/as-long-as clause: "even if U.S. forces remain";
* ``hypothetical`` — may, might, could, would, should; an indefinite event noun in a
  present-tense clause ("Iraq has much to lose from a withdrawal"); a hedge or suspicion
  ("appears to", "is believed to have", "suspected of", "allegations that"); the writer's
  question; "did not rule out";
* ``intended`` — will, going to, plans, promises, offers, signalled interest, "is expected
  to", an aim ("the aim is to get them to leave");
* ``reported`` — the claim of someone the text cites: "X said Y attacked", "reportedly",
  "according to", "accused X of";
* ``asserted`` — none of the above. ``historical`` == decided later, by the event stage,
  for asserted events dated well before the document.

When several apply, the first in the order above wins. Cues are read from the trigger, the
operators that govern it, and the clauses above them up to the sentence root.

Example::

    >>> from realpolitik import Coder, Settings
    >>> from realpolitik.model import MODALITIES
    >>> coder = Coder.shared(Settings(modalities=MODALITIES))  # by default, what did not happen is not output
    >>> [e.modality for e in coder.code("Iran did not attack the ship.")]
    ['negated']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..lexicon.grammar import GRAMMAR as G
from . import extensions  # noqa: F401
from .frame import Frame
from .parse import gives_time
from .phrases import lemma

__all__ = ["ModalityTagger", "make_modality", "ORDER", "modality_of"]

ORDER = ("negated", "conditional", "hypothetical", "intended", "reported", "asserted")

_HYPO = G.words("hypothetical_aux")
_FUTURE = G.words("future_aux")
_COND_MARKS = G.words("conditional_marks")
_SAY = G.words("saying", "report")
_REPORT_ADV = G.words("report_adverbs")
_NEG_DET = G.words("negating_determiners")
_INDEF = G.words("indefinite_determiners")
_PROSPECTIVE = G.words("prospective_modifiers")
_POSSIBLE = G.words("possibility_modifiers")
_CORE = frozenset({"xcomp", "ccomp", "conj"})
_OPEN_MARKS = G.words("open_question_marks")


def _cond_mark(tok: Token) -> str | None:
    """The conditional subordinator of an adverbial clause headed by ``tok``, if any."""
    marks = [c for c in tok.children if c.dep_ in ("mark", "advmod")]
    for m in marks:
        if m.lower_ in _COND_MARKS:
            return m.lower_
        if m.lower_ == "as" and (any(c.lower_ == "long" for c in tok.children) or tok.head.lower_ == "long"):
            return "as long as"
        if m.lower_ == "long" and any(c.lower_ in G.words("long_as") for c in m.children):
            return "as long as"
    # "so long as such regional states cooperate": 'long' is an advmod carrying 'as'
    for c in tok.children:
        if c.dep_ == "advmod" and c.lower_ == "long":
            return "as long as"
    return _in_case(tok)


def _in_case(tok: Token) -> str | None:
    """'in case Russia attacks', 'in the event the demands are not met': the phrase the parser
    hangs on the clause's verb."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "in" and c.i < tok.i:
            for g in c.children:
                if g.dep_ == "pobj" and g.lemma_.lower() in G.words("conditional_nouns"):
                    return f"in {g.lower_}"
    return None


def _clause_cues(v: Token, own: bool, cues: dict[str, str]) -> None:
    """Cues on one verb of the chain; ``own`` when it is the event's own verb (or operator)."""
    for c in v.children:
        if c.dep_ == "neg" and own and lemma(v) in G.words("ruling_out"):
            cues.setdefault("hypothetical", f"{c.text} {v.text}")  # "did not rule out sending troops"
        elif c.dep_ == "neg" and own and lemma(v) in G.words("reluctance"):
            continue  # "would not hesitate to use force": not holding back is willing
        elif c.dep_ == "neg" and own:
            cues.setdefault("negated", c.text)
        elif c.dep_ in ("aux", "auxpass"):
            low = c.lower_
            if low in _HYPO:
                cues.setdefault("hypothetical", c.text)
            elif low in _FUTURE or low == "going" or (low in G.words("present_be") and v.tag_ == "VB"):
                cues.setdefault("intended", c.text)
        elif c.dep_ == "advmod" and c.lower_ in _REPORT_ADV:
            cues.setdefault("reported", c.text)
        elif c.dep_ == "advmod" and c.lower_ == "never" and own:
            cues.setdefault("negated", c.text)
        elif c.dep_ == "prep" and c.lower_ == "according":
            cues.setdefault("reported", "according to")


def _stance_cues(v: Token, head: Token, edge: str, cues: dict[str, str]) -> None:
    """What the word over a clause says of it: a hedge or suspicion ("appears to", "is believed
    to have", "suspected of bombing", "allegations that troops killed"), hearsay ("is said to"),
    an expectation ("is expected to sign"), an aim ("the aim is to get them to leave")."""
    word = lemma(head)
    passive = any(c.dep_ == "auxpass" for c in head.children)
    if edge == "xcomp" and (word in G.words("hedges") or (passive and word in G.words("suspecting"))):
        cues.setdefault("hypothetical", head.text)
    elif edge == "xcomp" and passive and word in G.words("hearsay_passives"):
        cues.setdefault("reported", head.text)  # "is said to have", "is reported to"
    elif edge == "xcomp" and passive and word in G.words("expected_passives"):
        cues.setdefault("intended", head.text)  # "is expected to sign"
    elif edge == "pcomp" and head.head is not head and lemma(head.head) in G.words("suspecting"):
        cues.setdefault("hypothetical", head.head.text)  # "two men suspected of bombing the embassy"
    elif edge in ("acl", "ccomp") and head.pos_ == "NOUN" and word in G.words("allegation_nouns"):
        cues.setdefault("hypothetical", head.text)  # "allegations that Malian troops killed"
    elif edge in ("xcomp", "ccomp", "attr") and word == "be" and any(
            c.dep_ in ("nsubj", "nsubjpass") and lemma(c) in G.words("aim_nouns") for c in head.children):
        cues.setdefault("intended", next(c.text for c in head.children if c.dep_ in ("nsubj", "nsubjpass")))


def _deadline(v: Token, edge: str) -> bool:
    """What someone is given hours or days to do ("gave the attaché two days to go"), however
    the parser hangs it: on the span of time, or on the giving with the span beside it."""
    givers = G.words("deadline_givers")
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return False
    if edge in ("relcl", "acl") or (edge == "advcl" and v.head.pos_ == "NOUN"):  # "the deadline for them to leave"
        return lemma(v.head) in G.words("deadline_nouns") and (
            lemma(v.head.head) in givers or lemma(v.head) in G.words("deadlines"))
    return edge in ("advcl", "xcomp") and lemma(v.head) in givers and gives_time(v.head)


def _asks(tok: Token) -> bool:
    """The sentence is a question of the writer's: it ends in a question mark outside quotes."""
    words = [t for t in tok.sent if not t.is_space]
    if words and (words[-1].is_quote or words[-1].is_bracket):
        return False  # a question inside a quotation is the speaker's
    return bool(words) and words[-1].text == "?"


def modality_of(frame: Frame) -> tuple[str, str | None]:
    """The modality of one frame and the words that set it."""
    cues: dict[str, str] = {}
    for kind, word in frame.cues:
        if kind != "presupposed":
            cues.setdefault(kind, word)
    # the event's own words: the trigger and each operator over it
    own = frame.tokens
    for t in own:
        if t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB"):
            _clause_cues(t, True, cues)
        else:
            for c in t.children:
                if c.dep_ == "det" and c.lower_ in _NEG_DET:
                    cues.setdefault("negated", c.text)
            for c in t.lefts:
                if c.lower_ in _PROSPECTIVE or c.lower_ in _POSSIBLE:
                    kind = "hypothetical" if c.lower_ in _POSSIBLE else "intended"
                    cues.setdefault(kind, c.text)
            # an adjective or participle carrying the event: 'ready to', 'poised to'
    # clauses above the construction: auxiliaries carry down clausal and core-argument
    # links only ("may shift as a result of the withdrawal" leaves the withdrawal asserted);
    # conditional clauses and reported speech carry down every link
    v = frame.anchor
    core = v.pos_ in ("VERB", "AUX") or v.tag_.startswith("VB") or v.pos_ == "ADJ"
    steps = 0
    edge, prev = "", v
    while steps < 12 and v.head != v:
        steps += 1
        prev_edge, edge = edge, v.dep_
        if edge == "advcl":
            mark = _cond_mark(v)
            if mark is not None:
                cues.setdefault("conditional", mark)

        elif edge in ("ccomp", "csubj", "xcomp", "pcomp"):  # "decide whether to sign it", "doubts about whether": an open question
            mark = next((c.lower_ for c in v.children if c.dep_ == "mark" and c.lower_ in _OPEN_MARKS), None) \
                or (_in_case(v) if edge == "ccomp" else None)
            if mark is not None:
                cues.setdefault("conditional", mark)
        if edge == "ccomp" and lemma(v.head) in _SAY:
            cues.setdefault("reported", v.head.text)
        _stance_cues(v, v.head, edge, cues)
        if _deadline(v, edge):
            cues.setdefault("hypothetical", v.head.text)  # "gave the militia ten days to disarm": demanded, not done
        if edge == "xcomp" and prev_edge == "conj" and prev.tag_ == "VB" and lemma(v.head) in G.words("intending"):
            cues.setdefault("intended", v.head.text)  # "agreed to share intelligence and hold drills": both promised
        if edge not in _CORE:
            core = False
        prev = v
        v = v.head
        if edge == "conj" and any(c.dep_ in ("nsubj", "nsubjpass", "aux", "neg") for c in prev.children):
            core = False  # a conjoined clause with its own subject or auxiliary stands alone
        if core and v not in own and (v.pos_ in ("VERB", "AUX") or v.tag_.startswith("VB")):
            _clause_cues(v, own=edge in ("xcomp", "conj"), cues=cues)
    # an indefinite event noun in a clause that is not in the past: generic or hypothetical
    tok = frame.token
    if tok.pos_ == "NOUN" and not (set(cues) - {"reported"}) and any(
            c.dep_ == "det" and c.lower_ in _INDEF for c in tok.children):
        gov = tok.head
        while gov.head != gov and gov.pos_ not in ("VERB", "AUX"):
            gov = gov.head
        if gov.tag_ not in ("VBD", "VBN"):
            cues["hypothetical"] = next(c.text for c in tok.children if c.dep_ == "det" and c.lower_ in _INDEF)
    if _asks(frame.anchor):
        cues.setdefault("hypothetical", "?")  # "Will Turkey invade again?": a question asserts nothing
    if cues.get("hypothetical", "").lower() in G.words("would") and (
            "reported" in cues or "intended" in cues or "conditional" not in cues):
        # news 'would' mostly reports a plan ("the EU would hold talks next month")
        cues.pop("hypothetical")
        cues.setdefault("intended", "would")
    for kind in ORDER:
        if kind in cues:
            return kind, cues[kind]
    return "asserted", None


class ModalityTagger:
    """The modality component."""

    def __call__(self, doc: Doc) -> Doc:
        for span in doc.spans.get("triggers", []):
            found = [modality_of(f) for f in span._.frames]
            span._.modality = tuple(m for m, _ in found)
            span._.modality_cue = tuple(c for _, c in found)
        return doc


@Language.factory(
    "realpolitik_modality",
    assigns=["span._.modality", "span._.modality_cue"],
    requires=["doc.spans", "span._.frames"],
    default_config={},
)
def make_modality(nlp: Language, name: str) -> ModalityTagger:
    return ModalityTagger()
