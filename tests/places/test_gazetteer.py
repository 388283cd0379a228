import pytest

from realpolitik.places import fold_name, load_gazetteer

G = load_gazetteer()


@pytest.mark.parametrize(("name", "country", "admin1", "kind"), [
    ("Deir ez-Zor", "SYR", "Deir ez-Zor", "city"),
    ("Deir al-Zor", "SYR", "Deir ez-Zor", "city"),
    ("Anbar", "IRQ", "Anbar", "admin1"),
    ("Anbar province", "IRQ", "Anbar", "admin1"),
    ("Palmyra", "SYR", "Homs", "city"),
    ("Erbil", "IRQ", "Erbil", "city"),
    ("Mosul", "IRQ", "Nineveh", "city"),
    ("northern Syria", "SYR", None, "area"),
    ("Iraq", "IRQ", None, "country"),
    ("Nairobi", "KEN", None, "city"),
    ("Aleppo", "SYR", "Aleppo", "city"),
])
def test_lookup(name, country, admin1, kind):
    p = G.lookup(name)
    assert p is not None, name
    assert (p.country, p.kind) == (country, kind)
    if admin1 is not None:
        assert p.admin1 == admin1
    assert p.lat is not None and p.lon is not None


def test_coordinates_are_plausible():
    p = G.lookup("Baghdad")
    assert 33 < p.lat < 34 and 44 < p.lon < 45


def test_fold_name_ignores_case_accents_hyphens_and_the():
    assert fold_name("The Deir ez-Zor") == fold_name("deir ez zor")
    assert fold_name("Erbīl") == "erbil"


def test_unknown_place():
    assert G.lookup("Atlantis of the Deep") is None
