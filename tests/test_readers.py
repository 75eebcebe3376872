"""Readers: discovery, text, JSON Lines, JSON and CSV, good and bad input."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex.documents import Article
from newsindex.errors import ConfigurationError
from newsindex.readers import (
    ReadOptions,
    Record,
    Skipped,
    available_formats,
    discover_files,
    read_file,
    sniff_format,
)
from newsindex.readers import source as source_module

DATA = Path(__file__).parent / "data"
READERS = DATA / "readers"
BAD = DATA / "bad"


def read(path: Path, root: Path | None = None, **options: object) -> list[Record]:
    """All records of ``path`` read relative to ``root`` (its folder by default)."""
    return list(read_file(path, root or path.parent, ReadOptions(**options)))  # type: ignore[arg-type]


def articles(records: list[Record]) -> list[Article]:
    return [record for record in records if isinstance(record, Article)]


def skips(records: list[Record]) -> list[Skipped]:
    return [record for record in records if isinstance(record, Skipped)]


# --- formats and options -------------------------------------------------------------


def test_readers_available_formats_lists_every_reader() -> None:
    assert {"text", "jsonl", "json", "csv", "tsv"} <= set(available_formats())


def test_readers_unknown_format_raises_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Hello there.\n")
    with pytest.raises(ConfigurationError, match="unknown format 'yaml'"):
        read(path, format="yaml")


def test_readers_unknown_mapping_field_raises_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="unknown field 'headline'"):
        ReadOptions(mapping={"headline": "title"})


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0">', "feed"),
        (b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b"<!DOCTYPE html><html><head>", "html"),
        (b'{"title": "x"}\n', "jsonl"),
        (b'[{"title": "x"}]', "json"),
        (b"date 2024-01-01 Some text", "text"),
    ],
)
def test_readers_sniff_format_recognises_content(head: bytes, expected: str) -> None:
    assert sniff_format(head) == expected


def test_readers_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "export.data"
    path.write_text('{"title": "Sniffed", "body": "Read as JSON Lines."}\n')
    (article,) = articles(read(path))
    assert article.title == "Sniffed"


# --- discovery -----------------------------------------------------------------------


def test_readers_discover_walks_folders_sorted_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.txt").write_text("x")
    found = [(f.relative_to(tmp_path).as_posix(), root) for f, root in discover_files([tmp_path])]
    assert found == [("a.txt", tmp_path), ("b/2.txt", tmp_path)]


def test_readers_discover_survives_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Some text here.")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self-link").symlink_to(tmp_path / "self-link")
    found = [f.name for f, _ in discover_files([tmp_path])]
    assert found.count("a.txt") == 1
    loop = tmp_path / "self-link"
    (skipped,) = read(loop)
    assert isinstance(skipped, Skipped)


def test_readers_discover_expands_glob_patterns(tmp_path: Path) -> None:
    (tmp_path / "data" / "2024").mkdir(parents=True)
    (tmp_path / "data" / "2024" / "a.jsonl").write_text("{}\n")
    (tmp_path / "data" / "b.jsonl").write_text("{}\n")
    (tmp_path / "data" / "c.txt").write_text("x")
    pattern = tmp_path / "data" / "**" / "*.jsonl"
    found = [(f.relative_to(root).as_posix(), root) for f, root in discover_files([pattern])]
    assert found == [("2024/a.jsonl", tmp_path / "data"), ("b.jsonl", tmp_path / "data")]


def test_readers_glob_matching_nothing_is_reported(tmp_path: Path) -> None:
    pattern = tmp_path / "none" / "*.jsonl"
    ((path, root),) = discover_files([pattern])
    (skipped,) = read(path, root)
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "no file matches this pattern"


def test_readers_missing_file_and_folder_are_skipped(tmp_path: Path) -> None:
    assert [str(r) for r in read(tmp_path / "gone.jsonl")] == ["gone.jsonl: no such file"]
    (tmp_path / "dir.txt").mkdir()
    assert [r.reason for r in skips(read(tmp_path / "dir.txt"))] == ["is a folder, not a file"]


def test_readers_unreadable_file_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Some text.")

    original = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    (skipped,) = read(path)
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "cannot read file: Permission denied"


@pytest.mark.parametrize("name", ["naïve café.txt", "line\nbreak.txt", "two  spaces.jsonl"])
def test_readers_odd_file_names_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".jsonl"):
        path.write_text('{"title": "Odd name", "body": "Body text."}\n')
    else:
        path.write_text("Odd name\n\nBody text.\n")
    ((found, root),) = discover_files([tmp_path])
    (article,) = articles(read(found, root))
    assert article.title == "Odd name"
    assert article.id.startswith(name)


def test_readers_stdin_reads_json_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'{"title": "From a pipe", "body": "Piped in."}\nnot json\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    ((path, root),) = discover_files([Path("-")])
    records = list(read_file(path, root))
    assert isinstance(records[0], Article)
    assert records[0].id == "stdin#1"
    assert str(records[1]) == "stdin:2: not valid JSON at column 1: Expecting value"


# --- text ----------------------------------------------------------------------------


def test_readers_text_bad_files_are_skipped_with_reasons() -> None:
    assert [r.reason for r in skips(read(BAD / "empty.txt"))] == ["empty file"]
    assert [r.reason for r in skips(read(BAD / "binary.bin"))] == ["binary file, not text"]
    (bad_date,) = read(BAD / "bad-date.txt")
    assert isinstance(bad_date, Skipped)
    assert "2025-02-30" in bad_date.reason


def test_readers_text_latin1_reads_with_warning() -> None:
    (article,) = articles(read(BAD / "latin1.txt"))
    assert "Café owners" in article.body
    assert article.date == dt.date(2024, 1, 10)
    assert "Windows-1252" in article.extra["warnings"][0]


# --- JSON Lines and JSON -------------------------------------------------------------


def test_readers_jsonl_recognises_common_field_names() -> None:
    first, second, third = read(READERS / "articles.jsonl")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert isinstance(third, Article)
    assert first.id == "wire-001"
    assert first.title == "Harbour authority approves new ferry terminal"
    assert first.body.endswith("Construction is due to start next spring.")
    assert first.date == dt.datetime(2024, 3, 5, 8, 30, tzinfo=dt.timezone.utc)
    assert first.source == "Example Gazette"
    assert first.url == "https://example.org/news/ferry-terminal"
    assert first.authors == ("Maria Lopez", "Tom Baker")
    assert second.id == "articles.jsonl#2"
    assert second.body == (
        "Wheat and maize prices held steady on Monday after the harvest report.\n\n"
        "Traders had expected a larger crop."
    )
    assert second.date == dt.datetime(2024, 9, 2, 14, tzinfo=dt.timezone.utc)
    assert (second.people, second.places) == (("Ana Silva",), ("Brazil", "Argentina"))
    assert second.themes == ("agriculture", "markets")
    assert third.id == "articles.jsonl#4"  # the record number is the line number
    assert third.title == "Council votes to extend library opening hours"
    assert third.date == dt.date(2024, 5, 1)


def test_readers_jsonl_mapping_overrides_field_names(tmp_path: Path) -> None:
    path = tmp_path / "custom.jsonl"
    record = {"hed": "Mapped title", "dek": "Summary.", "meta": {"when": "2024-01-02"}}
    path.write_text(json.dumps(record) + "\n")
    mapping = {"title": "hed", "body": "dek", "date": "meta.when"}
    (article,) = articles(read(path, mapping=mapping))
    assert (article.title, article.body, article.date) == (
        "Mapped title",
        "Summary.",
        dt.date(2024, 1, 2),
    )


def test_readers_json_reads_newsapi_response() -> None:
    first, second = articles(read(READERS / "newsapi.json"))
    assert first.title == "Bridge reopens after repairs"
    assert first.body.startswith("The river bridge reopened to traffic on Friday after six")
    assert first.source == "Example News"
    assert first.authors == ("Sam Reed",)
    assert first.id == "newsapi.json#1"
    assert second.authors == ()


def test_readers_json_array_and_json_lines_under_json_name(tmp_path: Path) -> None:
    array = tmp_path / "array.json"
    array.write_text(json.dumps([{"title": "One", "body": "First."}, 5]))
    one, five = read(array)
    assert isinstance(one, Article) and isinstance(five, Skipped)
    assert str(five) == "array.json:2: record is a int, not a JSON object"
    lines = tmp_path / "lines.json"
    lines.write_text('{"title": "A", "body": "a."}\n{"title": "B", "body": "b."}\n')
    assert [a.title for a in articles(read(lines))] == ["A", "B"]


def test_readers_jsonl_gzip_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"title": "Packed", "body": "Inside gzip."}\n'))
    (article,) = articles(read(path))
    assert article.title == "Packed"
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress(b'{"title": "Packed", "body": "x."}\n' * 50)[:60])
    assert skips(read(truncated))


def test_readers_jsonl_bad_records_skipped_one_at_a_time() -> None:
    records = read(BAD / "truncated.jsonl")
    assert [type(r).__name__ for r in records] == ["Article", "Skipped", "Article"]
    assert str(records[1]) == "truncated.jsonl:2: truncated JSON: the line ends inside a record"
    records = read(BAD / "not-object.jsonl")
    assert [str(r) for r in skips(records)] == [
        "not-object.jsonl:2: record is an array, not a JSON object",
        "not-object.jsonl:3: record is a string, not a JSON object",
        "not-object.jsonl:4: record is null, not a JSON object",
    ]
    assert len(articles(records)) == 2


def test_readers_jsonl_impossible_dates_skip_the_record_naming_field_and_value() -> None:
    records = read(BAD / "bad-date.jsonl")
    assert [type(r).__name__ for r in records] == ["Article", "Skipped", "Skipped", "Article"]
    assert "field 'date' has impossible date '2025-02-30'" in str(records[1])
    assert "year 99999" in str(records[2])


def test_readers_jsonl_empty_and_binary_files() -> None:
    assert read(BAD / "empty.jsonl") == []
    assert [r.reason for r in skips(read(BAD / "binary.jsonl"))] == ["binary file, not JSON Lines"]


def test_readers_jsonl_gigantic_line_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source_module, "MAX_RECORD_BYTES", 1000)
    path = tmp_path / "big.jsonl"
    big = json.dumps({"title": "Huge", "body": "word " * 5000})
    path.write_text(
        f'{{"title": "Small", "body": "ok"}}\n{big}\n{{"title": "After", "body": "ok"}}\n'
    )
    records = read(path)
    assert [type(r).__name__ for r in records] == ["Article", "Skipped", "Article"]
    assert "too long" in str(records[1])


def test_readers_jsonl_deep_nesting_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 200_000 + "]" * 200_000 + '\n{"title": "Fine", "body": "ok"}\n')
    first, second = read(path)
    assert isinstance(first, Skipped) and "nested too deeply" in first.reason
    assert isinstance(second, Article)


def test_readers_jsonl_invalid_utf8_reads_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"title": "Price \xa3 rise", "body": "M\xfcnchen saw prices rise."}\n')
    (article,) = articles(read(path))
    assert article.title == "Price £ rise"
    assert article.body.startswith("München")
    assert article.extra["warnings"]


def test_readers_jsonl_streams_large_files_with_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "many.jsonl"
    line = b'{"title": "Same story", "body": "A short body of text for a record."}\n'
    with path.open("wb") as handle:
        handle.write(line * 20_000)
    tracemalloc.start()
    count = 0
    for record in read_file(path, tmp_path):
        count += isinstance(record, Article)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20_000
    assert peak < path.stat().st_size / 4


@settings(derandomize=True, deadline=None, max_examples=150)
@given(
    st.dictionaries(
        st.sampled_from(["id", "title", "body", "text", "date", "url", "source", "authors",
                         "people", "themes", "extra", "publishedAt"]) | st.text(max_size=8),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
            lambda children: st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=5), children, max_size=3),
            max_leaves=8,
        ),
        max_size=6,
    )
)  # fmt: skip
def test_readers_jsonl_any_record_reads_or_skips(record: dict[str, object]) -> None:
    line = json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")
    directory = Path(os.environ.get("TMPDIR", "/tmp"))
    results = list(_read_bytes(line + b"\n", directory))
    assert len(results) == 1
    assert isinstance(results[0], (Article, Skipped))


def _read_bytes(data: bytes, directory: Path) -> list[Record]:
    from newsindex.readers.jsonl import _read_lines  # the reader without file system costs

    return list(_read_lines(enumerate(data.splitlines(keepends=True), 1), "x.jsonl", ReadOptions()))


# --- CSV and TSV ---------------------------------------------------------------------


def test_readers_csv_with_header_row() -> None:
    first, second = articles(read(READERS / "headlines.csv"))
    assert (first.id, first.title) == ("c1", "Museum returns looted statues")
    assert first.date == dt.date(2024, 2, 7)
    assert first.themes == ("culture",)
    assert first.authors == ("Lee Chang",)
    assert second.title == 'Storm closes ports, "worst in a decade"'
    assert (
        second.body
        == "Ports along the coast closed as the storm approached.\nFerries were cancelled."
    )
    assert second.date == dt.date(2024, 7, 2)  # month first, as dateutil reads it
    assert second.themes == ("weather", "transport")


def test_readers_tsv_reads_tab_separated_rows() -> None:
    first, second = articles(read(READERS / "stories.tsv"))
    assert first.title == "School meals plan approved"
    assert second.date == dt.date(2023, 11, 21)
    assert second.id == "stories.tsv#2"


def test_readers_csv_headerless_default_and_escapes_repaired() -> None:
    first, second = articles(read(READERS / "headerless.csv"))
    assert first.title == "Runner sets course record"
    assert first.body.endswith("finishing in\ntwo hours and five minutes.")
    assert second.title == "Shares rise $2 on results"
    assert second.body == (
        "Shares in the retailer rose $2 after it reported results that beat forecasts. "
        'The chief executive said sales were "strong".'
    )


def test_readers_csv_positional_mapping(tmp_path: Path) -> None:
    path = tmp_path / "layout.csv"
    path.write_text("2024-01-05,Body first here.,Then the title,politics\n")
    mapping = {"date": "1", "body": "2", "title": "3", "themes": "4"}
    (article,) = articles(read(path, mapping=mapping))
    assert (article.title, article.body) == ("Then the title", "Body first here.")
    assert (article.date, article.themes) == (dt.date(2024, 1, 5), ("politics",))


def test_readers_csv_wrong_column_counts_skip_rows() -> None:
    records = read(BAD / "wrong-columns.csv")
    assert [str(r) for r in skips(records)] == [
        "wrong-columns.csv:2: row has 2 fields, expected 3",
        "wrong-columns.csv:3: row has 5 fields, expected 3",
    ]
    assert [a.title for a in articles(records)] == ["Full row", "Good row"]


def test_readers_csv_invalid_utf8_row_warns(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(b"title,body\nGood,Plain row.\nCaf\xe9,Legacy byte.\n")
    first, second = articles(read(path))
    assert "warnings" not in first.extra
    assert second.title == "Café"
    assert second.extra["warnings"][0].startswith("line 3:")


def test_readers_csv_empty_and_binary(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert [r.reason for r in skips(read(empty))] == ["empty file"]
    binary = tmp_path / "binary.csv"
    binary.write_bytes((BAD / "binary.bin").read_bytes())
    assert [r.reason for r in skips(read(binary))] == ["binary file, not CSV"]


# --- any bytes, any format -----------------------------------------------------------

_SEEDS = [
    b'{"title": "T", "body": "B", "date": "2024-01-01"}\n',
    b"title,body\nT,B\n",
    b'<rss version="2.0"><channel><item><title>T</title></item></channel></rss>',
    b"<html><body><article><p>Some words of text here.</p></article></body></html>",
    b"date 2024-01-01 Text.",
]


@pytest.mark.parametrize("fmt", ["text", "jsonl", "json", "csv", "tsv", "feed", "html"])
@settings(derandomize=True, deadline=None, max_examples=40)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.tuples(st.sampled_from(_SEEDS), st.binary(max_size=40), st.integers(0, 80)).map(
            lambda parts: parts[0][: parts[2]] + parts[1] + parts[0][parts[2] :]
        ),
    )
)
def test_readers_any_bytes_read_or_skip_never_raise(fmt: str, data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.dat"
        path.write_bytes(data)
        records = list(read_file(path, Path(folder), ReadOptions(format=fmt)))
    assert all(isinstance(record, (Article, Skipped)) for record in records)


# --- dates ---------------------------------------------------------------------------

_UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-05-01", dt.date(2024, 5, 1)),
        ("2024-05-01T09:30:00+02:00", dt.datetime(2024, 5, 1, 7, 30, tzinfo=_UTC)),
        ("2024-05-01T09:30:00+0200", dt.datetime(2024, 5, 1, 7, 30, tzinfo=_UTC)),
        ("2024-05-01 09:30Z", dt.datetime(2024, 5, 1, 9, 30, tzinfo=_UTC)),
        ("Wed, 01 May 2024 09:30:00 GMT", dt.datetime(2024, 5, 1, 9, 30, tzinfo=_UTC)),
        ("Wed, 01 May 2024 09:30:00 EDT", dt.datetime(2024, 5, 1, 13, 30, tzinfo=_UTC)),
        ("20240501", dt.date(2024, 5, 1)),
        ("1714555800", dt.datetime(2024, 5, 1, 9, 30, tzinfo=_UTC)),
        (1714555800000, dt.datetime(2024, 5, 1, 9, 30, tzinfo=_UTC)),
        ("May 1, 2024", dt.date(2024, 5, 1)),
        ("05/01/2024", dt.date(2024, 5, 1)),
        ("26-FEB-1987 15:01:01.79", dt.datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=_UTC)),
        ("2024-05-01 09:30 CEST", dt.datetime(2024, 5, 1, 7, 30, tzinfo=_UTC)),
        ("", None),
        ("N/A", None),
        (None, None),
    ],
)
def test_readers_dates_common_forms(written: object, expected: object) -> None:
    from newsindex.readers.dates import parse_date

    parsed = parse_date(written)
    assert parsed == expected
    if isinstance(parsed, dt.datetime):
        assert parsed.tzinfo is not None


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2025-02-30", "not a calendar date"),
        ("99999-01-01", "year 99999 is out of range"),
        ("2024", "not a full date"),
        ("May 2024", "not a full date"),
        ("next tuesday", "not a date"),
        ("2024-05-01 09:30 IST", "time zone not known"),
        (True, "not a date"),
        (1e300, "timestamp out of range"),
        ({"when": "today"}, "a dict, not a date"),
    ],
)
def test_readers_dates_impossible_values_raise_with_reason(written: object, reason: str) -> None:
    from newsindex.readers.dates import parse_date

    with pytest.raises(ValueError, match=reason):
        parse_date(written)


def test_readers_text_line_endings_utf16_and_gzip(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"Title here\r\n\r\nBody line one.\r\nBody line two.\r\n")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Titre\n\nCorps du texte é.".encode("utf-16"))
    packed = tmp_path / "packed.txt.gz"
    packed.write_bytes(gzip.compress(b"date 2024-03-01 Zipped title.\n\nZipped body."))
    (first,) = articles(read(crlf))
    assert (first.title, first.body) == ("Title here", "Body line one.\nBody line two.")
    (second,) = articles(read(utf16))
    assert (second.title, second.body) == ("Titre", "Corps du texte é.")
    (third,) = articles(read(packed))
    assert (third.id, third.date) == ("packed.txt.gz", dt.date(2024, 3, 1))


def test_readers_csv_positions_work_with_a_header_row(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("kind,headline,text\nnews,Positions and names,Both name the column.\n")
    (article,) = articles(read(path, mapping={"themes": "1"}))
    assert (article.title, article.themes) == ("Positions and names", ("news",))


def test_readers_unlistable_folder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Hidden from us.")
    (tmp_path / "open.txt").write_text("Open title\n\nReadable body.")
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(discover_files([tmp_path]))
    monkeypatch.setattr(os, "listdir", lambda path: scandir(path))
    assert [f.name for f, _ in found] == ["open.txt", "locked"]
    records = [r for f, root in found for r in read_file(f, root)]
    assert isinstance(records[0], Article)
    assert str(records[1]) == "locked: cannot read folder: Permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_readers_file_without_read_permission_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "secret.jsonl"
    path.write_text('{"title": "T", "body": "B"}\n')
    path.chmod(0)
    try:
        assert [str(r) for r in read(path)] == ["secret.jsonl: cannot read file: Permission denied"]
    finally:
        path.chmod(0o600)


# --- legacy encodings ----------------------------------------------------------------

_RUSSIAN = "Президент заявил во вторник, что переговоры продолжатся на следующей неделе."


def test_readers_legacy_non_latin_encodings_are_detected(tmp_path: Path) -> None:
    pytest.importorskip("charset_normalizer", reason="detection needs charset-normalizer")
    text = tmp_path / "koi8.txt"
    text.write_bytes(f"Переговоры продолжатся\n\n{_RUSSIAN}".encode("koi8_r"))
    (article,) = articles(read(text))
    assert (article.title, article.body) == ("Переговоры продолжатся", _RUSSIAN)
    assert article.extra["warnings"] == ["not valid UTF-8; read as koi8_r (detected)"]
    table = tmp_path / "export.csv"
    rows = "".join(f'Заголовок {n},"{_RUSSIAN}"\n' for n in range(30))
    table.write_bytes(f"title,body\n{rows}".encode("cp1251"))
    found = articles(read(table))
    assert len(found) == 30
    assert {a.body for a in found} == {_RUSSIAN}
    assert found[29].title == "Заголовок 29"


def test_readers_western_legacy_text_stays_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes("Café owners say the “new” parking rules cost them trade.".encode("cp1252"))
    (article,) = articles(read(path))
    assert article.body.startswith("Café owners say the “new” parking")
