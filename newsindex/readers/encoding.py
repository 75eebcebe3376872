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
    was.  Nothing is dropped.  Text that is mostly non-ASCII (Russian in
    KOI8-R, Greek, Japanese in Shift JIS) is decoded in the encoding
    ``charset-normalizer`` detects instead, and ``warning`` names it.
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
    if _mostly_non_ascii(data):
        detected = _detect(data)
        if detected is not None:
            text, encoding = detected
            return Decoded(text, encoding, f"not valid UTF-8; read as {encoding} (detected)")
    text = data.decode("utf-8", errors="newsindex-cp1252")
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(
        text,
        "utf-8+cp1252",
        f"not valid UTF-8 at byte {first_bad}; invalid bytes read as Windows-1252",
    )


NON_ASCII_SHARE = 0.3
"""Share of non-ASCII bytes among letters above which legacy text is not Western.

English, French or German in Windows-1252 has a few accented letters in a
hundred; Russian in KOI8-R or Windows-1251, Greek or Japanese has nearly all.
Only then is the encoding detected (with ``charset-normalizer``): on Western
text detectors confuse Windows-1252 with its Baltic and Central European
cousins, and Windows-1252 is the right reading there."""

_MIN_DETECT_BYTES = 24


def _mostly_non_ascii(data: bytes) -> bool:
    sample = data[:65536]
    high = sum(1 for byte in sample if byte >= 0x80)
    letters = high + sum(1 for byte in sample if 65 <= byte <= 90 or 97 <= byte <= 122)
    return len(sample) >= _MIN_DETECT_BYTES and high > NON_ASCII_SHARE * max(1, letters)


def _detect(data: bytes) -> tuple[str, str] | None:
    """Decode ``data`` in its detected legacy encoding, or None when nothing fits."""
    try:
        import charset_normalizer
    except ImportError:  # an optional nicety: Windows-1252 is read without it
        return None
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    try:
        text = data.decode(best.encoding, errors="replace")
    except LookupError:
        return None
    return text.removeprefix("\ufeff"), best.encoding


class LineDecoder:
    """Decodes the lines of one file, detecting a legacy encoding once and keeping it.

    Each line is read with :func:`decode_bytes`, except that once a line has
    been detected to be in a legacy encoding (KOI8-R, Windows-1251 ...),
    later lines that are not valid UTF-8 are read in that encoding without
    detecting again.
    """

    def __init__(self) -> None:
        self.encoding: str | None = None

    def decode(self, line: bytes) -> Decoded:
        """Decode one line; ``warning`` is set when it was not valid UTF-8."""
        if self.encoding is not None:
            try:
                return Decoded(line.decode("utf-8"), "utf-8")
            except UnicodeDecodeError:
                text = line.decode(self.encoding, errors="replace")
                return Decoded(text, self.encoding, f"not valid UTF-8; read as {self.encoding}")
        decoded = decode_bytes(line)
        if decoded.encoding not in ("utf-8", "utf-16", "utf-8+cp1252"):
            self.encoding = decoded.encoding
        return decoded
