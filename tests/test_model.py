import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from realpolitik.model import EVENT_TYPES, Actor, Event, Trigger, event_json_schema

ROOT = Path(__file__).resolve().parents[1]


def _event(**kw):
    base = dict(event_id="x", doc_id="d", sentence_index=0, sentence="s", event_type="AID",
                quad_class=2, intensity=10.0, date_precision="document", modality="asserted",
                confidence=0.5, trigger=Trigger(text="gave", start=0, end=4), rule="r")
    base.update(kw)
    return Event(**base)


def test_records_are_frozen_and_closed():
    a = Actor(text="Iraq", start=0, end=4)
    with pytest.raises(ValidationError):
        a.text = "Iran"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Actor(text="Iraq", start=0, end=4, colour="red")  # type: ignore[call-arg]


def test_event_type_must_be_plover():
    with pytest.raises(ValidationError):
        _event(event_type="FIGHT")
    assert len(EVENT_TYPES) == 16


def test_every_field_is_documented():
    for model in (Event, Actor, Trigger):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"


def test_schema_is_valid_and_matches_docs():
    schema = event_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    on_disk = json.loads((ROOT / "docs" / "event.schema.json").read_text(encoding="utf-8"))
    assert on_disk == schema, "docs/event.schema.json is stale: run `make schema`"


def test_an_event_validates_against_the_schema():
    e = _event(source=Actor(text="Iraq", start=0, end=4, country="IRQ", code="IRQ"))
    jsonschema.validate(e.to_json_dict(), event_json_schema())
