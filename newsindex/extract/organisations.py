"""Organisation rules: the head and suffix words that make a capitalised run an organisation."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "CORPORATE_SUFFIXES",
    "DIVISION_WORDS",
    "NEWSPAPER_PREFIXES",
    "ORG_HEADS",
    "ORG_SUFFIXES",
    "PAREN_ACRONYM",
    "acronym_of",
    "company_context",
    "firm_before",
    "is_acronym",
    "is_legal_form",
    "without_corporate_suffix",
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
    Parliament Assembly Senate Cabinet Reserve Railways Railroad Shipping Lines Group
    Museum Hotel Opera School Productions Entertainment Cinema Recordings Stores Worldwide
    Architects Bhd Institution Lab Publishing Publishers Studios Records Brewery
    Utd FC Brigade Brigades Battalion Regiment Militia Guard Gazette Chronicle Telegraph
    Inquirer Dispatch""".split()
)
# Words that open a newspaper's title: "Daily Star", "Daily Nation".
NEWSPAPER_PREFIXES = frozenset({"Daily"})

# Words after a listed organisation that name one of its services, not another
# organisation: "BBC News", "BBC Radio" and "CNN International" are the BBC and CNN.
DIVISION_WORDS = frozenset(
    "News Radio Television TV Online Sport Sports World Service International One Two "
    "Three Four Five".split()
)
_CORPORATE_TAIL = frozenset(
    "Co Co. Inc Inc. Corp Corp. Ltd Ltd. Limited Plc PLC plc LLC LLP AG SA "
    "S.A. NV N.V. GmbH SpA AB ASA Oyj Cos Cos. Bhd".split()
)


# A firm written as its partners' names before "and Co": "E.F. Hutton and Co", "Smith
# Barney, Harris Upham and Co Inc".
_PARTNER = r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}"
_PARTNERS_BEFORE = re.compile(rf"({_PARTNER})(?:,\s+({_PARTNER}))?\s+(?:and|&)\s+$")


def is_legal_form(words: list[str]) -> bool:
    """True for words that are only a legal form ("Co", "Co Inc", "Cos.")."""
    return bool(words) and all(w in _CORPORATE_TAIL for w in words)


def firm_before(text: str, start: int) -> tuple[int, list[str]] | None:
    """The partners' names of a firm whose legal form starts at ``start`` after "and" or
    "&" ("E.F. Hutton and Co"): where the first begins, and the names; None if none."""
    window = max(0, start - 120)
    match = _PARTNERS_BEFORE.search(text, window, start)
    if match is None:
        return None
    return match.start(1), [g for g in match.groups() if g]


def without_corporate_suffix(name: str) -> str:
    """ "Boeing Co" → "Boeing", "Procter & Gamble Co." → "Procter & Gamble": the legal
    form is not part of the name researchers count."""
    words = name.split()
    while len(words) > 1 and words[-1] in _CORPORATE_TAIL:
        words.pop()
    while len(words) > 1 and words[-1] in {"&", "and", ","}:
        words.pop()
    if words[-1].endswith(","):
        words[-1] = words[-1][:-1]
    return " ".join(words)


# Suffixes that only ever extend an organisation already found ("Texaco Inc").
CORPORATE_SUFFIXES = frozenset(
    "Corp Corp. Corporation Inc Inc. Co Co. Company Ltd Ltd. Limited Plc PLC plc LLC LLP AG "
    "SA S.A. NV N.V. GmbH SpA AB ASA Oyj Group Holdings".split()
)

# Initials in brackets after a name: "Kennedy Space Center (KSC)".
PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&.\-]{1,9})\s*\)")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}|(?:[A-Z]\.){2,6}")


def is_acronym(text: str) -> bool:
    """True for an all-capitals short form such as ``NATO``, ``G20`` or ``U.N.``."""
    return bool(_ACRONYM.fullmatch(text)) and any(c.isalpha() for c in text)


def acronym_of(name: str) -> str:
    """The initials of the capitalised words of ``name`` ("Kennedy Space Center" → "KSC")."""
    return "".join(word[0] for word in name.replace("-", " ").split() if word[:1].isupper())


