"""Checking alert rules against the store and delivering what they find, once each.

Example::

    >>> import io
    >>> from realpolitik.store import Store
    >>> from realpolitik.watch.alerting import check_alerts
    >>> from realpolitik.watch.rules import parse_rules
    >>> rules = parse_rules({"rules": [{"name": "iraq", "actor": "IRQ"}]})
    >>> check_alerts(Store(":memory:"), rules, out=io.StringIO())
    []

An ``events`` rule fires once for each event *cluster* (the reports of one real-world act:
same day, type, source and target) that has matching events; its alert carries them as
evidence. A ``change_point`` or ``breakout`` rule fires once for each early warning of its kind
(:func:`realpolitik.analytics.alerts.alerts`) about its countries, keyed by kind, country pair
and period.

What was sent lives in the store's ``watch_alerts`` table, one row an alert (``rule``, ``key``,
``sent_at``, ``payload``: the alert's JSON with a ``delivery`` part saying which sinks have it),
so nothing fires twice for the same key, whatever process checks and however often it restarts.
An alert is written there (``sent_at`` empty) before it is sent; ``sent_at`` is set once every
sink of its rule has it. A sink that fails is tried again at the next check with the same alert
(the sinks that had it are not sent it again); within one check, a sink that failed is not tried
again for the other alerts, which wait for the next check. Nothing here raises for a delivery:
failures are in :attr:`Fired.errors`.

A rule that has never been checked before starts watching when the rules were loaded
(:attr:`AlertRules.loaded_at`): a key row ``start`` remembers when, so that the events already
in the store do not flood it, while every event ingested after that fires it, even across
restarts. Its ``lookback`` (a duration, or ``all``) lets events ingested that much earlier
fire it too. The early warnings have no such start: a change_point or breakout rule reports the
warnings of the store's latest periods at its first check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import NotFoundError
from .notify import DeliveryError, send
from .rules import AlertRule, AlertRules, read_rules

__all__ = ["Fired", "load_rules", "check_alerts", "AlertRules", "EVIDENCE", "MAX_PER_CHECK", "START_KEY"]

EVIDENCE = 50
"""Most events an alert carries as evidence (``evidence_total`` says how many there were)."""

MAX_PER_CHECK = 100
"""Most new alerts one rule fires in one check; the rest, oldest first, fire at the next checks."""

START_KEY = "start"
"""The ``watch_alerts`` key of the row remembering when a rule was first checked."""

_ANALYSIS_TOP = 1000

_EVIDENCE_COLUMNS = """e.event_id, e.doc_id, coalesce(e.cluster_id, e.event_id) AS cluster_id, e.day, e.date,
    e.event_type, e.mode, e.quad_class, e.modality, e.confidence,
    e.source_code, e.source_country, e.source_name, e.target_code, e.target_country, e.target_name,
    e.sentence, coalesce(e.url, d.url) AS url, d.outlet, d.title, e.ingested_at"""


@dataclass(frozen=True)
class Fired:
    """One alert sent (or tried) by :func:`check_alerts`."""

    rule: str
    """The rule's name."""
    key: str
    """What it is about, unique for the rule: ``cluster:ID``, or ``KIND:A-B:PERIOD``."""
    payload: dict[str, Any]
    """The alert as sent (see ``docs/alert-rules.md``), with its evidence events."""
    sinks: tuple[str, ...]
    """The sinks it reached in this check (``stdout``, ``jsonl:PATH``, ``webhook:URL``)."""
    errors: tuple[str, ...]
    """Why the other sinks did not get it; they are tried again at the next check."""

    @property
    def delivered(self) -> bool:
        """Every sink of the rule has it now."""
        return not self.errors


