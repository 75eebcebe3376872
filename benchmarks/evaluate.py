"""Run every quality evaluation in one go: extraction, themes, dates, ranking, duplicates.

    python -m benchmarks.evaluate

Each part prints its own table (the tables of docs/evaluation.md); pass
``--skip ranking`` (repeatable) to leave a part out.  The corpora are read from
``shared/corpora`` beside the repository, or ``$NEWSINDEX_CORPORA``.
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Sequence

PARTS = {
    "entities": "benchmarks.eval_entities",
    "themes": "benchmarks.eval_themes",
    "dates": "benchmarks.eval_dates",
    "ranking": "benchmarks.eval_ranking",
    "dedup": "benchmarks.eval_dedup",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluations in turn; return non-zero if any failed to run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", action="append", default=[], choices=sorted(PARTS))
    args = parser.parse_args(argv)
    failed = []
    for name, module in PARTS.items():
        if name in args.skip:
            continue
        print(f"\n===== {name} ({module}) =====", flush=True)
        started = time.perf_counter()
        try:
            status = importlib.import_module(module).main([])
        except SystemExit as exc:  # a part that exits with argparse-style codes
            status = exc.code
        if status not in (None, 0):
            failed.append(name)
        print(f"===== {name}: {time.perf_counter() - started:.0f} s =====", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
