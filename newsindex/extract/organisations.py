"""Organisation rules: the head and suffix words that make a capitalised run an organisation."""

from __future__ import annotations

import re

__all__ = [
    "CORPORATE_SUFFIXES",
    "ORG_HEADS",
    "ORG_SUFFIXES",
    "acronym_of",
    "is_acronym",
]

# "Ministry of ...", "Bank of ...": a head word followed by "of"/"for" opens an organisation.
ORG_HEADS = frozenset(
    """Ministry Department Bank University Bureau Office Council Institute Board Commission
    Committee Association Federation Union Party Agency Court Church College School Academy
    Society League Center Centre Museum Foundation Corporation Company Organization
    Organisation Authority Service Army Navy Police Fund Exchange Confederation Congress
    Assembly Parliament Chamber Coalition Alliance Front Movement Order Trust Institution
    Administration Directorate Secretariat Tribunal Guild Council Conference Forum""".split()
)

# Words that end an organisation's name ("Toyota Motor Corp", "Labour Party").
ORG_SUFFIXES = frozenset(
    """Corp Corp. Corporation Inc Inc. Co Co. Company Ltd Ltd. Limited Plc PLC plc LLC LLP
    AG SA S.A. NV N.V. GmbH SpA AB ASA Oyj Group Holdings Holding Bank Bancorp Banks
    Partners Associates Industries Enterprises Airlines Airways Motors Motor Petroleum Oil
    Energy Electric Systems Technologies Technology Pharmaceuticals Communications Telecom
    Securities Investments Capital Resources Mining Steel Chemical Chemicals Foods Brands
    Insurance Trust Fund Party Association Federation Union Council Committee Commission
    Agency Ministry Department Bureau Institute University College Academy Society League
    Foundation Organization Organisation Authority Board Court Police Army Navy Force Corps
    Exchange Times Post Journal News Herald Tribune Press Network Broadcasting Television
    Radio Magazine Club Team Coalition Alliance Front Movement Church Hospital Center Centre
    Laboratory Laboratories Labs Service Services Administration Office Commission Congress
    Parliament Assembly Senate Cabinet Reserve Railways Railroad Shipping Lines Group""".split()
)

# Suffixes that only ever extend an organisation already found ("Texaco Inc").
CORPORATE_SUFFIXES = frozenset(
    "Corp Corp. Corporation Inc Inc. Co Co. Company Ltd Ltd. Limited Plc PLC plc LLC LLP AG "
    "SA S.A. NV N.V. GmbH SpA AB ASA Oyj Group Holdings".split()
)

_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}|(?:[A-Z]\.){2,6}")


def is_acronym(text: str) -> bool:
    """True for an all-capitals short form such as ``NATO``, ``G20`` or ``U.N.``."""
    return bool(_ACRONYM.fullmatch(text)) and any(c.isalpha() for c in text)


def acronym_of(name: str) -> str:
    """The initials of the capitalised words of ``name`` ("Kennedy Space Center" → "KSC")."""
    return "".join(word[0] for word in name.replace("-", " ").split() if word[:1].isupper())
