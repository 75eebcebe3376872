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

__all__ = ["Check", "DoctorReport", "check_environment", "check_index", "diagnose"]

OK = "ok"
WARN = "warn"
FAIL = "fail"

MIN_PYTHON = (3, 10)
TESTED_PYTHON = (3, 13)
MIN_WHOOSH = (2, 7, 5)
SLOW_EXTRACTOR_SECONDS = 10.0
"""Loading the extractor slower than this is reported as a warning."""


@dataclass(frozen=True)
class Check:
    """The outcome of one check: ``status`` is ``ok``, ``warn`` or ``fail``."""

    name: str
    status: str
    detail: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        """True unless the check failed (a warning is still healthy)."""
        return self.status != FAIL

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name, "status": self.status, "detail": self.detail, "fix": self.fix}


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
        index_checks, manifest = _index_checks(Path(index))
        checks.extend(index_checks)
    if environment:
        checks.append(_extractor_check(extractor or str(manifest.get("extractor") or "default")))
    return DoctorReport(index=None if index is None else str(index), checks=tuple(checks))


def check_environment(extractor: str = "default") -> list[Check]:
    """Python version, Whoosh version, and how long the extractor takes to load."""
    return [*_python_and_whoosh(), _extractor_check(extractor)]


def check_index(path: str | os.PathLike[str]) -> list[Check]:
    """Manifest, schema version, table of contents, article count, file table, locks, leftovers."""
    return _index_checks(Path(path))[0]


# -- environment ----------------------------------------------------------------------


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


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
    if _version_tuple(installed) < MIN_WHOOSH:
        whoosh = Check(
            "whoosh",
            FAIL,
            f"whoosh-reloaded {installed}",
            "pip install 'whoosh-reloaded>=2.7.5'",
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

REBUILD = "newsindex build --rebuild"


def _index_checks(path: Path) -> tuple[list[Check], dict[str, Any]]:
    if not path.is_dir():
        fix = "run `newsindex build` (or pass --index / set NEWSINDEX_INDEX)"
        return [Check("index", FAIL, f"no index at {path}", fix)], {}
    checks: list[Check] = []
    manifest, manifest_check = _manifest(path)
    checks.append(manifest_check)
    if manifest is None:
        checks.extend(_leftovers(path))
        return checks, {}
    schema = _schema_version(manifest)
    checks.append(schema)
    if schema.ok:
        checks.extend(_contents(path, manifest))
    else:
        checks.append(Check("articles", WARN, "not counted: the index must be rebuilt first"))
    checks.append(_files_db(path))
    lock = _write_lock(path)
    checks.append(lock)
    if lock.status == WARN:
        checks.append(Check("leftover files", OK, "not checked while another process writes"))
    else:
        checks.extend(_leftovers(path))
    return checks, manifest


def _manifest(path: Path) -> tuple[dict[str, Any] | None, Check]:
    from newsindex.engine.manifest import FORMAT_NAME, MANIFEST_NAME

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


def _schema_version(manifest: dict[str, Any]) -> Check:
    from newsindex.engine.schema import SCHEMA_VERSION

    found = manifest.get("schema_version")
    if found != SCHEMA_VERSION:
        return Check(
            "schema version",
            FAIL,
            f"index format {found}, this newsindex reads format {SCHEMA_VERSION}",
            REBUILD,
        )
    return Check("schema version", OK, f"format {found}")


def _contents(path: Path, manifest: dict[str, Any]) -> list[Check]:
    from newsindex.engine.manifest import verify_toc
    from newsindex.errors import NewsIndexError
    from newsindex.index import NewsIndex

    try:
        verify_toc(path, manifest)
    except NewsIndexError as exc:
        return [Check("table of contents", FAIL, str(exc), REBUILD)]
    toc = Check("table of contents", OK, f"generation {manifest.get('generation')} matches")
    try:
        with NewsIndex.open(path) as index:
            count = len(index)
    except NewsIndexError as exc:
        return [toc, Check("articles", FAIL, str(exc), REBUILD)]
    recorded = manifest.get("articles")
    if recorded is not None and recorded != count:
        return [
            toc,
            Check(
                "articles",
                WARN,
                f"{count:,} articles, but the manifest records {recorded:,}",
                "the next `newsindex build` records the right count",
            ),
        ]
    if count == 0:
        return [toc, Check("articles", WARN, "the index is empty", "run `newsindex build PATHS`")]
    return [toc, Check("articles", OK, _plural(count, "article"))]


def _files_db(path: Path) -> Check:
    from newsindex.engine.filetable import FILES_DB_NAME

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


def _lock_held(lock: Path) -> bool | None:
    """Whether another open file holds ``lock`` (None where that cannot be told)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _write_lock(path: Path) -> Check:
    from newsindex.engine.manifest import LOCK_NAME

    lock = path / LOCK_NAME
    if not lock.exists():
        return Check("write lock", OK, "free")
    held = _lock_held(lock)
    if held:
        return Check(
            "write lock",
            WARN,
            "held: another process is writing the index now",
            "wait for it, or pass --wait SECONDS to build",
        )
    if held is None:
        return Check("write lock", OK, f"{LOCK_NAME} present (cannot tell if held here)")
    return Check("write lock", OK, "free (the lock file stays; the lock itself is released)")


def _leftovers(path: Path) -> list[Check]:
    from newsindex.engine.manifest import (
        MANIFEST_TEMP,
        STAGING,
        TOC_PATTERN,
        TOC_TEMP,
        WRITER_TEMP,
        latest_toc,
        pid_alive,
    )

    latest = latest_toc(path)
    inside = []
    for entry in sorted(os.listdir(path)):
        old_toc = TOC_PATTERN.fullmatch(entry) and latest is not None and entry != latest.name
        if old_toc or TOC_TEMP.fullmatch(entry) or entry in (WRITER_TEMP, MANIFEST_TEMP):
            inside.append(entry)
    beside = []
    for entry in sorted(os.listdir(path.parent)):
        match = STAGING.fullmatch(entry)
        if match and match.group("name") == path.name:
            if not pid_alive(int(match.group("pid"))):
                beside.append(entry)
        elif entry == f".{path.name}.old":
            beside.append(entry)
    found = [*inside, *(str(path.parent / e) for e in beside)]
    if not found:
        return [Check("leftover files", OK, "none")]
    return [
        Check(
            "leftover files",
            WARN,
            f"{len(found)} left by an interrupted write: {', '.join(found[:5])}"
            + (" ..." if len(found) > 5 else ""),
            "the next `newsindex build` removes them",
        )
    ]
