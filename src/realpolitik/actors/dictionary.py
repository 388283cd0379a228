"""Actor dictionaries: load, validate, and resolve names to actors at a date.

Example::

    >>> import datetime as dt
    >>> from realpolitik.actors import load_actor_dictionary
    >>> d = load_actor_dictionary()
    >>> d.countries["IRQ"].name
    'Iraq'
    >>> r = d.resolve(d.lookup("Haider al-Abadi")[0], dt.date(2017, 12, 9))
    >>> (r.country, r.sector, r.kind)
    ('IRQ', 'GOV', 'person')

The file format is documented in ``actors/data/README.md``. ``check_actor_file(path)``
returns the problems of one file; ``realpolitik actors check FILE`` prints them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from ..errors import ActorFileError
from ..io.yamldoc import read_yaml_nodes
from ..memo import Remembered

__all__ = [
    "SECTORS",
    "CountryEntry",
    "OrganizationEntry",
    "PersonEntry",
    "Role",
    "Period",
    "AliasRef",
    "Resolution",
    "ActorDictionary",
    "load_actor_dictionary",
    "check_actor_file",
    "read_actor_file",
]

SECTORS: tuple[str, ...] = (
    "GOV", "MIL", "COP", "SPY", "LEG", "JUD", "PTY", "OPP", "REB", "PRM", "UAF", "UNK", "CVL",
    "BUS", "REL", "JRN", "EDU", "LAB", "MED", "REF", "AGR", "CRM", "ELI", "SOC", "IGO", "NGO", "PRE",
)
"""PLOVER sector codes (plus IGO and NGO for organizations that are not states)."""

REGIONS = (
    "East Asia and Pacific",
    "Europe and Central Asia",
    "Latin America and Caribbean",
    "Middle East and North Africa",
    "North America",
    "South Asia",
    "Sub-Saharan Africa",
)


_FOLD = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
                       "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "ʻ": "'", "ʼ": "'",
                       "’": "'", "‘": "'"})


def ascii_fold(name: str) -> str:
    """The name without diacritics ('Erdoğan' -> 'Erdogan', 'Yıldırım' -> 'Yildirim')."""
    s = unicodedata.normalize("NFKD", name.translate(_FOLD))
    return "".join(ch for ch in s if not unicodedata.combining(ch))


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _names(v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    out = []
    for x in v:
        if not isinstance(x, str) or not x.strip():
            raise ValueError(f"names must be non-empty strings, got {x!r}")
        out.append(x.strip())
    return tuple(out)


Names = Annotated[tuple[str, ...], BeforeValidator(_names)]


class CountryEntry(_Entry):
    """A state, territory or partially recognized entity (see actors/data/README.md)."""

    code: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    official: str | None = None
    status: Literal["member", "observer", "non_member_state", "territory", "partially_recognized", "former"]
    parent: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    start: dt.date | None = None
    """For a state that no longer exists: when it came into being."""
    end: dt.date | None = None
    """For a state that no longer exists: when it ceased to."""
    successors: tuple[str, ...] = ()
    """For a state that no longer exists: the states that followed it (ISO alpha-3)."""
    aliases: Names = ()
    demonyms: Names = ()
    capital: str | None = None
    seats: Names = ()
    regions: tuple[str, ...] = ()
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for r in v:
            if r not in REGIONS:
                raise ValueError(f"unknown region {r!r}; use one of {', '.join(REGIONS)}")
        return v

    @property
    def coded_as(self) -> str:
        """The country code events use: the parent state for folded territories."""
        return self.parent or self.code


class Period(_Entry):
    """A span of time in which an organization had a given sector or country."""

    start: dt.date | None = None
    end: dt.date | None = None
    sector: str | None = None
    country: str | None = None

    def contains(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class OrganizationEntry(_Entry):
    """A named organization: IGO, NGO, armed group, state body, party, company or media."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str
    aliases: Names = ()
    kind: Literal["igo", "ngo", "armed_group", "state_body", "party", "company", "media"]
    country: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    sector: str
    parent: str | None = None
    periods: tuple[Period, ...] = ()
    members: tuple[str, ...] = ()
    note: str | None = None

    @field_validator("sector")
    @classmethod
    def _sector(cls, v: str) -> str:
        if v not in SECTORS:
            raise ValueError(f"unknown sector {v!r}")
        return v

    def at(self, day: dt.date | None) -> tuple[str | None, str]:
        """(country, sector) on a date, following ``periods`` when given."""
        if day is not None:
            for p in self.periods:
                if p.contains(day):
                    return (p.country or self.country, p.sector or self.sector)
        return self.country, self.sector


