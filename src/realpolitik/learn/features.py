"""Features of a sentence for the learned event-type classifier.

Example::

    >>> import realpolitik
    >>> from realpolitik.learn.features import sentence_features
    >>> doc = realpolitik.Coder.shared().parse("Iran condemned the Israeli strike.")
    >>> feats = sentence_features(next(doc.sents), [])
    >>> "root:condemn" in feats, "w:strike" in feats
    (True, True)

Features are strings (hashed by :func:`hash_features`): the sentence's lemmas and lemma
pairs (names replaced by their entity type), its main verb with its object, particles,
auxiliaries, negation and complements (the verb under a reporting verb counts as the main
verb), and what the lexicon rules found (their types, entries and modalities).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Sequence

from spacy.tokens import Span, Token

from ..lexicon.grammar import GRAMMAR as G
from ..model import MODALITIES, Actor

__all__ = ["sentence_features", "hash_features", "FEATURE_VERSION", "main_verb", "event_features", "FEATURES"]

FEATURE_VERSION = 1
_SAY = G.words("saying", "main")
_SKIP_POS = frozenset({"PUNCT", "SPACE", "DET", "SYM", "X"})


def _word(t: Token) -> str:
    if t.pos_ == "PROPN" or (t.ent_type_ and t.ent_type_ in ("GPE", "ORG", "PERSON", "NORP", "LOC", "FAC")):
        return f"<{t.ent_type_ or 'NAME'}>"
    if t.like_num or t.pos_ == "NUM":
        return "<NUM>"
    return t.lemma_.lower()


def main_verb(sent: Span) -> Token:
    """The sentence's main verb: its root, or the clause under a reporting root."""
    root = sent.root
    if root.lemma_.lower() in _SAY:
        for c in root.children:
            if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX"):
                return c
    return root


def _verb_features(prefix: str, v: Token, out: list[str]) -> None:
    lem = v.lemma_.lower()
    out.append(f"{prefix}:{lem}")
    for c in v.children:
        dep = c.dep_
        if dep in ("dobj", "nsubjpass", "attr", "dative", "oprd"):
            out.append(f"{prefix}_{dep}:{lem}_{_word(c)}")
            out.append(f"{prefix}_obj:{_word(c)}")
        elif dep in ("prep", "prt", "agent"):
            out.append(f"{prefix}_prep:{lem}_{c.lower_}")
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    out.append(f"{prefix}_pobj:{lem}_{c.lower_}_{_word(g)}")
        elif dep in ("xcomp", "ccomp", "advcl"):
            out.append(f"{prefix}_comp:{lem}_{c.lemma_.lower()}")
            out.append(f"{prefix}_c:{c.lemma_.lower()}")
            for g in c.children:
                if g.dep_ in ("dobj", "prt"):
                    out.append(f"{prefix}_cobj:{c.lemma_.lower()}_{_word(g)}")
        elif dep == "neg":
            out.append(f"{prefix}_neg")
        elif dep in ("aux", "auxpass"):
            out.append(f"{prefix}_aux:{c.lower_}")
        elif dep in ("nsubj", "nsubjpass"):
            out.append(f"{prefix}_subj:{_word(c)}")


def sentence_features(sent: Span, frames: Sequence[object], modalities: Sequence[str] = ()) -> list[str]:
    """Feature strings of one sentence; ``frames`` are the rule frames found in it."""
    out: list[str] = ["bias"]
    words = [_word(t) for t in sent if t.pos_ not in _SKIP_POS and not t.is_space]
    out.extend(f"w:{w}" for w in words)
    out.extend(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    root = sent.root
    _verb_features("root", root, out)
    main = main_verb(sent)
    if main != root:
        _verb_features("main", main, out)
        out.append("reported")
    if not frames:
        out.append("rules:none")
    best = None
    for k, f in enumerate(frames):
        ftype = getattr(f, "type", None)
        rule = getattr(f, "key", "")
        entry = getattr(f, "entry", None)
        weight = getattr(entry, "weight", 0.5)
        out.append(f"r:{ftype}")
        base = rule.split(" > ")[-1]
        out.append(f"rr:{base}")
        out.append(f"ro:{rule.split(' > ')[0]}")
        anchor = getattr(f, "anchor", None)
        prominent = anchor is not None and (anchor.i == root.i or anchor.i == main.i or anchor.head.i in (root.i, main.i))
        if prominent:
            out.append(f"rm:{ftype}")
        mod = modalities[k] if k < len(modalities) else "asserted"
        out.append(f"rmod:{ftype}_{mod}")
        score = weight + (0.2 if prominent else 0.0)
        if best is None or score > best[0]:
            best = (score, ftype, base, mod)
    if best is not None:
        out.append(f"top:{best[1]}")
        out.append(f"topr:{best[2]}")
        out.append(f"topm:{best[3]}")
    return out


def hash_features(feats: Iterable[str], dim: int) -> list[int]:
    """Stable hashed indices of features (the same in training and at run time)."""
    return [zlib.crc32(f.encode("utf-8")) % dim for f in feats]


_CLAUSES = ("root", "main", "subordinate", "other")
_SUBORDINATE = ("advcl", "relcl", "acl", "pcomp", "amod", "appos")
_NOUN_ROLES = ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "conj", "compound", "ROOT")

FEATURES: tuple[str, ...] = (
    "score", *(f"clause={c}" for c in _CLAUSES), "noun", *(f"noun={d}" for d in _NOUN_ROLES), "depth",
    *(f"modality={m}" for m in MODALITIES), "source", "target", "source_unknown", "position")
"""The names of :func:`event_features`, in order; the confidence map is fitted on them."""


def event_features(tok: Token, modality: str, source: Actor | None, target: Actor | None,
                   score: float) -> list[float]:
    """What the confidence map weighs: the rules' score (as log-odds), where the trigger stands
    (main clause, subordinate clause, a noun and its role, how deep), the modality, which
    parties were found, and how far into the sentence the trigger is. The type is left out on
    purpose: how often each type is right depends on the corpus's mix of types."""
    path: list[str] = []
    t = tok
    while t.dep_ != "ROOT" and t.head is not t and len(path) < 6:
        path.append(t.dep_)
        t = t.head
    first = path[0] if path else "ROOT"
    clause = "root" if not path else "main" if len(path) == 1 and first in ("ccomp", "conj", "xcomp") \
        else "subordinate" if first in _SUBORDINATE else "other"
    noun = tok.pos_ in ("NOUN", "PROPN")
    s = min(max(score, 1e-3), 1 - 1e-3)
    sent = tok.sent
    return [math.log(s / (1 - s)), *(float(clause == c) for c in _CLAUSES), float(noun),
            *(float(noun and first == d) for d in _NOUN_ROLES), min(len(path), 5) / 5,
            *(float(modality == m) for m in MODALITIES), float(source is not None), float(target is not None),
            float(source is not None and source.kind == "unknown"), (tok.i - sent.start) / max(1, len(sent))]
