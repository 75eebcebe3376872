"""Readers for the web's formats: RSS and Atom feeds, saved HTML article pages."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from newsindex.documents import Article
from newsindex.readers import ReadOptions, Record, Skipped, read_file
from newsindex.readers.webpage import MISSING_EXTRA

DATA = Path(__file__).parent / "data"
READERS = DATA / "readers"
BAD = DATA / "bad"


def read(path: Path, fmt: str | None = None) -> list[Record]:
    return list(read_file(path, path.parent, ReadOptions(format=fmt)))


def test_readers_web_rss_entries_become_articles() -> None:
    records = read(READERS / "wire.rss")
    first, second = records[0], records[1]
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == "https://wire.example.net/2024/04/flood-defences"
    assert first.title == "Flood defences completed along the river"
    assert first.body == (
        "Engineers finished the new flood defences along the river on Monday.\n\n"
        "The wall is two metres high & runs for three kilometres."
    )
    assert first.date == dt.datetime(2024, 4, 9, 6, 15, tzinfo=dt.timezone.utc)
    assert first.date.utcoffset() == dt.timedelta(hours=1)  # the feed's own offset is kept
    assert (first.source, first.authors, first.themes) == (
        "Example Regional Wire",
        ("Priya Natarajan",),
        ("Environment",),
    )
    assert second.id == "https://wire.example.net/2024/04/night-flights"  # guid "4471" is local
    assert second.body == "The airport will add four night flights a week from June."


def test_readers_web_rss_bad_entries_skipped_one_at_a_time() -> None:
    records = read(READERS / "wire.rss")
    assert [str(r) for r in records if isinstance(r, Skipped)] == [
        "wire.rss:3: field 'published' has impossible date 'Thu, 31 Apr 2024 10:00:00 GMT': "
        "not a date (day is out of range for month)",
        "wire.rss:4: entry has no title or text",
    ]
    last = records[4]
    assert isinstance(last, Article)
    assert (last.id, last.date, last.title) == ("wire.rss#5", None, "Tram line extended")


def test_readers_web_atom_entries_become_articles() -> None:
    first, second = read(READERS / "desk.atom")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == "tag:desk.example.com,2024:fishing-quotas"
    assert first.title == "Ministers agree fishing quotas"
    assert first.body.startswith("Fishing ministers agreed next year's quotas after talks")
    assert first.date == dt.datetime(2024, 5, 2, 7, 45, tzinfo=dt.timezone.utc)
    assert first.authors == ("Jonas Berg", "Ines Duarte")
    assert first.url == "https://desk.example.com/fishing-quotas"
    assert second.date == dt.datetime(2024, 5, 1, 16, 20, tzinfo=dt.timezone.utc)  # updated


@pytest.mark.parametrize("name", ["entity-bomb.rss", "external-entity.rss"])
def test_readers_web_feed_declaring_entities_is_refused(name: str) -> None:
    (skipped,) = read(BAD / name)
    assert isinstance(skipped, Skipped)
    assert skipped.reason.startswith("feed declares XML entities")


def test_readers_web_not_xml_feed_is_skipped() -> None:
    (skipped,) = read(BAD / "not-xml.rss")
    assert isinstance(skipped, Skipped)
    assert skipped.reason.startswith("not an RSS or Atom feed")


def test_readers_web_malformed_feed_read_leniently() -> None:
    records = read(BAD / "malformed.rss")
    assert isinstance(records[0], Article)
    assert records[0].title == "Council budget agreed"
    assert records[0].date == dt.datetime(2024, 1, 12, 10, tzinfo=dt.timezone.utc)


def test_readers_web_xml_extension_is_sniffed_as_feed(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes((READERS / "desk.atom").read_bytes())
    assert len([r for r in read(path) if isinstance(r, Article)]) == 2


def test_readers_web_html_page_main_text_and_metadata() -> None:
    pytest.importorskip("trafilatura", reason="the newsindex[html] extra is not installed")
    (article,) = read(READERS / "article-page.html")
    assert isinstance(article, Article)
    assert article.id == "article-page.html"
    assert article.title == "Water company fined over river pollution"
    assert article.body.startswith("A water company has been fined after sewage was released")
    assert "fish stocks in the lower river" in article.body
    assert "Home" not in article.body and "Copyright" not in article.body
    assert article.date == dt.date(2024, 2, 19)
    assert article.authors == ("Hannah Okafor",)
    assert article.url == "https://courier.example.org/news/water-company-fined"
    assert article.source == "Example Courier"


def test_readers_web_html_page_without_article_is_skipped() -> None:
    pytest.importorskip("trafilatura", reason="the newsindex[html] extra is not installed")
    (skipped,) = read(READERS / "no-article.htm")
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "no article text found in the page"


def test_readers_web_html_without_trafilatura_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    (skipped,) = read(READERS / "article-page.html")
    assert isinstance(skipped, Skipped)
    assert skipped.reason == MISSING_EXTRA
    assert "newsindex[html]" in skipped.reason


def test_readers_web_html_binary_and_empty_are_skipped(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("")
    binary = tmp_path / "image.html"
    binary.write_bytes((BAD / "binary.bin").read_bytes())
    assert [r.reason for r in read(empty) if isinstance(r, Skipped)] == ["empty file"]
    assert [r.reason for r in read(binary) if isinstance(r, Skipped)] == ["binary file, not HTML"]


def test_readers_web_feed_with_impossible_character_reference_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "hostile.rss"
    path.write_bytes(
        b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Feed</title><item>'
        b"<title>Bad &#x110000; reference</title><description>Text.</description>"
        b"</item></channel></rss>"
    )
    records = read(path)
    assert all(isinstance(r, (Article, Skipped)) for r in records)
