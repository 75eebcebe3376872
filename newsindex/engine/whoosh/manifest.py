"""The manifest: what makes a directory a newsindex index, and the checks made before opening one.

``newsindex.json`` records the format, schema version, the last commit's
generation and article count, and a SHA-256 of the Whoosh table of contents.
Whoosh keeps its schema and segment list with pickle, so opening an arbitrary
directory could run code from it: nothing is opened unless its manifest is
ours and matches its table of contents.  The check keeps foreign or altered
directories out by accident; it is no defence against someone who writes a
matching manifest on purpose (see docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage

from newsindex.engine.whoosh.schema import SCHEMA_VERSION
from newsindex.errors import IndexCorruptError, IndexNotFoundError, IndexVersionError
from newsindex.manifest import (
    CREATING,
    FORMAT_NAME,
    MANIFEST_NAME,
)

INDEX_NAME = "MAIN"
LOCK_NAME = f"{INDEX_NAME}_WRITELOCK"
TOC_PATTERN = re.compile(rf"_{INDEX_NAME}_(\d+)\.toc")
TOC_TEMP = re.compile(rf"_{INDEX_NAME}_\d+\.toc\..+")
SEGMENT_FILE = re.compile(rf"{INDEX_NAME}_([0-9a-z]+)\..+")
WRITER_TEMP = f"{INDEX_NAME}.tmp"
OPEN_RETRIES = 40
"""How often :meth:`IndexStore.open` re-reads a manifest a concurrent commit is changing."""


def generation_of(toc: Path) -> int:
    match = TOC_PATTERN.fullmatch(toc.name)
    return int(match.group(1)) if match else -1


def latest_toc(path: Path) -> Path | None:
    generations = []
    with contextlib.suppress(OSError):
        for entry in os.listdir(path):
            match = TOC_PATTERN.fullmatch(entry)
            if match:
                generations.append(int(match.group(1)))
    if not generations:
        return None
    return path / f"_{INDEX_NAME}_{max(generations)}.toc"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def holds_index(path: Path) -> bool:
    return (path / MANIFEST_NAME).exists() or latest_toc(path) is not None


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the index at ``path``; raise a clear error if it is not one of ours."""
    manifest_path = path / MANIFEST_NAME
    if not path.is_dir():
        raise IndexNotFoundError(str(path), f"no index at {path}", remedy="build")
    if not manifest_path.exists():
        if latest_toc(path) is not None:
            raise IndexCorruptError(
                str(path),
                f"{path} holds a search index that newsindex did not write (no {MANIFEST_NAME}); "
                "refusing to open it, because opening a Whoosh index can run code stored in it",
                remedy="rebuild",
            )
        raise IndexNotFoundError(str(path), f"no index at {path}", remedy="build")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            str(path),
            f"the manifest of the index at {path} is unreadable ({exc})",
            remedy="rebuild",
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise IndexCorruptError(
            str(path), f"{path}/{MANIFEST_NAME} is not a newsindex manifest; refusing to open it"
        )
    if manifest.get("state") == CREATING:
        raise IndexNotFoundError(
            str(path),
            f"no index at {path} (its creation was interrupted)",
            remedy="build",
        )
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexVersionError(
            str(path),
            f"the index at {path} was built with index format {version}, this newsindex reads "
            f"format {SCHEMA_VERSION}",
            remedy="rebuild",
        )
    return manifest


def verify_toc(path: Path, manifest: dict[str, Any]) -> None:
    """Check that the table of contents Whoosh will unpickle is the one we wrote."""
    toc = latest_toc(path)
    if toc is None:
        raise IndexCorruptError(
            str(path),
            f"the index at {path} has no table of contents",
            remedy="rebuild",
        )
    generation = generation_of(toc)
    with contextlib.suppress(OSError):
        if generation == manifest.get("generation") and sha256_of(toc) == manifest.get(
            "toc_sha256"
        ):
            return
    # A writer that died between committing and recording its commit leaves the
    # generation it announced beforehand; that one is ours too.
    if generation == manifest.get("pending_generation"):
        return
    raise IndexCorruptError(
        str(path),
        f"the index files at {path} do not match its manifest (changed outside newsindex?); "
        "refusing to open them, because opening a Whoosh index can run code stored in it",
        remedy="rebuild",
    )


def checked_manifest(path: Path) -> dict[str, Any]:
    """The manifest, after checking it against the table of contents.

    A reader can see the manifest of one commit and the table of contents of
    the next while a writer commits; re-reading settles it.
    """
    for attempt in range(OPEN_RETRIES):
        restore_interrupted_swap(path)
        manifest = read_manifest(path)
        try:
            verify_toc(path, manifest)
            return manifest
        except IndexCorruptError:
            toc = latest_toc(path)
            newer = toc is not None and generation_of(toc) > int(manifest.get("generation", -1))
            if not newer or attempt == OPEN_RETRIES - 1:
                raise
            time.sleep(0.025)
    raise AssertionError("unreachable")


def restore_interrupted_swap(path: Path) -> None:
    """Put the old index back if a rebuild died between its two renames."""
    trash = path.with_name(f".{path.name}.old")
    if path.exists() or not (trash / MANIFEST_NAME).exists():
        return
    time.sleep(0.2)  # a live rebuild finishes its second rename in microseconds
    if path.exists():
        return
    lock = FileStorage(str(trash)).lock(LOCK_NAME)
    try:
        if not lock.acquire(blocking=False):
            return  # the rebuilding process is alive and still holds it
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.rename(trash, path)
    finally:
        with contextlib.suppress(Exception):
            lock.release()