def load_rules(path: str | Path) -> AlertRules:
    """Read a rules file, raising AlertRulesError naming each bad rule and field.

    >>> import os
    >>> os.environ["ALERT_HOOK_TOKEN"] = "made-up-token"  # the example's webhook header reads it
    >>> [rule.kind for rule in load_rules("examples/alerts.yaml").rules]
    ['events', 'events', 'events', 'change_point', 'breakout']
    """
    return read_rules(path)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _event(row: dict[str, Any]) -> dict[str, Any]:
    """An evidence event as JSON-ready fields."""
    side = {s: {"code": row[f"{s}_code"], "country": row[f"{s}_country"], "name": row[f"{s}_name"]}
            for s in ("source", "target")}
    return {"event_id": row["event_id"], "doc_id": row["doc_id"], "cluster_id": row["cluster_id"],
            "day": _iso(row["day"]), "date": row["date"], "event_type": row["event_type"], "mode": row["mode"],
            "quad_class": row["quad_class"], "modality": row["modality"], "confidence": row["confidence"],
            "source": side["source"], "target": side["target"], "sentence": row["sentence"], "url": row["url"],
            "outlet": row["outlet"], "title": row["title"], "ingested_at": _iso(row["ingested_at"])}


def _who(side: dict[str, Any]) -> str:
    return side["code"] or side["country"] or side["name"] or "someone"


def _side(side: str, code: str) -> tuple[str, list[Any]]:
    return f"(e.{side}_country = ? OR starts_with(e.{side}_code, ?))", [code, code]


def _conditions(rule: AlertRule) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``events e``) of an events rule's match conditions, and its parameters."""
    parts: list[str] = []
    params: list[Any] = []
    for column, values, cast in (("event_type", rule.event_type, "VARCHAR"), ("mode", rule.mode, "VARCHAR"),
                                 ("modality", rule.modality, "VARCHAR"), ("quad_class", rule.quad_class, "INTEGER")):
        if values is not None:
            parts.append(f"list_contains(?::{cast}[], e.{column})")
            params.append(list(values))
    if rule.min_confidence > 0:
        parts.append("e.confidence >= ?")
        params.append(rule.min_confidence)
    if rule.actor:
        either = []
        for a in rule.actor:
            for s in ("source", "target"):
                sql, p = _side(s, a)
                either.append(sql)
                params += p
        parts.append("(" + " OR ".join(either) + ")")
    if rule.dyad:
        a, b = rule.dyad
        ways = [(a, b)] if rule.directed else [(a, b), (b, a)]
        either = []
        for x, y in ways:
            sx, px = _side("source", x)
            sy, py = _side("target", y)
            either.append(f"({sx} AND {sy})")
            params += px + py
        parts.append("(" + " OR ".join(either) + ")")
    return " AND ".join(parts) or "TRUE", params


def _event_alerts(store: Any, rule: AlertRule, start: dt.datetime, now: dt.datetime) -> list[tuple[str, dict[str, Any]]]:
    """The new alerts of an events rule: one for each cluster with matching events, first
    ingested after the rule's start (less its lookback) and not yet alerted."""
    cond, params = _conditions(rule)
    gate = None if rule.lookback is None else start - dt.timedelta(seconds=rule.lookback)
    fresh = "ingested_at >= ?" if gate is not None else "TRUE"
    first = "min(ingested_at) >= ?" if gate is not None else "TRUE"
    gates = [gate] if gate is not None else []
    found = store.rows(f"""
        WITH m AS (SELECT coalesce(e.cluster_id, e.event_id) AS ckey, e.ingested_at,
                          coalesce(e.mentions, 1) AS mentions
                   FROM events e WHERE {cond}),
             fresh AS (SELECT DISTINCT ckey FROM m WHERE {fresh})
        SELECT ckey, sum(mentions)::BIGINT AS mentions FROM m WHERE ckey IN (SELECT ckey FROM fresh)
        GROUP BY ckey
        HAVING {first} AND sum(mentions) >= ?
           AND 'cluster:' || ckey NOT IN (SELECT key FROM watch_alerts WHERE rule = ?)
        ORDER BY min(ingested_at), ckey
        LIMIT {MAX_PER_CHECK}""", params + gates + gates + [rule.min_mentions, rule.name])
    if not found:
        return []
    mentions = {r["ckey"]: int(r["mentions"]) for r in found}
    rows = store.rows(f"""SELECT {_EVIDENCE_COLUMNS} FROM events e LEFT JOIN documents d ON d.id = e.doc_id
                            WHERE {cond} AND coalesce(e.cluster_id, e.event_id) IN (SELECT unnest(?::VARCHAR[]))
                            ORDER BY e.day NULLS LAST, e.event_id""", params + [list(mentions)])
    by_cluster: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_cluster.setdefault(row["cluster_id"], []).append(_event(row))
    out = []
    for ckey in mentions:
        events = by_cluster.get(ckey, [])
        if not events:
            continue
        head = events[0]
        what = head["event_type"] + (f" ({head['mode']})" if head["mode"] else "")
        when = f" on {head['day']}" if head["day"] else ""
        key = f"cluster:{ckey}"
        out.append((key, {
            "rule": rule.name, "kind": "events", "key": key, "fired_at": now.astimezone().isoformat(timespec="seconds"),
            "summary": f"{what} from {_who(head['source'])} to {_who(head['target'])}{when}",
            "subject": f"{_who(head['source'])}-{_who(head['target'])}", "period": head["day"],
            "cluster_id": ckey, "mentions": mentions[ckey],
            "evidence_total": len(events), "evidence": events[:EVIDENCE]}))
    return out


