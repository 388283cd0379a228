"""Actors in the store: who is there, and one actor's partners, adversaries and drift.

Example::

    >>> from realpolitik.store import Store
    >>> from realpolitik.analytics.actors import actors, actor_profile
    >>> store = Store(":memory:")
    >>> _ = store.import_file("tests/fixtures/datasets/polecat_sample.txt")
    >>> [(a["code"], a["name"]) for a in actors(store, "ira")]
    [('IRQ', 'Iraq')]
    >>> actor_profile(store, "IRQ", min_events=1).partners[0]["partner"]
    'RUS'

``actors(store, query)`` lists the countries and organisations that appear as a source or
target (an actor without a country under its own code), most active first, with their names from the actor dictionary; ``query`` keeps
those whose code starts with it or whose name contains it. ``actor_profile`` gives, for one
actor: its partners (ties of positive mean PLOVER intensity) and adversaries (negative),
strongest first, each with at least ``min_events`` events in the span; its events per year
by quad class; and its drift: for each partner, the change of mean intensity between the
last ``window_days`` of the span and the same length just before (which may lie before the span), tested as in
:func:`realpolitik.analytics.shifts.drift`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import NotFoundError
from ..store.rows import plain, to_date
from .dyads import parse_actor, span_sql

__all__ = ["actors", "actor_profile", "ActorProfile", "actor_name"]


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    from ..actors import load_actor_dictionary

    d = load_actor_dictionary()
    names = {o.id: o.name for o in d.organizations.values()}
    names.update({c.code: c.name for c in d.countries.values()})
    return names


def actor_name(code: str) -> str | None:
    """The dictionary's name for a country or organisation code, or None."""
    return _names().get(code)


def actors(store: Any, query: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Countries and organisations that act or are acted on, most events first (see the module docstring)."""
    # each side counts for its country (or its code, without one) and, when they differ, for its own
    # code too: an organisation of a country (SDF), a sector actor (IRQGOV), a compound (IRN+TUR)
    side = """SELECT coalesce({0}_country, {0}_code) AS code, count(*) AS n, min(day) AS lo, max(day) AS hi
              FROM events WHERE coalesce({0}_country, {0}_code) IS NOT NULL GROUP BY 1
              UNION ALL
              SELECT {0}_code, count(*), min(day), max(day) FROM events
              WHERE {0}_code IS NOT NULL AND {0}_country IS NOT NULL AND {0}_code <> {0}_country GROUP BY 1"""
    frame = store.query(f"""
        SELECT code, sum(n)::BIGINT AS events, min(lo) AS first_day, max(hi) AS last_day FROM (
            {side.format('source')} UNION ALL {side.format('target')})
        GROUP BY code ORDER BY events DESC, code""")
    q = (query or "").strip().lower()
    out = []
    for r in frame.itertuples():
        name = actor_name(r.code)
        if q and not (r.code.lower().startswith(q) or (name and q in name.lower())):
            continue
        out.append({"code": r.code, "name": name, "events": int(r.events),
                    "first_day": plain(r.first_day, "day"), "last_day": plain(r.last_day, "day")})
        if len(out) >= limit:
            break
    return out


@dataclass(frozen=True)
class ActorProfile:
    """One actor's ties and drift (see the module docstring)."""

    code: str
    name: str | None
    events: int
    """Events with the actor as source or target in the span."""
    first_day: dt.date | None
    last_day: dt.date | None
    partners: list[dict[str, Any]] = field(default_factory=list)
    """Cooperative ties, strongest first: partner, events, mean_intensity, cooperation, conflict."""
    adversaries: list[dict[str, Any]] = field(default_factory=list)
    """Conflictual ties, strongest first, with the same fields."""
    by_year: list[dict[str, Any]] = field(default_factory=list)
    """year, events, cooperation, conflict, mean_intensity."""
    drift: list[dict[str, Any]] = field(default_factory=list)
    """Partners from most drifted toward to most away: partner, before_mean, after_mean,
    difference, ci_low, ci_high, q_value, significant, direction."""
    drift_windows: tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]] | None = None
    """The earlier and later windows the drift compares (the later ends on the span's last day)."""


