"""PLOVER and CAMEO tables and the lookups between them.

Example::

    >>> from realpolitik.ontology import load_ontology
    >>> onto = load_ontology()
    >>> onto.quad("AID"), onto.score("RETREAT", "withdraw")
    (2, 8.0)
    >>> onto.cameo["072"].label, onto.cameo["072"].goldstein
    ('Provide military aid', 8.3)
    >>> onto.cameo_for("AID", None, ("military",))
    '072'

The tables live in ``ontology/data/`` as ``plover.yaml`` (types, modes, scores, contexts)
and ``cameo.csv`` (every CAMEO code with its label, PLOVER type, mode, contexts and
Goldstein weight); ``dataset_sectors.csv`` maps the sector and category names of the
datasets (ICEWS's "Executive Office", "General Population / Civilian / Social"...) to PLOVER
sectors. They are the project's own tables, written from the PLOVER
specification and the published CAMEO codebook and Goldstein weights.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import OntologyError
from ..model import EVENT_TYPES

__all__ = ["Ontology", "PloverType", "CameoCode", "load_ontology", "dataset_sectors", "sector_of_categories",
           "host_codes"]


@dataclass(frozen=True)
class PloverType:
    """One PLOVER event type as described in ``plover.yaml``."""

    name: str
    quad: int
    score: float
    needs_target: bool
    cameo: str
    about: str
    modes: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO code as described in ``cameo.csv``."""

    code: str
    label: str
    plover_type: str | None
    plover_mode: str | None
    contexts: tuple[str, ...]
    goldstein: float | None

    @property
    def root(self) -> str:
        """The two-digit cue category ('19' for '195')."""
        return self.code[:2]


class Ontology:
    """The PLOVER and CAMEO tables, validated against each other."""

    def __init__(self, types: dict[str, PloverType], contexts: dict[str, str],
                 cameo: dict[str, CameoCode], aims: dict[str, dict[str, str]] | None = None):
        self.types = types
        self.contexts = contexts
        self.cameo = cameo
        self.aims = aims or {}
        self._by_type: dict[tuple[str, str | None], list[CameoCode]] = {}
        for c in cameo.values():
            if c.plover_type:
                self._by_type.setdefault((c.plover_type, c.plover_mode), []).append(c)

    def quad(self, event_type: str) -> int:
        """Quad class (1-4) of a PLOVER type."""
        return self.types[event_type].quad

    def score(self, event_type: str, mode: str | None = None) -> float:
        """PLOVER conflict-cooperation score of a type, or of its mode when given."""
        t = self.types[event_type]
        if mode is not None and mode in t.modes:
            return t.modes[mode]
        return t.score

    def goldstein(self, code: str | None) -> float | None:
        """Goldstein weight of a CAMEO code, falling back to its parent codes."""
        while code:
            c = self.cameo.get(code)
            if c is not None and c.goldstein is not None:
                return c.goldstein
            code = code[:-1] if len(code) > 2 else ""
        return None

    def aim_code(self, aim: str, code: str | None) -> str | None:
        """CAMEO's code for aiming at the act ``code`` (or its nearest parent code) in one of
        the ways of :data:`AIMS`: ``intent`` ("agreed to send troops": 0332 for 072),
        ``threat`` ("threatened to cut aid": 1311 for 162), ``demand`` ("demanded the release":
        1053 for 084), ``refusal`` ("refused to release": 1243), or ``appeal``, which maps a
        demand to the matching appeal ("urged talks": 026 for 106). None where CAMEO has none."""
        table = self.aims.get(aim, {})
        while code:
            if code in table:
                return table[code]
            code = code[:-1] if len(code) > 2 else ""
        return None

    def cameo_for(self, event_type: str, mode: str | None, contexts: tuple[str, ...] = ()) -> str:
        """The most fitting CAMEO code for a PLOVER type, mode and contexts.

        Prefers a code with the same type and mode whose contexts overlap the given ones,
        then the same type and mode, then the same type with a matching context, then the
        type's general code.
        """
        wanted = set(contexts)
        home = self.types[event_type].cameo[:2]

        def rank(c: CameoCode) -> tuple[bool, int, str]:
            return (c.root != home, len(c.code), c.code)

        for key in ((event_type, mode), (event_type, None)):
            cands = self._by_type.get(key, [])
            if not cands:
                continue
            with_ctx = [c for c in cands if wanted & set(c.contexts)]
            if with_ctx:
                return min(with_ctx, key=rank).code
            if key[1] is not None:
                return min(cands, key=rank).code
        return self.types[event_type].cameo

    def plover_for(self, code: str) -> tuple[str | None, str | None]:
        """PLOVER (type, mode) of a CAMEO code; (None, None) for statements and unknown codes."""
        c = self.cameo.get(code)
        while c is None and len(code) > 2:
            code = code[:-1]
            c = self.cameo.get(code)
        if c is None:
            return None, None
        return c.plover_type, c.plover_mode


