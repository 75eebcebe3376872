"""Draw the pictures of docs/notebooks.md from a real run of its own examples.

    python docs/build_pictures.py

runs every example of docs/notebooks.md in a scratch folder, exactly as the
docs tests do (it reads Reuters-21578 from the shared corpora), and copies
the SVG pictures that run saved into docs/img/.  Nothing is drawn by hand.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "notebooks.md"
PICTURES = ("notebooks-timeline.svg", "notebooks-places.svg")


def main() -> int:
    sys.path.insert(0, str(REPO))
    from tests.docs_support import run_page

    target = REPO / "docs" / "img"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        run_page(PAGE, Path(scratch))
        for name in PICTURES:
            shutil.copyfile(Path(scratch) / name, target / name)
            print(f"wrote {(target / name).relative_to(REPO)}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
