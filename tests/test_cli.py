"""The command line: exit codes, one-line errors on stderr, and wiring to the library."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from newsindex.cli import main

from .conftest import SEED_ID, SEEDS

pytestmark = pytest.mark.usefixtures("engine")  # the shared suite: every engine


def test_cli_search_shows_fields_and_snippet(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(main, ["search", "semiconductors", "--index", str(seed_index_path)])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "2025-11-24" in out and SEED_ID in out
    assert "Narendra Modi" in out and "Takaichi Sanae" in out
    assert "Johannesburg" in out and "semiconductors" in out
    assert "[semiconductors]" in out
    assert result.stderr.startswith("Results 1-1 of 1")


def test_cli_search_json_is_valid_and_complete(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(
        main, ["search", "people:modi", "--json", "--index", str(seed_index_path)]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["id"] == SEED_ID and hit["date"] == "2025-11-24"
    assert "Narendra Modi" in hit["people"]


def test_cli_search_jsonl_and_csv_parse(runner: CliRunner, seed_index_path: Path) -> None:
    args = ["search", "japan", "--index", str(seed_index_path), "--fields", "id,date,people"]
    jsonl = runner.invoke(main, [*args, "--jsonl"])
    assert [json.loads(line)["id"] for line in jsonl.stdout.splitlines()] == [SEED_ID]
    table = runner.invoke(main, [*args, "--csv"])
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert rows[0]["id"] == SEED_ID and "Narendra Modi" in rows[0]["people"]


def test_cli_env_var_names_the_index(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(
        main, ["search", "semiconductors"], env={"NEWSINDEX_INDEX": str(seed_index_path)}
    )
    assert result.exit_code == 0 and SEED_ID in result.stdout


def test_cli_missing_index_is_one_line_exit_3(
    runner: CliRunner, tmp_path: Path, index_arg: Callable[[Path], str]
) -> None:
    result = runner.invoke(main, ["search", "x", "--index", str(tmp_path / "none")])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: no index at {index_arg(tmp_path / 'none')}; run `newsindex build` first\n"
    )


def test_cli_malformed_query_names_the_position(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(main, ["search", 'japan "india', "--index", str(seed_index_path)])
    assert result.exit_code == 3
    assert result.stderr == "Error: bad query at position 7: unclosed quotation mark\n"


def test_cli_bad_date_option_is_a_usage_error(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(
        main, ["search", "x", "--since", "2025-02-30", "--index", str(seed_index_path)]
    )
    assert result.exit_code == 2
    assert "not a real date" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_fail_empty_exits_1(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(
        main, ["search", "zebra", "--fail-empty", "--index", str(seed_index_path)]
    )
    assert result.exit_code == 1
    assert result.stdout == ""


def test_cli_build_reports_and_skips(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "empty.txt").write_bytes(b"")
    index = tmp_path / "ix"
    result = runner.invoke(main, ["build", str(folder), "--index", str(index)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Indexed into {index}: 1 added, 0 updated, 0 removed")
    assert lines[1] == "skipped in/empty.txt: empty file"
    again = runner.invoke(main, ["build", str(folder), "--index", str(index), "--json"])
    report = json.loads(again.stdout)
    assert report["unchanged"] == 1 and report["added"] == 0


def test_cli_build_wires_options_to_the_library(runner: CliRunner, tmp_path: Path) -> None:
    with mock.patch("newsindex.index.NewsIndex.build") as build:
        build.return_value = mock.Mock(
            skipped=[], changed=False, unchanged=0, duplicates=[], warnings=[], seconds=0.0
        )
        result = runner.invoke(
            main,
            [
                "build",
                "a.jsonl",
                "--index",
                str(tmp_path / "ix"),
                "--rebuild",
                "--field",
                "title=headline",
                "--format",
                "jsonl",
                "-q",
            ],
        )
    assert result.exit_code == 0, result.stderr
    (paths, options), kwargs = build.call_args
    assert paths == ("a.jsonl",)
    assert options.rebuild and options.read.format == "jsonl"
    assert options.read.mapping == {"title": "headline"}


def test_cli_build_field_option_needs_equals(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "x", "--field", "title", "--index", str(tmp_path)])
    assert result.exit_code == 2
    assert "--field takes OURS=THEIRS" in result.stderr


def test_cli_show_facets_stats_related_similar(runner: CliRunner, seed_index_path: Path) -> None:
    index = ["--index", str(seed_index_path)]
    shown = runner.invoke(main, ["show", SEED_ID, *index])
    assert shown.exit_code == 0 and "evidence" in shown.stdout
    facets = runner.invoke(main, ["facets", "semiconductors", "--by", "people", "--json", *index])
    counts = json.loads(facets.stdout)["people"]["counts"]
    assert {"value": "Narendra Modi", "count": 1} in counts
    stats = runner.invoke(main, ["stats", "--json", *index])
    assert json.loads(stats.stdout)["articles"] == 1
    related = runner.invoke(main, ["related-entities", "--person", "Narendra Modi", *index])
    assert related.exit_code == 0 and "Takaichi Sanae" in related.stdout
    similar = runner.invoke(main, ["similar", SEED_ID, *index])
    assert similar.exit_code == 0
    timeline = runner.invoke(main, ["timeline", "semiconductors", "--interval", "day", *index])
    assert "2025-11-24" in timeline.stdout


def test_cli_extract_prints_fields_without_an_index(runner: CliRunner) -> None:
    result = runner.invoke(main, ["extract", str(SEEDS / "000_d6057e4f5df2a50a.txt"), "--json"])
    assert result.exit_code == 0, result.stderr
    (data,) = json.loads(result.stdout)
    assert data["date"] == "2025-11-24"
    assert "Narendra Modi" in [p["name"] for p in data["people"]]


def test_cli_every_command_has_help_with_examples(runner: CliRunner) -> None:
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, f"{name} --help has no example"


def test_cli_installed_console_script_runs(
    tmp_path: Path, index_arg: Callable[[Path], str]
) -> None:
    script = Path(sys.executable).parent / "newsindex"
    env = {**os.environ, "NEWSINDEX_INDEX": index_arg(tmp_path / "ix")}
    build = subprocess.run(
        [str(script), "build", str(SEEDS)], capture_output=True, text=True, env=env, check=False
    )
    assert build.returncode == 0, build.stderr
    found = subprocess.run(
        [str(script), "search", "semiconductors"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert found.returncode == 0
    assert SEED_ID in found.stdout
    version = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=False
    )
    assert version.stdout.startswith("newsindex, version ")


def test_cli_conflicting_output_options_are_a_usage_error(
    runner: CliRunner, seed_index_path: Path
) -> None:
    result = runner.invoke(
        main, ["search", "japan", "--json", "--csv", "--index", str(seed_index_path)]
    )
    assert result.exit_code == 2
    assert "--json and --csv cannot be used together" in result.stderr


def test_cli_since_after_until_is_a_usage_error(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(
        main,
        [
            "search",
            "japan",
            "--since",
            "2025-12",
            "--until",
            "2025-11",
            "--index",
            str(seed_index_path),
        ],
    )
    assert result.exit_code == 2
    assert "--since 2025-12-01 is after --until 2025-11-30" in result.stderr


def test_cli_facets_per_month(runner: CliRunner, seed_index_path: Path) -> None:
    result = runner.invoke(
        main,
        [
            "facets",
            "semiconductors",
            "--by",
            "people",
            "--per",
            "month",
            "--csv",
            "--index",
            str(seed_index_path),
        ],
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"bucket": "2025-11", "field": "people", "value": "Narendra Modi", "count": "1"} in rows


def test_cli_remove_json_lists_missing_ids(runner: CliRunner, tmp_path: Path) -> None:
    index = str(tmp_path / "ix")
    assert runner.invoke(main, ["build", str(SEEDS), "--index", index, "-q"]).exit_code == 0
    result = runner.invoke(main, ["remove", SEED_ID, "nope", "--json", "--index", index])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"removed": 1, "missing": ["nope"]}


@pytest.mark.engines(
    "whoosh", "tantivy", reason="switching rebuilds a folder; an OpenSearch index is a URL"
)
def test_cli_build_rebuild_switches_the_engine(
    runner: CliRunner, tmp_path: Path, engine: str
) -> None:
    """``--rebuild --engine`` moves an index to the other engine (each direction runs once)."""
    from newsindex import NewsIndex

    other = "tantivy" if engine == "whoosh" else "whoosh"
    index = tmp_path / "ix"
    build = ["build", str(SEEDS), "--index", str(index), "--quiet"]
    assert runner.invoke(main, [*build, "--engine", engine]).exit_code == 0
    refused = runner.invoke(main, [*build, "--engine", other])
    assert refused.exit_code == 2
    assert f"uses the {engine} engine; add --rebuild to rebuild it on {other}" in refused.stderr
    switched = runner.invoke(main, [*build, "--rebuild", "--engine", other])
    assert (switched.exit_code, switched.stdout, switched.stderr) == (0, "", "")
    with NewsIndex.open(index) as reopened:
        assert reopened.engine == other
        assert reopened.ids() == [SEED_ID]
    found = runner.invoke(main, ["search", "--index", str(index), "semiconductors", "--json"])
    assert found.exit_code == 0, found.stderr
    assert json.loads(found.stdout)["hits"][0]["id"] == SEED_ID
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ix"]  # nothing left beside it
