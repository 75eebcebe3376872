"""The ``newsindex`` command line: a thin layer over the public API.

Each command parses its options, calls one library function, and renders
the result.  Errors from the library become one line on stderr and an exit
code (see docs/cli.md): 0 ok, 1 completed with something to notice (records
skipped by a build, no results with ``--fail-empty``), 2 usage, 3 a newsindex
error, 4 the index is locked by another writer.
"""

from newsindex.cli import (  # noqa: F401  (registers them)
    admin_commands,
    build_commands,
    explore,
    names_command,
    research_commands,
)
from newsindex.cli.app import main

__all__ = ["main"]
