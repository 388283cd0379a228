"""The event lexicon: words that express events, and words that transform them.

Example::

    >>> from realpolitik.lexicon import load_lexicon
    >>> lex = load_lexicon()
    >>> [e.type for e in lex.entries_for("verb", "bomb")][:1]
    ['ASSAULT']
    >>> sorted({e.particle for e in lex.entries_for("verb", "call") if e.particle})[:3]
    ['for', 'in', 'off']

Files live in ``lexicon/data/`` (format in ``lexicon/data/README.md``): one file per PLOVER
type (``aid.yaml``...), ``operators.yaml`` for words that take another event as their
complement ("called for a withdrawal", "agreed to deliver", "condemned the attack"), and
``classes.yaml`` for word classes used in ``with:`` constraints (``$weapons``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import LexiconError
from ..model import EVENT_TYPES
from ..ontology import Ontology, load_ontology

__all__ = ["LexEntry", "Lexicon", "load_lexicon", "specificity", "OPERATORS", "ROLES"]

OPERATORS = ("intent", "request", "reject", "condemn", "praise", "stop", "light", "receive",
             "deny", "fail", "threaten", "accuse", "report", "permit")
"""What an operator does to the event it governs (see lexicon/data/README.md)."""

ROLES = ("subj", "obj", "dative", "poss", "of", "by", "between", "loc")
"""Where a source or target can be found, relative to the trigger; any other lower-case
word in a role list is a preposition whose object holds the actor ('to', 'against')."""

_POS = ("verb", "noun", "adj")
_NOT_ENTRIES = ("classes.yaml", "lemmas.yaml", "grammar.yaml")
"""Data files that are not lexicon entries: word classes, irregular lemmas, the rules' grammar tables."""


@dataclass(frozen=True)
class LexEntry:
    """One lexicon entry."""

    pos: str
    lemma: str
    particle: str | None
    """Particle or preposition that must follow a verb ('call for', 'pull out of')."""
    mods: tuple[str, ...]
    """Words that must modify a noun ('air' in 'air strike')."""
    prep: str | None
    """A preposition the trigger must govern ('opposition to')."""
    type: str | None
    mode: str | None
    contexts: tuple[str, ...]
    cameo: str | None
    with_: tuple[str, ...]
    without: tuple[str, ...]
    source: tuple[str, ...]
    target: tuple[str, ...]
    operator: str | None
    when_source: tuple[str, ...]
    target_from_place: bool
    weight: float
    rule: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_operator(self) -> bool:
        return self.operator is not None


def specificity(e: LexEntry) -> tuple[bool, bool, bool]:
    """The order in which a word's entries are tried (sort by it): those with a particle,
    modifiers or a preposition first, then those with an object constraint, then those that
    depend on the source's sector."""
    return e.particle is None and not e.mods and not e.prep, not e.with_, not e.when_source


class Lexicon:
    """Entries indexed by (part of speech, lemma), with word classes expanded."""

    def __init__(self, entries: list[LexEntry], classes: dict[str, frozenset[str]]):
        self.entries = entries
        self.classes = classes
        self._index: dict[tuple[str, str], list[LexEntry]] = {}
        for e in entries:
            self._index.setdefault((e.pos, e.lemma), []).append(e)
        for lst in self._index.values():
            lst.sort(key=specificity)
        self.verbs = frozenset(k[1] for k in self._index if k[0] == "verb")
        self.nouns = frozenset(k[1] for k in self._index if k[0] == "noun")
        self.adjs = frozenset(k[1] for k in self._index if k[0] == "adj")

    def entries_for(self, pos: str, lemma: str) -> list[LexEntry]:
        return self._index.get((pos, lemma), [])

    def words(self, items: Sequence[str]) -> frozenset[str]:
        """Expand ``$class`` names in a with/without list into their words."""
        out: set[str] = set()
        for it in items:
            if it.startswith("$"):
                out |= self.classes.get(it[1:], frozenset())
            else:
                out.add(it)
        return frozenset(out)


def _word(x: Any) -> str:
    # YAML 1.1 reads a bare `on` as true: a role list like [on, against] means the preposition
    if x is True:
        return "on"
    if x is False:
        return "off"
    return str(x)


def _as_tuple(v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, (str, bool)):
        return (_word(v),)
    return tuple(_word(x) for x in v)


_KEYS = {"verb", "noun", "adj", "prep", "type", "mode", "contexts", "cameo", "with", "without", "source",
         "target", "operator", "when_source", "target_from_place", "weight", "of", "note"}


