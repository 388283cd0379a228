"""Actor dictionaries and their resolution (see ``actors/data/README.md`` for the format)."""

from .dictionary import (
    SECTORS,
    ActorDictionary,
    AliasRef,
    CountryEntry,
    OrganizationEntry,
    PersonEntry,
    Resolution,
    check_actor_file,
    load_actor_dictionary,
)

__all__ = [
    "SECTORS",
    "ActorDictionary",
    "AliasRef",
    "CountryEntry",
    "OrganizationEntry",
    "PersonEntry",
    "Resolution",
    "check_actor_file",
    "load_actor_dictionary",
]
