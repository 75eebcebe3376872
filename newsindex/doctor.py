"""Health checks for an index directory and for the environment newsindex runs in.

:func:`diagnose` returns a :class:`DoctorReport` of :class:`Check` results; it
never raises for a problem it finds, it reports it, with the fix.  The
``newsindex doctor`` command prints the report as a checklist.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from newsindex.engine.protocol import FAIL, OK, REBUILD, WARN, HealthCheck

__all__ = ["Check", "DoctorReport", "check_environment", "check_index", "diagnose"]


MIN_PYTHON = (3, 10)
TESTED_PYTHON = (3, 13)
WHOOSH_PINNED = "2.7.5"
"""The one whoosh-reloaded release the Whoosh engine runs on (``engine/whoosh/patches.py``)."""
SLOW_EXTRACTOR_SECONDS = 10.0
"""Loading the extractor slower than this is reported as a warning."""


Check = HealthCheck
"""The outcome of one check: ``status`` is ``ok``, ``warn`` or ``fail``."""


@dataclass(frozen=True)
class DoctorReport:
    """Every check that ran, index checks first; ``index`` is None if no index was checked."""

    index: str | None
    checks: tuple[Check, ...]

    @property
    def healthy(self) -> bool:
        """True when no check failed."""
        return all(check.ok for check in self.checks)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "index": self.index,
            "healthy": self.healthy,
            "checks": [check.to_dict() for check in self.checks],
        }


def diagnose(
    index: str | os.PathLike[str] | None,
    *,
    environment: bool = True,
    extractor: str | None = None,
) -> DoctorReport:
    """Check the index at ``index`` (skipped if None) and, with ``environment``, the runtime.

    ``extractor`` names the extractor to load and time; by default the one the
    index was built with, else ``"default"``.
    """
    checks: list[Check] = []
    manifest: dict[str, Any] = {}
    if environment:
        checks.extend(_python_and_whoosh())
    if index is not None:
        index_checks, manifest = _index_checks(index)
        checks.extend(index_checks)
    if environment:
        checks.append(_extractor_check(extractor or str(manifest.get("extractor") or "default")))
    return DoctorReport(index=None if index is None else str(index), checks=tuple(checks))


def check_environment(extractor: str = "default") -> list[Check]:
    """Python version, Whoosh version, and how long the extractor takes to load."""
    return [*_python_and_whoosh(), _extractor_check(extractor)]


def check_index(path: str | os.PathLike[str]) -> list[Check]:
    """Manifest, schema version, table of contents, article count, file table, locks, leftovers.

    For an OpenSearch URL: the cluster, the index, its articles, file table and lock.
    """
    return _index_checks(path)[0]


# -- environment ----------------------------------------------------------------------


def _python_and_whoosh() -> list[Check]:
    running = sys.version_info[:2]
    shown = ".".join(str(n) for n in sys.version_info[:3])
    if running < MIN_PYTHON:
        python = Check("python", FAIL, f"Python {shown}", "newsindex needs Python 3.10 or newer")
    elif running > TESTED_PYTHON:
        python = Check("python", WARN, f"Python {shown} (newsindex is tested on 3.10-3.13)")
    else:
        python = Check("python", OK, f"Python {shown}")
    try:
        installed = version("whoosh-reloaded")
    except PackageNotFoundError:
        return [
            python,
            Check("whoosh", FAIL, "whoosh-reloaded is not installed", "pip install newsindex"),
        ]
    if installed != WHOOSH_PINNED:
        whoosh = Check(
            "whoosh",
            FAIL,
            f"whoosh-reloaded {installed} (newsindex is written against {WHOOSH_PINNED})",
            f"pip install 'whoosh-reloaded=={WHOOSH_PINNED}'",
        )
    else:
        whoosh = Check("whoosh", OK, f"whoosh-reloaded {installed}")
    return [python, whoosh]


def _extractor_check(name: str) -> Check:
    from newsindex.errors import NewsIndexError
    from newsindex.extract import get_extractor

    started = time.perf_counter()
    try:
        get_extractor(name)
    except NewsIndexError as exc:
        return Check("extractor", FAIL, str(exc), "install the package that provides it")
    except Exception as exc:  # a broken gazetteer or data file: report it, do not crash
        return Check(
            "extractor",
            FAIL,
            f"extractor {name!r} failed to load: {type(exc).__name__}: {exc}",
            "reinstall newsindex",
        )
    seconds = time.perf_counter() - started
    detail = f"extractor {name!r} loads in {seconds:.2f}s"
    if seconds > SLOW_EXTRACTOR_SECONDS:
        return Check("extractor", WARN, detail, "a slow disk or a busy machine slows every build")
    return Check("extractor", OK, detail)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


# -- index ------------------------------------------------------------------------------


def _index_checks(location: str | os.PathLike[str]) -> tuple[list[Check], dict[str, Any]]:
    from newsindex.engine import is_url

    if is_url(str(location)):
        return _cluster_checks(str(location))
    path = Path(location)
    if not path.is_dir():
        fix = "run `newsindex build` (or pass --index / set NEWSINDEX_INDEX)"
        return [Check("index", FAIL, f"no index at {path}", fix)], {}
    checks: list[Check] = []
    manifest, manifest_check = _manifest(path)
    checks.append(manifest_check)
    if manifest is None:
        from newsindex.engine.whoosh.health import leftovers

        checks.extend(leftovers(path))
        return checks, {}
    engine = _engine_check(manifest)
    checks.append(engine)
    if engine.ok:
        from newsindex.engine import engine_class

        engine_checks = engine_class(str(manifest.get("engine") or "whoosh")).health(path, manifest)
        checks.extend(engine_checks)
        if all(check.ok for check in engine_checks):
            checks.append(_articles(path, manifest))
        else:
            checks.append(Check("articles", WARN, "not counted: the index must be rebuilt first"))
    checks.append(_files_db(path))
    return checks, manifest


def _cluster_checks(url: str) -> tuple[list[Check], dict[str, Any]]:
    """An index on a cluster: its engine (opensearch-py installed), then the engine's checks."""
    engine = _engine_check({"engine": "opensearch"})
    if not engine.ok:
        return [engine], {}
    from newsindex.engine import engine_class

    checks = engine_class("opensearch").health(url, {})  # type: ignore[arg-type]
    return [engine, *checks], {}


