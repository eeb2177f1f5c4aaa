"""One direction of imports: ui → engine. The engine never loads the UI toolkit, and the UI
(and the command line, before it needs a session) never loads torch."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scratchnn_tui"


def _modules_after(*imports: str) -> set[str]:
    """Import the given modules in a fresh interpreter and return the top-level names it loaded."""
    code = "\n".join(f"import {name}" for name in imports)
    code += "\nimport sys\nprint('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_engine_loads_without_textual_or_rich():
    loaded = _modules_after("scratchnn_tui.engine.session", "scratchnn_tui.engine.worker")
    assert "torch" in loaded  # the check sees what was imported
    assert "scratchnn_tui" in loaded
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_ui_and_cli_load_without_torch():
    loaded = _modules_after("scratchnn_tui.ui.app", "scratchnn_tui.cli", "scratchnn_tui.engine")
    assert "textual" in loaded  # the check sees what was imported
    assert "torch" not in loaded


def _imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_ui_file_imports_torch():
    files = sorted((PACKAGE / "ui").rglob("*.py"))
    assert len(files) >= 5  # app, messages, widgets...: the glob found the UI
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in _imported_names(path)
        if name == "torch" or name.startswith("torch.")
    ]
    assert offenders == []
    # The same by text, for imports hidden from the syntax tree (e.g. importlib strings).
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "import_module(\"torch" not in text and "import_module('torch" not in text, path


def test_no_engine_file_imports_the_ui():
    for path in sorted((PACKAGE / "engine").rglob("*.py")):
        for name in _imported_names(path):
            assert name.split(".")[0] not in {"textual", "rich"}, f"{path.name} imports {name}"
            assert not name.startswith(("scratchnn_tui.ui", "scratchnn_tui.cli")), f"{path.name} imports {name}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:  # from ..x: outside the engine
                targets = [node.module] if node.module else [alias.name for alias in node.names]
                assert not any(t.split(".")[0] in {"ui", "cli"} for t in targets), f"{path.name} imports the ui"
