"""The documentation is tested: its examples run, the CLI reference matches the code, and
every command and public name is documented.  Also the commands documented here first:
themes, doctor and completion."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

import newsindex
from newsindex import Filters, NewsIndex
from newsindex.cli import main
from newsindex.doctor import diagnose

from .conftest import REPO, SEED_ID
from .corpora import corpus
from .docs_support import Block, blocks, commands, needed_corpora, run_page

DOCS = REPO / "docs"
OWN_PAGES = ["quickstart.md", "cli.md", "python-api.md", "architecture.md", "recipes.md"]
OTHER_PAGES = [
    "extraction.md",
    "themes.md",
    "formats.md",
    "engine.md",
    "glossary.md",
    "reliability.md",
    "evaluation.md",
    "benchmarks.md",
    "benchmarks.md",
    "notebooks.md",
]
PAGES_WITH_EXAMPLES = ["README.md", *(f"docs/{name}" for name in (*OWN_PAGES, *OTHER_PAGES))]
"""Every page whose examples run (query-syntax.md's run in tests/test_query.py)."""
PROSE_PAGES = {
    "docs/architecture.md",
    "docs/engine.md",
    "docs/glossary.md",
    "docs/reliability.md",
    "docs/evaluation.md",
    "docs/benchmarks.md",
}


# -- the docs' examples run -------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES)
def test_docs_examples_run(page: str, tmp_path: Path) -> None:
    for name in needed_corpora(REPO / page):
        corpus(name)  # skips (fails under CI=true) where the shared corpus is absent
    ran = run_page(REPO / page, tmp_path)
    assert ran or page in PROSE_PAGES, f"{page} has no runnable example"


def test_docs_seed_ids_keep_the_folder_after_a_relative_build(
    runner: CliRunner, tmp_path: Path
) -> None:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    with NewsIndex.create(tmp_path / "index") as index:
        previous = Path.cwd()
        os.chdir(tmp_path)
        try:
            index.build([Path("seeds")])
        finally:
            os.chdir(previous)
        assert index.ids() == [SEED_ID]


def test_docs_console_lines_parse_like_a_shell() -> None:
    text = (
        "$ NO_COLOR=1 newsindex search x --json | jq .  # exit 1\n"
        "output\n$ cat a.jsonl | newsindex build - \\\n  --index ix\n$ ls\n"
    )
    found = commands(Block("console", text, 1, False))
    assert [c.args for c in found] == [["search", "x", "--json"], ["build", "-", "--index", "ix"]]
    assert found[0].env == {"NO_COLOR": "1"} and found[0].exit_code == 1
    assert found[1].stdin == "a.jsonl"


# -- docs/cli.md matches the code --------------------------------------------------------


def test_docs_cli_reference_is_current() -> None:
    cogapp = pytest.importorskip("cogapp", reason="pip install -e '.[test]' installs cog")
    status = cogapp.Cog().main(["cog", "--check", "--verbosity=0", str(DOCS / "cli.md")])
    assert status == 0, "docs/cli.md is out of date: run `cog -r docs/cli.md`"


def test_docs_every_command_is_documented_with_help_and_examples(runner: CliRunner) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"### newsindex {name}\n" in text, f"{name} is missing from docs/cli.md"
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert re.search(r"^\s+Examples?:$", result.stdout, re.M), f"{name} --help has no example"
        examples = result.stdout.split("Example", 1)[1]
        assert f"newsindex {name}" in examples, f"{name} --help examples do not use it"


def test_docs_exit_codes_table_matches_the_cli() -> None:
    from newsindex.cli import app

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for code in (0, app.EXIT_NOTICE, 2, app.EXIT_ERROR, app.EXIT_LOCKED):
        assert f"\n| {code} |" in text


def test_docs_every_public_name_has_an_example() -> None:
    text = (DOCS / "python-api.md").read_text(encoding="utf-8")
    code = "".join(b.text for b in blocks(DOCS / "python-api.md") if b.lang in ("python", "pycon"))
    for name in newsindex.__all__:
        assert f"`{name}`" in text, f"{name} is not described in docs/python-api.md"
        assert re.search(rf"\b{re.escape(name)}\b", code), f"no example uses {name}"


def test_docs_links_between_pages_resolve() -> None:
    for page in [REPO / "README.md", *(DOCS / name for name in [*OWN_PAGES, "glossary.md"])]:
        for target in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if (page.parent / target).exists() or target in _PAGES_IN_PROGRESS:
                continue
            raise AssertionError(f"{page.name} links to missing {target}")


def test_docs_every_page_is_in_the_site_navigation() -> None:
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for page in sorted(DOCS.glob("*.md")):
        assert f": {page.name}\n" in nav, f"add docs/{page.name} to the nav in mkdocs.yml"


_PAGES_IN_PROGRESS: set[str] = set()
"""Pages allowed to be linked before they exist (none: every page has landed)."""


# -- the recipe "who is mentioned with semiconductors, by month" ----------------------


EXPECTED_BY_MONTH = {
    "2025-09": {"Jensen Huang"},
    "2025-10": {"Jensen Huang", "Takaichi Sanae", "Ursula von der Leyen"},
    "2025-11": {"Gina Raimondo", "Narendra Modi"},
}


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the recipe's folder, which mixes JSON Lines, seed-format text and CSV."""
    root = tmp_path_factory.mktemp("mixed")
    setup = next(b for b in blocks(DOCS / "recipes.md") if "mkdir -p chips" in b.text)
    subprocess.run(["bash", "-euo", "pipefail", "-c", setup.text], cwd=root, check=True)
    assert {p.suffix for p in (root / "chips").iterdir()} == {".jsonl", ".txt", ".csv"}
    with NewsIndex.create(root / "index") as index:
        report = index.build([root / "chips"])
    assert report.added == 6 and not report.skipped
    return root / "index"


def test_docs_recipe_people_by_month_with_the_library(mixed_index: Path) -> None:
    with NewsIndex.open(mixed_index) as index:
        by_month = index.facets_over_time("semiconductors", ("people",), interval="month")
        timeline = index.timeline(["semiconductors"], interval="month")
        for label, count in zip(timeline.buckets, timeline.series["semiconductors"], strict=True):
            assert by_month[label]["people"].total == count
            # The same by hand, with a month given as text.
            facet = index.facets(
                "semiconductors", ("people",), filters=Filters(since=label, until=label)
            )["people"]
            assert facet == by_month[label]["people"]
    found = {month: {c.value for c in f["people"].counts} for month, f in by_month.items()}
    assert found == EXPECTED_BY_MONTH


def test_docs_recipe_people_by_month_from_the_cli(runner: CliRunner, mixed_index: Path) -> None:
    index = ["--index", str(mixed_index)]
    result = runner.invoke(
        main, ["facets", "semiconductors", "--by", "people", "--per", "month", "--csv", *index]
    )
    assert result.exit_code == 0, result.stderr
    found: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(result.stdout)):
        found.setdefault(row["bucket"], set()).add(row["value"])
    assert found == EXPECTED_BY_MONTH


