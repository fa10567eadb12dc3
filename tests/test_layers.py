"""The layers of quiz/ import one way, and the core stays pure: import-linter's contracts
(pyproject.toml, [tool.importlinter]) hold, and they fail on a wrong-way import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_the_layer_contracts_hold() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 kept, 0 broken" in done.stdout


def test_a_wrong_way_import_breaks_them(tmp_path: Path) -> None:
    """A copy of the package in which the core imports the storage layer, and the store
    imports the UI: both are reported."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "quiz", copy / "quiz", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    sm2 = copy / "quiz" / "core" / "sm2.py"
    sm2.write_text(sm2.read_text() + "\nfrom quiz.storage import paths  # noqa\n")
    store = copy / "quiz" / "storage" / "store.py"
    store.write_text(store.read_text() + "\nimport textual  # noqa\n")
    done = lint_imports(copy)
    assert done.returncode == 1
    assert "quiz.core.sm2 -> quiz.storage.paths" in done.stdout
    assert "BROKEN" in done.stdout
