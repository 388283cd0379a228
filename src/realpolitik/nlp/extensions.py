"""The places our components read and write on spaCy objects, declared once.

Doc:
  ``doc._.doc_id``         document identifier (set by the Coder; ``None`` otherwise)
  ``doc._.doc_date``       publication date (``datetime.date`` or ``None``)
  ``doc._.char_offset``    offset of this Doc's text in the whole document (for long
                           documents coded in pieces); 0 otherwise
  ``doc._.sent_offset``    number of sentences in the pieces before this one
  ``doc._.events``         tuple of :class:`realpolitik.model.Event` (realpolitik_events)
  ``doc._.type_probs``     sentence start -> {event type: probability} (realpolitik_classifier)
  ``doc._.home``           the document's home country (realpolitik_register)
  ``doc.spans["actors"]``  actor mentions; ``span._.actor`` is an :class:`Actor` record and
                           ``span._.refs`` the dictionary entries it may stand for,
                           ``span._.resolved`` the actor the document's register says it is,
                           ``span._.cue`` the (start, end) tokens of the name that resolved it
  ``doc.spans["references"]`` mentions the register resolved that are no actor phrase
                           ("the North", "the two countries"), with ``span._.actor``
  ``doc.spans["dates"]``   date expressions; ``span._.date_value`` a :class:`DateValue`
  ``doc.spans["places"]``  place mentions; ``span._.place`` a :class:`PlaceInfo`
  ``doc.spans["triggers"]`` event triggers; ``span._.frame`` a :class:`Frame`,
                           ``span._.modality`` and ``span._.modality_cue``
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

__all__ = ["register_extensions"]

_DOC = {
    "doc_id": None,
    "doc_date": None,
    "char_offset": 0,
    "sent_offset": 0,
    "events": (),
    "type_probs": None,
    "home": None,
}
_SPAN = {
    "actor": None,
    "resolved": None,
    "refs": (),
    "cue": None,
    "date_value": None,
    "place": None,
    "frames": (),
    "modality": None,
    "modality_cue": None,
}


def register_extensions() -> None:
    """Declare our Doc and Span extensions (idempotent)."""
    for name, default in _DOC.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
