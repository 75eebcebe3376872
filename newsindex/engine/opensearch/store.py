"""OpenSearch indexes newsindex owns: create, open, swap, lock, bulk-load and the file table.

The name in the URL is an alias.  It points at one physical index
``NAME-<stamp>`` (the articles, with the manifest in its mappings' ``_meta``)
and beside it ``NAME-<stamp>-files`` holds the file table, the display form of
names and the write lock.  A rebuild fills a new physical index and moves the
alias in one atomic request, so searches see the old index or the new one,
never a mix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import socket
import time
from collections.abc import Iterator
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy import exceptions as os_errors

from newsindex.engine.opensearch.connection import (
    RETRY_STATUSES,
    Location,
    cluster_error,
    redact,
    with_retries,
)
from newsindex.engine.opensearch.mapping import SCHEMA_VERSION, index_body, newsindex_meta
from newsindex.errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    IndexWriteError,
    StoreError,
)
from newsindex.filetable import FileState, exact_value

__all__ = ["BULK_BYTES", "LOCK_SECONDS", "OpenSearchStore", "bulk_line", "chunks"]

BULK_BYTES = 5_000_000
"""A bulk request is sent once it holds this many bytes."""
LOCK_SECONDS = 600
"""A write lock not renewed for this long is stale (its writer died) and may be taken."""
READ_DELAYS = (0.5, 1.0)
"""Retries of a read: a search during an outage answers or fails within seconds."""
FILES_MAPPING = {
    "dynamic": False,
    "properties": {"kind": {"type": "keyword"}, "key": {"type": "keyword"}},
}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _doc_id(prefix: str, text: str) -> str:
    """A document id for ``text`` (hashed when long: ids are at most 512 bytes)."""
    if len(text.encode("utf-8")) < 400:
        return f"{prefix}:{text}"
    return f"{prefix}#{hashlib.sha1(text.encode('utf-8')).hexdigest()}"


class OpenSearchStore:
    """One physical newsindex index (and its ``-files`` index) on a cluster."""

    def __init__(
        self, where: Location, client: OpenSearch, physical: str, manifest: dict[str, Any]
    ) -> None:
        self.where = where
        self.client = client
        self.physical = physical
        self.files = f"{physical}-files"
        self.manifest = manifest
        self._lock: tuple[int, int, float] | None = None
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    # -- creating and opening --------------------------------------------------------------

    @classmethod
    def create(
        cls, where: Location, *, extractor: str, shards: int = 1, replicas: int = 1
    ) -> OpenSearchStore:
        """Create an empty index named ``where.name`` (an alias to a new physical index)."""
        client = where.client()
        if with_retries(where, lambda: client.indices.exists(index=where.name)):
            cls.open(where, for_rebuild=True)  # a conflict if the index is not ours
            raise IndexWriteError(
                where.shown, f"an index already exists at {where.shown}; open it, or rebuild it"
            )
        return cls.physical_index(where, client, extractor, shards, replicas, alias=where.name)

    @classmethod
    def physical_index(
        cls,
        where: Location,
        client: OpenSearch,
        extractor: str,
        shards: int,
        replicas: int,
        *,
        alias: str | None = None,
    ) -> OpenSearchStore:
        """A new physical index and its file table, named by ``alias`` if given.

        The file table comes first and the alias is part of the articles' create request,
        so a new index costs two cluster-state updates and is never seen without its table.
        """
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
        physical = f"{where.name}-{stamp}{secrets.token_hex(3)}"
        manifest: dict[str, Any] = {
            "format": "newsindex",
            "engine": "opensearch",
            "schema_version": SCHEMA_VERSION,
            "extractor": extractor,
            "created": _now(),
            "articles": 0,
            "shards": shards,
            "replicas": replicas,
        }
        store = cls(where, client, physical, manifest)
        body = index_body(manifest, shards=shards, replicas=replicas)
        if alias is not None:
            body["aliases"] = {alias: {}}
        files = {
            "settings": {"index": {"number_of_shards": 1, "number_of_replicas": replicas}},
            "mappings": FILES_MAPPING,
        }
        try:
            with_retries(
                where, lambda: client.indices.create(index=store.files, body=files), writing=True
            )
            with_retries(
                where, lambda: client.indices.create(index=physical, body=body), writing=True
            )
        except BaseException:
            store.drop()
            raise
        return store

    @classmethod
    def open(cls, where: Location, *, for_rebuild: bool = False) -> OpenSearchStore:
        """Open the index the alias ``where.name`` points at, after checking it is ours."""
        client = where.client()
        try:
            found = with_retries(
                where, lambda: client.indices.get_mapping(index=where.name), delays=READ_DELAYS
            )
        except IndexNotFoundError:
            raise IndexNotFoundError(
                where.shown, f"no index at {where.shown}", remedy="build"
            ) from None
        if where.name in found or len(found) != 1:
            raise _not_ours(where)
        physical, info = next(iter(found.items()))
        manifest = newsindex_meta(info.get("mappings", {}))
        if manifest is None:
            raise _not_ours(where)
        version = manifest.get("schema_version")
        if version != SCHEMA_VERSION and not for_rebuild:
            raise IndexVersionError(
                where.shown,
                f"the index at {where.shown} was built with opensearch mapping version "
                f"{version}, this newsindex reads version {SCHEMA_VERSION}",
                remedy="rebuild",
            )
        store = cls(where, client, physical, dict(manifest))
        store.read_manifest()
        return store

    def staging(self, extractor: str) -> OpenSearchStore:
        """A new physical index beside this one, with the same layout, for a rebuild."""
        shards = int(self.manifest.get("shards") or 1)
        replicas = int(self.manifest.get("replicas") or 0)
        return self.physical_index(self.where, self.client, extractor, shards, replicas)

    def swap(self, staged: OpenSearchStore) -> None:
        """Point the alias at ``staged`` in one request, then delete this physical index."""
        name = self.where.name
        body = {
            "actions": [
                {"remove": {"index": self.physical, "alias": name}},
                {"add": {"index": staged.physical, "alias": name}},
            ]
        }
        with_retries(
            self.where, lambda: self.client.indices.update_aliases(body=body), writing=True
        )
        self.drop()

    def drop(self) -> None:
        """Delete this physical index and its file table (never the alias's other indexes)."""
        for index in (self.physical, self.files):
            try:
                self.client.indices.delete(index=index, ignore_unavailable=True)
            except os_errors.OpenSearchException:
                pass

    # -- the manifest -------------------------------------------------------------------------

    def record_commit(self, articles: int, **extra: Any) -> None:
        """Record a finished commit in the manifest document of the file table.

        The mappings' ``_meta`` keeps what never changes (it marks the index as
        ours); counts and build times go in a document, not a cluster-state update.
        """
        self.manifest.update(extra)
        self.manifest["articles"] = articles
        self.manifest["generation"] = int(self.manifest.get("generation", 0)) + 1
        body = {"kind": "manifest", "key": "manifest", "manifest": self.manifest}
        self._write(lambda: self.client.index(index=self.files, id="manifest", body=body))

    def read_manifest(self) -> None:
        """Add what the last commit recorded to the manifest from ``_meta``."""
        try:
            found = self._read(lambda: self.client.get(index=self.files, id="manifest"))
        except IndexNotFoundError:
            return
        self.manifest.update(found["_source"].get("manifest", {}))

    def refresh(self) -> None:
        """Make everything sent so far visible to searches."""
        self._write(lambda: self.client.indices.refresh(index=self.physical))

    def _write(self, call: Any) -> Any:
        return with_retries(self.where, call, writing=True)

    def _read(self, call: Any) -> Any:
        return with_retries(self.where, call, delays=READ_DELAYS)

    # -- bulk loading -----------------------------------------------------------------------------

    def bulk(self, lines: list[bytes], *, index: str | None = None) -> None:
        """Send ``lines`` (each an action and its source, as NDJSON), retrying what the
        cluster refuses for a while (429, 503: a node going away)."""
        pending = lines
        for delay in (*READ_DELAYS, 2, 4, 8, 15, 30, 30, None):
            payload = b"".join(pending)
            answer = self._write(
                lambda p=payload: self.client.bulk(body=p, index=index or self.physical)
            )
            if not answer.get("errors"):
                return
            retry: list[bytes] = []
            for number, item in enumerate(answer["items"]):
                result = next(iter(item.values()))
                status = int(result.get("status", 200))
                if status < 300 or (status == 404 and "delete" in item):
                    continue
                if status == 409 and "create" in item:
                    continue
                if status not in RETRY_STATUSES or delay is None:
                    raise IndexWriteError(self.where.shown, self._item_error(result))
                retry.append(pending[number])
            if not retry:
                return
            pending = retry
            time.sleep(float(delay or 0))

    def _item_error(self, result: dict[str, Any]) -> str:
        error = result.get("error") or {}
        reason = error.get("reason") if isinstance(error, dict) else error
        text = f"OpenSearch refused article {result.get('_id')!r} in {self.where.shown}: {reason}"
        return redact(text, self.where)

    # -- the write lock -------------------------------------------------------------------------

    def acquire(self, wait: float = 0.0) -> None:
        """Take the write lock (a document created only if absent), waiting up to ``wait``."""
        deadline = time.monotonic() + wait
        while True:
            if self._try_lock():
                return
            if time.monotonic() >= deadline:
                raise IndexLockedError(
                    self.where.shown,
                    f"the index at {self.where.shown} is being written by another process",
                    remedy="wait",
                )
            time.sleep(0.2)

    def _try_lock(self) -> bool:
        body = {"kind": "lock", "owner": self.owner, "expires": time.time() + LOCK_SECONDS}
        try:
            # Gets by id are real-time: the lock needs no refresh to be seen by other writers.
            answer = self.client.create(index=self.files, id="lock", body=body)
        except os_errors.ConflictError:
            self._break_stale_lock()
            return False
        except os_errors.OpenSearchException as exc:
            raise cluster_error(self.where, exc, writing=True) from None
        self._lock = (int(answer["_seq_no"]), int(answer["_primary_term"]), time.monotonic())
        return True

    def _lock_document(self) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = self.client.get(index=self.files, id="lock")
        except os_errors.NotFoundError:
            return None
        except os_errors.OpenSearchException as exc:
            raise cluster_error(self.where, exc) from None
        return found

    def _break_stale_lock(self) -> None:
        found = self._lock_document()
        if found is None or float(found["_source"].get("expires", 0)) > time.time():
            return
        try:
            self.client.delete(
                index=self.files,
                id="lock",
                if_seq_no=found["_seq_no"],
                if_primary_term=found["_primary_term"],
            )
        except os_errors.OpenSearchException:
            pass  # another writer broke it first

    def renew(self) -> None:
        """Push the lock's expiry forward (writers call this as they send)."""
        if self._lock is None or time.monotonic() - self._lock[2] < LOCK_SECONDS / 4:
            return
        body = {"kind": "lock", "owner": self.owner, "expires": time.time() + LOCK_SECONDS}
        seq_no, term, _ = self._lock
        try:
            answer = self.client.index(
                index=self.files, id="lock", body=body, if_seq_no=seq_no, if_primary_term=term
            )
        except os_errors.ConflictError:
            raise IndexLockedError(
                self.where.shown,
                f"the write lock of {self.where.shown} was taken by another writer after it "
                f"went stale ({LOCK_SECONDS}s without renewal)",
            ) from None
        except os_errors.OpenSearchException as exc:
            raise cluster_error(self.where, exc, writing=True) from None
        self._lock = (int(answer["_seq_no"]), int(answer["_primary_term"]), time.monotonic())

    def release(self) -> None:
        """Release the write lock, if held."""
        if self._lock is None:
            return
        seq_no, term, _ = self._lock
        self._lock = None
        try:
            self.client.delete(index=self.files, id="lock", if_seq_no=seq_no, if_primary_term=term)
        except os_errors.OpenSearchException:
            pass  # gone already, or taken over after going stale

    def held_elsewhere(self) -> bool:
        """True while another writer holds a lock that has not gone stale."""
        found = self._lock_document()
        return found is not None and float(found["_source"].get("expires", 0)) > time.time()

    # -- the file table and display names ---------------------------------------------------------

    def file_state(self, path: str) -> FileState | None:
        """What the last build recorded for input file ``path``."""
        try:
            found = self._read(lambda: self.client.get(index=self.files, id=_doc_id("file", path)))
        except IndexNotFoundError:
            return None
        s = found["_source"]
        return FileState(s["path"], s["size"], s["mtime_ns"], s["sha1"], s["articles"])

    def indexed_files(self) -> list[str]:
        """Every input file recorded."""
        return sorted(s["path"] for s in self.scan_files("file"))

    def record_files(self, states: list[FileState], removed: list[str]) -> None:
        """Record input files indexed (and removed) by the commit just made."""
        lines = []
        for s in states:
            key = _doc_id("file", s.path)
            lines.append(
                bulk_line(
                    {"index": {"_id": key}},
                    {
                        "kind": "file",
                        "key": key,
                        "path": s.path,
                        "size": s.size,
                        "mtime_ns": s.mtime_ns,
                        "sha1": s.sha1,
                        "articles": s.articles,
                    },
                )
            )
        for path in removed:
            lines.append(bulk_line({"delete": {"_id": _doc_id("file", path)}}))
        self._send_files(lines)

    def record_names(self, names: dict[str, set[str]]) -> None:
        """Remember how names were written: the first spelling recorded is kept, and within
        one commit the first in sorted order, so every build shows the same form."""
        lines = []
        for field, values in sorted(names.items()):
            for name in sorted(values):
                key = exact_value(name)
                doc_id = _doc_id(f"name:{field}", key)
                lines.append(
                    bulk_line(
                        {"create": {"_id": doc_id}},
                        {
                            "kind": "name",
                            "key": doc_id,
                            "field": field,
                            "value": key,
                            "display": name.strip(),
                        },
                    )
                )
        self._send_files(lines)

    def record_table(self, name: str, table: dict[str, Any]) -> None:
        """Keep a table derived from the index (the name table) in the file table."""
        body = {"kind": "table", "key": f"table:{name}", "table": table}
        self._write(
            lambda: self.client.index(index=self.files, id=f"table:{name}", body=body, refresh=True)
        )

    def read_table(self, name: str) -> dict[str, Any] | None:
        """The table kept under ``name``, or None."""
        try:
            found = self._read(lambda: self.client.get(index=self.files, id=f"table:{name}"))
        except IndexNotFoundError:
            return None
        table: dict[str, Any] | None = found["_source"].get("table")
        return table

    def _send_files(self, lines: list[bytes]) -> None:
        for chunk in chunks(lines):
            self.bulk(chunk, index=self.files)
        if lines:
            self._write(lambda: self.client.indices.refresh(index=self.files))

    def display_names(self, field: str) -> dict[str, str]:
        """Lower-cased names of ``field`` mapped to how articles wrote them."""
        prefix = f"name:{field}:"
        return {
            s["value"]: s["display"]
            for s in self.scan_files("name", prefix)
            if s.get("field") == field
        }

    def scan_files(self, kind: str, prefix: str = "") -> Iterator[dict[str, Any]]:
        """Every document of ``kind`` in the file table."""
        query: dict[str, Any] = {"bool": {"filter": [{"term": {"kind": kind}}]}}
        if prefix:
            query["bool"]["filter"].append({"prefix": {"key": prefix}})
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"query": query, "size": 5000, "sort": [{"key": "asc"}]}
            if after is not None:
                body["search_after"] = after
            page = self._read(lambda b=body: self.client.search(index=self.files, body=b))
            hits = page["hits"]["hits"]
            for hit in hits:
                yield hit["_source"]
            if len(hits) < 5000:
                return
            after = hits[-1]["sort"]


def bulk_line(*values: dict[str, Any]) -> bytes:
    """One bulk action (its action line, and its source line if any) as NDJSON."""
    return b"".join(
        json.dumps(v, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        for v in values
    )


def chunks(lines: list[bytes]) -> Iterator[list[bytes]]:
    """Bulk actions in batches of about :data:`BULK_BYTES`."""
    batch: list[bytes] = []
    size = 0
    for line in lines:
        batch.append(line)
        size += len(line)
        if size >= BULK_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _not_ours(where: Location) -> StoreError:
    return IndexCorruptError(
        where.shown,
        f"the index {where.name!r} at {where.base} was not created by newsindex (its mappings "
        "differ); choose another index name, or delete that index yourself",
    )
