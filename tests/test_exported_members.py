"""The public API is what __all__ says, and every name in it exists."""

import realpolitik


def test_all_names_exist():
    for name in realpolitik.__all__:
        assert hasattr(realpolitik, name), name


def test_public_api():
    assert set(realpolitik.__all__) == {
        "Actor", "Coded", "Coder", "ConfigError", "DataFileError", "Document", "Event", "InputError",
        "ModelError", "Place", "RealpolitikError", "Settings", "Trigger", "code", "event_json_schema",
        "Store", "EventFilter", "StoreError", "StoreBusyError", "NotFoundError",
        "__version__",
    }
