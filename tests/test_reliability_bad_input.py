"""Bad input end to end: each bad file or record is reported with a clear reason, the rest is
indexed, and nothing is lost: the index holds every article read minus those skipped and the
exact duplicates, each listed.  A full disk or read-only index fails the build cleanly."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsindex import Article, BuildOptions, IndexWriteError, NewsIndex
from newsindex.cli import main

from .conftest import shared_folder
from .corpora import corpus

pytestmark = pytest.mark.usefixtures("engine")  # the shared suite: every engine

NONE = BuildOptions(extractor="none", workers=0)

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>t</title>
<item><title>&lol9;</title><description>boom</description></item></channel></rss>
"""

SCRIPTED_PAGE = """<html><head><title>Harbour news</title>
<script>var secretpayload = 1; alert("xss")</script><style>.zz{color:red}</style></head>
<body><article><h1>Harbour cranes arrive</h1>
<p>The harbour received three new cranes on Monday.</p>
<script>document.write("injectedtext")</script></article></body></html>
"""


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def good(n: int) -> dict[str, str]:
    return {"id": f"good-{n}", "title": f"Good record {n}", "body": f"A fine story body {n}."}


def write_bad_folder(folder: Path) -> dict[tuple[str, int | None], str]:
    """Every bad case in one folder; return the expected skips: (file, record) -> reason."""
    folder.mkdir()
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "giant-line.txt").write_text("Giant headline " + "word " * 600_000, "utf-8")
    (folder / "giant.jsonl").write_text(
        jsonl({"title": "big", "body": "word " * 3_400_000}, good(1)), "utf-8"
    )
    (folder / "nested.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    (folder / "records.jsonl").write_text(
        jsonl(
            good(2),
            '{"a":' * 50_000 + "1" + "}" * 50_000,
            '{"title": "truncated", "body": "cut off',
            {"id": "d1", "title": "Impossible day", "body": "Body", "date": "2025-02-30"},
            {"id": "d2", "title": "Far year", "body": "Body", "date": "99999-01-01"},
            [1, 2, 3],
            good(3),
        ),
        "utf-8",
    )
    (folder / "columns.csv").write_text(
        "title,body,date\nGood row,Body of a good row,2024-01-02\nonly one column\n"
        "x,y,z,extra,extra\nAnother good row,Another body,2024-01-03\n",
        "utf-8",
    )
    (folder / "bomb.rss").write_text(ENTITY_BOMB, "utf-8")
    (folder / "scripts.html").write_text(SCRIPTED_PAGE, "utf-8")
    (folder / "name with spaces.txt").write_text("Spaces headline\n\nSpaces story.\n", "utf-8")
    (folder / "ünïcødé-名前.txt").write_text("Unicode headline\n\nUnicode story.\n", "utf-8")
    (folder / "new\nline.txt").write_text("Newline headline\n\nNewline story.\n", "utf-8")
    (folder / "loop").mkdir()
    (folder / "loop" / "up").symlink_to("..")
    (folder / "self.txt").symlink_to("self.txt")
    return {
        ("binary.txt", None): "binary file",
        ("empty.txt", None): "empty file",
        ("giant.jsonl", 1): "too long",
        ("nested.json", None): "nested too deeply",
        ("records.jsonl", 2): "nested too deeply",
        ("records.jsonl", 3): "truncated JSON",
        ("records.jsonl", 4): "2025-02-30",
        ("records.jsonl", 5): "99999",
        ("records.jsonl", 6): "not a JSON object",
        ("columns.csv", 2): "expected 3",
        ("columns.csv", 3): "expected 3",
        ("bomb.rss", None): "entit",
        ("self.txt", None): "symbolic links",
    }


@pytest.fixture(scope="module")
def _bad_builds() -> dict[str, tuple[Path, object, dict]]:
    return {}


@pytest.fixture
def bad_build(
    engine: str,
    _bad_builds: dict[str, tuple[Path, object, dict]],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, object, dict]:
    """The bad folder built on the test's engine, once per module and engine."""
    if engine not in _bad_builds:
        root = shared_folder(tmp_path_factory, "bad", engine)
        expected = write_bad_folder(root / "in")
        with NewsIndex.create(root / "index", extractor="none") as index:
            report = index.build([root / "in"], NONE)
        _bad_builds[engine] = (root, report, expected)
    return _bad_builds[engine]


def test_reliability_bad_input_every_bad_file_and_record_is_named_with_a_reason(
    bad_build: tuple[Path, object, dict],
) -> None:
    _, report, expected = bad_build
    found = {(Path(s.path).name, s.record): s.reason for s in report.skipped}  # type: ignore[attr-defined]
    assert set(found) == set(expected), found
    for key, reason in expected.items():
        assert reason in found[key], (key, found[key])


