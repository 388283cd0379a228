import datetime as dt
from pathlib import Path

import pycountry
import pytest

from realpolitik.actors import check_actor_file, load_actor_dictionary
from realpolitik.errors import ActorFileError

D = load_actor_dictionary()


def test_every_un_member_and_observer_is_present():
    members = [c for c in D.countries.values() if c.status == "member"]
    assert len(members) == 193
    assert D.countries["VAT"].status == "observer" and D.countries["PSE"].status == "observer"


def test_country_codes_are_iso():
    for c in D.countries.values():
        if c.status == "former":  # ISO 3166-3 codes of states that no longer exist
            assert c.code.startswith("X") or pycountry.historic_countries.get(alpha_3=c.code), c.code
            assert c.end is not None and c.successors, c.code
        else:
            assert c.code.startswith("X") or pycountry.countries.get(alpha_3=c.code), c.code


@pytest.mark.parametrize(("name", "code", "kind"), [
    ("Baghdad", "IRQ", "seat"), ("Kremlin", "RUS", "seat"), ("Washington", "USA", "seat"),
    ("Tehran", "IRN", "seat"), ("Ankara", "TUR", "seat"), ("Damascus", "SYR", "seat"),
    ("Iraqi", "IRQ", "demonym"), ("Turkish", "TUR", "demonym"), ("American", "USA", "demonym"),
    ("Emirati", "ARE", "demonym"), ("U.S.", "USA", "country"), ("Syria", "SYR", "country")])
def test_names_metonyms_and_demonyms(name, code, kind):
    refs = D.lookup(name)
    assert any(r.key == code and r.kind == kind for r in refs), refs


@pytest.mark.parametrize(("alias", "org"), [
    ("ISIS", "ISIS"), ("ISIL", "ISIS"), ("Daesh", "ISIS"), ("Islamic State", "ISIS"),
    ("Popular Mobilization Forces", "PMF"), ("Hashd al-Shaabi", "PMF"), ("Hezbollah", "HEZBOLLAH"),
    ("SDF", "SDF"), ("YPG", "YPG"), ("PKK", "PKK"), ("Taliban", "TALIBAN"), ("Houthis", "HOUTHIS"),
    ("Hamas", "HAMAS"), ("HTS", "HTS"), ("al-Qaeda", "ALQAEDA")])
def test_armed_groups(alias, org):
    assert any(r.kind == "organization" and r.key == org for r in D.lookup(alias)), D.lookup(alias)


def test_people_resolve_by_date():
    ref = D.lookup("Haider al-Abadi")[0]
    assert (D.resolve(ref, dt.date(2017, 12, 9)).country, D.resolve(ref, dt.date(2017, 12, 9)).sector) == ("IRQ", "GOV")
    assert D.resolve(ref, dt.date(2019, 6, 1)).sector == "ELI"


def test_organization_periods():
    ref = next(r for r in D.lookup("Taliban") if r.kind == "organization")
    assert D.resolve(ref, dt.date(2015, 1, 1)).sector == "REB"
    assert D.resolve(ref, dt.date(2022, 1, 1)).sector == "GOV"


def test_roles_are_ordered_in_time():
    for p in D.people.values():
        for r in p.roles:
            assert r.end is None or r.end >= r.start, (p.name, r)


def test_g20_and_mena_heads_since_2000():
    for country in ("USA", "RUS", "TUR", "IRQ", "IRN", "SYR", "SAU", "EGY", "ISR", "CHN", "GBR", "FRA"):
        roles = [r for p in D.people.values() for r in p.roles if r.country == country
                 and r.role in ("head_of_state", "head_of_government")]
        assert any(r.start <= dt.date(2000, 1, 1) or r.start.year == 2000 for r in roles), country
        assert any(r.end is None or r.end >= dt.date(2019, 1, 1) for r in roles), country


def test_sector_words():
    assert D.sector_of(["military", "official"]) == "MIL"
    assert D.sector_of(["protester"]) == "CVL"
    assert D.sector_of(["former", "minister"]) == "ELI"


def test_check_reports_every_problem(tmp_path: Path):
    f = tmp_path / "mine.yaml"
    f.write_text("countries:\n  - {code: XX, name: Nowhere, status: member}\n"
                 "organizations:\n  - {id: MYGROUP, name: My Group, kind: armed_group, sector: BAD}\n"
                 "people:\n  - {name: A Person, roles: [{role: head_of_state, country: ZZZ, start: 2010-01-01}]}\n"
                 "colours: [red]\n", encoding="utf-8")
    problems = check_actor_file(f)
    text = "\n".join(problems)
    assert "XX" in text and "BAD" in text and "colours" in text
    assert len(problems) >= 3


def test_check_accepts_a_good_file(tmp_path: Path):
    f = tmp_path / "good.yaml"
    f.write_text("organizations:\n  - {id: NEWFRONT, name: New Liberation Front, aliases: [NLF2], "
                 "kind: armed_group, country: SYR, sector: REB}\n", encoding="utf-8")
    assert check_actor_file(f) == []
    d = load_actor_dictionary([f])
    assert d.lookup("New Liberation Front")[0].key == "NEWFRONT"


def test_unreadable_and_invalid_yaml(tmp_path: Path):
    f = tmp_path / "broken.yaml"
    f.write_text("countries: [ {code: IRQ\n", encoding="utf-8")
    assert "YAML" in check_actor_file(f)[0]
    with pytest.raises(ActorFileError):
        load_actor_dictionary([f])
    assert check_actor_file(tmp_path / "missing.yaml")


def test_a_later_file_changes_what_a_name_resolves_to():
    from realpolitik.actors import ActorDictionary

    d = ActorDictionary()
    d.add({"people": [{"name": "Ivo Marek", "roles": [{"role": "minister", "country": "CZE", "start": "2010-01-01"}]}]},
          "first.yaml")
    ref = d.lookup("Ivo Marek")[0]
    assert d.resolve(ref, dt.date(2012, 1, 1)).country == "CZE"
    d.add({"people": [{"name": "Ivo Marek", "roles": [{"role": "minister", "country": "SVK", "start": "2010-01-01"}]}]},
          "second.yaml")
    assert d.resolve(ref, dt.date(2012, 1, 1)).country == "SVK"  # answers kept from before are dropped
