"""The Whoosh engine runs on the one whoosh-reloaded release its patches were written for."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from whoosh.matching import binary

from newsindex.doctor import WHOOSH_PINNED, diagnose
from newsindex.engine.whoosh import patches

from .conftest import REPO


def test_engine_pin_is_exact_in_pyproject_and_matches_the_patches() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    pins = re.findall(r'"(whoosh-reloaded[^"]*)"', pyproject)  # tomllib is 3.11+
    assert pins == [f"whoosh-reloaded=={patches.WHOOSH_VERSION}"]
    assert WHOOSH_PINNED == patches.WHOOSH_VERSION


def test_engine_pin_a_missing_patch_target_fails_at_apply(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(binary.AndNotMatcher, "_find_first")
    with pytest.raises(ImportError) as caught:
        patches.apply()
    message = str(caught.value)
    assert "AndNotMatcher._find_first" in message
    assert f"whoosh-reloaded=={patches.WHOOSH_VERSION}" in message
    assert "\n" not in message


def test_engine_pin_doctor_lists_the_whoosh_version() -> None:
    checks = {c.name: c for c in diagnose(None).checks}
    assert checks["whoosh"].status == "ok"
    assert checks["whoosh"].detail == f"whoosh-reloaded {WHOOSH_PINNED}"


def test_engine_pin_doctor_fails_on_another_whoosh_release() -> None:
    with mock.patch("newsindex.doctor.version", return_value="2.7.6"):
        checks = {c.name: c for c in diagnose(None, environment=True).checks}
    assert checks["whoosh"].status == "fail"
    assert checks["whoosh"].fix == f"pip install 'whoosh-reloaded=={WHOOSH_PINNED}'"
