"""Compile every ``.po`` catalogue of the project into its ``.mo`` (``python -m cooperation.i18n``).

Uses polib (pure Python), so the two commands work on a machine without GNU gettext.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "node_modules", ".git"}


def catalogues(root: Path = ROOT):
    for po_path in root.rglob("*.po"):
        if not SKIP.intersection(po_path.relative_to(root).parts):
            yield po_path


def compile_all(root: Path = ROOT) -> int:
    count = 0
    for po_path in catalogues(root):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    return count


if __name__ == "__main__":
    print(f"compiled {compile_all()} translation catalogue(s)", file=sys.stderr)
