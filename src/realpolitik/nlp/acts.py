"""One event per act: what the event stage does with the events of a document once they are
assembled.

* :func:`one_act` — an act of several parties (a compound side, a mutual act) is one event
  whose :class:`~realpolitik.model.Dyad` list holds each ordered pair;
* :func:`in_the_foreground` — acts told only in passing beside a sentence's main act (a
  relative clause, a circumstance of the main act) are left out, unless the settings keep them;
* :func:`stated_once` — an act told again (a headline over its lead, a later paragraph, a
  second verb in the same sentence) is one event: the lead's telling, with the best details.

Example::

    >>> import realpolitik
    >>> text = "Turkey Shells Kurdish Positions\\n\\nTurkish artillery shelled Kurdish positions in Syria on Friday."
    >>> [(e.sentence_index, e.event_type) for e in realpolitik.code(text, date="2019-10-12")]
    [(1, 'ASSAULT')]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor, Dyad, Event
from .context import EventContext
from .resolve import compound

__all__ = ["one_act", "in_the_foreground", "stated_once", "key"]


def one_act(act: Event, dyads: list[Event], named: tuple[Actor | None, Actor | None], ctx: EventContext) -> Event:
    """One event for an act of several parties (``act``, coded from its first pair): each pair
    is one of its :class:`~realpolitik.model.Dyad`, and it is as sure as its surest pair. Its
    sides are the parties as the text ``named`` them where they hold the pairs' ("Norway and
    Denmark" expelled; "Seoul held talks with Pyongyang", both ways), else the compound of the
    pairs' ("India and China held talks": India and China on both sides)."""
    best = max(dyads, key=lambda e: e.confidence)
    return act.model_copy(update={
        "source": _side([e.source for e in dyads], *named, ctx),
        "target": _side([e.target for e in dyads], *named[::-1], ctx),
        "confidence": best.confidence, "rule": best.rule,
        "dyads": tuple(Dyad(event_id=e.event_id, source=e.source, target=e.target, confidence=e.confidence)
                       for e in dyads)})


def _side(actors: list[Actor | None], own: Actor | None, other: Actor | None, ctx: EventContext) -> Actor | None:
    """One side of an act of several pairs: none, the one actor of every pair, the side the text
    named (``own``; ``other``, for an act done among the members of a side) when it holds the
    pairs' actors, else their compound."""
    seen: dict[str, Actor] = {}
    for a in actors:
        if a is not None:
            seen.setdefault(key(a), a)
    if len(seen) < 2:
        return next(iter(seen.values()), None)
    if other is not None and set(seen) <= _keys(other) and _keys(own) <= _keys(other):
        return other  # an act done among the members of the other side: "India and China held talks (in Delhi)"
    if own is not None and set(seen) & _keys(own) and set(seen) <= _keys(own) | _keys(other):
        return own  # the side as the text names it: "India and Japan held talks with France", both ways
    return compound(list(seen.values()), ctx)


def _keys(a: Actor | None) -> set[str]:
    return set() if a is None else {key(m) for m in a.members} or {key(a)}


def in_the_foreground(events: list[Event], kinds: list[tuple[str, frozenset[int]]]) -> list[int]:
    """Where in ``events`` the events are that are not told in passing beside a main act that
    is also coded (``kinds``: :func:`~realpolitik.nlp.confidence.clause_kind`, with the act's
    words, or the word a circumstance hangs on): in a relative clause of its sentence ("The
    rebels, who took the port in 2019 after a long siege, agreed to a truce" is the truce, not
    the taking nor the siege), or as a circumstance of the main act ("Colombia recalled its
    ambassador after the raid" is the recall). Alone in its sentence, or beside a main act the
    text says did not, may or would happen, such an act stays."""
    told = list(zip(events, kinds, strict=True))
    main = {e.sentence_index for e, (k, _) in told
            if k == "main" and e.modality not in G.words("unreal_modalities")}  # "did not attack" backs nothing
    aside = {i for e, (k, words) in told if (k == "main" and e.sentence_index in main)
             or (k == "background" and e.sentence_index in main) for i in words}  # the acts' words
    return [i for i, (e, (k, at)) in enumerate(told) if e.sentence_index not in main or k == "main" or k == "other"
            or (k == "circumstance" and not at <= aside)]


_ENDS = frozenset(G.words("sentence_end_marks"))
"""The marks that end a sentence; a sentence with none at its end, past its closing marks, is a
headline or a title."""
_CLOSING = "".join(G.words("closing_marks"))