def _read_text(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def _parse_types(raw: dict[str, Any], path: str) -> tuple[dict[str, PloverType], dict[str, str]]:
    problems: list[str] = []
    types: dict[str, PloverType] = {}
    for name, t in (raw.get("types") or {}).items():
        try:
            modes = {m: float(v["score"]) for m, v in (t.get("modes") or {}).items()}
            types[name] = PloverType(name, int(t["quad"]), float(t["score"]), bool(t["target"]),
                                     str(t["cameo"]), str(t.get("about", "")), modes)
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"type {name}: {exc!r}")
    missing = set(EVENT_TYPES) - set(types)
    if missing:
        problems.append(f"types missing: {sorted(missing)}")
    extra = set(types) - set(EVENT_TYPES)
    if extra:
        problems.append(f"unknown types: {sorted(extra)}")
    for t in types.values():
        if t.quad not in (1, 2, 3, 4):
            problems.append(f"type {t.name}: quad must be 1-4")
    contexts = {str(k): str(v) for k, v in (raw.get("contexts") or {}).items()}
    if problems:
        raise OntologyError("PLOVER table is not valid", path, problems)
    return types, contexts


def _parse_cameo(text: str, types: dict[str, PloverType], contexts: dict[str, str],
                 path: str) -> dict[str, CameoCode]:
    problems: list[str] = []
    out: dict[str, CameoCode] = {}
    for i, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        code = row["code"].strip()
        if not code.isdigit() or not 2 <= len(code) <= 4:
            problems.append(f"line {i}: bad code {code!r}")
            continue
        ptype = row["plover_type"].strip() or None
        mode = row["plover_mode"].strip() or None
        ctx = tuple(c for c in row["contexts"].split(";") if c)
        if ptype and ptype not in types:
            problems.append(f"line {i}: unknown PLOVER type {ptype}")
        elif mode and (not ptype or mode not in types[ptype].modes):
            problems.append(f"line {i}: mode {mode!r} is not a mode of {ptype}")
        for c in ctx:
            if c not in contexts:
                problems.append(f"line {i}: unknown context {c!r}")
        g = row["goldstein"].strip()
        out[code] = CameoCode(code, row["label"].strip(), ptype, mode, ctx, float(g) if g else None)
    if problems:
        raise OntologyError("CAMEO table is not valid", path, problems)
    return out


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Load and validate the shipped PLOVER and CAMEO tables (cached)."""
    raw = yaml.safe_load(_read_text("plover.yaml"))
    types, contexts = _parse_types(raw, "ontology/data/plover.yaml")
    cameo = _parse_cameo(_read_text("cameo.csv"), types, contexts, "ontology/data/cameo.csv")
    return Ontology(types, contexts, cameo, {aim: _parse_aims(aim, key, root, cameo) for aim, (key, root) in AIMS.items()})


AIMS = {"intent": ("act", "03"), "threat": ("act", "13"), "demand": ("act", "10"), "refusal": ("act", "12"),
        "appeal": ("demand", "02")}
"""The tables ``cameo_<aim>.csv``: the key column, and the CAMEO root of the codes they give."""


def _parse_aims(aim: str, key: str, root: str, cameo: dict[str, CameoCode]) -> dict[str, str]:
    """act code -> the code of aiming at it that way; all CAMEO codes."""
    name = f"cameo_{aim}.csv"
    problems: list[str] = []
    out: dict[str, str] = {}
    for n, row in enumerate(csv.DictReader(_read_text(name).splitlines()), start=2):
        act, code = (row.get(key) or "").strip(), (row.get(aim) or "").strip()
        if act not in cameo or code not in cameo or not code.startswith(root):
            problems.append(f"line {n}: {act!r} -> {code!r} is not a CAMEO code and its {aim} code")
        out[act] = code
    if problems:
        raise OntologyError(f"CAMEO {aim} table is not valid", f"ontology/data/{name}", problems)
    return out


@lru_cache(maxsize=1)
def host_codes() -> frozenset[str]:
    """The table ``cameo_host.csv``: CAMEO codes told from the host's side ("X hosted Y", 043),
    whose first actor in CAMEO is the host while PLOVER's actor is the visitor. An event of such
    a code has the visitor as its source and the host as its target, whatever its origin; the
    GDELT export puts the host first again.

    Example::

        >>> sorted(host_codes())
        ['043']
    """
    cameo = load_ontology().cameo
    out: set[str] = set()
    problems: list[str] = []
    for n, row in enumerate(csv.DictReader(_read_text("cameo_host.csv").splitlines()), start=2):
        code = (row.get("code") or "").strip()
        if code not in cameo:
            problems.append(f"line {n}: {code!r} is not a CAMEO code")
        out.add(code)
    if problems:
        raise OntologyError("CAMEO host table is not valid", "ontology/data/cameo_host.csv", problems)
    return frozenset(out)


@lru_cache(maxsize=1)
def dataset_sectors() -> dict[str, tuple[str | None, int]]:
    """The table ``dataset_sectors.csv``: a dataset's category name (lower case) -> its PLOVER
    sector (None for a descriptor such as "Center Left") and its rank (lower wins).

    Example::

        >>> dataset_sectors()["executive office"]
        ('GOV', 10)
    """
    from ..actors.dictionary import SECTORS

    name = "dataset_sectors.csv"
    problems: list[str] = []
    out: dict[str, tuple[str | None, int]] = {}
    for n, row in enumerate(csv.DictReader(_read_text(name).splitlines()), start=2):
        category = (row.get("category") or "").strip()
        sector = (row.get("sector") or "").strip() or None
        rank = (row.get("rank") or "").strip()
        if not category:
            problems.append(f"line {n}: no category name")
        elif sector is not None and sector not in SECTORS:
            problems.append(f"line {n}: {sector!r} is not a PLOVER sector")
        elif sector is not None and not rank.isdigit():
            problems.append(f"line {n}: the rank of {category!r} must be a whole number")
        elif category.lower() in out:
            problems.append(f"line {n}: {category!r} is listed twice")
        else:
            out[category.lower()] = (sector, int(rank) if sector else 1000)
    if problems:
        raise OntologyError("dataset sector table is not valid", f"ontology/data/{name}", problems)
    return out


def sector_of_categories(value: str | None) -> tuple[str | None, bool]:
    """The PLOVER sector of a dataset's comma-separated category names, and whether any name
    was in the table: the sector of the best-ranked name.

    Example::

        >>> sector_of_categories("Executive,Executive Office,Government")
        ('GOV', True)
        >>> sector_of_categories("Military,Government")
        ('MIL', True)
        >>> sector_of_categories("General Population / Civilian / Social,Social")
        ('CVL', True)
    """
    table = dataset_sectors()
    best: tuple[int, str] | None = None
    known = False
    for part in (value or "").split(","):
        hit = table.get(part.strip().lower())
        if hit is None:
            continue
        known = True
        sector, rank = hit
        if sector is not None and (best is None or rank < best[0]):
            best = (rank, sector)
    return (best[1] if best else None), known
