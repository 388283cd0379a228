"""Confidence: how sure the coder is of an event's type, source and target.

The rules' score starts from the lexicon entry's weight, rises with a main-clause trigger
and a resolved source and target, and falls with operator depth and for events that are
only the object of another ("condemned *the attack*"). By default that score and the event's
place in its sentence (:func:`realpolitik.learn.features.event_features`: main clause or subordinate, verb or noun and
its role, modality, parties found) are weighed by the shipped confidence map
(:class:`realpolitik.learn.model.ScoreMap`, fitted on the project's corpus by ``make
calibrate``), which ranks a sentence's events and says how often such an event is right.
With the learned layer on, the score, the model's probability of the type and the same
signals are combined by the model's own calibration
(:meth:`realpolitik.learn.model.EventModel.confidence`).

Example::

    >>> import realpolitik
    >>> [e.confidence > 0.5 for e in realpolitik.code("Turkey shot down a Russian jet.")]
    [True]
"""

from __future__ import annotations

from spacy.tokens import Token

from ..learn.features import event_features
from ..learn.model import EventModel, ScoreMap
from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from ..ontology import Ontology
from .frame import Frame

__all__ = ["prominence", "rule_confidence", "confidence", "clause_kind"]

_ATTRIBUTION = G.words("saying", "attribution")


def prominence(frame: Frame) -> float:
    """How central the event is to its sentence: main clause events rank above embedded ones."""
    a = frame.anchor
    sent = a.sent
    early = -0.03 * (a.i - sent.start) / max(1, len(sent))  # ties go to the first event
    return early + _clause_rank(a)


def _clause_rank(a: Token) -> float:
    if a.dep_ == "ROOT":
        if any(c.dep_ == "ccomp" and c.i < a.i for c in a.children) and a.lemma_.lower() not in _ATTRIBUTION:
            return -0.05  # "..., a human rights group charged": an attribution after the claim
        return 0.08
    head = a.head
    if a.dep_ in ("ccomp", "conj", "xcomp") and head.dep_ == "ROOT":
        return 0.08 if (a.dep_ != "ccomp" or head.lemma_.lower() in _ATTRIBUTION) else 0.03
    if a.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and head.dep_ == "ROOT":
        return 0.0
    if a.dep_ in ("relcl", "acl", "advcl", "amod", "appos") or (a.dep_ == "pobj" and head.dep_ == "prep"):
        return -0.12
    return -0.05


def clause_kind(frame: Frame) -> tuple[str, int]:
    """Where the act stands in its sentence, and the word it hangs on: ``main`` (the root, or a
    clause the root says or joins), ``background`` (told in a relative clause, "the rebels, who
    took the port in 2019"), ``circumstance`` (a noun in a prepositional phrase, "resigned after
    the coup", "in reply to the raid": the word the phrase hangs on), else ``other``."""
    a = frame.anchor
    if a.dep_ == "ROOT" or (a.dep_ in G.words("main_clause_deps") and a.head.dep_ == "ROOT"):
        return "main", a.i
    if a.dep_ in G.words("background_clause_deps"):
        return "background", a.head.i
    if a.dep_ == "pobj" and a.pos_ in ("NOUN", "PROPN"):
        h = a.head
        while h.dep_ in ("prep", "pobj") and h.head is not h:  # "in reply to the raid"
            h = h.head
        return "circumstance", h.i
    return "other", a.i


def rule_confidence(frame: Frame, source: Actor | None, target: Actor | None, onto: Ontology,
                    prominence_score: float = 0.0) -> float:
    """The rules' own score of an event, 0.05-0.99."""
    c = frame.entry.weight + prominence_score
    if source is not None and (source.country or source.kind in ("organization", "compound")):
        c += 0.1
    elif source is None:
        c -= 0.2
    elif source.kind == "unknown":
        c -= 0.1  # a name no dictionary knows: kept, but less sure
    needs_target = onto.types[frame.type].needs_target
    if target is not None:
        c += 0.05
    elif needs_target:
        c -= 0.1
    c -= 0.05 * max(0, frame.depth - 1)
    if any(kind in ("presupposed", "reported") for kind, _ in frame.cues):
        c -= 0.15  # "condemned the attack": the condemnation is the news, the attack its object
    return round(min(0.99, max(0.05, c)), 3)


def confidence(frame: Frame, etype: str, source: Actor | None, target: Actor | None, onto: Ontology,
               model: EventModel | None, probs: dict[str, float] | None, scale: ScoreMap | None = None,
               modality: str = "asserted") -> float:
    """The event's confidence: the rules' score, calibrated by the model when it is on, else
    weighed by ``scale`` (the shipped confidence map) when given, else the score itself."""
    p = prominence(frame)
    c = rule_confidence(frame, source, target, onto, p)
    if model is None or probs is None:
        if scale is None:
            return c
        return round(scale(event_features(frame.token, modality, source, target, c)), 4)
    return round(model.confidence(c, probs.get(etype, 0.0), p, source is not None, target is not None,
                                  onto.types[etype].needs_target, frame.key.startswith("model:")), 3)
