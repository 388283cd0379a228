"""Alert rules files: what a good file gives, and each problem of a bad one named with its rule and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from realpolitik.errors import AlertRulesError
from realpolitik.watch.alerting import load_rules
from realpolitik.watch.rules import AlertRule, JsonlSink, StdoutSink, WebhookSink, seconds_of

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rules.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_full_file_is_read_with_its_defaults_and_sinks(tmp_path, monkeypatch):
    monkeypatch.setenv("HOOK_TOKEN", "t0ken")
    p = _write(tmp_path, """
defaults:
  min_confidence: 0.6
  deliver: [stdout, {jsonl: out/alerts.jsonl}]
rules:
  - name: iraq
    actor: irqgov
    event_type: [assault, COERCE]
    modality: [asserted, reported]
  - name: aid
    dyad: USA-IRQ
    directed: true
    quad_class: 2
    min_mentions: 3
    lookback: 12h
    deliver:
      - webhook: http://127.0.0.1:9/hook
        headers: {Authorization: "Bearer ${HOOK_TOKEN}"}
        retries: 1
        timeout: 2.5
  - name: shift
    kind: change_point
    dyad: [IRQ, RUS]
    freq: quarter
""")
    rules = load_rules(p)
    iraq, aid, shift = rules.rules
    assert rules.path == str(p)
    assert iraq.actor == ("IRQGOV",) and iraq.event_type == ("ASSAULT", "COERCE")
    assert iraq.modality == ("asserted", "reported") and iraq.min_confidence == 0.6
    assert iraq.deliver == (StdoutSink(), JsonlSink(path=tmp_path / "out" / "alerts.jsonl"))
    assert aid.dyad == ("USA", "IRQ") and aid.directed and aid.quad_class == (2,)
    assert aid.min_mentions == 3 and aid.lookback == 12 * 3600 and aid.modality == ("asserted",)
    hook = aid.deliver[0]
    assert isinstance(hook, WebhookSink)
    assert hook.headers == {"Authorization": "Bearer t0ken"} and hook.retries == 1 and hook.timeout == 2.5
    # the defaults that concern events do not reach an analysis rule; its sinks do
    assert shift.kind == "change_point" and shift.modality is None and shift.min_confidence == 0.0
    assert shift.freq == "quarter" and len(shift.deliver) == 2


def test_the_example_file_is_valid(monkeypatch):
    monkeypatch.setenv("ALERT_HOOK_TOKEN", "x")
    rules = load_rules(ROOT / "examples" / "alerts.yaml")
    assert {r.kind for r in rules.rules} == {"events", "change_point", "breakout"}
    assert len({r.name for r in rules.rules}) == len(rules.rules)


def test_rules_are_frozen():
    rule = AlertRule(name="x", actor="IRQ")
    with pytest.raises(Exception):  # noqa: B017  (pydantic's frozen-instance error)
        rule.name = "y"  # type: ignore[misc]
    assert rule.actor == ("IRQ",) and rule.modality == ("asserted",)


@pytest.mark.parametrize(("text", "expected"), [
    ("rules:\n  - name: a\n    event_type: BOMB\n", ["rule 'a' (line 2): event_type: unknown event type 'BOMB'"]),
    ("rules:\n  - name: a\n    actor: IRQ\n  - name: a\n    actor: IRN\n",
     ["rule 'a' (line 4): name: 'a' is already the name of rule 'a' (line 2)"]),
    ("rules:\n  - actor: IRQ\n", ["rule #1 (line 2): name: Field required"]),
    ("rules:\n  - name: a\n    dyad: [IRQ]\n", ["rule 'a' (line 2): dyad: give two actors"]),
    ("rules:\n  - name: a\n    actor: I\n", ["rule 'a' (line 2): actor: 'I' is not an actor code"]),
    ("rules:\n  - name: a\n    modality: maybe\n", ["rule 'a' (line 2): modality: unknown modality 'maybe'"]),
    ("rules:\n  - name: a\n    min_confidence: 1.5\n", ["rule 'a' (line 2): min_confidence: "]),
    ("rules:\n  - name: a\n    colour: red\n", ["rule 'a' (line 2): colour: Extra inputs are not permitted"]),
    ("rules:\n  - name: a\n    kind: trend\n", ["rule 'a' (line 2): kind: "]),
    ("rules:\n  - name: a\n    event_type: AID\n    mode: aerial\n",
     ["rule 'a' (line 2): mode: 'aerial' is not a mode of AID"]),
    ("rules:\n  - name: a\n    kind: breakout\n    event_type: AID\n",
     ["rule 'a' (line 2): event_type: applies to events rules only"]),
    ("rules:\n  - name: a\n    kind: change_point\n    actor: IRQGOV\n",
     ["rule 'a' (line 2): actor: a change_point rule compares countries"]),
    ("rules:\n  - name: a\n    freq: month\n", ["rule 'a' (line 2): freq: applies to change_point and breakout"]),
    ("rules:\n  - name: a\n    lookback: soon\n", ["rule 'a' (line 2): lookback: 'soon' is not a duration"]),
    ("rules:\n  - name: a\n    deliver: [email]\n", ["rule 'a' (line 2): deliver: 'email': a sink is stdout"]),
    ("rules:\n  - name: a\n    deliver: []\n", ["rule 'a' (line 2): deliver: give at least one sink"]),
    ("rules:\n  - name: a\n    deliver:\n      - webhook: ftp://example.org/x\n",
     ["rule 'a' (line 2): deliver[1].url: 'ftp://example.org/x' is not an http(s) URL"]),
    ("rules:\n  - name: a\n    deliver:\n      - webhook: https://example.org/x\n        retries: 99\n",
     ["rule 'a' (line 2): deliver[1].retries: "]),
    ("rules:\n  - name: a\n    deliver:\n      - webhook: https://example.org/x\n        headers: {X-Key: '${NOT_SET_ANYWHERE_42}'}\n",
     ["rule 'a' (line 2): deliver[1].headers: the environment variable NOT_SET_ANYWHERE_42 is not set"]),
    ("defaults:\n  event_type: AID\nrules:\n  - name: a\n", ["defaults.event_type: not a default"]),
    ("rule:\n  - name: a\n", ["unknown top-level key 'rule'", "rules: give a list of at least one rule"]),
    ("rules:\n  - just text\n", ["rule #1 (line 2): a rule is a mapping"]),
])
def test_each_problem_names_the_rule_and_the_field(tmp_path, text, expected):
    with pytest.raises(AlertRulesError) as err:
        load_rules(_write(tmp_path, text))
    assert err.value.path == str(tmp_path / "rules.yaml")
    for want in expected:
        assert any(p.startswith(want) for p in err.value.problems), (want, err.value.problems)
    assert len(err.value.problems) == len(expected), err.value.problems


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    text = ("rules:\n  - name: one\n    event_type: BOMB\n  - name: two\n    min_mentions: 0\n"
            "  - name: three\n    actor: IRQ\n")
    with pytest.raises(AlertRulesError) as err:
        load_rules(_write(tmp_path, text))
    assert [p.split(":")[0] for p in err.value.problems] == ["rule 'one' (line 2)", "rule 'two' (line 4)"]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "the file holds nothing"),
    ("[1, 2]", "the file holds list"),
    ("rules: [\n", "not valid YAML"),
])
def test_a_file_that_is_not_a_rules_mapping(tmp_path, text, expected):
    with pytest.raises(AlertRulesError, match=expected):
        load_rules(_write(tmp_path, text))


def test_a_missing_file(tmp_path):
    with pytest.raises(AlertRulesError, match="cannot read the file"):
        load_rules(tmp_path / "nope.yaml")


@pytest.mark.parametrize(("text", "seconds"), [("0", 0.0), ("90", 90.0), ("30m", 1800.0), ("7d", 604800.0),
                                               ("2w", 1209600.0), ("all", None), (45, 45.0)])
def test_durations(text, seconds):
    assert seconds_of(text) == seconds


def test_a_binary_file_is_refused_as_not_utf8(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_bytes(b"\xff\xfe\x00rules\x00\x9c")
    with pytest.raises(AlertRulesError, match="not UTF-8") as info:
        load_rules(path)
    assert str(path) in str(info.value)