class Role(_Entry):
    """One office held by a person, with its dates."""

    role: str
    office: str | None = None
    country: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    org: str | None = None
    sector: str = "GOV"
    start: dt.date
    end: dt.date | None = None
    approx: bool = False
    region: str | None = None
    note: str | None = None

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def distance(self, day: dt.date) -> int:
        """Days between ``day`` and this term (0 inside it)."""
        if self.contains(day):
            return 0
        if day < self.start:
            return (self.start - day).days
        assert self.end is not None
        return (day - self.end).days


class PersonEntry(_Entry):
    """A person who held offices, with the dates of each."""

    name: str
    aliases: Names = ()
    roles: tuple[Role, ...]
    note: str | None = None


@dataclass(frozen=True)
class AliasRef:
    """What one name in the text can stand for."""

    kind: Literal["country", "seat", "demonym", "organization", "person"]
    key: str
    """Country code, organization id or person name."""
    via: str
    """The field the name came from ('name', 'aliases', 'seats', ...)."""


@dataclass(frozen=True)
class Resolution:
    """What a name resolves to on a given date."""

    name: str
    code: str | None
    country: str | None
    sector: str | None
    kind: Literal["state", "organization", "person"]
    resolved_by: str
    priority: int = 0


class ActorDictionary:
    """All actor entries, the name index over them, and the sector vocabulary."""

    def __init__(self) -> None:
        self.countries: dict[str, CountryEntry] = {}
        self.organizations: dict[str, OrganizationEntry] = {}
        self.people: dict[str, PersonEntry] = {}
        self.sector_words: dict[str, str] = {}
        self.sector_rank: dict[str, int] = {}
        self.actor_heads: set[str] = set()
        self.files: list[str] = []
        self._index: dict[str, list[AliasRef]] | None = None
        self._resolved: Remembered[tuple[AliasRef, dt.date | None], Resolution] = Remembered(
            self._resolve)

    # -- building -------------------------------------------------------------------------

    def add(self, data: dict[str, Any], path: str) -> None:
        """Add the entries of one parsed file; raise ActorFileError listing every problem."""
        problems = _validate_into(self, data, path)
        if problems:
            raise ActorFileError("actor file is not valid", path, problems)
        self.files.append(path)
        self._index = None
        self._resolved.forget()

    # -- lookups --------------------------------------------------------------------------

    @property
    def index(self) -> dict[str, list[AliasRef]]:
        """Name (as written) -> what it can stand for."""
        if self._index is None:
            self._index = self._build_index()
        return self._index

    def _build_index(self) -> dict[str, list[AliasRef]]:
        idx: dict[str, list[AliasRef]] = {}

        def put(name: str, ref: AliasRef) -> None:
            for form in {name, ascii_fold(name)}:
                refs = idx.setdefault(form, [])
                if ref not in refs:
                    refs.append(ref)

        for c in self.countries.values():
            put(c.name, AliasRef("country", c.code, "name"))
            if c.official:
                put(c.official, AliasRef("country", c.code, "official"))
            for a in c.aliases:
                put(a, AliasRef("country", c.code, "aliases"))
            for a in c.demonyms:
                put(a, AliasRef("demonym", c.code, "demonyms"))
            for a in c.seats:
                put(a, AliasRef("seat", c.code, "seats"))
        for o in self.organizations.values():
            put(o.name, AliasRef("organization", o.id, "name"))
            for a in o.aliases:
                put(a, AliasRef("organization", o.id, "aliases"))
        for p in self.people.values():
            put(p.name, AliasRef("person", p.name, "name"))
            for a in p.aliases:
                put(a, AliasRef("person", p.name, "aliases"))
        return idx

    def lookup(self, name: str) -> list[AliasRef]:
        """Entries a name can stand for (exact spelling first, then ignoring case)."""
        refs = self.index.get(name)
        if refs:
            return list(refs)
        low = name.lower()
        return [r for k, v in self.index.items() if k.lower() == low for r in v]

    def sector_of(self, words: Iterable[str]) -> str | None:
        """The highest-ranked sector named by any of ``words`` (lower-case lemmas or phrases)."""
        best: str | None = None
        for w in words:
            s = self.sector_words.get(w)
            if s is not None and (best is None or self.sector_rank[s] < self.sector_rank[best]):
                best = s
        return best

    def resolve(self, ref: AliasRef, day: dt.date | None) -> Resolution:
        """What ``ref`` stands for on ``day`` (None: timeless, or today's terms for people)."""
        return self._resolved((ref, day))

    def _resolve(self, key: tuple[AliasRef, dt.date | None]) -> Resolution:
        ref, day = key
        if ref.kind in ("country", "seat", "demonym"):
            c = self.countries[ref.key]
            sector = "PRE" if c.status == "partially_recognized" else None
            if ref.kind == "seat":
                sector = "GOV"
            return Resolution(c.name, c.coded_as, c.coded_as, sector, "state",
                              f"countries:{c.code}#{ref.via}", priority=1)
        if ref.kind == "organization":
            o = self.organizations[ref.key]
            country, sector = o.at(day)
            return Resolution(o.name, o.id, country, sector, "organization",
                              f"organizations:{o.id}#{ref.via}", priority=2)
        p = self.people[ref.key]
        role, former = self.role_at(p, day)
        code: str | None
        if role.org is not None:
            org = self.organizations.get(role.org)
            country = org.country if org else None
            sector = "ELI" if former else (org.sector if org else "IGO")
            code = role.org
        else:
            country = role.country
            sector = "ELI" if former else role.sector
            code = f"{country}{sector}" if country else None
        tag = f"{role.role}" + (",former" if former else "")
        return Resolution(p.name, code, country, sector, "person",
                          f"people:{p.name}#{tag}", priority=3)

    @staticmethod
    def role_at(person: PersonEntry, day: dt.date | None) -> tuple[Role, bool]:
        """The role held on ``day`` (or the nearest one, flagged former), preferring heads."""
        order = {"head_of_state": 0, "head_of_government": 1, "foreign_minister": 2,
                 "defence_minister": 3}
        day = day or dt.date.today()
        active = [r for r in person.roles if r.contains(day)]
        if active:
            return min(active, key=lambda r: order.get(r.role, 9)), False
        nearest = min(person.roles, key=lambda r: (r.distance(day), order.get(r.role, 9)))
        return nearest, day > (nearest.end or day)

    def region_of(self, code: str) -> tuple[str, ...]:
        c = self.countries.get(code)
        return c.regions if c else ()


