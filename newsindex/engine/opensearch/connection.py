"""Where an OpenSearch index lives: its URL, credentials, client, and errors in one line.

A location is ``http[s]://[user:password@]host[:port]/name``.  Credentials come
from the URL or from ``NEWSINDEX_OPENSEARCH_USER`` / ``NEWSINDEX_OPENSEARCH_PASSWORD``;
TLS certificates are verified (``NEWSINDEX_OPENSEARCH_CA`` names a CA bundle).
Every message shows the location without its credentials (:attr:`Location.shown`),
and :func:`redact` removes them from any text an exception carries.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from opensearchpy import OpenSearch
from opensearchpy import exceptions as os_errors

from newsindex.errors import (
    ConfigurationError,
    IndexNotFoundError,
    IndexWriteError,
    NewsIndexError,
    StoreError,
)

__all__ = [
    "RETRY_STATUSES",
    "Location",
    "cluster_error",
    "default_layout",
    "is_url",
    "parse_location",
    "redact",
    "with_retries",
]

T = TypeVar("T")
# opensearch-py logs each failed request with its traceback; newsindex reports the failure
# itself in one line, so those records reach a handler only if the program configures one.
logging.getLogger("opensearch").addHandler(logging.NullHandler())
RETRY_STATUSES = (429, 502, 503, 504)
"""Statuses worth retrying: too many requests, and a node or shard briefly unavailable."""
RETRY_DELAYS = (0.5, 1, 2, 4, 8, 15, 30, 30)
"""Seconds between attempts (about 90 s in all, enough for a replica to take over)."""
NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,200}")
"""Index names OpenSearch accepts (lower case, no leading ``_``, ``-`` or ``+``)."""


def is_url(location: object) -> bool:
    """True for an index location that is an OpenSearch URL."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Location:
    """A parsed index URL; ``password`` never appears in ``repr`` or messages."""

    scheme: str
    host: str
    port: int
    name: str
    prefix: str = ""
    user: str = ""
    password: str = field(default="", repr=False)

    @property
    def base(self) -> str:
        """The cluster's URL without credentials."""
        return f"{self.scheme}://{self.host}:{self.port}{self.prefix}"

    @property
    def shown(self) -> str:
        """The index URL as messages show it (no credentials)."""
        return f"{self.base}/{self.name}"

    def secrets(self) -> tuple[str, ...]:
        """Texts that must never be shown."""
        return tuple(s for s in (self.password, f"{self.user}:{self.password}") if self.password)

    def with_name(self, name: str) -> Location:
        """The same cluster, index ``name``."""
        return Location(
            self.scheme, self.host, self.port, name, self.prefix, self.user, self.password
        )

    def client(self) -> OpenSearch:
        """A client for the cluster (TLS verified; our own retries, see :func:`with_retries`)."""
        options: dict[str, Any] = {
            "hosts": [{"host": self.host, "port": self.port, "url_prefix": self.prefix}],
            "use_ssl": self.scheme == "https",
            "verify_certs": True,
            "timeout": 60,
            "max_retries": 0,
        }
        if self.password or self.user:
            options["http_auth"] = (self.user, self.password)
        ca = os.environ.get("NEWSINDEX_OPENSEARCH_CA")
        if ca:
            options["ca_certs"] = ca
        return OpenSearch(**options)


def _layout_number(variable: str, default: int, lowest: int) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < lowest:
        raise ConfigurationError(
            f"{variable}={text!r} is not a whole number of at least {lowest}; "
            f"set it to, say, {default}, or unset it"
        )
    return int(text)


def default_layout() -> tuple[int, int]:
    """Shards and replicas of a new index when none are given: ``NEWSINDEX_OPENSEARCH_SHARDS``
    and ``NEWSINDEX_OPENSEARCH_REPLICAS``, else 1 and 1."""
    return (
        _layout_number("NEWSINDEX_OPENSEARCH_SHARDS", 1, 1),
        _layout_number("NEWSINDEX_OPENSEARCH_REPLICAS", 1, 0),
    )


