"""realpolitik_paragraphs: start a new sentence after a blank line.

Headlines and section titles carry no final full stop, so the parser tends to glue them
to the next sentence ("Fears of a Power Vacuum in Northern Syria\\n\\nTo brace for...").
This component runs before the parser and marks the first token after a blank line, or
after a line ending in sentence-final punctuation, or after a line much shorter than the next
(a headline, a title or a dateline over a paragraph) when the next line begins with a capital,
as a sentence start; the parser keeps those boundaries. Hard-wrapped lines (a
single newline inside a sentence, lines of about the same length) are left alone.

Example::

    >>> import spacy, realpolitik.nlp
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("realpolitik_paragraphs")
    >>> doc = nlp("Iraq Looks North\\n\\nBaghdad has sought help.")
    >>> doc[4].text, doc[4].is_sent_start
    ('Baghdad', True)
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..lexicon.grammar import GRAMMAR as G

__all__ = ["ParagraphBreaks", "make_paragraphs"]

_FINAL = frozenset(G.words("sentence_end_marks")) | frozenset(G.words("closing_marks"))


SHORT_LINE = 0.6
"""A line shorter than this share of the line after it is no hard-wrapped line (wrapped lines
are all about as long): a line break after it, with no final punctuation, ends a headline, a
title or a dateline over a paragraph."""


class ParagraphBreaks:
    """Mark sentence starts at paragraph breaks."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        line_start = 0  # where the line a newline ends begins
        for i in range(n - 1):
            tok = doc[i]
            if not tok.is_space or "\n" not in tok.text:
                continue
            line = tok.idx + tok.text.index("\n") - line_start
            line_start = tok.idx + tok.text.rindex("\n") + 1
            nxt = doc[i + 1]
            if nxt.is_space or i == 0:
                continue
            following = doc.text.find("\n", nxt.idx)
            following = (len(doc.text) if following < 0 else following) - nxt.idx
            if tok.text.count("\n") >= 2 or doc[i - 1].text[-1:] in _FINAL or \
                    (line < SHORT_LINE * following and nxt.text[:1].isupper()):
                nxt.is_sent_start = True
        return doc


@Language.factory(
    "realpolitik_paragraphs",
    assigns=["token.is_sent_start"],
    requires=[],
    default_config={},
)
def make_paragraphs(nlp: Language, name: str) -> ParagraphBreaks:
    return ParagraphBreaks()
