"""How well publication dates are found from article text alone, against corpus metadata.

Run ``python -m benchmarks.eval_dates``.  Gold dates are Reuters-21578's
``<DATE>`` (every story with a body; the dateline precedes the body as on the
wire) and IE-ER's ``<DATE_TIME>`` (94 stories); TIME's header dates check that a
date its all-capitals text mentions is not taken for the publication date.  A Reuters dateline
(``WASHINGTON, March 3 -``) has no year and newsindex does not guess one,
so it is scored on day and month alone (exactly, and within one day: the
dateline gives the local date, ``<DATE>`` the New York wire clock), and as a
full date with a reference date three days after the story (as a crawler or
feed timestamp would give) to supply the year.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence

from newsindex.extract.dates import find_dateline, find_dates_mentioned, find_publication_date


def _day(value: dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _row(name: str, hits: int, found: int, total: int) -> None:
    accuracy = hits / found if found else 0.0
    print(f"{name:<44}{found:>7}{total:>7}{found / max(total, 1):>9.3f}{accuracy:>10.4f}")


def _header(title: str) -> None:
    print(f"\n{title}")
    print(f"{'measure':<44}{'found':>7}{'of':>7}{'coverage':>9}{'accuracy':>10}")


def evaluate_reuters() -> dict[str, float]:
    """Print the Reuters table; return the accuracies."""
    from benchmarks.corpora import reuters

    docs = [d for d in reuters.load() if d.body and d.date is not None]
    day_month = [0, 0, 0]
    alone = [0, 0]
    anchored = [0, 0]
    for doc in docs:
        assert doc.date is not None
        gold = doc.date.date()
        text = f"{doc.dateline} {doc.body}" if doc.dateline else doc.body
        line = find_dateline(text)
        if line is not None:
            day_month[0] += 1
            day_month[1] += (line.month, line.day) == (gold.month, gold.day)
            near = [gold + dt.timedelta(days=k) for k in (-1, 0, 1)]
            day_month[2] += any((line.month, line.day) == (d.month, d.day) for d in near)
        found = _day(find_publication_date(text))
        if found is not None:
            alone[0] += 1
            alone[1] += found == gold
        with_reference = _day(find_publication_date(text, gold + dt.timedelta(days=3)))
        if with_reference is not None:
            anchored[0] += 1
            anchored[1] += with_reference == gold
    total = len(docs)
    _header(f"Reuters-21578, {total} stories with a body, gold <DATE>")
    _row("full date from the text alone", alone[1], alone[0], total)
    _row("dateline day and month", day_month[1], day_month[0], total)
    _row("dateline day and month, within one day", day_month[2], day_month[0], total)
    _row("full date, reference = gold + 3 days", anchored[1], anchored[0], total)
    return {
        "day_month": day_month[1] / max(day_month[0], 1),
        "within_a_day": day_month[2] / max(day_month[0], 1),
        "anchored": anchored[1] / max(anchored[0], 1),
    }


def evaluate_ieer() -> dict[str, float]:
    """Print the IE-ER table; return the accuracies."""
    from benchmarks.corpora import ieer

    docs = [d for d in ieer.load() if d.datetime is not None]
    alone = [0, 0]
    anchored = [0, 0]
    for doc in docs:
        assert doc.datetime is not None
        gold = doc.datetime.date()
        found = _day(find_publication_date(doc.text))
        if found is not None:
            alone[0] += 1
            alone[1] += found == gold
        with_reference = _day(find_publication_date(doc.text, gold + dt.timedelta(days=3)))
        if with_reference is not None:
            anchored[0] += 1
            anchored[1] += with_reference == gold
    _header(f"NIST IE-ER, {len(docs)} stories, gold <DATE_TIME>")
    _row("publication date from the text alone", alone[1], alone[0], len(docs))
    _row("publication date, reference = gold + 3 days", anchored[1], anchored[0], len(docs))
    return {"alone": alone[1] / max(alone[0], 1), "coverage": alone[0] / max(len(docs), 1)}


def evaluate_time() -> dict[str, float]:
    """Print the TIME table: its articles are in capitals and carry no dateline or date
    header, so any date taken from the text alone is one the article mentions."""
    from benchmarks.corpora import time_ir

    docs = [d for d in time_ir.load() if d.date is not None]
    found = [0, 0]
    for doc in docs:
        value = _day(find_publication_date(doc.text))
        if value is not None:
            found[0] += 1
            found[1] += value == doc.date
    _header(f"TIME 1963, {len(docs)} articles in capitals, gold header date")
    _row("publication date from the text alone", found[1], found[0], len(docs))
    return {"found": float(found[0]), "right": float(found[1])}


_WEEKDAY_DATE = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? "
    r"((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? [0-9]{1,2})\b(?!,? [0-9]{4})"
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def evaluate_weekday_checked() -> dict[str, float]:
    """Year-less dates written with their weekday ("Sunday, March 15"), resolved against
    the story's own date: the weekday the text states checks the year chosen."""
    from benchmarks.corpora import ieer, reuters

    stories: list[tuple[str, dt.date]] = [
        (f"{d.dateline} {d.body}", d.date.date()) for d in reuters.load() if d.date is not None
    ]
    stories += [(d.text, d.datetime.date()) for d in ieer.load() if d.datetime is not None]
    checked = [0, 0]
    for text, reference in stories:
        for match in _WEEKDAY_DATE.finditer(text):
            found = find_dates_mentioned(match.group(2), reference)
            checked[0] += 1
            checked[1] += len(found) == 1 and _WEEKDAYS[found[0].weekday()] == match.group(1)
    _header("Dates mentioned with a weekday and no year, Reuters-21578 + IE-ER")
    _row("resolved date falls on the stated weekday", checked[1], checked[0], checked[0])
    return {"weekday_checked": checked[1] / max(checked[0], 1)}


def main(argv: Sequence[str] | None = None) -> None:
    """Print the date evaluation tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="reuters,ieer,time,mentioned")
    args = parser.parse_args(argv)
    wanted = set(args.corpus.split(","))
    if "reuters" in wanted:
        evaluate_reuters()
    if "ieer" in wanted:
        evaluate_ieer()
    if "time" in wanted:
        evaluate_time()
    if "mentioned" in wanted:
        evaluate_weekday_checked()


if __name__ == "__main__":
    main()