def parse_location(url: str) -> Location:
    """The :class:`Location` of ``url``; a clear error for one that is not an index URL."""
    parts = urlsplit(url)
    user = unquote(parts.username or "") or os.environ.get("NEWSINDEX_OPENSEARCH_USER", "")
    password = unquote(parts.password or "") or os.environ.get("NEWSINDEX_OPENSEARCH_PASSWORD", "")
    scheme = parts.scheme.lower()
    try:
        port = parts.port or (443 if scheme == "https" else 9200)
    except ValueError:
        port = -1
    host = parts.hostname or ""
    shown = f"{scheme}://{host}{'' if port < 0 else f':{port}'}{parts.path}"
    segments = [s for s in parts.path.split("/") if s]
    if not host or port < 0 or not segments:
        raise ConfigurationError(
            f"{shown} is not an OpenSearch index URL; write http[s]://HOST[:PORT]/INDEX-NAME"
        )
    name = segments[-1]
    if not NAME.fullmatch(name) or name in (".", ".."):
        raise ConfigurationError(
            f"{name!r} in {shown} is not an OpenSearch index name: use lower-case letters, "
            "digits, '-', '_' or '.', not starting with '-', '_' or '.'"
        )
    prefix = "/" + "/".join(segments[:-1]) if len(segments) > 1 else ""
    return Location(scheme, host, port, name, prefix, user, password)


def redact(text: str, where: Location) -> str:
    """``text`` with the credentials of ``where`` (and any ``user:pass@`` in a URL) removed."""
    for secret in where.secrets():
        text = text.replace(secret, "***")
    return re.sub(r"(https?://)[^/@\s]+@", r"\1***@", text)


def _reason(exc: os_errors.TransportError) -> str:
    """The cluster's own reason for a failed request, if it gave one."""
    info = exc.info if isinstance(exc.info, dict) else {}
    error = info.get("error")
    if isinstance(error, dict):
        cause = (error.get("root_cause") or [error])[0]
        return str(cause.get("reason") or cause.get("type") or exc.error)
    return str(error or exc.error)


def cluster_error(where: Location, exc: Exception, *, writing: bool = False) -> NewsIndexError:
    """One clear line for a failure talking to the cluster (credentials never shown)."""
    if isinstance(exc, NewsIndexError):
        return exc
    shown = where.shown
    kind: type[StoreError] = IndexWriteError if writing else StoreError
    if isinstance(exc, os_errors.SSLError):
        message = (
            f"cannot verify the TLS certificate of {where.base}; "
            "set NEWSINDEX_OPENSEARCH_CA to the cluster's CA bundle"
        )
    elif isinstance(exc, os_errors.ConnectionError):
        message = (
            f"the OpenSearch cluster at {where.base} is unavailable (no connection); "
            "check the URL, or try again when the cluster is up"
        )
    elif isinstance(exc, os_errors.AuthenticationException):
        message = (
            f"the OpenSearch cluster at {where.base} refused the credentials; check the user "
            "and password (NEWSINDEX_OPENSEARCH_USER / NEWSINDEX_OPENSEARCH_PASSWORD)"
        )
    elif isinstance(exc, os_errors.AuthorizationException):
        message = f"the OpenSearch user may not use the index {shown}: {_reason(exc)}"
    elif isinstance(exc, os_errors.NotFoundError):
        return IndexNotFoundError(shown, redact(f"no index at {shown}", where), remedy="build")
    elif isinstance(exc, os_errors.TransportError) and exc.status_code in RETRY_STATUSES:
        message = (
            f"the OpenSearch cluster at {where.base} is unavailable ({exc.status_code}: "
            f"{_reason(exc)}); try again shortly"
        )
    elif isinstance(exc, os_errors.TransportError):
        message = f"OpenSearch refused a request on {shown}: {_reason(exc)}"
    else:
        message = f"OpenSearch failed on {shown}: {exc}"
    return kind(shown, redact(message, where))


def retryable(exc: Exception) -> bool:
    """True for a failure that may pass on a later attempt (a node going away, overload)."""
    if isinstance(exc, (os_errors.SSLError, os_errors.AuthenticationException)):
        return False
    if isinstance(exc, os_errors.ConnectionError):
        return True
    return isinstance(exc, os_errors.TransportError) and exc.status_code in RETRY_STATUSES


def with_retries(
    where: Location,
    call: Callable[[], T],
    *,
    writing: bool = False,
    delays: tuple[float, ...] = RETRY_DELAYS,
) -> T:
    """``call()``, retried with backoff while the cluster is briefly unavailable."""
    for delay in (*delays, None):
        try:
            return call()
        except NewsIndexError:
            raise
        except Exception as exc:
            if delay is None or not retryable(exc):
                raise cluster_error(where, exc, writing=writing) from None
            time.sleep(delay)
    raise AssertionError("unreachable")
