"""Health checks of a Whoosh index folder, for ``newsindex doctor``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newsindex.engine.protocol import FAIL, OK, REBUILD, WARN
from newsindex.engine.protocol import HealthCheck as Check

__all__ = ["checks"]


def checks(path: Path, manifest: dict[str, Any]) -> list[Check]:
    """Schema version, table of contents, write lock and leftover files of the index at ``path``."""
    found: list[Check] = []
    schema = _schema_version(manifest)
    found.append(schema)
    if schema.ok:
        found.append(_toc(path, manifest))
    lock = _write_lock(path)
    found.append(lock)
    if lock.status == WARN:
        found.append(Check("leftover files", OK, "not checked while another process writes"))
    else:
        found.extend(leftovers(path))
    return found


def _schema_version(manifest: dict[str, Any]) -> Check:
    from newsindex.engine.whoosh.schema import SCHEMA_VERSION

    found = manifest.get("schema_version")
    if found != SCHEMA_VERSION:
        return Check(
            "schema version",
            FAIL,
            f"index format {found}, this newsindex reads format {SCHEMA_VERSION}",
            REBUILD,
        )
    return Check("schema version", OK, f"format {found}")


def _toc(path: Path, manifest: dict[str, Any]) -> Check:
    from newsindex.engine.whoosh.manifest import verify_toc
    from newsindex.errors import NewsIndexError

    try:
        verify_toc(path, manifest)
    except NewsIndexError as exc:
        return Check("table of contents", FAIL, str(exc), REBUILD)
    return Check("table of contents", OK, f"generation {manifest.get('generation')} matches")


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
    from newsindex.engine.whoosh.manifest import LOCK_NAME

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


def leftovers(path: Path) -> list[Check]:
    from newsindex.engine.whoosh.manifest import (
        TOC_PATTERN,
        TOC_TEMP,
        WRITER_TEMP,
        latest_toc,
    )
    from newsindex.manifest import (
        MANIFEST_TEMP,
        STAGING,
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
