"""Run the command line as ``python -m newsindex``."""

from newsindex.cli import main

main()