def _analytic_alerts(store: Any, rule: AlertRule, now: dt.datetime, cache: dict[tuple[str, int], list[Any]]
                     ) -> list[tuple[str, dict[str, Any]]]:
    """The new alerts of a change_point or breakout rule: the store's early warnings of that kind
    about the rule's countries, not yet alerted."""
    from ..analytics.alerts import alerts

    got = (rule.freq, rule.min_events)
    if got not in cache:
        try:
            cache[got] = alerts(store, freq=rule.freq, top=_ANALYSIS_TOP, min_events=rule.min_events)
        except NotFoundError:  # nothing dated in the store yet
            cache[got] = []
    chosen = []
    for al in cache[got]:
        pair = tuple(al.subject.split("-", 1))
        if al.kind != rule.kind or len(pair) != 2:
            continue
        if rule.dyad and set(rule.dyad) != set(pair):
            continue
        if rule.actor and not set(rule.actor) & set(pair):
            continue
        chosen.append((f"{al.kind}:{al.subject}:{al.period.isoformat()}", al))
    if not chosen:
        return []
    sent = {r["key"] for r in store.rows("SELECT key FROM watch_alerts WHERE rule = ? AND list_contains(?, key)",
                                    [rule.name, [k for k, _ in chosen]])}
    out = []
    for key, al in chosen:
        if key in sent:
            continue
        rows = store.rows(f"""SELECT {_EVIDENCE_COLUMNS} FROM events e LEFT JOIN documents d ON d.id = e.doc_id
                                WHERE list_contains(?, e.event_id) ORDER BY e.day NULLS LAST, e.event_id""",
                     [list(al.event_ids)])
        d = al.to_dict()
        out.append((key, {"rule": rule.name, "kind": al.kind, "key": key,
                          "fired_at": now.astimezone().isoformat(timespec="seconds"), "summary": d["detail"],
                          "subject": d["subject"], "period": d["period"], "score": d["score"], "detail": d["detail"],
                          "evidence_total": len(rows), "evidence": [_event(r) for r in rows][:EVIDENCE]}))
    return out[:MAX_PER_CHECK]


def _starts(store: Any, rules: AlertRules) -> dict[str, dt.datetime]:
    """When each rule was first checked, noting now-loaded rules that never were."""
    names = [r.name for r in rules.rules]
    if not names:
        return {}
    sql = "SELECT rule, sent_at FROM watch_alerts WHERE key = ? AND list_contains(?, rule)"
    known = {r["rule"]: r["sent_at"] for r in store.rows(sql, [START_KEY, names])}
    missing = [n for n in names if n not in known]
    if missing:
        with store.db.write() as con:
            con.executemany("INSERT OR IGNORE INTO watch_alerts VALUES (?, ?, ?, ?)",
                            [(n, START_KEY, rules.loaded_at, json.dumps({"first_checked": rules.loaded_at.isoformat()}))
                             for n in missing])
        known = {r["rule"]: r["sent_at"] for r in store.rows(sql, [START_KEY, names])}
    return known


