"""The coder's code stays small and holds no words: word lists, type groups and CAMEO codes
live in lexicon/data/grammar.yaml, and every name defined there is used (issue 13)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from spacy.attrs import IDS
from spacy.glossary import GLOSSARY

from realpolitik.lexicon import OPERATORS, ROLES
from realpolitik.lexicon.grammar import GRAMMAR
from realpolitik.model import MODALITIES, Actor, Event, Place, Trigger
from realpolitik.nlp import extensions

from ..conftest import ROOT

NLP = ROOT / "src" / "realpolitik" / "nlp"
MODULES = sorted(NLP.glob("*.py"))
SOURCES = sorted((ROOT / "src" / "realpolitik").rglob("*.py"))

# the project's own schema names and the parser's labels: not English words
_SCHEMA = (set(GLOSSARY) | set(ROLES) | set(OPERATORS) | set(MODALITIES) | {"presupposed"}
           | {"state", "organization", "person", "group", "compound", "unknown"}       # Actor.kind
           | {"country", "seat", "demonym"}                                            # dictionary refs
           | {"verb", "noun", "adj"}                                                   # lexicon parts of speech
           | {"predet", "compound", "npadvmod", "quantmod"}                           # parser labels
           | set(Actor.model_fields) | set(Event.model_fields) | set(Place.model_fields)
           | set(Trigger.model_fields)
           | set(extensions._DOC) | set(extensions._SPAN) | {"shipped"}                 # extension and config names
           | {"shared", "control", "governor", "copula", "relcl", "acl", "stative", "light", "intent",
              "receiver", "ordered", "ordered-by", "inner-source", "inner-target", "addressee", "threatened",
              "approved-by", "accused", "speaker", "obliged", "modified", "prefix", "means", "purpose"}
           | set(IDS) | {"TEXT", "lemmatizer", "tagger", "parser", "ner"})                 # spaCy's own names
# (the set before spaCy's: how a role was found, Frame.source_via / target_via)


def _allowed(s: str) -> bool:
    if not re.search(r"[A-Za-z]", s):
        return True  # punctuation: dashes, hyphens, slashes
    if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", s) or re.fullmatch(r"[a-z_]+\.[a-z_.]+", s):
        return True  # identifiers: config keys, extension and attribute paths
    return s in _SCHEMA or s.startswith("realpolitik_")


def _word_lists(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """Collection literals of two or more strings used as lists: compared with ``in``, given
    to frozenset/set/tuple, assigned to a name, or looped over."""
    found = []
    lists: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            lists += [c for op, c in zip(node.ops, node.comparators, strict=True) if isinstance(op, (ast.In, ast.NotIn))]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set", "tuple"):
            lists += node.args
        elif isinstance(node, ast.Assign) and not any(isinstance(t, ast.Tuple) for t in node.targets):
            if not any(isinstance(t, ast.Name) and t.id in ("__all__", "__slots__") for t in node.targets):
                lists.append(node.value)
        elif isinstance(node, ast.For):
            lists.append(node.iter)
    for node in lists:
        if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            words = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(words) >= 2 and not all(_allowed(w) for w in words):
                found.append((node.lineno, words))
        elif isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if len(keys) >= 2 and not all(_allowed(k) for k in keys):
                found.append((node.lineno, keys))
    return found


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_no_word_list_or_cameo_code_in_the_rules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lists = _word_lists(tree)
    assert not lists, f"{path.name}: word lists belong in lexicon/data/grammar.yaml: {lists}"
    codes = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and re.fullmatch(r"\d{2,4}", n.value)]
    assert not codes, f"{path.name}: CAMEO code literals on lines {codes} belong in the data files"


def test_the_word_list_check_can_fail():
    tree = ast.parse('_X = frozenset({"kill", "wound"})\nif a in ("say", "tell"): pass\nb = "074"\n')
    assert len(_word_lists(tree)) == 2
    assert not _word_lists(ast.parse('kind, via = "state", "gazetteer"\nif d in ("nsubj", "dobj"): pass\n'))


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_modules_and_functions_stay_small(path: Path):
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= 400, f"{path.name} has {text.count(chr(10))} lines"
    long = [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(ast.parse(text))
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > 80]
    assert not long, f"{path.name}: functions over 80 lines: {long}"


_USE = re.compile(r"""G\.(words|types|roles|table|recode)\(\s*"([^"]+)"(?:\s*,\s*"([^"]+)")?\s*\)""")


def _uses() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {"words": set(), "types": set(), "roles": set(), "tables": set(), "recodes": set()}
    kinds = {"words": "words", "types": "types", "roles": "roles", "table": "tables", "recode": "recodes"}
    for f in SOURCES:
        for kind, name, _tag in _USE.findall(f.read_text(encoding="utf-8")):
            used[kinds[kind]].add(name)
    return used


def test_every_grammar_name_is_used_and_every_use_is_defined():
    used, defined = _uses(), GRAMMAR.names()
    # names a rule picks by value ("threat-to-break" if ... else "threat-of-force") count as used
    # when they appear in the code as a string
    text = "\n".join(f.read_text(encoding="utf-8") for f in SOURCES)
    for kind in defined:
        unused = {n for n in defined[kind] - used[kind] if f'"{n}"' not in text}
        assert not unused, f"{kind} defined in grammar.yaml but never used: {sorted(unused)}"
        assert used[kind] <= defined[kind], f"{kind} used but not defined: {sorted(used[kind] - defined[kind])}"


def test_every_grammar_entry_is_non_empty():
    empty = [k for k, n in GRAMMAR.sizes().items() if n == 0]
    assert not empty, empty


def test_one_saying_list_with_its_jobs():
    saying = GRAMMAR.words("saying")
    for job in ("report", "attribution", "stance", "main"):
        assert GRAMMAR.words("saying", job) <= saying
    assert "say" in GRAMMAR.words("saying", "attribution") and "believe" not in GRAMMAR.words("saying", "attribution")
