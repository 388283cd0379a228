"""realpolitik_verbs: verbs the tagger took for nouns.

A word with a modal before it and a subject of its own is a verb whatever the tagger said. In
'Tehran will "firmly" respond to the strike' the quoted adverb leads the small tagger to
read "respond" as a noun; no verb entry, modal or object would reach it. Run after the parser
and the lemmatizer, this component tags such a word as a verb (``VB``), so the stages after it
see the clause the parser built.

Example::

    >>> import realpolitik
    >>> doc = realpolitik.Coder.shared().parse('Tehran will "firmly" respond to the strike.')
    >>> [t.pos_ for t in doc if t.lower_ == "respond"]
    ['VERB']
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..lexicon.grammar import GRAMMAR as G

_MODALS = G.words("future_aux") | G.words("hypothetical_aux")


@Language.component("realpolitik_verbs")
def retag_verbs(doc: Doc) -> Doc:
    for tok in doc:
        if tok.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ in _MODALS for c in tok.children) \
                and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) \
                and not any(c.dep_ == "compound" for c in tok.children):  # "will cease fire": a noun it is
            tok.pos_ = "VERB"
            tok.tag_ = "VB"
    return doc
