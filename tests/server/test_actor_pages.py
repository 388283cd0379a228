"""Every actor with events has a page: organisations of a country, sector codes, compounds."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from realpolitik.server import create_app
from realpolitik.store import Store

from .conftest import TESTSERVER, LiveServer


def gdelt_row(n: int, day: str, a: str, a_country: str, b: str, b_country: str, code: str, quad: str) -> str:
    row = [""] * 61
    row[0], row[1], row[5], row[7], row[15], row[17] = str(700000 + n), day, a, a_country, b, b_country
    row[26], row[27], row[28], row[29] = code, code, code[:2], quad
    return "\t".join(row)


@pytest.fixture(scope="module")
def actors_db(tmp_path_factory):
    """Invented events of an organisation of a country, a stateless one, a sector actor and a compound."""
    folder = tmp_path_factory.mktemp("actors")
    rows = []
    for i in range(6):
        rows.append(gdelt_row(i, f"2020010{i + 1}", "SYRSDF", "SYR", "TUR", "TUR", "190", "4"))
        rows.append(gdelt_row(10 + i, f"2020020{i + 1}", "PKK", "", "TURGOV", "TUR", "190", "4"))
        rows.append(gdelt_row(20 + i, f"2020030{i + 1}", "IRQGOV", "IRQ", "USA", "USA", "036", "1"))
        rows.append(gdelt_row(30 + i, f"2020040{i + 1}", "IRN+TUR", "", "SYR", "SYR", "036", "1"))
    (folder / "actors.export.CSV").write_text("\n".join(rows) + "\n")
    store = Store(folder / "actors.duckdb")
    assert store.import_file(folder / "actors.export.CSV").rows == 24
    store.db.close()
    return folder / "actors.duckdb"


@pytest.mark.parametrize(("code", "events", "partner"), [
    ("SYRSDF", 6, "TUR"), ("IRQGOV", 6, "USA"), ("PKK", 6, "TUR"), ("TURGOV", 6, "PKK"), ("IRN+TUR", 6, "SYR"),
    ("TUR", 12, "PKK"), ("IRQ", 6, "USA"),
])
def test_an_actor_with_events_has_a_page(actors_db, code, events, partner):
    client = TestClient(create_app(actors_db, settings=TESTSERVER))
    got = client.get(f"/api/actors/{code.replace('+', '%2B')}")
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["code"] == code and body["events"] == events
    assert partner in {t["partner"] for t in body["partners"] + body["adversaries"]}


@pytest.mark.parametrize(("q", "found"), [("SYRS", "SYRSDF"), ("irqg", "IRQGOV"), ("PKK", "PKK"),
                                           ("Kurdistan", "PKK"), ("IRN+", "IRN+TUR")])
def test_search_finds_organisations_and_sector_codes(actors_db, q, found):
    client = TestClient(create_app(actors_db, settings=TESTSERVER))
    items = client.get("/api/actors", params={"q": q}).json()["items"]
    assert found in [a["code"] for a in items]


@pytest.mark.parametrize(("a", "b"), [("IRN+TUR", "SYR"), ("SYRSDF", "TUR")])
def test_a_compound_or_organisation_pair_has_a_series(actors_db, a, b):
    client = TestClient(create_app(actors_db, settings=TESTSERVER))
    got = client.get(f"/api/dyads/{a.replace('+', '%2B')}/{b}", params={"freq": "year"})
    assert got.status_code == 200 and sum(p["events"] for p in got.json()["periods"]) == 6


@pytest.mark.slow
def test_an_organisation_page_opens_from_the_actor_search(actors_db, browser, tmp_path):
    server = LiveServer(actors_db)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server.url + "/#/actor?q=SYRS")
        page.locator("[data-testid=actors-table] tr[data-row]").first.click()
        page.wait_for_function("() => location.hash.startsWith('#/actor/SYRSDF')")
        page.locator("h1").filter(has_text="SYRSDF").wait_for()
        assert page.locator("[data-testid=adversaries]").inner_text().count("TUR") >= 1
        page.goto(server.url + "/#/actor/IRN%2BTUR")
        page.locator("h1").filter(has_text="IRN+TUR").wait_for()
        assert not page.locator("[data-testid=view-error]").count()
    finally:
        context.close()
        server.stop()
    assert not errors
