"""What extraction finds in input files, without an index: the ``extract`` command's engine."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from newsindex.build import id_base
from newsindex.documents import Article
from newsindex.extract import Extraction, enrich, get_extractor
from newsindex.readers import STDIN, ReadOptions, Skipped, discover_files, read_file

__all__ = ["ExtractedArticle", "extract_files"]


@dataclass(frozen=True)
class ExtractedArticle:
    """One article and what the extractor found in it, or the reason it was skipped."""

    article: Article | None = None
    extraction: Extraction | None = None
    skipped: Skipped | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: date, people, places, organisations, themes with evidence."""
        assert self.article is not None and self.extraction is not None
        article, ex = self.article, self.extraction

        def clean(item: Any) -> dict[str, Any]:
            return {k: v for k, v in asdict(item).items() if v not in ("", (), None, False)}

        return {
            "id": article.id,
            "title": article.title,
            "date": article.date.isoformat() if article.date else None,
            "people": [clean(e) for e in ex.people],
            "places": [clean(e) for e in ex.places],
            "organisations": [clean(e) for e in ex.organisations],
            "themes": [clean(t) for t in ex.themes],
            "dates_mentioned": [d.isoformat() for d in ex.dates_mentioned],
            "extractor": ex.extractor,
            "warnings": list(article.extra.get("warnings", ())),
        }


def extract_files(
    paths: Iterable[str],
    fmt: str | None = None,
    extractor: str = "default",
    themes: Path | None = None,
    entities: Path | None = None,
) -> Iterator[ExtractedArticle]:
    """Read ``paths`` and run the extractor on every article found."""
    run = get_extractor(extractor, themes=themes, entities=entities)
    options = ReadOptions(format=fmt)
    for given in paths:
        if given == STDIN:
            files: Iterable[tuple[Path, Path]] = [(Path(STDIN), Path("."))]
        elif not Path(given).exists():
            yield ExtractedArticle(skipped=Skipped(given, "no such file or folder"))
            continue
        else:
            files = discover_files([Path(given)])
        for path, root in files:
            base = id_base(Path(given), root)
            for record in read_file(path.absolute(), base, options):
                if isinstance(record, Skipped):
                    yield ExtractedArticle(skipped=record)
                    continue
                extraction = run(record)
                yield ExtractedArticle(enrich(record, extraction), extraction)