def _pending(store: Any, names: list[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The alerts written but not yet delivered to every sink, by rule, oldest first."""
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for r in store.rows("""SELECT rule, key, payload FROM watch_alerts
                             WHERE sent_at IS NULL AND key <> ? AND list_contains(?, rule) ORDER BY rowid""",
                   [START_KEY, names]):
        out.setdefault(r["rule"], []).append((r["key"], json.loads(r["payload"])))
    return out


def _deliver(rule: AlertRule, alert: dict[str, Any], had: dict[str, str], broken: dict[str, str],
             out: TextIO | None) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """Send an alert to the sinks of its rule that do not have it yet: the sinks reached, the
    errors, and every sink that has it now (label -> when)."""
    reached, errors, had = [], [], dict(had)
    for sink in rule.deliver:
        label = sink.label
        if label in had:
            continue
        if label in broken:
            errors.append(f"{label}: not tried, it failed earlier in this check ({broken[label]})")
            continue
        try:
            send(sink, alert, out=out)
        except DeliveryError as exc:
            errors.append(str(exc))
            broken[label] = str(exc)
            continue
        except Exception as exc:  # a sink never stops the checks
            errors.append(f"{label}: {type(exc).__name__}: {exc}")
            broken[label] = str(exc)
            continue
        reached.append(label)
        had[label] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return tuple(reached), tuple(errors), had


def check_alerts(store: Any, rules: AlertRules, *, out: TextIO | None = None) -> list[Fired]:
    """Check every rule against the store and deliver each alert not sent before (standard
    output's alerts go to ``out``, ``sys.stdout`` by default); return what was sent or tried,
    in the rules' order, oldest first. See the module docstring for when a rule fires and what
    happens to a failed delivery. A second call with no new events fires nothing.
    """
    now = dt.datetime.now()
    starts = _starts(store, rules)
    waiting = _pending(store, [r.name for r in rules.rules])
    cache: dict[tuple[str, int], list[Any]] = {}
    todo: list[tuple[AlertRule, str, dict[str, Any], dict[str, str]]] = []
    new: list[tuple[str, str, str]] = []
    for rule in rules.rules:
        for key, stored in waiting.get(rule.name, []):
            delivery = stored.pop("delivery", {}) or {}
            todo.append((rule, key, stored, dict(delivery.get("sinks") or {})))
        found = (_event_alerts(store, rule, starts[rule.name], now) if rule.kind == "events"
                 else _analytic_alerts(store, rule, now, cache))
        for key, alert in found:
            todo.append((rule, key, alert, {}))
            new.append((rule.name, key, json.dumps(_stored(alert, {}, ()), ensure_ascii=False, default=str)))
    if not todo:
        return []
    if new:
        with store.db.write() as con:
            con.executemany("INSERT OR IGNORE INTO watch_alerts VALUES (?, ?, NULL, ?)", new)
    fired: list[Fired] = []
    updates: list[tuple[Any, ...]] = []
    broken: dict[str, str] = {}
    for rule, key, alert, had in todo:
        reached, errors, had = _deliver(rule, alert, had, broken, out)
        done = all(s.label in had for s in rule.deliver)
        updates.append((dt.datetime.now() if done else None,
                        json.dumps(_stored(alert, had, errors), ensure_ascii=False, default=str), rule.name, key))
        fired.append(Fired(rule.name, key, alert, reached, errors))
    with store.db.write() as con:
        con.executemany("UPDATE watch_alerts SET sent_at = ?, payload = ? WHERE rule = ? AND key = ?", updates)
    return fired


def _stored(alert: dict[str, Any], had: dict[str, str], errors: Iterable[str]) -> dict[str, Any]:
    """The ``payload`` of an alert's ``watch_alerts`` row: the alert and its ``delivery``."""
    return {**alert, "delivery": {"sinks": had, "errors": list(errors)}}
