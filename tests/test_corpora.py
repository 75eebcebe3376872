"""Quality gates find the shared corpora by one rule, and cannot pass by skipping in CI."""

from __future__ import annotations

import re

import pytest

from benchmarks.corpora import SHARED_CORPORA

from .conftest import REPO
from .corpora import corpus


def test_corpora_missing_corpus_skips_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="NEWSINDEX_CORPORA"):
        corpus("no-such-corpus")


def test_corpora_missing_corpus_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        corpus("no-such-corpus")


def test_corpora_present_corpus_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert corpus("time-ir") == SHARED_CORPORA / "time-ir"


def test_corpora_one_rule_locates_them() -> None:
    rule = re.compile(r"""["']shared["']\s*/\s*["']corpora["']|NEWSINDEX_CORPORA["'],""")
    holders = [
        str(path.relative_to(REPO))
        for folder in ("tests", "benchmarks")
        for path in (REPO / folder).rglob("*.py")
        if rule.search(path.read_text(encoding="utf-8"))
    ]
    assert holders == ["benchmarks/corpora/__init__.py"]
