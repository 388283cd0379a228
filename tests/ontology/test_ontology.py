import pytest

from realpolitik.model import EVENT_TYPES
from realpolitik.ontology import load_ontology

ONTO = load_ontology()


@pytest.mark.parametrize("etype", EVENT_TYPES)
def test_every_type_has_quad_score_and_code(etype):
    t = ONTO.types[etype]
    assert t.quad in (1, 2, 3, 4)
    assert -10 <= t.score <= 10
    assert t.cameo in ONTO.cameo


@pytest.mark.parametrize(("etype", "quad"), [
    ("AGREE", 1), ("CONSULT", 1), ("SUPPORT", 1), ("CONCEDE", 1), ("COOPERATE", 2), ("AID", 2),
    ("RETREAT", 2), ("REQUEST", 3), ("ACCUSE", 3), ("REJECT", 3), ("THREATEN", 3), ("PROTEST", 4),
    ("SANCTION", 4), ("MOBILIZE", 4), ("COERCE", 4), ("ASSAULT", 4)])
def test_quad_classes(etype, quad):
    assert ONTO.quad(etype) == quad


def test_mode_scores_override_type_scores():
    assert ONTO.score("CONSULT") == 2.5 and ONTO.score("CONSULT", "visit") == 4.0
    assert ONTO.score("ASSAULT", "unknown-mode") == ONTO.score("ASSAULT")


@pytest.mark.parametrize(("code", "ptype", "goldstein"), [
    ("072", "AID", 8.3), ("042", "CONSULT", 1.9), ("195", "ASSAULT", -10.0), ("163", "COERCE", -8.0),
    ("0841", "RETREAT", 7.0), ("1056", "REQUEST", -5.0), ("111", "ACCUSE", -2.0), ("010", None, 0.0),
    ("116", "ACCUSE", -2.0)])
def test_cameo_codes(code, ptype, goldstein):
    assert ONTO.plover_for(code)[0] == ptype
    assert ONTO.goldstein(code) == goldstein


def test_every_cameo_code_has_a_goldstein_weight():
    assert all(c.goldstein is not None for c in ONTO.cameo.values())


def test_goldstein_falls_back_to_parent_code():
    assert ONTO.goldstein("0729") == ONTO.goldstein("072")


@pytest.mark.parametrize(("etype", "mode", "ctx", "code"), [
    ("AID", None, ("military",), "072"), ("CONSULT", "visit", (), "042"), ("RETREAT", "withdraw", (), "0872"),
    ("REQUEST", "yield", ("military",), "1056"), ("AGREE", None, ("military",), "0312")])
def test_cameo_for(etype, mode, ctx, code):
    assert ONTO.cameo_for(etype, mode, ctx) == code


@pytest.mark.parametrize(("aim", "act", "code"), [
    ("intent", "0722", "0332"),   # "promised to send tanks": the parent 072 has the intention code
    ("intent", "0841", "0353"),   # "agreed to release the hostages"
    ("intent", "190", None),      # intending force is a threat, not a 03x intention
    ("threat", "162", "1311"),    # "threatened to cut aid"
    ("threat", "195", "1384"),    # "threatened air strikes"
    ("demand", "084", "1053"),    # "demanded the release"
    ("refusal", "072", "1222"),   # "refused to send weapons"
    ("appeal", "1053", "0253"),   # an appeal, not a demand, for a release
    ("appeal", "10", None),       # only codes CAMEO has in both families
])
def test_cameo_codes_for_aiming_at_an_act(aim, act, code):
    assert ONTO.aim_code(aim, act) == code


def test_every_aim_table_holds_only_cameo_codes_of_its_family():
    from realpolitik.ontology import AIMS

    for aim, (_key, root) in AIMS.items():
        table = ONTO.aims[aim]
        assert table, aim
        assert all(a in ONTO.cameo and c in ONTO.cameo and c.startswith(root) for a, c in table.items())
