"""Search engines behind one protocol (:mod:`newsindex.engine.protocol`), found by name.

Each engine is a package here and the only code that imports its engine
library: ``whoosh`` (the default, pure Python) and ``tantivy`` (Rust, for
large archives; ``pip install "newsindex[tantivy]"``) and ``opensearch`` (an
index on a cluster, located by a URL; ``pip install "newsindex[opensearch]"``).
Opening an index picks the engine its manifest names, or OpenSearch for a URL.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsindex.errors import ConfigurationError, IndexCorruptError
from newsindex.manifest import engine_of

if TYPE_CHECKING:
    from newsindex.engine.protocol import Engine, EngineClass

__all__ = [
    "ENGINE_NAMES",
    "default_engine",
    "DEFAULT_ENGINE",
    "ENGINES",
    "create_index",
    "engine_class",
    "holds_index",
    "is_url",
    "open_index",
]

DEFAULT_ENGINE = "whoosh"
ENGINES = {
    "whoosh": ("newsindex.engine.whoosh", "whoosh-reloaded", None),
    "tantivy": ("newsindex.engine.tantivy", "tantivy", "tantivy"),
    "opensearch": ("newsindex.engine.opensearch", "opensearch-py", "opensearch"),
}
"""Engine name → (its package, the library it needs, the extra that installs that library)."""
ENGINE_NAMES = tuple(ENGINES)


def default_engine() -> str:
    """The engine of new indexes: ``NEWSINDEX_ENGINE`` if set, else Whoosh."""
    return os.environ.get("NEWSINDEX_ENGINE") or DEFAULT_ENGINE


def engine_class(name: str, *, built: Path | None = None) -> EngineClass:
    """The engine called ``name``; one clear error if it is unknown or not installed.

    ``built`` names the index that asked for it, for the message.
    """
    if name not in ENGINES:
        known = ", ".join(ENGINES)
        if built is not None:
            raise IndexCorruptError(
                str(built),
                f"the index at {built} was built with engine {name!r}, which this "
                f"newsindex does not know (it knows {known}); upgrade newsindex",
            )
        raise ConfigurationError(f"unknown engine {name!r}; choose from {known}")
    package, library, extra = ENGINES[name]
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        if exc.name is None or not exc.name.startswith(library.split("-")[0]):
            raise
        install = f'pip install "newsindex[{extra}]"' if extra else f"pip install {library}"
        where = f"the index at {built} was built with {name}" if built else f"the {name} engine"
        raise ConfigurationError(f"{where} needs {library}; install it: {install}") from None
    found: EngineClass = module.ENGINE
    return found


def is_url(location: str | Path) -> bool:
    """True for an index location that is a URL (``http://``, ``https://``): OpenSearch."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def open_index(path: str | Path, *, for_rebuild: bool = False) -> Engine:
    """Open the index at ``path`` with the engine its manifest names (OpenSearch for a URL)."""
    if is_url(path):
        return engine_class("opensearch").open(path, for_rebuild=for_rebuild)  # type: ignore[arg-type]
    folder = Path(path)
    name = engine_of(folder) or DEFAULT_ENGINE
    return engine_class(name, built=folder).open(folder, for_rebuild=for_rebuild)


def create_index(
    path: str | Path,
    *,
    engine: str | None = None,
    extractor: str = "default",
    layout: dict[str, int] | None = None,
) -> Engine:
    """Create an empty index at ``path`` on ``engine`` (by default :func:`default_engine`).

    A URL always means OpenSearch; ``layout`` (``shards``, ``replicas``) only applies there.
    """
    if is_url(path):
        if engine not in (None, "opensearch"):
            raise ConfigurationError(
                f"an index URL is an OpenSearch index; the {engine} engine needs a folder"
            )
        found: Any = engine_class("opensearch")
        return found.create(path, extractor=extractor, **(layout or {}))  # type: ignore[no-any-return]
    if layout:
        raise ConfigurationError("shards and replicas apply only to an OpenSearch index (a URL)")
    name = engine or default_engine()
    if name == "opensearch":
        raise ConfigurationError(
            "the opensearch engine keeps its index on a cluster: give the index as a URL, "
            "http[s]://HOST:PORT/NAME"
        )
    return engine_class(name).create(Path(path), extractor=extractor)


def holds_index(folder: Path) -> bool:
    """True for a folder holding an index (ours, or a bare Whoosh one): never read as input."""
    from newsindex.manifest import MANIFEST_NAME

    return (folder / MANIFEST_NAME).exists() or any(folder.glob("_MAIN_*.toc"))
