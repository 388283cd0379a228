"""realpolitik_paragraphs: start a new sentence after a blank line.

Headlines and section titles carry no final full stop, so the parser tends to glue them
to the next sentence ("Fears of a Power Vacuum in Northern Syria\\n\\nTo brace for...").
This component runs before the parser and marks the first token after a blank line, or
after a line ending in sentence-final punctuation, as a sentence start; the parser keeps
those boundaries. Hard-wrapped lines (a single newline inside a sentence) are left alone.

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

__all__ = ["ParagraphBreaks", "make_paragraphs"]

_FINAL = frozenset(".!?:;\"”'’)")


class ParagraphBreaks:
    """Mark sentence starts at paragraph breaks."""

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        for i in range(n - 1):
            tok = doc[i]
            if not tok.is_space or "\n" not in tok.text:
                continue
            nxt = doc[i + 1]
            if nxt.is_space:
                continue
            if tok.text.count("\n") >= 2 or (i > 0 and doc[i - 1].text[-1:] in _FINAL):
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
