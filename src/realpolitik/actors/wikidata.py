"""Build time-bounded office-holder entries from Wikidata.

    realpolitik actors update --from-wikidata --output wikidata_people.yaml
    realpolitik code news.jsonl --actors wikidata_people.yaml

Example (a recorded response instead of the network)::

    >>> from realpolitik.actors.wikidata import parse_results
    >>> rows = {"results": {"bindings": [{
    ...     "person": {"value": "http://www.wikidata.org/entity/Q1"},
    ...     "personLabel": {"value": "Ana Example"}, "iso3": {"value": "IRQ"},
    ...     "kind": {"value": "head_of_government"}, "positionLabel": {"value": "Prime Minister of Iraq"},
    ...     "start": {"value": "2014-09-08T00:00:00Z"}, "end": {"value": "2018-10-25T00:00:00Z"}}]}}
    >>> people = parse_results(rows)
    >>> people[0]["roles"][0]["country"], str(people[0]["roles"][0]["start"])
    ('IRQ', '2014-09-08')

The query asks Wikidata's public SPARQL service for everyone who held a position that is a
head of state, head of government, minister of foreign affairs or minister of defence of a
state with an ISO 3166-1 alpha-3 code (P298), with the start (P580) and end (P582) of each
term and the person's English aliases. Nothing here runs at import or construction time; only
:func:`fetch` touches the network, and only when called.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

import yaml

from ..errors import RealpolitikError

__all__ = ["ENDPOINT", "build_query", "fetch", "parse_results", "to_yaml", "WikidataError"]

ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = "realpolitik/0.1 (political event coder; actor dictionary update)"

KINDS = {
    "head_of_state": "Q48352",
    "head_of_government": "Q2285706",
    "foreign_minister": "Q7330070",
    "defence_minister": "Q623268",
}


class WikidataError(RealpolitikError):
    """The Wikidata service could not be reached or answered something unexpected."""


def build_query(since: int = 2000, countries: Sequence[str] = ()) -> str:
    """The SPARQL query for office holders since ``since`` (optionally only some countries)."""
    values = " ".join(f'(wd:{q} "{k}")' for k, q in KINDS.items())
    country_filter = ""
    if countries:
        codes = " ".join(f'"{c.upper()}"' for c in countries)
        country_filter = f"VALUES ?iso3 {{ {codes} }}"
    return f"""SELECT ?person ?personLabel ?positionLabel ?iso3 ?kind ?start ?end
       (GROUP_CONCAT(DISTINCT ?alias; separator="|") AS ?aliases) WHERE {{
  VALUES (?class ?kind) {{ {values} }}
  {country_filter}
  ?position (wdt:P31|wdt:P279)/wdt:P279* ?class ;
            wdt:P1001 ?country .
  ?country wdt:P298 ?iso3 .
  ?person p:P39 ?held .
  ?held ps:P39 ?position .
  OPTIONAL {{ ?held pq:P580 ?start }}
  OPTIONAL {{ ?held pq:P582 ?end }}
  OPTIONAL {{ ?person skos:altLabel ?alias . FILTER(LANG(?alias) = "en") }}
  FILTER(!BOUND(?end) || YEAR(?end) >= {int(since)})
  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "en". }}
}}
GROUP BY ?person ?personLabel ?positionLabel ?iso3 ?kind ?start ?end"""


Opener = Callable[[urllib.request.Request, float], Any]


def _urlopen(req: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 (a fixed https endpoint)


def fetch(query: str, endpoint: str = ENDPOINT, timeout: float = 120.0,
          opener: Opener = _urlopen) -> dict[str, Any]:
    """Run a SPARQL query against the endpoint and return the JSON results."""
    url = endpoint + "?" + urllib.parse.urlencode({"query": query, "format": "json"})
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                               "Accept": "application/sparql-results+json"})
    try:
        with opener(req, timeout) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise WikidataError(f"could not query {endpoint}: {exc}; check the network, or pass a saved "
                            "response with --response FILE") from None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_results(results: dict[str, Any]) -> list[dict[str, Any]]:
    """People entries (the ``people`` format of actors/data/README.md) from SPARQL JSON results."""
    try:
        bindings = results["results"]["bindings"]
    except (KeyError, TypeError):
        raise WikidataError("the response is not SPARQL JSON results (no results.bindings)") from None
    people: dict[str, dict[str, Any]] = {}
    for b in bindings:
        def val(k: str, b: dict[str, Any] = b) -> str | None:
            v = b.get(k)
            return v.get("value") if isinstance(v, dict) else None

        name, iso3, kind = val("personLabel"), val("iso3"), val("kind")
        start = _date(val("start"))
        if not name or not iso3 or not kind or start is None or name.startswith("Q"):
            continue  # terms without a start date cannot be placed in time
        qid = (val("person") or "").rsplit("/", 1)[-1]
        p = people.setdefault(qid or name, {"name": name, "aliases": set(), "roles": [], "note": f"wikidata:{qid}"})
        for a in (val("aliases") or "").split("|"):
            a = a.strip()
            if a and a != name and len(a) > 3:
                p["aliases"].add(a)
        role = {"role": kind, "office": val("positionLabel") or kind, "country": iso3.upper(),
                "start": start, "end": _date(val("end"))}
        if role not in p["roles"]:
            p["roles"].append(role)
    out = []
    for p in people.values():
        p["aliases"] = sorted(p["aliases"])
        p["roles"].sort(key=lambda r: r["start"])
        out.append(p)
    out.sort(key=lambda p: (p["roles"][0]["country"], p["roles"][0]["start"], p["name"]))
    return out


def to_yaml(people: list[dict[str, Any]], source: str) -> str:
    """A people file (YAML) with a header saying where and when it came from."""
    header = (f"# Office holders from Wikidata ({source}), built {dt.date.today().isoformat()} by\n"
              "# `realpolitik actors update --from-wikidata`. Use with --actors; check with\n"
              "# `realpolitik actors check`.\n")
    return header + yaml.safe_dump({"people": people}, sort_keys=False, allow_unicode=True, width=110)
