"""realpolitik_hyphens: keep lower-case hyphenated words whole ("cease-fire", "co-produce").

The English tokenizer splits every hyphen between letters, which suits "Iran-backed" and
"U.S.-led" (the name is its own token) but breaks words such as "cease-fire", "sit-in",
"pull-out" or "co-developing" into pieces no lexicon entry can match. This component, run
first, merges ``word - word`` back into one token when both sides are lower-case and written
without spaces; a capitalised side ("Iran-backed", "pro-Russian") stays split.

Example::

    >>> import realpolitik
    >>> doc = realpolitik.Coder.shared().parse("The cease-fire held, Iran-backed militias said.")
    >>> [t.text for t in doc][:6]
    ['The', 'cease-fire', 'held', ',', 'Iran', '-']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_HYPHENS = frozenset({"-", "‐", "‑"})


def _lower_word(text: str) -> bool:
    return text.isalpha() and text[0].islower()


@Language.component("realpolitik_hyphens")
def merge_hyphens(doc: Doc) -> Doc:
    spans = []
    i = 0
    n = len(doc)
    while i + 2 < n:
        a, h, b = doc[i], doc[i + 1], doc[i + 2]
        if h.text in _HYPHENS and not a.whitespace_ and not h.whitespace_ and _lower_word(a.text) \
                and _lower_word(b.text):
            end = i + 3
            # "run-of-the-mill", "hand-to-mouth": take further lower-case links
            while end + 1 < n and doc[end].text in _HYPHENS and not doc[end - 1].whitespace_ \
                    and not doc[end].whitespace_ and _lower_word(doc[end + 1].text):
                end += 2
            spans.append(doc[i:end])
            i = end
        else:
            i += 1
    if spans:
        with doc.retokenize() as retok:
            for span in spans:
                retok.merge(span)
    return doc


class HyphenLemmas:
    """Run after the lemmatizer: a merged word takes the lemma of its last part
    ("re-established" -> "re-establish", "co-developing" -> "co-develop"), which the
    lemmatizer's suffix rules get wrong on the whole word."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self._cache: dict[tuple[str, str], str] = {}

    def _lemma(self, word: str, pos: str) -> str:
        key = (word, pos)
        if key not in self._cache:
            lemmatizer = self.nlp.get_pipe("lemmatizer") if "lemmatizer" in self.nlp.component_names else None
            out = word
            if lemmatizer is not None and hasattr(lemmatizer, "rule_lemmatize"):
                one = Doc(self.nlp.vocab, words=[word])
                one[0].pos_ = pos
                found = lemmatizer.rule_lemmatize(one[0])
                out = found[0] if found else word
            self._cache[key] = out
        return self._cache[key]

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc:
            text = tok.text
            if "-" in text and text[0].islower() and tok.pos_ in ("VERB", "NOUN", "ADJ"):
                head, _, last = text.rpartition("-")
                if last.isalpha():
                    tok.lemma_ = f"{head.lower()}-{self._lemma(last.lower(), tok.pos_)}"
        return doc


@Language.factory("realpolitik_hyphen_lemmas")
def make_hyphen_lemmas(nlp: Language, name: str) -> HyphenLemmas:
    return HyphenLemmas(nlp)