def _err(path: str, where: str, exc: ValidationError) -> list[str]:
    out = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e["loc"])
        out.append(f"{where}: {loc + ': ' if loc else ''}{e['msg']}")
    return out


def _validate_into(d: ActorDictionary, data: Any, path: str) -> list[str]:
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the file must be a YAML mapping with keys countries, organizations, people, sectors"]
    unknown = set(data) - {"countries", "organizations", "people", "sectors", "actor_heads"}
    if unknown:
        problems.append(f"unknown top-level keys {sorted(unknown)}; use countries, organizations, "
                        "people, sectors, actor_heads")
    section = {key: data.get(key) or shape() for key, shape in SECTIONS.items()}
    for key, shape in SECTIONS.items():
        if not isinstance(section[key], shape):
            problems.append(f"{key} must be {'a list' if shape is list else 'a mapping'}, not {_kind(section[key])}")
            section[key] = shape()
    for i, raw in enumerate(section["countries"]):
        where = f"countries[{i}] {raw.get('code', '?') if isinstance(raw, dict) else ''}".strip()
        try:
            c = CountryEntry.model_validate(raw)
            d.countries[c.code] = c
        except ValidationError as exc:
            problems += _err(path, where, exc)
    for i, raw in enumerate(section["organizations"]):
        where = f"organizations[{i}] {raw.get('id', '?') if isinstance(raw, dict) else ''}".strip()
        try:
            o = OrganizationEntry.model_validate(raw)
            d.organizations[o.id] = o
        except ValidationError as exc:
            problems += _err(path, where, exc)
    for i, raw in enumerate(section["people"]):
        where = f"people[{i}] {raw.get('name', '?') if isinstance(raw, dict) else ''}".strip()
        try:
            p = PersonEntry.model_validate(raw)
            if not p.roles:
                problems.append(f"{where}: a person needs at least one role")
                continue
            for r in p.roles:
                if (r.country is None) == (r.org is None):
                    problems.append(f"{where}: each role needs exactly one of country or org")
                if r.end is not None and r.end < r.start:
                    problems.append(f"{where}: role {r.role} ends ({r.end}) before it starts ({r.start})")
                if r.sector not in SECTORS:
                    problems.append(f"{where}: unknown sector {r.sector!r}")
            d.people[p.name] = p
        except ValidationError as exc:
            problems += _err(path, where, exc)
    for sector, words in section["sectors"].items():
        if sector not in SECTORS:
            problems.append(f"sectors: unknown sector {sector!r}")
            continue
        if sector not in d.sector_rank:
            d.sector_rank[sector] = len(d.sector_rank)
        if not isinstance(words, list | None):
            problems.append(f"sectors.{sector} must be a list of words, not {_kind(words)}")
            continue
        for w in words or []:
            if not isinstance(w, str) or not w.strip():
                problems.append(f"sectors.{sector}: words must be non-empty strings, got {w!r}")
                continue
            d.sector_words.setdefault(w.strip().lower(), sector)
    for w in section["actor_heads"]:
        if isinstance(w, str) and w.strip():
            d.actor_heads.add(w.strip().lower())
        else:
            problems.append(f"actor_heads: words must be non-empty strings, got {w!r}")
    return problems