def stated_once(events: list[Event], conjuncts: list[tuple[int, int]] | None = None) -> list[Event]:
    """Each act once: an act the text states again (a headline over its lead, a later paragraph
    recalling it, a second word of one sentence: "answered by shelling the town") has the same type,
    parties and standing (fact, or the same other modality) and the same day, or no day of its
    own where only one day is named for it. Coordinated verbs are two acts ("expelled ten
    diplomats and closed the consulate"): ``conjuncts`` gives each event's first conjunct and
    its own word. One telling is kept: the first that tells it most fully (a day of its own,
    then the text's own words rather than someone's claim); never a headline over its lead; the
    surest where one sentence tells it twice ("clashes between A and B killed ten"). It takes
    the date and place of the most detailed telling (a date of its own, then a place, then the
    highest confidence) where it gives none, and the parties and CAMEO code of one that names
    them more closely."""
    links = conjuncts or [(-1 - i, i) for i in range(len(events))]

    def coordinated(k: int, i: int) -> bool:
        return links[k][0] == links[i][0] and links[k][1] != links[i][1]

    groups: dict[tuple[str, str], list[list[int]]] = {}
    for i, e in enumerate(events):
        if e.source is not None or e.target is not None:
            acts = groups.setdefault((e.event_type, "fact" if e.modality in G.words("fact_modalities")
                                      else e.modality), [])
            same = next((act for act in acts if all(_told_alike(events[k], e) and not coordinated(k, i)
                                                    for k in act)), None)
            if same is None:
                acts.append([i])
            else:
                same.append(i)
    drop: set[int] = set()
    detail: dict[int, Event] = {}
    for idx in (act for acts in groups.values() for act in acts):
        days = {events[i].date for i in idx if events[i].date_method != "document"}
        by_act: dict[str, dict[int, list[int]]] = {}
        for i in idx:
            e = events[i]
            # a telling with no day of its own joins the only day the others name
            own = e.date_method != "document" or len(days) != 1
            day = (e.date if own else next(iter(days))) or ""
            by_act.setdefault(day, {}).setdefault(e.sentence_index, []).append(i)
        for by_sentence in by_act.values():
            told = [j for ids in by_sentence.values() for j in ids]
            if len(told) > 1:  # told more than once: the first sentence's surest telling, with the best details
                stated = [k for k in sorted(by_sentence) if not _headline(events[by_sentence[k][0]])] or sorted(by_sentence)
                first = max(stated, key=lambda k: (_fullest(events[i] for i in by_sentence[k]), -k))
                keep = max(by_sentence[first], key=lambda i: events[i].confidence)
                drop.update(i for i in told if i != keep)
                best = max(told, key=lambda i: _telling(events[i]))
                detail[keep] = _with_details(events[keep], events[best], [events[j] for j in told])
    return [detail.get(i, e) for i, e in enumerate(events) if i not in drop]


def _fullest(told: Iterable[Event]) -> tuple[bool, bool]:
    """How fully a sentence tells an act: with a day of its own, in the text's own words (not a
    quoted claim)."""
    es = list(told)
    return any(e.date_method != "document" for e in es), any(e.modality != "reported" for e in es)


def _told_alike(a: Event, b: Event) -> bool:
    """Two tellings of one act: each side the same actor; or, for the same CAMEO act or a closer
    one, told in one sentence or in a headline and another, one names only the country or the
    sector whose government, forces or people the other names ("India" and "Indian troops");
    or, in one sentence, one names no target, or a target of the same country ("struck a camp in
    Gaza, killing 20 people")."""
    sides = ((a.source, b.source), (a.target, b.target))
    if all(key(x) == key(y) for x, y in sides):
        return True
    one = a.sentence_index == b.sentence_index
    if not (one or _headline(a) or _headline(b)) or not (
            a.cameo == b.cameo or _refines(a.cameo, b.cameo) or _refines(b.cameo, a.cameo) or one):
        return False
    ta, tb = a.target, b.target
    return _alike(a.source, b.source) and (_alike(ta, tb) or (one and (
        ta is None or tb is None or (bool(ta.country) and ta.country == tb.country))))


def _headline(e: Event) -> bool:
    return e.sentence.rstrip().rstrip(_CLOSING)[-1:] not in _ENDS


def _alike(x: Actor | None, y: Actor | None) -> bool:
    if x is None or y is None:
        return x is y
    xs, ys = x.members or (x,), y.members or (y,)
    return all(any(_one_alike(m, n) for n in ys) for m in xs) and all(any(_one_alike(n, m) for m in xs) for n in ys)


def _one_alike(m: Actor, n: Actor) -> bool:
    """The same actor, or one named by its country alone, or by its sector alone ("the
    government"), where the other names the country's ("India" or "the government", "the
    Indian government")."""
    km, kn = key(m), key(n)
    if km == kn or (bool(m.country) and m.country == n.country and m.country in (km, kn)):
        return True
    bare, full = (m, n) if not m.country else (n, m)
    return not bare.country and bool(full.country) and bool(bare.sector) and bare.sector == full.sector


def _with_details(e: Event, best: Event, told: list[Event]) -> Event:
    """The telling ``e`` with the date and place the ``best`` telling gives and it lacks, and its
    parties, mode and CAMEO code where another telling names them more closely ("Indian troops"
    for "India", an ultimatum for a threat, suicide bombers for an attack)."""
    update: dict[str, Any] = {}
    for side in ("source", "target"):
        mine = getattr(e, side)
        closer = [getattr(x, side) for x in told if not x.dyads and not e.dyads]
        closer = [a for a in closer if mine is not None and a is not None and key(mine) == mine.country != key(a)]
        if closer:
            update[side] = closer[0]
    if e.date_method == "document" and best.date_method != "document":
        update.update(date=best.date, date_precision=best.date_precision, date_text=best.date_text,
                      date_method=best.date_method)
    if e.location is None and best.location is not None:
        update["location"] = best.location
    closest = next((x for x in told if _refines(x.cameo, e.cameo) or (e.mode is None and x.mode is not None)), None)
    if closest is not None:  # "issued a warning, giving them two days to go": CAMEO's ultimatum, 139
        update.update(cameo=closest.cameo, mode=closest.mode, goldstein=closest.goldstein)
    return e.model_copy(update=update) if update else e


def _refines(code: str | None, general: str | None) -> bool:
    """A CAMEO code that says more than a general one of its family ('139' of '130', '1042' of '104')."""
    if not code or not general or len(code) < len(general) or code == general:
        return False
    return code.startswith(general) or (len(general) == 3 and general.endswith("0") and code[:2] == general[:2])


def _telling(e: Event) -> tuple[bool, bool, float]:
    return (e.date_method != "document", e.location is not None, e.confidence)


def key(a: Actor | None) -> str:
    """The code a side is known by (its code, else its country, else its words)."""
    return "" if a is None else (a.code or a.country or a.text)
