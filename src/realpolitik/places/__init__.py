"""The embedded gazetteer: place names to country, province, city and coordinates.

Example::

    >>> from realpolitik.places import load_gazetteer
    >>> g = load_gazetteer()
    >>> p = g.lookup("Deir ez-Zor")
    >>> (p.name, p.country, p.admin1, p.kind)
    ('Deir ez-Zor', 'SYR', 'Deir ez-Zor', 'city')
    >>> g.lookup("Iraq").kind
    'country'

Sources, in order of precedence: ``places/data/places.yaml`` (the project's own names for
provinces, bases, regions and seas), the countries of the actor dictionary, and the tables
generated from GeoNames by ``scripts/build_gazetteer.py`` (``admin1.tsv``, ``cities.tsv``:
cities of 15,000 people or more, the most populous first). No network, no search server.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml

from ..actors import ActorDictionary, load_actor_dictionary
from ..errors import GazetteerError

__all__ = ["PlaceInfo", "Gazetteer", "load_gazetteer", "fold_name", "fips_countries", "dataset_countries"]


@lru_cache(maxsize=1 << 16)
def fold_name(text: str) -> str:
    """Key for place lookups: case, accents, apostrophes, hyphens and a leading 'the' ignored."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = s.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace("`", "'")
    s = s.replace("-", " ").replace(".", "")
    s = " ".join(s.split())
    if s.startswith("the "):
        s = s[4:]
    return s


@dataclass(frozen=True)
class PlaceInfo:
    """A gazetteer entry."""

    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    kind: Literal["country", "admin1", "city", "area"]
    resolved_by: str


class Gazetteer:
    """Name -> place, built from the project's tables; lookups are dictionary reads."""

    def __init__(self, actors: ActorDictionary):
        self._index: dict[str, PlaceInfo] = {}
        self._holders: dict[str, list[PlaceInfo]] = {}  # every city or province of a name
        self._load_cities()
        self._load_admin1()
        self._load_countries(actors)
        self._load_places()

    def lookup(self, text: str) -> PlaceInfo | None:
        """The place a name stands for, or None."""
        return self._index.get(fold_name(text))

    def holders(self, text: str) -> list[PlaceInfo]:
        """Every place of a name, the one :meth:`lookup` gives first ('Victoria': the Australian
        state, the Canadian city, ...)."""
        first = self.lookup(text)
        if first is None:
            return []
        return [first, *(p for p in self._holders.get(fold_name(text), []) if p is not first)]

    def __len__(self) -> int:
        return len(self._index)

    # later loads override earlier ones: cities < admin1 < countries < places.yaml
    def _put(self, name: str, info: PlaceInfo, override: bool = True) -> None:
        key = fold_name(name)
        if key and (override or key not in self._index):
            self._index[key] = info

    def _load_cities(self) -> None:
        text = _data("cities.tsv")
        alternates: list[tuple[list[str], PlaceInfo]] = []
        for row in csv.DictReader(text.splitlines(), delimiter="\t"):
            names = row["names"].split("|")
            info = PlaceInfo(names[0], row["country"] or None, row["admin1"] or None,
                             float(row["lat"]), float(row["lon"]), "city",
                             f"geonames:{row['geonameid']}")
            self._put(names[0], info, override=False)  # most populous first: first holder keeps it
            self._holders.setdefault(fold_name(names[0]), []).append(info)
            alternates.append((names[1:], info))
        # a city's own name beats another city's alternate spelling ("Victoria", "Indiana")
        for names, info in alternates:
            for n in names:
                self._put(n, info, override=False)

    def _load_admin1(self) -> None:
        text = _data("admin1.tsv")
        for row in csv.DictReader(text.splitlines(), delimiter="\t"):
            lat = float(row["lat"]) if row["lat"] else None
            lon = float(row["lon"]) if row["lon"] else None
            info = PlaceInfo(row["name"], row["country"], row["name"], lat, lon, "admin1",
                             f"iso3166-2:{row['iso_code']}")
            for n in {row["name"], row["iso_name"]}:
                key = fold_name(n)
                self._holders.setdefault(key, []).append(info)
                current = self._index.get(key)
                # a province named like its capital city: the city is what news usually means;
                # a city holding the name only as an alternate spelling, or abroad, gives way
                if current is None or current.kind != "city" or fold_name(current.name) != key \
                        or current.country != info.country:
                    self._index[key] = info

    def _load_countries(self, actors: ActorDictionary) -> None:
        own: set[str] = set()
        for c in actors.countries.values():
            info = PlaceInfo(c.name, c.coded_as, None, c.lat, c.lon, "country",
                             f"countries:{c.code}")
            for n in (c.name, c.official, *c.aliases):
                if n and fold_name(n) not in own - {fold_name(c.name), fold_name(c.official or "")}:
                    self._put(n, info)  # another country's own name is not given away to an alias
            own.update(fold_name(n) for n in (c.name, c.official) if n)

    def _load_places(self) -> None:
        raw = yaml.safe_load(_data("places.yaml")) or {}
        problems = []
        for i, p in enumerate(raw.get("places") or []):
            try:
                info = PlaceInfo(str(p["name"]), p.get("country"), p.get("admin1"),
                                 p.get("lat"), p.get("lon"), p["kind"], f"places:{p['name']}")
            except (KeyError, TypeError) as exc:
                problems.append(f"places[{i}]: missing {exc}")
                continue
            if info.kind not in ("admin1", "city", "area"):
                problems.append(f"places[{i}] {info.name}: kind must be admin1, city or area")
            for n in (info.name, *(p.get("aliases") or [])):
                self._put(str(n), info)
        if problems:
            raise GazetteerError("place table is not valid", "places/data/places.yaml", problems)


def _data(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _cached(actors: ActorDictionary) -> Gazetteer:
    return Gazetteer(actors)


def load_gazetteer(actors: ActorDictionary | None = None) -> Gazetteer:
    """The gazetteer for an actor dictionary (the shipped one by default), cached."""
    return _cached(actors or load_actor_dictionary())


def _code_table(name: str, key: str) -> dict[str, str]:
    """A two-column place table (``key``, ``iso3``; ``#`` comment lines) as a dict."""
    problems: list[str] = []
    out: dict[str, str] = {}
    lines = [(n, line) for n, line in enumerate(_data(name).splitlines(), start=1)
             if line.strip() and not line.startswith("#")]
    for n, line in lines[1:]:
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0].strip() or len(fields[1].strip()) != 3:
            problems.append(f"line {n}: expected {key}, a tab and an ISO alpha-3 code")
            continue
        out[fields[0].strip() if key == "fips" else fold_name(fields[0])] = fields[1].strip()
    if problems:
        raise GazetteerError("place table is not valid", f"places/data/{name}", problems)
    return out


@lru_cache(maxsize=1)
def fips_countries() -> dict[str, str]:
    """FIPS 10-4 country code (as GDELT writes places) -> ISO 3166-1 alpha-3.

    Example::

        >>> fips_countries()["BO"], fips_countries()["BL"]
        ('BLR', 'BOL')
    """
    return _code_table("fips_countries.tsv", "fips")


@lru_cache(maxsize=1)
def dataset_countries() -> dict[str, str]:
    """Country names the datasets write that the actor dictionary lacks (folded) -> ISO alpha-3.

    Example::

        >>> dataset_countries()[fold_name("Occupied Palestinian Territory")]
        'PSE'
    """
    return _code_table("dataset_countries.tsv", "name")
