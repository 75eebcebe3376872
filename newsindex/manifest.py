"""The manifest, ``newsindex.json``: what makes a folder a newsindex index, and which
engine built it; plus the small file operations every engine's store shares."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

__all__ = [
    "CREATING",
    "FORMAT_NAME",
    "MANIFEST_NAME",
    "atomic_write_json",
    "engine_of",
    "pid_alive",
    "remove_path",
    "remove_stale_siblings",
    "sync_directory",
]

MANIFEST_NAME = "newsindex.json"
FORMAT_NAME = "newsindex"
MANIFEST_TEMP = f".{MANIFEST_NAME}.tmp"
STAGING = re.compile(r"\.(?P<name>.+)\.(?:building|creating)-(?P<pid>\d+)")
CREATING = "creating"
DEFAULT_ENGINE = "whoosh"
"""The engine of an index whose manifest names none (every index before engines had names)."""


def engine_of(path: Path) -> str | None:
    """The engine named by the manifest at ``path``, or None when there is no readable manifest.

    Only the name is read here; the engine itself checks the rest of the manifest.
    """
    try:
        manifest = json.loads((path / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        return None
    return str(manifest.get("engine") or DEFAULT_ENGINE)


def sync_directory(path: Path) -> None:
    """Make renames and new files in ``path`` durable (where the system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    sync_directory(path.parent)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def remove_path(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def replace_directory(new: Path, old: Path) -> None:
    """Move the freshly built index ``new`` into place of ``old`` (two renames).

    ``old`` must be an index with a manifest or an empty folder: a rebuild
    never deletes anything else.  Raises :class:`OSError` if a rename fails,
    after putting ``old`` back.
    """
    from newsindex.errors import IndexWriteError

    if old.exists() and (
        not old.is_dir() or (any(old.iterdir()) and not (old / MANIFEST_NAME).exists())
    ):
        raise IndexWriteError(
            str(old), f"{old} is not an index; refusing to replace it with the rebuilt one"
        )
    trash = old.with_name(f".{old.name}.old")
    try:
        if trash.exists():
            shutil.rmtree(trash)
        if old.exists():
            os.replace(old, trash)
        os.replace(new, old)
    except OSError:
        if trash.exists() and not old.exists():
            os.replace(trash, old)
        raise
    shutil.rmtree(trash, ignore_errors=True)


def remove_stale_siblings(path: Path, *, old_copy_too: bool) -> list[str]:
    """Remove the staging folders dead rebuilds left beside the index at ``path``.

    With ``old_copy_too`` (the index opened fine) the ``.NAME.old`` copy an
    interrupted swap left is removed as well.  Returns what was removed.
    """
    removed: list[str] = []
    parent = path.parent
    with contextlib.suppress(OSError):
        for entry in os.listdir(parent):
            match = STAGING.fullmatch(entry)
            stale = (
                match is not None
                and match.group("name") == path.name
                and not pid_alive(int(match.group("pid")))
            ) or (old_copy_too and entry == f".{path.name}.old")
            if stale:
                with contextlib.suppress(OSError):
                    remove_path(parent / entry)
                    removed.append(str(parent / entry))
    return removed