def test_reliability_bad_input_the_rest_is_indexed_and_nothing_is_lost(
    bad_build: tuple[Path, object, dict],
) -> None:
    root, report, _ = bad_build
    with NewsIndex.open(root / "index") as index:
        ids = index.ids()
        assert len(ids) == report.articles_read - len(report.duplicates)  # type: ignore[attr-defined]
        for word in ("giant", "spaces", "unicode", "newline", "harbour", "fine"):
            assert index.search(word).total >= 1, word
        assert index.search('"good record 3"').total == 1  # the record after the bad ones
        assert index.search('"another good row"').total == 1
        for hidden in ("secretpayload", "injectedtext", "alert", "lol"):
            assert index.search(hidden).total == 0, hidden


def test_reliability_bad_input_real_invalid_utf8_is_read_with_a_warning(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(corpus("bbc-news") / "bbc" / "sport" / "199.txt", folder / "bbc-sport-199.txt")
    shutil.copy(corpus("reuters21578") / "reut2-017.sgm", folder / "reut2-017.sgm")
    with NewsIndex.create(tmp_path / "index", extractor="none") as index:
        report = index.build([folder], NONE)
        assert report.skipped == []
        assert len(index) == 2
        warnings = "\n".join(report.warnings)
        assert "bbc-sport-199.txt: not valid UTF-8 at byte 257" in warnings
        assert "reut2-017.sgm: not valid UTF-8" in warnings
        bbc = index.get("in/bbc-sport-199.txt")
        assert "£" in bbc.body  # the lone 0xA3 read as Windows-1252


def test_reliability_bad_input_cli_lists_skips_on_stderr_and_exits_1(
    tmp_path: Path, runner: CliRunner
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "story.txt").write_text("Harbour cranes\n\nThree cranes arrived.\n", "utf-8")
    result = runner.invoke(main, ["build", str(folder), "--index", str(tmp_path / "index")])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert "skipped in/binary.txt: binary file, not text" in lines
    assert "skipped in/empty.txt: empty file" in lines
    with NewsIndex.open(tmp_path / "index") as index:
        assert index.ids() == ["in/story.txt"]


# -- nothing lost, over random folders ------------------------------------------------------


@dataclass
class Folder:
    """A generated input folder and what a build of it must report."""

    files: dict[str, bytes]
    good: int
    bad: int
    duplicates: int


@st.composite
def folders(draw: st.DrawFn) -> Folder:
    """Text and JSON Lines files mixing good records, bad ones and exact duplicates."""
    files: dict[str, bytes] = {}
    counter = {"good": 0, "bad": 0, "dup": 0, "n": 0}
    written: list[tuple[str, str]] = []

    def fresh() -> tuple[str, str]:
        counter["n"] += 1
        return f"Story {counter['n']} headline", f"Body of story number {counter['n']}."

    names = st.sampled_from(["a", "b c", "ü名", "x-1", "new\nline", "d.e"])
    for number in range(draw(st.integers(1, 6))):
        stem = f"{number}-{draw(names)}"
        if draw(st.booleans()):  # a text file: one article, or one skipped file
            kind = draw(st.sampled_from(["good", "empty", "binary"]))
            if kind == "good":
                title, body = fresh()
                files[f"{stem}.txt"] = f"{title}\n\n{body}\n".encode()
                counter["good"] += 1
            else:
                files[f"{stem}.txt"] = b"" if kind == "empty" else bytes(range(256)) * 4
                counter["bad"] += 1
            continue
        lines = []
        for line in range(draw(st.integers(1, 8))):
            kind = draw(st.sampled_from(["good", "good", "dup", "truncated", "array", "date"]))
            record_id = f"{stem}#{line}"
            if kind == "dup" and written:
                title, body = draw(st.sampled_from(written))
                lines.append(json.dumps({"id": record_id, "title": title, "body": body}))
                counter["dup"] += 1
                counter["good"] += 1
            elif kind in ("good", "dup"):
                title, body = fresh()
                written.append((title, body))
                lines.append(json.dumps({"id": record_id, "title": title, "body": body}))
                counter["good"] += 1
            elif kind == "truncated":
                lines.append('{"title": "cut", "body": "off')
                counter["bad"] += 1
            elif kind == "array":
                lines.append("[1, 2]")
                counter["bad"] += 1
            else:
                lines.append(json.dumps({"title": "t", "body": "b", "date": "2025-02-30"}))
                counter["bad"] += 1
        files[f"{stem}.jsonl"] = ("\n".join(lines) + "\n").encode()
    return Folder(files, counter["good"], counter["bad"], counter["dup"])


@settings(max_examples=25)
@given(folder=folders())
def test_reliability_bad_input_nothing_is_lost_in_any_folder(folder: Folder) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "in"
        root.mkdir()
        for name, data in folder.files.items():
            (root / name).write_bytes(data)
        with NewsIndex.create(Path(scratch) / "index", extractor="none") as index:
            report = index.build([root], NONE)
            assert report.articles_read == folder.good
            assert len(report.skipped) == folder.bad
            assert all(s.path and s.reason for s in report.skipped)
            assert len(report.duplicates) == folder.duplicates
            assert len(index) == report.articles_read - len(report.duplicates)
            assert len(index) == report.added


# -- an index that cannot be written ----------------------------------------------------------


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", *args], capture_output=True)
    return done.returncode == 0


def _umount(path: Path) -> None:
    done = subprocess.run(["umount", "--lazy", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def small_folder(path: Path, count: int, prefix: str = "story") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (path / f"{prefix}-{n}.txt").write_text(
            f"{prefix} headline {n}\n\nHarbour cranes story {prefix} {n}.\n", "utf-8"
        )
    return path


@pytest.mark.engines(
    "whoosh", reason="Tantivy takes a lock file to read an index, so it cannot open a read-only one"
)
def test_reliability_bad_input_read_only_index_mount_searches_but_refuses_builds(
    tmp_path: Path, runner: CliRunner
) -> None:
    source, mounted = tmp_path / "src", tmp_path / "ro"
    mounted.mkdir()
    with NewsIndex.create(source / "index", extractor="none") as index:
        index.build([small_folder(tmp_path / "in", 3)], NONE)
    if not (_mount("--bind", str(source), str(mounted))):
        pytest.skip("cannot bind-mount here (needs root); the injected test covers it")
    try:
        if not _mount("-o", "remount,bind,ro", str(mounted)):
            pytest.skip("cannot remount read-only here")
        with NewsIndex.open(mounted / "index") as opened:
            assert opened.search("harbour").total == 3
        result = runner.invoke(
            main, ["build", str(tmp_path / "in"), "--index", str(mounted / "index")]
        )
        assert result.exit_code == 3
        assert result.stderr == (
            f"Error: cannot write the index at {mounted / 'index'}: "
            "permission denied (is the directory read-only?)\n"
        )
    finally:
        _umount(mounted)


@pytest.mark.engines(
    "whoosh",
    "tantivy",
    reason="an OpenSearch index lives on the cluster, not in a folder: no local disk reaches it",
)
def test_reliability_bad_input_read_only_index_injected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_path = tmp_path / "index"
    with NewsIndex.create(index_path, extractor="none") as index:
        index.build([small_folder(tmp_path / "in", 3)], NONE)
    real_open = os.open

    def read_only(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).startswith(str(index_path)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    with NewsIndex.open(index_path) as opened:
        with pytest.raises(IndexWriteError, match="read-only"):
            opened.build([small_folder(tmp_path / "more", 2, "more")], NONE)
        assert opened.search("harbour").total == 3


@pytest.mark.engines(
    "whoosh",
    "tantivy",
    reason="an OpenSearch index lives on the cluster, not in a folder: no local disk reaches it",
)
def test_reliability_bad_input_full_disk_keeps_the_last_commit_then_completes(
    tmp_path: Path,
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)):
        pytest.skip("cannot mount a small tmpfs here (needs root); the injected test covers it")
    try:
        first = small_folder(tmp_path / "first", 5)
        big = tmp_path / "big"
        big.mkdir()
        words = " ".join(f"w{n:x}" for n in range(30_000))  # distinct words: a big segment
        (big / "big.txt").write_text(f"Big headline\n\n{words}\n", "utf-8")
        with NewsIndex.create(disk / "index", extractor="none") as index:
            index.build([first], NONE)
            with pytest.raises(IndexWriteError, match="the disk is full"):
                index.build([big], NONE)
        with NewsIndex.open(disk / "index") as reopened:
            assert len(reopened) == 5
            assert reopened.search("harbour").total == 5
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        with NewsIndex.open(disk / "index") as again:
            report = again.build([big], NONE)
            assert report.added == 1 and len(again) == 6
        leftovers = [n for n in os.listdir(disk / "index") if n == "MAIN.tmp" or ".toc." in n]
        assert leftovers == []
    finally:
        _umount(disk)


@pytest.mark.engines(
    "whoosh", reason="the failure is injected into Whoosh's file writer; the tmpfs test runs on all"
)
def test_reliability_bad_input_full_disk_injected_mid_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.filedb import structfile

    index_path = tmp_path / "index"
    with NewsIndex.create(index_path, extractor="none") as index:
        index.add_articles(
            [Article(id=f"a{n}", title=f"Kept {n}", body="kept body") for n in range(4)], NONE
        )
    real_write = structfile.StructFile.write
    calls = {"n": 0}

    def fill_up(self: object, data: bytes) -> object:
        calls["n"] += 1
        if calls["n"] > 40:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(structfile.StructFile, "write", fill_up)
    more = [Article(id=f"b{n}", title=f"Lost {n}", body="lost body") for n in range(50)]
    with NewsIndex.open(index_path) as opened:
        with pytest.raises(IndexWriteError, match="the disk is full"):
            opened.add_articles(more, NONE)
    monkeypatch.setattr(structfile.StructFile, "write", real_write)
    with NewsIndex.open(index_path) as reopened:
        assert sorted(reopened.ids()) == [f"a{n}" for n in range(4)]
        reopened.add_articles(more, NONE)
        assert len(reopened) == 54
