"""The default extractor: offline gazetteers, name rules and a keyword taxonomy."""

from __future__ import annotations

from pathlib import Path

from newsindex.documents import Article
from newsindex.extract import Extraction, Extractor, register_extractor


@register_extractor("default")
def build_default_extractor(themes: Path | None = None, entities: Path | None = None) -> Extractor:
    """Load the gazetteers and theme taxonomy once, with the user's own ``themes``
    file and ``entities`` folder when given."""
    from newsindex.extract.dates import find_dates_mentioned, find_publication_date
    from newsindex.extract.entities import EntityFinder
    from newsindex.extract.themes import ThemeTagger

    finder = EntityFinder.load(entities)
    tagger = ThemeTagger.load(extra=themes)

    def extract(article: Article) -> Extraction:
        people, places, organisations = finder.find(article.title, article.body)
        reference = article.date
        date = reference if reference is not None else find_publication_date(article.body)
        return Extraction(
            date=date,
            dates_mentioned=find_dates_mentioned(article.body, date),
            people=people,
            places=places,
            organisations=organisations,
            themes=tagger.tag(article.title, article.body),
            extractor="default",
            credit=finder.credit(article.title, article.body),
        )

    return extract


@register_extractor("none")
def build_null_extractor(themes: Path | None = None, entities: Path | None = None) -> Extractor:
    """An extractor that finds nothing: index text and dates only, as fast as possible."""

    def extract(article: Article) -> Extraction:
        return Extraction(date=article.date, extractor="none")

    return extract
