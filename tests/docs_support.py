"""Run the examples in Markdown pages: ```python, ```pycon, ```console and ```bash blocks.

A page's blocks run in order, in one working folder holding a copy of seeds/,
sharing one Python namespace, so later examples may use what earlier ones made.

- ``python``: executed.
- ``pycon``: run as a doctest (ELLIPSIS and NORMALIZE_WHITESPACE on).
- ``console``: each ``$ newsindex ...`` line runs in-process with Click's runner and
  must exit 0, or the code named by a trailing ``# exit N``.  ``VAR=value`` prefixes
  set the environment, ``cat FILE |`` feeds stdin, ``> FILE`` saves stdout, and
  anything after a later ``|`` is left out.  Lines naming other programs are skipped.
- ``bash``: run by bash with the installed ``newsindex`` first on PATH.

A block right after an ``<!-- not-tested: why -->`` comment is not run; neither is
a README block marked as the install or test command (CI runs those).  A page
with a ``<!-- needs-corpus: NAME -->`` comment reads that shared corpus
(:func:`needed_corpora`); its test skips where the corpus is absent.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from newsindex.cli import main

REPO = Path(__file__).resolve().parents[1]
SKIP_MARKERS = ("<!-- not-tested", "<!-- install-command", "<!-- test-command")
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\s*$")
_EXIT = re.compile(r"\s+#\s*exit\s+(?P<code>\d+)\s*$")
_ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")
_NEEDS_CORPUS = re.compile(r"<!-- needs-corpus: ([\w.-]+) -->")


KNOWN_FAILURES: dict[tuple[str, ...], str] = {}
"""Documented commands that fail for a known reason, checked by their own xfail test."""


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    lang: str
    text: str
    line: int
    skip: bool


@dataclass(frozen=True)
class Command:
    """One ``$ newsindex ...`` line of a console block."""

    args: list[str]
    env: dict[str, str | None]
    stdin: str | None
    stdout_to: str | None
    exit_code: int
    line: int


@dataclass
class Page:
    """A page being run: its path, working folder and shared namespace."""

    path: Path
    workdir: Path
    namespace: dict[str, Any] = field(default_factory=dict)
    known: list[str] = field(default_factory=list)


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of ``path``, with whether each is marked not to run."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    previous = ""
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            if lines[i].strip():
                previous = lines[i].strip()
            i += 1
            continue
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        skip = previous.startswith(SKIP_MARKERS)
        found.append(Block(match.group("lang"), "\n".join(body) + "\n", start + 1, skip))
        previous = ""
        i += 1
    return found


def needed_corpora(path: Path) -> list[str]:
    """The shared corpora ``path``'s examples read (its ``needs-corpus`` comments)."""
    return _NEEDS_CORPUS.findall(path.read_text(encoding="utf-8"))


def _command_lines(block: Block) -> Iterator[tuple[int, str]]:
    """Each ``$ `` line of a console block, joined with its ``\\`` continuations."""
    pending: list[str] = []
    start = 0
    for offset, line in enumerate(block.text.splitlines(), start=block.line + 1):
        if not pending:
            if not line.startswith("$ "):
                continue
            start, line = offset, line[2:]
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield start, " ".join(pending)
        pending = []


def commands(block: Block) -> list[Command]:
    """The ``newsindex`` commands of a console block (other programs are left out)."""
    found: list[Command] = []
    for line_no, line in _command_lines(block):
        exit_code = 0
        match = _EXIT.search(line)
        if match:
            exit_code = int(match.group("code"))
            line = line[: match.start()]
        tokens = shlex.split(line, comments=True)
        stdin = None
        if tokens[:1] == ["cat"] and "|" in tokens:
            stdin = tokens[1]
            tokens = tokens[tokens.index("|") + 1 :]
        env: dict[str, str | None] = {}
        while tokens and _ASSIGNMENT.match(tokens[0]):
            name, _, value = tokens.pop(0).partition("=")
            env[name] = value
        if tokens[:1] != ["newsindex"]:
            continue
        stdout_to = None
        for stop in ("|", ">", "&&", "||"):
            if stop in tokens:
                at = tokens.index(stop)
                if stop == ">":
                    stdout_to = tokens[at + 1]
                tokens = tokens[:at]
        found.append(Command(tokens[1:], env, stdin, stdout_to, exit_code, line_no))
    return found


def _run_command(page: Page, command: Command) -> None:
    stdin = None
    if command.stdin is not None:
        stdin = (page.workdir / command.stdin).read_text(encoding="utf-8")
    env: dict[str, str | None] = {"NEWSINDEX_INDEX": None, **command.env}
    result = CliRunner().invoke(
        main, command.args, input=stdin, env=env, prog_name="newsindex", terminal_width=100
    )
    where = f"{page.path.name}:{command.line}: newsindex {shlex.join(command.args)}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{where} raised {result.exception!r}") from result.exception
    if result.exit_code != command.exit_code and tuple(command.args) in KNOWN_FAILURES:
        page.known.append(where)
        return
    assert result.exit_code == command.exit_code, (
        f"{where} exited {result.exit_code}, not {command.exit_code}\n{result.stderr}"
    )
    if command.stdout_to:
        (page.workdir / command.stdout_to).write_text(result.stdout, encoding="utf-8")


def _run_python(page: Page, block: Block) -> None:
    code = compile(block.text, f"{page.path.name}:{block.line}", "exec")
    exec(code, page.namespace)


def _run_pycon(page: Page, block: Block) -> None:
    name = f"{page.path.name}:{block.line}"
    test = doctest.DocTestParser().get_doctest(block.text, page.namespace, name, name, block.line)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    runner = doctest.DocTestRunner(optionflags=flags)
    report: list[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    page.namespace.update(test.globs)  # DocTest works on a copy; later blocks need the names
    assert runner.failures == 0, "".join(report)


def _run_bash(page: Page, block: Block) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NEWSINDEX_INDEX", None)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.text],
        cwd=page.workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"{page.path.name}:{block.line}: bash exited {result.returncode}\n{result.stderr}"
    )


RUNNERS = {
    "python": _run_python,
    "pycon": _run_pycon,
    "bash": _run_bash,
}


def run_page(path: Path, workdir: Path) -> list[str]:
    """Run every example of ``path`` in ``workdir`` (which becomes the cwd); return what ran."""
    shutil.copytree(REPO / "seeds", workdir / "seeds", dirs_exist_ok=True)
    page = Page(path, workdir, {"__name__": f"docs_{path.stem}"})
    ran: list[str] = []
    previous = Path.cwd()
    os.chdir(workdir)
    try:
        for block in blocks(path):
            if block.skip:
                continue
            if block.lang == "console":
                for command in commands(block):
                    _run_command(page, command)
                    ran.append(f"{block.line}: newsindex {shlex.join(command.args)}")
            elif block.lang in RUNNERS:
                RUNNERS[block.lang](page, block)
                ran.append(f"{block.line}: {block.lang}")
    finally:
        os.chdir(previous)
    return ran