def _cross_check(d: ActorDictionary) -> list[str]:
    """Problems that involve several entries: unknown country and parent references."""
    problems = []
    for o in d.organizations.values():
        if o.country and o.country not in d.countries:
            problems.append(f"organizations {o.id}: unknown country {o.country}")
        if o.parent and o.parent not in d.organizations:
            problems.append(f"organizations {o.id}: unknown parent {o.parent}")
    for c in d.countries.values():
        if c.parent and c.parent not in d.countries:
            problems.append(f"countries {c.code}: unknown parent {c.parent}")
    for p in d.people.values():
        for r in p.roles:
            if r.country and r.country not in d.countries:
                problems.append(f"people {p.name}: unknown country {r.country}")
            if r.org and r.org not in d.organizations:
                problems.append(f"people {p.name}: unknown organization {r.org}")
    return problems


SECTIONS = {"countries": list, "organizations": list, "people": list, "actor_heads": list, "sectors": dict}
"""The top-level keys of an actor file and the YAML shape of each."""

_SHAPE_HINT = ("an actor file is a YAML mapping of countries, organizations and people (lists of entries), "
               "sectors (sector code: list of words) and actor_heads (a list of words); see actors/data/README.md")


def read_actor_file(path: str | Path) -> Any:
    """Parse one YAML actor file, raising ActorFileError when it cannot be read, is not YAML, or
    is not shaped like an actor dictionary (the message names the file and the line)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ActorFileError(f"cannot read the file: {exc.strerror or exc}", str(p)) from None
    if b"\0" in raw[:8192]:
        raise ActorFileError(f"a binary file, not YAML text; {_SHAPE_HINT}", str(p))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ActorFileError(f"line {line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8", str(p)) from None
    data, node = read_yaml_nodes(text, str(p), ActorFileError)
    _check_shape(data, node, str(p))
    return data


def _kind(value: Any) -> str:
    """What a YAML value is, in a few words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value[:30]!r})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _value_lines(node: Any) -> dict[str, tuple[int, Any]]:
    """The line (1-based) and node of each value of a YAML mapping node, by key."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): (v.start_mark.line + 1, v) for k, v in node.value}


def _check_shape(data: Any, node: Any, path: str) -> None:
    """Raise ActorFileError unless ``data`` is a mapping whose sections have the right YAML shape."""
    if data is None:
        raise ActorFileError(f"the file is empty; {_SHAPE_HINT}", path)
    if not isinstance(data, dict):
        raise ActorFileError(f"line {node.start_mark.line + 1}: the file holds {_kind(data)}, not a mapping; "
                             f"{_SHAPE_HINT}", path)
    lines = _value_lines(node)
    problems = []
    for key, shape in SECTIONS.items():
        value = data.get(key)
        line = lines.get(key, (0, None))[0]
        if value is None:
            continue
        if not isinstance(value, shape):
            want = "a list of entries (each line starting with '- ')" if shape is list else "a mapping of sector code to a list of words"
            problems.append(f"line {line}: {key} must be {want}, not {_kind(value)}")
        elif key == "sectors":
            words = _value_lines(lines[key][1])
            for sector, listed in value.items():
                if listed is not None and not isinstance(listed, list):
                    problems.append(f"line {words.get(str(sector), (line, None))[0]}: sectors.{sector} must be a "
                                    f"list of words, not {_kind(listed)}")
    if problems:
        raise ActorFileError("not shaped like an actor dictionary", path, problems)


def _shipped_files() -> list[tuple[str, str]]:
    base = resources.files(__package__).joinpath("data")
    out = []
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            out.append((f"actors/data/{entry.name}", entry.read_text(encoding="utf-8")))
    return out


def check_actor_file(path: str | Path, with_shipped: bool = True, *, unreadable: str = "list") -> list[str]:
    """Every problem in one actor file, checked on its own and against the shipped ones.

    A file that cannot be read as an actor dictionary at all (not YAML, wrongly shaped, empty,
    binary) is one problem in the list, or with ``unreadable="raise"`` an ActorFileError."""
    try:
        data = read_actor_file(path)
    except ActorFileError as exc:
        if unreadable == "raise":
            raise
        return [str(exc)]
    d = _load_shipped() if with_shipped else ActorDictionary()
    d = _copy(d)
    problems = _validate_into(d, data, str(path))
    if not problems:
        problems = _cross_check(d)
    return problems


def _copy(d: ActorDictionary) -> ActorDictionary:
    n = ActorDictionary()
    n.countries = dict(d.countries)
    n.organizations = dict(d.organizations)
    n.people = dict(d.people)
    n.sector_words = dict(d.sector_words)
    n.sector_rank = dict(d.sector_rank)
    n.actor_heads = set(d.actor_heads)
    n.files = list(d.files)
    return n


@lru_cache(maxsize=1)
def _load_shipped() -> ActorDictionary:
    d = ActorDictionary()
    for name, text in _shipped_files():
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ActorFileError(f"not valid YAML: {exc}", name) from None
        d.add(data, name)
    problems = _cross_check(d)
    if problems:
        raise ActorFileError("shipped actor dictionaries disagree", "actors/data", problems)
    return d


def load_actor_dictionary(extra_files: Sequence[str | Path] = (), shipped: bool = True) -> ActorDictionary:
    """The shipped dictionaries (unless ``shipped=False``) plus the user's files, validated.

    With no extra files the shared, cached shipped dictionary is returned: do not modify it.
    """
    if shipped and not extra_files:
        return _load_shipped()
    d = _copy(_load_shipped()) if shipped else ActorDictionary()
    for f in extra_files:
        d.add(read_actor_file(f), str(f))
    if extra_files:
        problems = _cross_check(d)
        if problems:
            raise ActorFileError("actor files refer to unknown entries", None, problems)
    return d
