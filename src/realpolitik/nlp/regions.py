"""Groups named by a region: "West African leaders", "Gulf states", "foreign journalists".

Such a group belongs to no one country, so no party rule gives it the sentence's country
(:func:`regional`). Where the document names a body of that region (``tables.regional_bodies``:
"west african" -> ECOWAS, "european" -> the EU, ...), the region's leaders acting together are
that body (:func:`regional_body`): "West African leaders gave the junta a week ... The
Economic Community of West African States (ECOWAS) demanded ..." is ECOWAS's ultimatum.

Example::

    >>> import realpolitik
    >>> text = ("West African leaders closed their borders with Niger on Sunday. "
    ...         "ECOWAS also demanded the release of the president.")
    >>> [(e.source.code, e.target.code) for e in realpolitik.code(text, date="2023-07-30")][:1]
    [('ECOWAS', 'NER')]
"""

from __future__ import annotations

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor
from .context import EventContext
from .frame import Draft

__all__ = ["regional", "regional_body"]


def regional(text: str) -> bool:
    """Whether a group's words place it in a region, not one country ("West African leaders");
    a state's own offices ("the foreign ministry") do not."""
    low = f" {text.lower()} "
    for office in G.words("state_offices"):
        low = low.replace(f" {office} ", " ")
    return any(f" {w} " in low for w in G.words("regional_words"))


def _bodies_named(ctx: EventContext) -> set[str]:
    """The codes of the organizations the document names."""
    if ctx.bodies is None:
        spans = ctx.actors_within(0, len(ctx.doc))
        ctx.bodies = {a.code for a in (ctx.actor(s) for s in spans) if a is not None and a.kind == "organization"
                      and a.code}
    return ctx.bodies


def _body(actor: Actor | None, ctx: EventContext) -> Actor | None:
    if actor is None or actor.kind != "group" or actor.country or actor.members or not regional(actor.text):
        return None
    if (actor.text.lower().split() or [""])[-1] not in G.words("regional_leaders"):
        return None  # "West African migrants", "European diplomats" are no bloc's act
    low = f" {actor.text.lower()} "
    named = _bodies_named(ctx)
    for region, bodies in G.table("regional_bodies").items():  # the longest region first
        if f" {region} " in low:
            code = next((b for b in bodies if b in named), None)
            o = ctx.resources.dictionary.organizations.get(code) if code else None
            if o is None:
                return None
            return actor.model_copy(update={"name": o.name, "code": o.id, "country": o.country, "sector": o.sector,
                                            "kind": "organization",
                                            "resolved_by": f"{actor.resolved_by}+regional-body:{o.id}"})
    return None


def regional_body(d: Draft, ctx: EventContext) -> dict[str, Actor] | None:
    """A side that is a region's group, where the document names that region's body: the body."""
    changes = {side: body for side, body in (("source", _body(d.source, ctx)), ("target", _body(d.target, ctx)))
               if body is not None}
    return changes or None