def _parse_file(name: str, raw: Any, onto: Ontology, classes: dict[str, frozenset[str]],
                problems: list[str]) -> list[LexEntry]:
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        problems.append(f"{name}: a lexicon file is a mapping with an 'entries' list")
        return []
    default_type = raw.get("type")
    default_ctx = _as_tuple(raw.get("contexts"))
    out: list[LexEntry] = []
    for i, e in enumerate(raw["entries"]):
        where = f"{name}: entries[{i}]"
        if not isinstance(e, dict):
            problems.append(f"{where}: an entry is a mapping")
            continue
        unknown = set(e) - _KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        pos = [p for p in _POS if p in e]
        if len(pos) != 1:
            problems.append(f"{where}: give exactly one of verb, noun, adj")
            continue
        words = str(e[pos[0]]).lower().split()
        if pos[0] == "noun":
            lemma, particle, mods = words[-1], None, tuple(words[:-1])
        else:
            lemma, particle, mods = words[0], " ".join(words[1:]) or None, ()
        etype = e.get("type", default_type)
        operator = e.get("operator")
        if operator is not None and operator not in OPERATORS:
            problems.append(f"{where} {lemma}: unknown operator {operator!r}")
        if etype is not None and etype not in EVENT_TYPES:
            problems.append(f"{where} {lemma}: unknown type {etype!r}")
            continue
        if etype is None and operator is None:
            problems.append(f"{where} {lemma}: needs a type or an operator")
            continue
        mode = e.get("mode")
        if mode is not None and etype is not None and mode not in onto.types[etype].modes:
            problems.append(f"{where} {lemma}: {mode!r} is not a mode of {etype}")
        ctx = _as_tuple(e.get("contexts")) or default_ctx
        for c in ctx:
            if c not in onto.contexts:
                problems.append(f"{where} {lemma}: unknown context {c!r}")
        cameo = e.get("cameo")
        if cameo is not None:
            cameo = str(cameo)
            if cameo not in onto.cameo:
                problems.append(f"{where} {lemma}: unknown CAMEO code {cameo!r}")
        source = _as_tuple(e.get("source"))
        target = _as_tuple(e.get("target"))
        if e.get("of") == "source":
            source += ("of",)
        elif e.get("of") == "target":
            target += ("of",)
        for r in source + target:
            if r not in ROLES and not (r.isalpha() and r.islower()):
                problems.append(f"{where} {lemma}: unknown role {r!r}")
        for w in _as_tuple(e.get("with")) + _as_tuple(e.get("without")):
            if w.startswith("$") and w[1:] not in classes:
                problems.append(f"{where} {lemma}: unknown word class {w!r}")
        weight = float(e.get("weight", 0.8))
        rule = f"{name}:{' '.join(words)}"
        if e.get("with"):
            rule += "+" + ",".join(_as_tuple(e["with"])).replace("$", "")
        out.append(LexEntry(
            pos=pos[0], lemma=lemma, particle=particle, mods=mods, prep=e.get("prep"), type=etype, mode=mode, contexts=ctx,
            cameo=cameo, with_=_as_tuple(e.get("with")), without=_as_tuple(e.get("without")),
            source=source, target=target, operator=operator,
            when_source=_as_tuple(e.get("when_source")),
            target_from_place=bool(e.get("target_from_place", False)), weight=weight, rule=rule,
            extra={"of": e.get("of")},
        ))
    return out


def _read(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def _build(extra_files: tuple[str, ...]) -> Lexicon:
    onto = load_ontology()
    problems: list[str] = []
    base = resources.files(__package__).joinpath("data")
    try:
        raw_classes = yaml.safe_load(_read("classes.yaml")) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"not valid YAML: {exc}", "lexicon/data/classes.yaml") from None
    classes = {k: frozenset(str(w).lower() for w in v) for k, v in (raw_classes.get("classes") or {}).items()}
    sources: list[tuple[str, str]] = []
    for entry in sorted(base.iterdir(), key=lambda x: x.name):
        if entry.name.endswith(".yaml") and entry.name not in _NOT_ENTRIES:
            sources.append((entry.name, entry.read_text(encoding="utf-8")))
    for f in extra_files:
        try:
            sources.append((str(f), Path(f).read_text(encoding="utf-8")))
        except OSError as exc:
            raise LexiconError(f"cannot read the file: {exc}", str(f)) from None
    entries: list[LexEntry] = []
    for name, text in sources:
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise LexiconError(f"not valid YAML: {exc}", name) from None
        entries += _parse_file(name.removesuffix(".yaml") if "/" not in name else name, raw, onto,
                               classes, problems)
    if problems:
        raise LexiconError("event lexicon is not valid", "lexicon", problems)
    return Lexicon(entries, classes)


@lru_cache(maxsize=4)
def _cached(extra_files: tuple[str, ...]) -> Lexicon:
    return _build(extra_files)


def load_lexicon(extra_files: Sequence[str | Path] = ()) -> Lexicon:
    """The shipped lexicon plus the user's files, validated (cached)."""
    return _cached(tuple(str(f) for f in extra_files))