def actor_profile(store: Any, actor: str, since: dt.date | None = None, until: dt.date | None = None, *,
                  top: int = 10, min_events: int = 2, window_days: int = 365) -> ActorProfile:
    """The profile of one actor: a country, an organisation or sector code (``SDF``, ``IRQGOV``), a
    compound (``IRN+TUR``) or a country with a sector (``IRQ:GOV``); NotFoundError if it has no events.
    A side of an event is the actor's when its country or its code is the actor's (and its sector,
    when one is given); partners are named by their country (or code, without one)."""
    from .shifts import drift

    code, sector = parse_actor(actor)
    me = f"{code}:{sector}" if sector else code
    one = [code, code, *([sector] if sector else [])]

    def mine(side: str) -> str:
        return f"coalesce(({side}_country = ? OR {side}_code = ?){f' AND {side}_sector = ?' if sector else ''}, FALSE)"

    params: list[Any] = [*one, *one]
    span = span_sql(since, until, params)
    src_is, tgt_is = mine("source"), mine("target")
    src, tgt = "coalesce(source_country, source_code)", "coalesce(target_country, target_code)"
    ties = store.query(f"""
        SELECT CASE WHEN {src_is} THEN {tgt} ELSE {src} END AS partner,
               count(*) AS events, avg(intensity) AS mean_intensity,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
               min(day) AS first_day, max(day) AS last_day
        FROM events
        WHERE ({src_is} <> {tgt_is}) AND {src} IS NOT NULL AND {tgt} IS NOT NULL AND {src} <> {tgt}
          AND intensity IS NOT NULL{span}
        GROUP BY 1""", [*one, *params])
    years = store.query(f"""
        SELECT year(day) AS year, count(*) AS events,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict, avg(intensity) AS mean_intensity
        FROM events WHERE ({src_is} OR {tgt_is}) AND day IS NOT NULL{span}
        GROUP BY 1 ORDER BY 1""", params)
    (total, first, last), = store.query(
        f"SELECT count(*), min(day), max(day) FROM events WHERE ({src_is} OR {tgt_is}) "
        f"AND day IS NOT NULL{span}", params).itertuples(index=False)
    if not total:
        raise NotFoundError(f"no dated events of {me!r} in the store; list actors with /api/actors")
    lo, hi = since or to_date(first), until or to_date(last)
    assert lo is not None and hi is not None

    def tie(r: Any) -> dict[str, Any]:
        return {"partner": r.partner, "name": actor_name(r.partner), "events": int(r.events),
                "mean_intensity": float(r.mean_intensity), "cooperation": int(r.cooperation),
                "conflict": int(r.conflict)}

    kept = ties[ties.events >= min_events].assign(strength=lambda f: f.mean_intensity * f.events)
    partners = [tie(r) for r in kept[kept.strength > 0].sort_values(
        ["strength", "partner"], ascending=[False, True]).head(top).itertuples()]
    adversaries = [tie(r) for r in kept[kept.strength < 0].sort_values(["strength", "partner"]).head(top).itertuples()]
    by_year = [{"year": int(r.year), "events": int(r.events), "cooperation": int(r.cooperation),
                "conflict": int(r.conflict), "mean_intensity": plain(r.mean_intensity)} for r in years.itertuples()]
    frame = drift(store, code, hi - dt.timedelta(days=window_days - 1), hi, min_events=max(2, min_events))
    drifted = [{"partner": r.partner, "name": actor_name(r.partner), "before_events": int(r.before_events),
                "after_events": int(r.after_events), "before_mean": float(r.before_mean),
                "after_mean": float(r.after_mean), "difference": float(r.difference),
                "ci_low": float(r.ci_low), "ci_high": float(r.ci_high), "q_value": float(r.q_value),
                "significant": bool(r.significant), "direction": r.direction}
               for r in frame.head(2 * top).itertuples()]
    return ActorProfile(code=me, name=actor_name(code), events=int(total), first_day=lo, last_day=hi,
                        partners=partners, adversaries=adversaries, by_year=by_year, drift=drifted,
                        drift_windows=(frame.attrs["before"], frame.attrs["after"]))
