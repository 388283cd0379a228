"""The words and tables the coder's rules read: one accessor over ``lexicon/data/grammar.yaml``.

Example::

    >>> from realpolitik.lexicon.grammar import GRAMMAR as G
    >>> "whom" in G.words("relative")
    True
    >>> G.recode("peacekeeping").cameo
    '074'
    >>> sorted(G.words("saying", "attribution"))[:3]
    ['add', 'announce', 'claim']

The rules in ``realpolitik.nlp`` hold no English word and no CAMEO code: they name a word
class (``G.words("relative")``), a group of event types (``G.types("cooperative")``), an
ordered list of roles (``G.roles("noun_source")``), a table (``G.table("request_mode")``) or
a recoding rule (``G.recode("peacekeeping")``), and this module finds it in the data file.
An unknown name is a :class:`~realpolitik.errors.LexiconError` at the first use, so a typo
cannot pass silently. The file's format is in ``lexicon/data/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import LexiconError
from ..model import EVENT_TYPES

__all__ = ["Grammar", "Recode", "GRAMMAR", "load_grammar"]

_PATH = "lexicon/data/grammar.yaml"
_SECTIONS = ("words", "tagged", "types", "roles", "tables", "recodes")


@dataclass(frozen=True)
class Recode:
    """What a named recoding rule turns an event into; ``cameo`` None means the ontology's
    best code for the new type and mode; ``keep_mode`` keeps the event's own mode."""

    name: str
    type: str
    mode: str | None
    cameo: str | None
    contexts: tuple[str, ...] | None
    keep_mode: bool
    about: str


class Grammar:
    """Word classes, type groups, role lists, tables and recoding rules, by name."""

    def __init__(self, raw: Mapping[str, Any]):
        self._words: dict[str, frozenset[str]] = {}
        self._types: dict[str, frozenset[str]] = {}
        self._roles: dict[str, tuple[str, ...]] = {}
        self._tables: dict[str, Mapping[str, Any]] = {}
        self._recodes: dict[str, Recode] = {}
        problems = _check(raw)
        if problems:
            raise LexiconError("the grammar tables are not valid", _PATH, problems)
        for name, words in (raw.get("words") or {}).items():
            self._words[name] = frozenset(_text(w) for w in words)
        for name, table in (raw.get("tagged") or {}).items():
            self._words[name] = frozenset(_text(w) for w in table)
            for word, tags in table.items():
                for tag in tags:
                    key = f"{name}.{tag}"
                    self._words[key] = self._words.get(key, frozenset()) | {_text(word)}
        self._types = {n: frozenset(v) for n, v in (raw.get("types") or {}).items()}
        self._roles = {n: tuple(_text(r) for r in v) for n, v in (raw.get("roles") or {}).items()}
        self._tables = {n: {_text(k): v for k, v in t.items()} for n, t in (raw.get("tables") or {}).items()}
        for name, r in (raw.get("recodes") or {}).items():
            ctx = r.get("contexts")
            self._recodes[name] = Recode(name, r["type"], r.get("mode"), _code(r.get("cameo")),
                                         tuple(ctx) if ctx is not None else None,
                                         bool(r.get("keep_mode", False)), str(r.get("about", "")))

    def words(self, name: str, tag: str | None = None) -> frozenset[str]:
        """A word class; with ``tag``, the words of a tagged table that carry the tag."""
        try:
            return self._words[f"{name}.{tag}" if tag else name]
        except KeyError:
            raise LexiconError(f"no word class named {name!r}" + (f" with tag {tag!r}" if tag else ""), _PATH) from None

    def types(self, name: str) -> frozenset[str]:
        """A group of PLOVER event types."""
        try:
            return self._types[name]
        except KeyError:
            raise LexiconError(f"no type group named {name!r}", _PATH) from None

    def roles(self, name: str) -> tuple[str, ...]:
        """An ordered list of roles or prepositions (the first that finds an actor wins)."""
        return _get(self._roles, name, "role list")

    def table(self, name: str) -> Mapping[str, Any]:
        """A mapping from a word, type or ``TYPE/mode`` key to its value."""
        return _get(self._tables, name, "table")

    def recode(self, name: str) -> Recode:
        """A named recoding rule."""
        return _get(self._recodes, name, "recoding rule")

    def names(self) -> dict[str, set[str]]:
        """Every name the file defines, by kind (the tests check each is used)."""
        return {"words": {k for k in self._words if "." not in k}, "types": set(self._types),
                "roles": set(self._roles), "tables": set(self._tables), "recodes": set(self._recodes)}

    def sizes(self) -> dict[str, int]:
        """How many entries each name holds (the tests check none is empty)."""
        out: dict[str, int] = {}
        stores: tuple[tuple[str, Mapping[str, Any]], ...] = (("words", self._words), ("types", self._types), ("roles", self._roles),
                                                             ("tables", self._tables))
        for kind, store in stores:
            out.update({f"{kind}:{k}": len(v) for k, v in store.items()})
        return out


def _text(x: Any) -> str:
    # YAML 1.1 reads bare on/off/no as booleans; in a word list they are the words
    if x is True:
        return "on"
    if x is False:
        return "off"
    return str(x)


def _code(x: Any) -> str | None:
    return None if x is None else str(x)


def _get(store: Mapping[str, Any], name: str, kind: str) -> Any:
    try:
        return store[name]
    except KeyError:
        raise LexiconError(f"no {kind} named {name!r}", _PATH) from None


def _check(raw: Mapping[str, Any]) -> list[str]:
    from ..ontology import load_ontology

    onto = load_ontology()
    problems = [f"unknown section {k!r}" for k in raw if k not in _SECTIONS]
    for name, types in (raw.get("types") or {}).items():
        problems += [f"types.{name}: unknown type {t!r}" for t in types if t not in EVENT_TYPES]
    for name, r in (raw.get("recodes") or {}).items():
        if r.get("type") not in EVENT_TYPES:
            problems.append(f"recodes.{name}: unknown type {r.get('type')!r}")
            continue
        mode = r.get("mode")
        if mode is not None and mode not in onto.types[r["type"]].modes:
            problems.append(f"recodes.{name}: {mode!r} is not a mode of {r['type']}")
        code = _code(r.get("cameo"))
        if code is not None and code not in onto.cameo:
            problems.append(f"recodes.{name}: unknown CAMEO code {code!r}")
    for name, table in (raw.get("tagged") or {}).items():
        problems += [f"tagged.{name}.{w}: tags are a list" for w, t in table.items() if not isinstance(t, list)]
    return problems


@lru_cache(maxsize=1)
def load_grammar() -> Grammar:
    """The shipped grammar tables (cached)."""
    text = resources.files(__package__).joinpath("data", "grammar.yaml").read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"not valid YAML: {exc}", _PATH) from None
    return Grammar(raw)


GRAMMAR = load_grammar()
"""The shipped grammar tables, loaded once per process."""
