"""Noun-phrase helpers shared by the actor and event components."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Doc, Span, Token

__all__ = [
    "MODIFIER_DEPS",
    "entity_at",
    "NOMINAL",
    "modifier_chain",
    "phrase_bounds",
    "lemma",
    "words_of",
    "is_nominal",
]

MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "nummod", "quantmod", "det",
                           "predet", "case", "punct", "advmod"})
"""Dependents that belong to the noun phrase of their head (on its left)."""

CHAIN_DEPS = frozenset({"amod", "compound", "poss", "nmod"})
"""Dependents that can name who a noun phrase is ('Iraqi', 'Iraq's', 'U.S.')."""

NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


def is_nominal(tok: Token) -> bool:
    return tok.pos_ in NOMINAL or tok.tag_ in ("NN", "NNS", "NNP", "NNPS")


@lru_cache(maxsize=1)
def _irregular() -> dict[str, str]:
    text = resources.files("realpolitik.lexicon").joinpath("data", "lemmas.yaml").read_text(encoding="utf-8")
    return {str(k).lower(): str(v).lower() for k, v in (yaml.safe_load(text).get("lemmas") or {}).items()}


_IRREGULAR = _irregular()


def irregular_lemmas() -> dict[str, str]:
    """Word forms whose lemma the table in ``lexicon/data/lemmas.yaml`` fixes -> that lemma."""
    return dict(_IRREGULAR)


def lemma(tok: Token) -> str:
    """Lower-case lemma; forms the lemmatizer leaves alone ('retook') or gets wrong ('staged'
    as 'stag') are mapped with ``lexicon/data/lemmas.yaml``."""
    fixed = _IRREGULAR.get(tok.lower_)
    if fixed is not None:  # the table wins over the tagger ("staged" is not "stag")
        return fixed
    return tok.lemma_.lower()


def modifier_chain(head: Token) -> Iterator[Token]:
    """Tokens that modify ``head`` directly or through a chain of compounds and adjectives.

    Stops at verbs (participles such as 'Iranian-supported' describe another actor) and at
    tokens to the right of the head.
    """
    deps = CHAIN_DEPS | {"npadvmod"}
    stack = [c for c in head.children if c.dep_ in deps and c.i < head.i]
    while stack:
        t = stack.pop()
        if t.pos_ == "VERB":
            continue
        yield t
        stack.extend(c for c in t.children if c.dep_ in deps | {"conj"} and c.pos_ != "VERB")


def phrase_bounds(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``head``, left side only.

    The phrase runs from the leftmost modifier (articles and leading punctuation left out)
    to the head itself; relative clauses and prepositional phrases are not included.
    """
    start = head.i
    for c in head.lefts:
        if c.dep_ in MODIFIER_DEPS or c.dep_ in ("npadvmod",):
            start = min(start, c.left_edge.i)
    doc = head.doc
    while start < head.i and (doc[start].dep_ in ("det", "predet", "punct", "cc")
                              or doc[start].is_space):
        start += 1
    return start, head.i + 1


def dateline_end(sent: Span) -> int:
    """Token index just past a dateline opening the sentence ('MOGADISHU, Somalia --',
    'KHARTOUM (Reuters) -', 'Tehran, March 15, IRNA -'), or the sentence start if none."""
    doc = sent.doc
    limit = min(sent.end, sent.start + 14)
    for i in range(sent.start + 1, limit):
        t = doc[i]
        if t.text in ("--", "—", "–") or (t.text == "-" and doc[i - 1].whitespace_ and t.whitespace_):
            head = doc[sent.start:i]
            first = doc[sent.start]
            if first.is_upper or first.ent_type_ in ("GPE", "LOC") or any(x.text == "(" for x in head):
                return i + 1
            return sent.start
        if t.pos_ == "VERB" or t.dep_ == "ROOT":
            break
    return sent.start


def words_of(doc: Doc, start: int, end: int, skip: frozenset[int] = frozenset()) -> list[str]:
    """Lower-case lemmas and two-word phrases of a token range (for sector lookups), leaving
    out the tokens in ``skip``."""
    keep = [i for i in range(start, end) if i not in skip]
    lem = [lemma(doc[i]) for i in keep]
    low = [doc[i].lower_ for i in keep]
    out = lem + low
    out += [f"{a} {b}" for a, b in zip(lem, lem[1:], strict=False)]
    out += [f"{a} {b}" for a, b in zip(low, low[1:], strict=False)]
    return out


def span_of(doc: Doc, start: int, end: int) -> Span:
    return doc[start:end]


def entity_at(tok: Token) -> Span | None:
    """The named entity that holds ``tok``, read from its neighbours' entity tags rather
    than from ``doc.ents``, which builds every entity of the piece on each read."""
    if not tok.ent_type_:
        return None
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]