def _engine_check(manifest: dict[str, Any]) -> Check:
    from newsindex.engine import engine_class
    from newsindex.errors import NewsIndexError

    name = str(manifest.get("engine") or "whoosh")
    try:
        found = engine_class(name)
    except NewsIndexError as exc:
        return Check("engine", FAIL, str(exc), f"install newsindex[{name}]")
    return Check("engine", OK, f"{name} {found.version}")


def _articles(path: Path, manifest: dict[str, Any]) -> Check:
    from newsindex.errors import NewsIndexError
    from newsindex.index import NewsIndex

    try:
        with NewsIndex.open(path) as index:
            count = len(index)
    except NewsIndexError as exc:
        return Check("articles", FAIL, str(exc), REBUILD)
    recorded = manifest.get("articles")
    if recorded is not None and recorded != count:
        return Check(
            "articles",
            WARN,
            f"{count:,} articles, but the manifest records {recorded:,}",
            "the next `newsindex build` records the right count",
        )
    if count == 0:
        return Check("articles", WARN, "the index is empty", "run `newsindex build PATHS`")
    return Check("articles", OK, _plural(count, "article"))


def _manifest(path: Path) -> tuple[dict[str, Any] | None, Check]:
    from newsindex.manifest import FORMAT_NAME, MANIFEST_NAME

    where = path / MANIFEST_NAME
    if not where.exists():
        return None, Check("manifest", FAIL, f"{where} is missing", REBUILD)
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, Check("manifest", FAIL, f"{where} is unreadable: {exc}", REBUILD)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        return None, Check("manifest", FAIL, f"{where} is not a newsindex manifest", REBUILD)
    if data.get("state") == "creating":
        return None, Check("manifest", FAIL, f"the creation of {path} was interrupted", REBUILD)
    built = data.get("built") or data.get("created") or "unknown"
    return data, Check("manifest", OK, f"{MANIFEST_NAME}, built {built}")


def _files_db(path: Path) -> Check:
    from newsindex.filetable import FILES_DB_NAME

    location = path / FILES_DB_NAME
    if not location.exists():
        return Check(
            "files.db",
            WARN,
            "absent: no files recorded, so the next build reads every input again",
        )
    try:
        db = sqlite3.connect(f"{location.absolute().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            verdict = db.execute("PRAGMA quick_check").fetchone()[0]
            files = db.execute("SELECT count(*) FROM files").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error as exc:
        return Check("files.db", FAIL, f"{location} is unreadable: {exc}", REBUILD)
    if verdict != "ok":
        return Check("files.db", FAIL, f"{location} is damaged: {verdict}", REBUILD)
    return Check("files.db", OK, f"{_plural(files, 'input file')} recorded")
