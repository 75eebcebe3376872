"""Bytes to text: UTF-8 first, stray bytes read as Windows-1252, never a crash."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BINARY_CONTROL = set(range(0, 9)) | {11} | set(range(14, 27)) | set(range(28, 32))


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding used and a warning if it was a guess."""

    text: str
    encoding: str
    warning: str = ""


def looks_binary(data: bytes) -> bool:
    """True when ``data`` is evidently not text (NUL bytes or many control bytes)."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _BINARY_CONTROL)
    return controls / len(sample) > 0.05


def _single_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


def _fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(_single_byte(b) for b in bad), error.end


codecs.register_error("newsindex-cp1252", _fallback)


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` as UTF-8 (or UTF-16 with a BOM).

    Real archives hold files that are UTF-8 but for a stray byte (a Latin-1
    pound sign, an umlaut from an older system), and files wholly in a legacy
    Western encoding.  Each byte that is not valid UTF-8 is read as
    Windows-1252, which covers both, and ``warning`` says where the first one
    was.  Nothing is dropped.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", errors="newsindex-cp1252")
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(
        text,
        "utf-8+cp1252",
        f"not valid UTF-8 at byte {first_bad}; invalid bytes read as Windows-1252",
    )
