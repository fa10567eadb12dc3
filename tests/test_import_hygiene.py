"""quiz.core stays pure: importing any core module pulls in no UI and no database."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import quiz.core

CORE_MODULES = sorted(f"quiz.core.{info.name}" for info in pkgutil.iter_modules(quiz.core.__path__))


def test_core_has_modules() -> None:
    assert {"quiz.core.sm2", "quiz.core.session", "quiz.core.deck"} <= set(CORE_MODULES)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_ui_or_database(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'tinydb')); "
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
