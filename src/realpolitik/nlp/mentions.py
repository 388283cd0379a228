"""Names in a text: where the actor dictionary's names (and names only the entity tagger
knows) are mentioned, with the dictionary entries each may stand for.

:class:`NameFinder` matches every name of the dictionary (countries with their demonyms,
capitals and seats of power, organizations, people) ignoring case, short capitalised names
(``UN``, ``PKK``) exactly, country names one typing slip away ("Ethopia"), and the tagger's
people, organizations and places (through the gazetteer). Names in a dateline ("BAGHDAD
(Reuters) -") are no actors.

Example::

    >>> import realpolitik
    >>> from realpolitik.nlp.mentions import NameFinder
    >>> coder = realpolitik.Coder.shared()
    >>> finder = NameFinder(coder.nlp, coder.dictionary, coder.resources.gazetteer)
    >>> doc = coder.parse("Ethopia and Eritrea signed a peace deal.")
    >>> [(doc[m.start:m.end].text, m.refs[0].key) for m in finder(doc)]
    [('Ethopia', 'ETH'), ('Eritrea', 'ERI')]
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..actors import ActorDictionary, AliasRef
from ..actors.dictionary import Resolution
from ..memo import Remembered
from ..places import Gazetteer
from .phrases import dateline_end

__all__ = ["Mention", "NameFinder", "resolve_refs"]

_REF_RANK = {"person": 0, "organization": 1, "country": 2, "seat": 3, "demonym": 4}
def _shared_names(mentions: list[Mention]) -> None:
    """A name two countries share ("Congo", "Congolese") stands for the one the document names
    on its own most ("the Democratic Republic of Congo ... the Congolese army"), else the first."""
    own: Counter[str] = Counter()
    shared = []
    for m in mentions:
        keys = list(dict.fromkeys(r.key for r in m.refs if r.kind in _STATE_REFS))
        if len(keys) == 1:
            own[keys[0]] += 1
        elif len(keys) > 1:
            shared.append((m, keys))
    for m, keys in shared:
        best = max(keys, key=lambda k: (own[k], -keys.index(k)))
        m.refs = tuple(sorted(m.refs, key=lambda r: r.kind in _STATE_REFS and r.key != best))


_STATE_REFS = frozenset({"country", "seat", "demonym"})
_NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "FAC"})

@dataclass
class Mention:
    """A name in the text: its tokens, and the dictionary entries it may stand for."""

    start: int
    end: int
    refs: tuple[AliasRef, ...]
    ner: str | None = None  # NER label when the dictionaries do not know the name
    place_country: str | None = None  # country of a city named only in the gazetteer
    place_name: str | None = None



class _SpellingIndex:
    """Country names and demonyms reachable by one edit (a letter dropped, added, changed or
    two swapped), for names of at least ``MIN`` letters that no other entry spells exactly."""

    MIN = 6

    def __init__(self, d: ActorDictionary):
        self.refs: dict[str, tuple[AliasRef, ...]] = {}
        self.by_variant: dict[str, set[str]] = {}
        self._answers: Remembered[str, tuple[AliasRef, ...]] = Remembered(self._lookup)
        for name, refs in d.index.items():
            if " " in name or "-" in name or len(name) < self.MIN or not name[:1].isupper():
                continue
            if not refs or any(r.kind not in ("country", "demonym") for r in refs):
                continue
            if len({r.key for r in refs}) != 1:
                continue
            low = name.lower()
            self.refs[low] = tuple(AliasRef(r.kind, r.key, f"{r.via}~spelling") for r in refs)
            for v in self._variants(low):
                self.by_variant.setdefault(v, set()).add(low)

    @staticmethod
    def _variants(word: str) -> set[str]:
        return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}

    def lookup(self, word: str) -> tuple[AliasRef, ...]:
        return self._answers(word.lower())

    def _lookup(self, low: str) -> tuple[AliasRef, ...]:
        if low in self.refs:
            return ()  # spelt right: the exact matcher's business
        cands: set[str] = set()
        for v in self._variants(low):
            cands |= self.by_variant.get(v, set())
        hits = {c for c in cands if _one_edit(low, c)}
        keys = {self.refs[c][0].key for c in hits}
        if len(keys) != 1:
            return ()
        return self.refs[min(hits)]


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one insertion, deletion, substitution or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))



def resolve_refs(d: ActorDictionary, refs: Sequence[AliasRef], day: dt.date | None) -> Resolution | None:
    """The best resolution among ``refs`` on ``day``: people, then organizations, then states."""
    if not refs:
        return None
    ref = min(refs, key=lambda r: _REF_RANK[r.kind])
    return d.resolve(ref, day)



class NameFinder:
    """Finds the mentions of names in a parsed Doc."""

    def __init__(self, nlp: Language, dictionary: ActorDictionary, gazetteer: Gazetteer):
        self.d = dictionary
        self.gazetteer = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.names: dict[int, str] = {}
        lower_names: list[str] = []
        exact_names: list[str] = []
        for name in dictionary.index:
            if name.isupper() and len(name.replace(".", "")) <= 5:
                exact_names.append(name)
            else:
                lower_names.append(name)
        for names, matcher in ((lower_names, self.matcher), (exact_names, self.exact)):
            for name in names:
                doc = nlp.make_doc(name)
                key = nlp.vocab.strings.add(name)
                self.names[key] = name
                matcher.add(name, [doc])
        self.lowered: dict[str, list[str]] = {}
        for name in lower_names:
            self.lowered.setdefault(name.lower(), []).append(name)
        self.misspelt = _SpellingIndex(dictionary)
        self._refs: Remembered[int, tuple[AliasRef, ...]] = Remembered(self._name_refs)

    # -- finding names --------------------------------------------------------------------

    def _name_refs(self, key: int) -> tuple[AliasRef, ...]:
        """The dictionary's entries for a matched name, once per name."""
        name = self.names[key]
        refs = self.d.index.get(name, [])
        if not name.isupper():
            # the name matched ignoring case: take every spelling that folds to it
            refs = [r for n in self.lowered.get(name.lower(), [name]) for r in self.d.index[n]]
        out: list[AliasRef] = []
        seen = set()
        for r in refs:
            k = (r.kind if r.kind != "seat" else "country", r.key)
            if k not in seen:
                seen.add(k)
                out.append(r)
        return tuple(out)

    def __call__(self, doc: Doc) -> list[Mention]:
        """The names mentioned in ``doc``, in text order."""
        datelines: set[int] = set()
        for sent in doc.sents:
            datelines.update(range(sent.start, dateline_end(sent)))
        found: dict[tuple[int, int], int] = {}
        for key, s, e in self.matcher(doc):
            text = doc[s:e].text
            # a lower-case match of a capitalised name is an ordinary word ("turkey", "chad")
            if text.islower() and not self.names[key].islower():
                continue
            found.setdefault((s, e), key)
        for key, s, e in self.exact(doc):
            found[(s, e)] = key
        spans = [Span(doc, s, e, label=k) for (s, e), k in found.items() if s not in datelines]
        kept = [s for s in filter_spans(spans) if not self._inside_place(doc, s)]
        mentions = [Mention(s.start, s.end, self._refs(s.label)) for s in kept]
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for tok in doc:
            # "Ethopia", "Phillipines": a country's name one slip of the keyboard away
            if tok.i in taken or tok.i in datelines or not tok.is_title or len(tok) < _SpellingIndex.MIN \
                    or tok.pos_ not in ("PROPN", "ADJ", "NOUN") or self.gazetteer.lookup(tok.text) is not None:
                continue
            refs = self.misspelt.lookup(tok.text)
            if refs:
                mentions.append(Mention(tok.i, tok.i + 1, refs))
                taken.add(tok.i)
        for ent in doc.ents:
            if ent.label_ not in _NER_LABELS or any(i in taken or i in datelines for i in range(ent.start, ent.end)):
                continue
            start = ent.start + (1 if doc[ent.start].lower_ == "the" else 0)
            end = ent.end
            if end > start and doc[end - 1].tag_ == "POS":
                end -= 1
            if end <= start:
                continue
            m = Mention(start, end, (), ner=ent.label_)
            if ent.label_ in ("GPE", "FAC"):
                info = self.gazetteer.lookup(doc[start:end].text)
                if info is None or info.country is None:
                    continue
                m.place_country, m.place_name = info.country, info.name
            mentions.append(m)
            taken.update(range(start, end))
        mentions.sort(key=lambda m: m.start)
        _shared_names(mentions)
        return mentions

    def _inside_place(self, doc: Doc, span: Span) -> bool:
        """A person's name that begins a longer place name ("Al-Asad air base")."""
        if any(r.kind != "person" for r in self._refs(span.label)):
            return False
        for extra in (3, 2, 1):
            end = span.end + extra
            if end <= len(doc) and all(not t.is_punct for t in doc[span.end:end]):
                info = self.gazetteer.lookup(doc[span.start:end].text)
                if info is not None and info.country:
                    return True
        return False