# What a company's name stands next to, and a person's never does: "Yukos's shares",
# "Fiat chief executive", "shares in Rosneft", "oil giant Yukos", "Deutsche Boerse, the
# German stock exchange", "an economist with ABN Amro".
_COMPANY_AFTER = (
    r"(?:'s?)?\s+(?:shares|share\s+price|stock\s+(?:price|market\s+value)|shareholders|"
    r"board\s+of\s+directors|chief\s+executive|chief\s+financial\s+officer|chairman|"
    r"chairwoman|boss|profits?|pre-tax|revenues?|turnover|sales|earnings|subsidiary|"
    r"subsidiaries|plants?|factory|factories|headquarters|dividend|bonds|assets|"
    r"market\s+share|officials|executives|employees|"
    r"stock\s+(?:rose|fell|jumped|slipped|closed|gained|lost)|"
    r"(?:newspaper|daily|weekly|magazine|television|TV|radio|news\s+agency)(?!\s+[a-z]))\b"
)
_COMPANY_BEFORE = (
    r"\b(?:[Ss]hares\s+(?:in|of)|stake\s+in|shareholders\s+(?:in|of)|takeover\s+of|"
    r"bid\s+for|acquisition\s+of|merger\s+with|owner\s+of|subsidiary\s+of|unit\s+of|"
    r"firm|company|giant|carrier|airline|maker|operator|bourse|retailer|insurer|charity|"
    r"lender|carmaker|manufacturer|conglomerate|brewer|miner|supermarket|"
    r"newspaper|daily|weekly|magazine|broadcaster|network|news\s+agency|"
    r"(?:rebel|militant|guerrilla|rock|pop|punk|rap|opposition)\s+group|band|"
    r"(?:economist|analyst|strategist|director(?:\s+general)?|chief\s+executive|chairman|"
    r"spokes(?:man|woman|person)|officials?|executives?|members?|founder)\s+"
    r"(?:with|at|of)|spokes(?:man|woman|person)\s+for|quoted\s+(?:as\s+saying\s+)?by|"
    r"(?:bought|acquired|taken\s+over)\s+by)"
    r"\s+(?:the\s+)?(?:[A-Z][\w&-]*\s+)?$"
)
_COMPANY_NOUN = (
    r",\s+(?:the|a|an)\s+(?:(?!(?:for|of|with|at|to|in|by|and)\s)[\w-]+\s+){0,4}"
    r"(?:company|firm|group|bank|exchange|"
    r"bourse|carrier|airline|maker|giant|retailer|insurer|charity|lender|"
    r"operator|conglomerate|manufacturer|subsidiary|unit|newspaper|daily|weekly|"
    r"magazine|broadcaster|network|news\s+agency|party|movement|organi[sz]ation|"
    r"union|band)\b"
)
_AFTER = re.compile(rf"{_COMPANY_AFTER}|{_COMPANY_NOUN}")
_BEFORE = re.compile(_COMPANY_BEFORE)
# Cues a lone surname can stand in too ("Sumita said in a statement"), so they count only
# for a one-word name no first name or title ever joins: "Lycos said in a statement",
# "a Lycos spokesman".
_ONE_WORD_AFTER = re.compile(r"\s+(?:said|says)\s+(?:\w+\s+)?in\s+a\s+(?:\w+\s+)?statement\b")
_SPOKESMAN = re.compile(r"\s+spokes(?:man|woman|person)\b")
_ARTICLE = re.compile(r"\b(?:a|an|the|A|An|The)\s+$")


def company_context(text: str, spans: Iterable[tuple[int, int]], one_word: bool = False) -> bool:
    """True when the article writes the name at one of ``spans`` as a company's name;
    ``one_word`` admits the cues a lone surname shares."""
    for start, end in spans:
        if _AFTER.match(text, end):
            return True
        if not text.startswith("'", end) and _BEFORE.search(text, max(0, start - 40), start):
            return True  # "analyst at Lycos", but not "a member of Yeltsin's staff"
        if one_word and (
            _ONE_WORD_AFTER.match(text, end)
            or (_SPOKESMAN.match(text, end) and _ARTICLE.search(text, max(0, start - 5), start))
        ):
            return True
    return False
