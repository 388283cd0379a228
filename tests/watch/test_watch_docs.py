"""Every watch setting is documented."""

from __future__ import annotations

import pytest

from realpolitik.config import WatchSettings

from ..conftest import ROOT


@pytest.mark.parametrize("name", list(WatchSettings.model_fields))
def test_every_watch_setting_is_documented(name):
    assert f"`watch.{name}`" in (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert WatchSettings.model_fields[name].description
