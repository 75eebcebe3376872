"""Pictures: Timeline.plot() and Facet.plot() figures, and the CLI's --plot FILE and
terminal bars.  Every picture is written to disk and read back."""

from __future__ import annotations

import json
import struct
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsindex import ConfigurationError, Filters, NewsIndex
from newsindex.cli import main, render
from newsindex.cli.app import EXIT_ERROR
from newsindex.plots import save_figure

from .generated import build

pytest.importorskip("matplotlib")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("plots") / "index", 300)


@pytest.fixture
def index(index_path: Path) -> Iterator[NewsIndex]:
    with NewsIndex.open(index_path) as opened:
        yield opened


def svg_text(path: Path) -> list[str]:
    """Every piece of text in an SVG file (which must parse as XML)."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return ["".join(node.itertext()).strip() for node in root.iter(f"{SVG}text")]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG file's header (which must start with the PNG magic)."""
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_plots_timeline_svg_holds_the_legend_and_labels(index: NewsIndex, tmp_path: Path) -> None:
    timeline = index.timeline(["*"], filters=Filters(places=["Paris"]))
    figure = timeline.plot(title="Paris stories")
    figure.axes[0].lines[0].set_label("Paris")  # a legend entry that is not a query string
    figure.axes[0].legend(title="query")
    target = save_figure(figure, tmp_path / "timeline.svg")
    texts = svg_text(target)
    assert {"Paris", "query", "Paris stories", "matching articles", "month (first day)"} <= set(
        texts
    )
    assert "2024" in " ".join(texts)  # the dates are written out as text
    assert 5_000 < target.stat().st_size < 500_000


def test_plots_timeline_one_line_per_query(index: NewsIndex) -> None:
    timeline = index.timeline(["*", "harbours"], interval="year")
    axes = timeline.plot().axes[0]
    assert [line.get_label() for line in axes.lines] == ["*", "harbours"]
    assert axes.get_legend() is not None
    assert axes.get_xlabel() and axes.get_ylabel()


def test_plots_facet_png_is_a_picture_of_sensible_size(index: NewsIndex, tmp_path: Path) -> None:
    facet = index.facets("*", ("people",), top=6)["people"]
    target = save_figure(facet.plot(), tmp_path / "people.png")
    width, height = png_size(target)
    assert width == 800 and 250 <= height <= 1000
    assert 5_000 < target.stat().st_size < 500_000


def test_plots_facets_svg_names_every_value(index: NewsIndex, tmp_path: Path) -> None:
    facet = index.facets("*", ("people",), top=4)["people"]
    texts = svg_text(save_figure(facet.plot(), tmp_path / "people.svg"))
    assert {c.value for c in facet.counts} <= set(texts)
    assert f"people ({facet.total:,} matching articles)" in texts


def test_plots_refuse_other_suffixes(index: NewsIndex, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"name it \.png or \.svg"):
        save_figure(index.timeline(["*"]).plot(), tmp_path / "timeline.pdf")


def test_plots_without_matplotlib_one_clear_error(
    index: NewsIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ConfigurationError) as caught:
        index.timeline(["*"]).plot()
    assert str(caught.value) == (
        "Timeline.plot() needs matplotlib, which is not installed: "
        'pip install "newsindex[notebook]"'
    )


# -- the command line ------------------------------------------------------------------


def test_plots_cli_timeline_plot_writes_svg_and_keeps_the_table(
    runner: CliRunner, index_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "timeline.svg"
    args = ["timeline", "*", "--interval", "year", "--index", str(index_path)]
    plain = runner.invoke(main, args)
    result = runner.invoke(main, [*args, "--plot", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == plain.stdout
    assert result.stderr == f"Picture written to {target}\n"
    assert "*" in svg_text(target)


def test_plots_cli_facets_plot_writes_png(
    runner: CliRunner, index_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "facets.png"
    args = ["facets", "--by", "people", "--by", "places", "--index", str(index_path)]
    result = runner.invoke(main, [*args, "--plot", str(target)])
    assert result.exit_code == 0, result.stderr
    assert png_size(target)[0] == 800


@pytest.mark.parametrize("command", ["timeline", "facets"])
def test_plots_cli_other_suffix_is_a_usage_error(
    runner: CliRunner, index_path: Path, tmp_path: Path, command: str
) -> None:
    result = runner.invoke(
        main, [command, "*", "--index", str(index_path), "--plot", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"Invalid value for '--plot': {tmp_path / 'x.pdf'} must end in .png or .svg" in (
        result.stderr
    )
    assert not (tmp_path / "x.pdf").exists()


def test_plots_cli_plot_with_per_is_a_usage_error(
    runner: CliRunner, index_path: Path, tmp_path: Path
) -> None:
    args = ["facets", "--per", "month", "--plot", str(tmp_path / "x.png")]
    result = runner.invoke(main, [*args, "--index", str(index_path)])
    assert result.exit_code == 2
    assert "Error: --plot cannot be combined with --per" in result.stderr


def test_plots_cli_without_matplotlib_is_an_error(
    runner: CliRunner, index_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    args = ["timeline", "*", "--index", str(index_path), "--plot", str(tmp_path / "t.png")]
    result = runner.invoke(main, args)
    assert result.exit_code == EXIT_ERROR
    assert result.stdout == ""
    assert result.stderr == (
        "Error: Timeline.plot() needs matplotlib, which is not installed: "
        'pip install "newsindex[notebook]"\n'
    )


def test_plots_cli_timeline_draws_bars_only_on_a_terminal(
    runner: CliRunner, index_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["timeline", "*", "harbours", "--interval", "year", "--index", str(index_path)]
    piped = runner.invoke(main, args)
    assert piped.exit_code == 0 and "█" not in piped.stdout
    monkeypatch.setattr(render, "stdout_is_terminal", lambda: True)
    shown = runner.invoke(main, args, env={"NO_COLOR": "1"})
    assert shown.exit_code == 0
    rows = shown.stdout.splitlines()[1:]
    assert rows and all("█" in row for row in rows)
    assert "\x1b[" not in shown.stdout
    for row, plain in zip(rows, piped.stdout.splitlines()[1:], strict=True):
        assert row.startswith(plain)  # the numbers stay as they were, the bars follow
    as_json = runner.invoke(main, [*args, "--json"])
    assert json.loads(as_json.stdout) == json.loads(runner.invoke(main, [*args, "--json"]).stdout)
    assert "█" not in as_json.stdout


def test_plots_bar_scales_to_the_peak() -> None:
    assert render.bar(8, 8, width=4) == "████"
    assert render.bar(1, 8, width=4) == "▌   "
    assert render.bar(1, 1000, width=4) == "▏   "  # any match shows
    assert render.bar(0, 8, width=4) == "    "


def test_plots_importing_newsindex_loads_neither_pandas_nor_matplotlib() -> None:
    import subprocess

    code = (
        "import sys, newsindex.cli, newsindex.index, newsindex.results, newsindex.plots\n"
        "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.strip() == "[]"
