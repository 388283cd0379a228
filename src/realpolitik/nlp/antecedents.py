"""Antecedents of pronouns: which actors a pronoun can stand for (:func:`agrees`), and the
subjects it most plausibly refers to before the nearest actor that agrees: the subject of the
clause its own clause hangs from (:func:`clause_subject`: "the court freed him after it
convicted him"), or, for "he" or "she" as a sentence's main subject, the last sentence's main
subject (:func:`topic`: "Ruto received Museveni hours after Museveni met the envoys. He then
condemned ...": Ruto). "It" keeps the nearest actor: in "Israel accused Hezbollah of
firing rockets. It denied the charge", it is Hezbollah.

Example::

    >>> import realpolitik
    >>> text = ("Kenyan President William Ruto met Somali President Hassan Sheikh Mohamud hours after "
    ...         "Mohamud landed in Nairobi. In a statement, he called the raid illegal.")
    >>> [e.source.code for e in realpolitik.code(text) if e.event_type == "ACCUSE"]
    ['KENGOV']
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from .context import EventContext

__all__ = ["agrees", "clause_subject", "topic"]

_PRONOUNS_PERSON = G.words("pronouns_person")
_PRONOUNS_THING = G.words("pronouns_thing")


def topic(tok: Token, low: str, ctx: EventContext, cands: list[Span]) -> Span | None:
    """"He" or "she" as its sentence's main subject, with no person before it in the sentence that
    agrees, is the last sentence's main subject where that agrees: "Ruto received Museveni
    hours after Museveni met the envoys. He then condemned ... ": Ruto."""
    sent = tok.sent
    if low not in _PRONOUNS_PERSON or tok.dep_ not in ("nsubj", "nsubjpass") or tok.head != sent.root \
            or sent.start == 0 or any(
            s.start >= sent.start and agrees(low, ctx.actor(s), s) for s in cands):
        return None
    root = tok.doc[sent.start - 1].sent.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    s = ctx.by_token.get(subj.i) if subj is not None else None
    return s if s is not None and agrees(low, ctx.actor(s), s) else None


def clause_subject(tok: Token, low: str, ctx: EventContext) -> Span | None:
    """The actor subject of the clause a subject pronoun's clause hangs from, if it agrees."""
    v = tok.head
    for _ in range(3):
        if v.dep_ not in ("advcl", "conj", "ccomp", "xcomp") or v.head == v:
            return None
        v = v.head
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            continue
        s = ctx.by_token.get(subj.i) if subj.i < tok.i else None
        if s is None:
            return None
        a = ctx.actor(s)
        # a body named by a singular noun is an "it" here: "the union said it would strike"
        body = low in _PRONOUNS_THING and a is not None and a.kind == "group" and s.root.tag_ == "NN"
        return s if body or agrees(low, a, s) else None
    return None


def agrees(pron: str, actor: Actor | None, span: Span | None = None) -> bool:
    """Whether a pronoun can stand for the actor: 'he' a person, 'it' a state or body,
    'they' a group, body, state or compound."""
    if actor is None:
        return False
    if pron in _PRONOUNS_PERSON:
        # a person, named in the dictionary or not ("Czech President Vaclav Klaus ... he")
        return actor.kind == "person" or (span is not None and actor.kind == "state" and (
            span.root.ent_type_ == "PERSON" or span.root.lower_ in G.words("person_titles")))
    if pron in _PRONOUNS_THING:
        # "it" is a state or body, but not "Iraqi forces"; names ("the United States") are singular
        last = actor.text.split()[-1] if actor.text.split() else ""
        how = actor.resolved_by or ""
        person = "people:" in how or "register:name" in how or (span is not None and (
            any(t.lower_ in G.words("person_titles") or t.lower_ in G.words("honorifics") for t in span)
            or (span.root.ent_type_ == "PERSON" and "#demonyms" in how)))
        plural = span is not None and span.root.tag_ == "NNS"  # "the people of Venezuela" are a they
        return actor.kind in ("state", "organization") and not (last.islower() and last.endswith("s")) \
            and not person and not plural  # "Venezuelan leader Nicolás Maduro" is a he or she
    if pron == "they" and actor.kind == "state" and span is not None and span.root.tag_ == "NNP" and \
            not span.root.conjuncts:
        return False  # "they" is no one country named alone ("Qatar"), but "the Saudis", "Iraqi forces"
    return actor.kind in ("group", "organization", "state", "compound")
