"""Headline casing: read "Iran Seizes Foreign Tanker in Gulf" as "Iran seizes foreign tanker in Gulf".

News feeds are full of headlines in title case or capitals. The English model reads a
capitalised word as a name, so "Uganda Jails Opposition Figure" parses as one long name and
nothing is coded. :class:`Recaser` finds such lines and lower-cases their ordinary words
before parsing, keeping the capitals of names (the actor dictionary's names, places of the
gazetteer, and words the English word list does not know, such as "Besigye"). Lower-casing
keeps every character where it was, so offsets are unchanged; :func:`restore_case` puts the
document's own letters back into the coded events.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from spacy.language import Language

from ..actors import ActorDictionary
from ..lexicon.grammar import GRAMMAR as G
from ..model import Actor, Event, Place
from ..places import Gazetteer

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_SMALL = G.words("headline_small_words")
_MAX_NAME_WORDS = 6
_POSSESSIVE = tuple(G.words("possessive_endings"))


class Recaser:
    """Lower-cases the ordinary words of headline lines, keeping names."""

    def __init__(self, names: Iterable[str], common: Iterable[str],
                 is_place: Callable[[str], bool] | None = None):
        names = list(names)
        self.names = {n.lower() for n in names}
        self.upper = {n for n in names if n.isupper()}
        self.common = frozenset(common)
        self.is_place = is_place or (lambda text: False)

    # -- words --------------------------------------------------------------------------

    def _ordinary(self, word: str) -> bool:
        """Is the word (any case) an ordinary English word, in some inflected form?"""
        w = word.lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w in self.common:
            return True
        forms = []
        if w.endswith("ies"):
            forms.append(w[:-3] + "y")
        if w.endswith("es"):
            forms.append(w[:-2])
        if w.endswith("s"):
            forms.append(w[:-1])
        if w.endswith("ed"):
            forms += [w[:-2], w[:-1], w[:-3]]  # sanctioned, seized, banned
        if w.endswith("ing"):
            forms += [w[:-3], w[:-3] + "e", w[:-4]]
        if "-" in w:
            forms.append(w.split("-")[-1])
        return any(f in self.common for f in forms if len(f) > 1)

    def _names_in(self, words: list[str]) -> set[int]:
        """Indices of words that belong to a known name, longest names first."""
        kept: set[int] = set()
        i = 0
        while i < len(words):
            for n in range(min(_MAX_NAME_WORDS, len(words) - i), 0, -1):
                phrase = " ".join(words[i:i + n])
                plain = phrase[:-2] if phrase.lower().endswith(_POSSESSIVE) else phrase
                known = plain.lower() in self.names or (
                    self.is_place(plain) and (n > 1 or not self._ordinary(plain)))
                if known:
                    kept.update(range(i, i + n))
                    i += n
                    break
            else:
                i += 1
        return kept

    # -- lines ----------------------------------------------------------------------------

    def recase(self, text: str) -> str:
        """``text`` with its headline lines recased (the same length; unchanged if none)."""
        if not any(c.isupper() for c in text):
            return text
        out = list(text)
        changed = False
        pos = 0
        for line in text.split("\n"):
            changed |= self._recase_line(line, pos, out)
            pos += len(line) + 1
        return "".join(out) if changed else text

    def _recase_line(self, line: str, pos: int, out: list[str]) -> bool:
        matches = list(_WORD.finditer(line))
        if len(matches) < 3 or len(matches) > 30:
            return False
        words = [m.group() for m in matches]
        content = [w for w in words if w.lower() not in _SMALL]
        letters = [c for c in line if c.isalpha()]
        shouting = bool(letters) and all(c.isupper() for c in letters) and len(content) >= 3
        titled = sum(w[0].isupper() for w in content)
        if not shouting and (len(content) < 3 or titled < 0.8 * len(content)):
            return False
        names = self._names_in([w.title() if shouting else w for w in words])
        ordinary = [k for k, w in enumerate(words) if k not in names and self._ordinary(w)]
        if not shouting and not any(words[k].lower() not in _SMALL for k in ordinary):
            return False  # a list of names, or a title of unknown words: leave it
        changed = False
        for k, m in enumerate(matches):
            w = m.group()
            if shouting:
                if k in names:
                    new = w if w in self.upper else w.title()
                elif k == 0:
                    new = w[0] + w[1:].lower()
                elif k in ordinary or len(w) > 5:
                    new = w.lower()
                else:
                    new = w  # a short unknown word in capitals: an acronym
            else:
                if k == 0 or k in names or k not in ordinary or w.isupper():
                    continue
                new = w.lower()
            if new != w:
                out[pos + m.start():pos + m.end()] = list(new)
                changed = True
        return changed


def build_recaser(nlp: Language, dictionary: ActorDictionary, gazetteer: Gazetteer) -> Recaser:
    """A recaser from the actor dictionary, the gazetteer and the model's English word lists."""
    common: set[str] = set(_SMALL)
    if "lemmatizer" in nlp.component_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None:
            for name in ("lemma_index", "lemma_exc"):
                if lookups.has_table(name):
                    for words in lookups.get_table(name).values():
                        if isinstance(words, dict):  # exceptions: form -> lemmas
                            common.update(words)
                            for lemmas in words.values():
                                common.update(lemmas)
                        else:
                            common.update(words)
    return Recaser(dictionary.index, {w.lower() for w in common if w.isalpha() or "-" in w},
                   lambda text: gazetteer.lookup(text) is not None)


def restore_case(events: Iterable[Event], original: str, offset: int) -> tuple[Event, ...]:
    """Events whose texts are read again from the document's own characters."""

    def piece(start: int | None, end: int | None, text: str) -> str:
        if start is None or end is None:
            return text
        s = original[start - offset:end - offset]
        return s if s.lower() == text.lower() else text

    def actor(a: Actor | None) -> Actor | None:
        if a is None:
            return None
        text = piece(a.start, a.end, a.text)
        update: dict = {"text": text, "members": tuple(m for m in (actor(m) for m in a.members) if m)}
        if a.name is not None and a.name == a.text:
            update["name"] = text
        return a.model_copy(update=update)

    def place(p: Place | None) -> Place | None:
        if p is None:
            return None
        return p.model_copy(update={"text": piece(p.start, p.end, p.text)})

    out = []
    low = original.lower()
    for e in events:
        sent = e.sentence.lower()
        # the sentence holds its trigger: look for it from there back, then anywhere
        near = max(0, e.trigger.start - offset - len(sent))
        at = low.find(sent, near)
        if at < 0 and near:
            at = low.find(sent)
        sentence = original[at:at + len(e.sentence)] if at >= 0 else e.sentence
        date_text = e.date_text
        if date_text:
            k = sentence.lower().find(date_text.lower())
            date_text = sentence[k:k + len(date_text)] if k >= 0 else date_text
        out.append(e.model_copy(update={
            "sentence": sentence, "date_text": date_text,
            "source": actor(e.source), "target": actor(e.target), "location": place(e.location),
            "dyads": tuple(d.model_copy(update={"source": actor(d.source), "target": actor(d.target)})
                           for d in e.dyads),
            "trigger": e.trigger.model_copy(update={"text": piece(e.trigger.start, e.trigger.end, e.trigger.text)}),
        }))
    return tuple(out)
