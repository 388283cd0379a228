"""Several parties: one event for every pair of actors the text supports.

"The U.S. and the EU slapped sanctions on Russia" is two acts, the United States' and the EU's;
"Armenia and Azerbaijan clashed" and "talks between Serbia and Kosovo" are mutual, so each side
acts on the other. :func:`pairs` turns a draft whose source or target is a compound actor, or
whose act is mutual, into one draft per ordered pair, each with a ``party:pairs`` step:

* a compound source or target: one event per member pair (``A+B -> C`` is ``A -> C`` and ``B -> C``);
* a mutual act with a compound source and no target, or a target that is one of its members
  ("Serbia and Kosovo initialled a deal", "the two countries held talks", "A and B signed
  accords between the two countries"): every member towards every other;
* a mutual act with a source and a target ("Seoul held talks with Pyongyang", "clashes between
  India and China"): both directions;
* a mutual act with no source and a compound target named as mutual ("fighting between
  Azerbaijan and Armenia"): every member towards every other.

An act is mutual when its type is one that two parties do together (talks, agreements,
cooperation, clashes, ceasefires: ``types.reciprocal``) and, where a target is named, its word
is one of ``words.mutual`` or the target came from "with" or "between". At most
``MAX_MEMBERS`` members of a side are paired; a larger compound stays one event.

Example::

    >>> import realpolitik
    >>> [e] = realpolitik.code("India and China held talks.")
    >>> [(d.source.code, d.target.code) for d in e.dyads]
    [('IND', 'CHN'), ('CHN', 'IND')]

The event stage then codes the act once: one event whose sides hold the parties and whose
``dyads`` are these pairs (:func:`realpolitik.nlp.events.one_act`).
"""

from __future__ import annotations

from itertools import permutations, product

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from .frame import Draft, Step
from .phrases import lemma

__all__ = ["pairs", "each_other", "MAX_MEMBERS"]

MAX_MEMBERS = 4
"""Largest compound side that is split into one event per member."""

_RECIPROCAL = G.types("reciprocal")
_MUTUAL = G.words("mutual")


def _members(a: Actor | None) -> list[Actor]:
    if a is None:
        return []
    ms = list(a.members) if a.members else [a]
    out, seen = [], set()
    for m in ms:
        key = m.country or m.code or m.text
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _same(a: Actor, b: Actor) -> bool:
    """The same actor: the same code (a country's army and its rebels are two), else the same country."""
    if a.code and b.code:
        return a.code == b.code
    return bool(a.country and a.country == b.country)


def _mutual_word(d: Draft) -> bool:
    f = d.frame
    words = {lemma(t) for t in (f.head, f.token) if t is not None}
    return bool(words & _MUTUAL) or f.target_via in G.words("mutual_preps")


def each_other(d: Draft) -> bool:
    """'accused each other', 'fired on one another': the act's object is the other side."""
    tok = d.frame.token
    args = [c for c in tok.children] + [g for c in tok.children if c.dep_ == "prep" for g in c.children]
    return any(a.lower_ in G.words("reciprocal_pronouns") and any(
        c.lower_ in G.words("reciprocal_determiners") for c in a.children) for a in args)


def pairs(d: Draft) -> list[Draft]:
    """The drafts of every pair of parties of ``d`` (``[d]`` when it has one pair or none)."""
    src, tgt = _members(d.source), _members(d.target)
    mutual = d.type in _RECIPROCAL or d.frame.type in _RECIPROCAL  # "failed to reach a deal": a refusal of a mutual act
    target_known = d.target is not None and bool(d.target.country or d.target.kind != "unknown") and not (
        len(src) >= 2 and ((d.target.resolved_by or "").startswith("place:")
                           or d.frame.target_via in G.words("nearby_preps")))  # where two parties met is no third
    if len(src) >= 2 and len(src) <= MAX_MEMBERS and (d.target is None or not target_known) and each_other(d):
        return [d.but(Step("party", "each-other"), source=a, target=b) for a, b in permutations(src, 2)
                if not _same(a, b)]
    # "Peruvian and Chilean police jointly arrested smugglers"; not talks held with a third party
    together = d.type in G.types("done_together") and d.frame.target_via not in G.words("mutual_preps")
    # a target that is one of the sides is no third party: "A and B signed accords between the
    # two countries", "A and B agreed to cut tariffs on B's goods"
    inside = bool(tgt) and all(any(_same(t, s) or (t.country and t.country == s.country) for s in src) for t in tgt)
    if mutual and len(src) >= 2 and (not target_known or together or inside) and len(src) <= MAX_MEMBERS:
        return [d.but(Step("party", "pairs"), source=a, target=b) for a, b in permutations(src, 2) if not _same(a, b)]
    # "fighting between Azerbaijan and Armenia", "a truce between the two": no doer named, the
    # sides named together do it to each other
    if mutual and not src and 2 <= len(tgt) <= MAX_MEMBERS and _mutual_word(d):
        return [d.but(Step("party", "pairs"), source=a, target=b) for a, b in permutations(tgt, 2) if not _same(a, b)]
    out: list[Draft] = [d]
    if (len(src) >= 2 or len(tgt) >= 2) and len(src) <= MAX_MEMBERS and len(tgt) <= MAX_MEMBERS:
        out = [d.but(Step("party", "pairs"), source=a, target=b) for a, b in product(_or_none(src), _or_none(tgt))
               if a is None or b is None or not _same(a, b)]
    where = (d.target.resolved_by or "").startswith("place:") if d.target is not None else False
    if mutual and target_known and _mutual_word(d) and not where:  # a place met in does not meet back
        out += [x.but(Step("party", "both-ways"), source=x.target, target=x.source) for x in list(out)
                if x.source is not None and x.target is not None and not _same(x.source, x.target)]
    return out or [d]


def _or_none(members: list[Actor]) -> list[Actor | None]:
    """The members, or one missing actor when there are none."""
    return list(members) or [None]