# -- themes ------------------------------------------------------------------------------


def test_themes_lists_the_taxonomy_as_a_tree(runner: CliRunner) -> None:
    result = runner.invoke(main, ["themes"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    top = lines.index(next(line for line in lines if line.startswith("science and technology")))
    assert any(line.startswith("  semiconductors ") for line in lines[top:])
    assert "Microchips" in result.stdout
    assert re.fullmatch(r"\d+ themes\.\n", result.stderr)


def test_themes_json_and_parent_filter(runner: CliRunner) -> None:
    everything = json.loads(runner.invoke(main, ["themes", "--json"]).stdout)
    assert {"name", "code", "parent", "level", "description"} <= set(everything[0])
    result = runner.invoke(main, ["themes", "--parent", "Science and Technology", "--json"])
    assert result.exit_code == 0
    branch = json.loads(result.stdout)
    assert "semiconductors" in {t["name"] for t in branch}
    assert {t["parent"] for t in branch} == {"science and technology"}
    by_code = runner.invoke(main, ["themes", "--parent", "medtop:13000000", "--json"])
    assert json.loads(by_code.stdout) == branch


def test_themes_include_a_users_file(runner: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "my.themes"
    mine.write_text(
        "[quantum computing]\n@parent science and technology\n"
        "@description Qubits and quantum computers.\nqubit\nquantum computer\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        main, ["themes", "--themes", str(mine), "--parent", "science and technology"]
    )
    assert result.exit_code == 0, result.stderr
    assert "quantum computing" in result.stdout and "Qubits" in result.stdout
    mine.write_text("[orphan]\n@parent no such theme\nword\n", encoding="utf-8")
    result = runner.invoke(main, ["themes", "--themes", str(mine)])
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and "unknown parent" in result.stderr


def test_themes_unknown_parent_is_a_usage_error_with_a_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(main, ["themes", "--parent", "economy, business"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "did you mean 'economy, business and finance'?" in result.stderr


# -- doctor ------------------------------------------------------------------------------


def test_doctor_healthy_index_exits_0(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(main, ["doctor", "--index", str(seed_index_path)])
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "Healthy.\n"
    names = [line.split()[1] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert {"python", "whoosh", "manifest", "articles", "files.db", "extractor"} <= set(names)


def test_doctor_missing_index_fails_with_the_fix(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["doctor", "--no-env", "--index", str(tmp_path / "none")])
    assert result.exit_code == 3
    assert result.stdout.splitlines()[0].startswith("FAIL  index  no index at ")
    assert "fix: run `newsindex build`" in result.stdout


def test_doctor_json_reports_a_tampered_index(
    runner: CliRunner, seed_index_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "index"
    shutil.copytree(seed_index_path, copy)
    manifest = json.loads((copy / "newsindex.json").read_text())
    manifest["toc_sha256"] = "0" * 64
    (copy / "newsindex.json").write_text(json.dumps(manifest))
    (copy / "MAIN.tmp").write_text("")
    result = runner.invoke(main, ["doctor", "--no-env", "--json", "--index", str(copy)])
    assert result.exit_code == 3
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["schema version"]["status"] == "ok"
    assert checks["table of contents"]["status"] == "fail"
    assert "do not match its manifest" in checks["table of contents"]["detail"]
    assert checks["leftover files"]["status"] == "warn"
    assert "MAIN.tmp" in checks["leftover files"]["detail"]


def test_doctor_old_schema_asks_for_a_rebuild(seed_index_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(seed_index_path, copy)
    manifest = json.loads((copy / "newsindex.json").read_text())
    manifest["schema_version"] = 0
    (copy / "newsindex.json").write_text(json.dumps(manifest))
    report = diagnose(copy, environment=False)
    checks = {c.name: c for c in report.checks}
    assert not report.healthy
    assert checks["schema version"].status == "fail"
    assert checks["schema version"].fix == "newsindex build --rebuild"
    assert checks["articles"].status == "warn"


def test_doctor_library_report_without_an_index() -> None:
    report = diagnose(None)
    assert report.healthy and report.index is None
    assert [c.name for c in report.checks] == ["python", "whoosh", "extractor"]


# -- completion --------------------------------------------------------------------------


def _complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(main, {}, "newsindex", "_NEWSINDEX_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_completion_values_come_from_the_index(seed_index_path: Path) -> None:
    index = ["--index", str(seed_index_path)]
    assert _complete(["search", "x", *index, "--person"], "nar") == ["Narendra Modi"]
    assert _complete(["facets", *index, "--theme"], "semi") == ["semiconductors"]
    assert "South Africa" in _complete(["timeline", "x", *index, "--place"], "So")
    assert _complete(["themes", "--parent"], "science") == ["science and technology"]
    assert _complete([], "doc") == ["doctor"]


def test_completion_through_the_environment_protocol(
    runner: CliRunner, seed_index_path: Path
) -> None:
    env = {
        "_NEWSINDEX_COMPLETE": "bash_complete",
        "COMP_WORDS": "newsindex search x --place Jap",
        "COMP_CWORD": "4",
        "NEWSINDEX_INDEX": str(seed_index_path),
    }
    result = runner.invoke(main, [], prog_name="newsindex", env=env)
    assert result.stdout == "plain,Japan\n"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script(runner: CliRunner, shell: str) -> None:
    result = runner.invoke(main, ["completion", shell])
    assert result.exit_code == 0
    assert "_NEWSINDEX_COMPLETE" in result.stdout and f"{shell}_complete" in result.stdout


def test_completion_needs_a_known_shell(runner: CliRunner) -> None:
    result = runner.invoke(main, ["completion"], env={"SHELL": "/bin/tcsh"})
    assert result.exit_code == 2 and "name a shell" in result.stderr


# -- colour ------------------------------------------------------------------------------


def test_docs_no_colour_when_piped_or_no_color(runner: CliRunner, seed_index_path: Path) -> None:
    args = ["search", "semiconductors", "--index", str(seed_index_path)]
    piped = runner.invoke(main, args)
    assert "\x1b[" not in piped.stdout and "[semiconductors]" in piped.stdout
    assert "\x1b[" in runner.invoke(main, args, color=True).stdout  # the control
    on_terminal = runner.invoke(main, args, color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in on_terminal.stdout
    doctor = runner.invoke(main, ["doctor", "--no-env", "--index", str(seed_index_path)])
    assert "\x1b[" not in doctor.stdout
    assert SEED_ID in piped.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_docs_quiet_build_draws_no_progress_bar(runner: CliRunner, tmp_path: Path) -> None:
    from newsindex.cli import build_commands

    with mock.patch.object(build_commands.sys, "stderr", _Terminal()):
        assert build_commands._progress_renderer(quiet=False)[0] is not None
        assert build_commands._progress_renderer(quiet=True)[0] is None
    result = runner.invoke(main, ["build", str(REPO / "seeds"), "-q", "--index", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_doctor_warns_while_another_process_writes(
    runner: CliRunner, seed_index_path: Path, tmp_path: Path
) -> None:
    fcntl = pytest.importorskip("fcntl")
    copy = tmp_path / "index"
    shutil.copytree(seed_index_path, copy)
    (copy / "MAIN.tmp").write_text("")  # a live writer's file, not a leftover
    with open(copy / "MAIN_WRITELOCK", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = runner.invoke(main, ["doctor", "--no-env", "--json", "--index", str(copy)])
    assert result.exit_code == 0
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["write lock"]["status"] == "warn"
    assert checks["leftover files"]["status"] == "ok"


def test_themes_csv_and_jsonl_agree_with_json(runner: CliRunner) -> None:
    as_json = json.loads(runner.invoke(main, ["themes", "--json"]).stdout)
    lines = runner.invoke(main, ["themes", "--jsonl"]).stdout.splitlines()
    assert [json.loads(line) for line in lines] == as_json
    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["themes", "--csv"]).stdout)))
    assert [r["name"] for r in rows] == [t["name"] for t in as_json]
