"""Imports point one way: core ← training ← storage/runtime ← ui (and the command line).

The core needs nothing but torch and the standard library; no package below the UI loads the UI
toolkit; and the UI (and the command line, before it needs a session) never loads torch.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scratchnn_tui"

# What each package may import from the project itself.
MAY_IMPORT = {
    "core": set(),
    "training": {"core"},
    "storage": {"core", "training"},
    "runtime": {"core", "training", "storage"},
    "ui": {"training", "runtime"},
}
CORE_MAY_IMPORT = {"torch", "__future__"}  # and the standard library


def _modules_after(*imports: str) -> set[str]:
    """Import the given modules in a fresh interpreter and return the top-level names it loaded."""
    code = "\n".join(f"import {name}" for name in imports)
    code += "\nimport sys\nprint('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def _loaded_project_packages(*imports: str) -> set[str]:
    code = "\n".join(f"import {name}" for name in imports)
    code += ("\nimport sys\nprint('\\n'.join(sorted({m.split('.')[1] for m in sys.modules "
             "if m.startswith('scratchnn_tui.')})))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_core_loads_torch_and_nothing_else_of_ours():
    loaded = _modules_after("scratchnn_tui.core")
    assert "torch" in loaded  # the check sees what was imported
    for name in ("textual", "rich", "safetensors", "platformdirs"):
        assert name not in loaded, name
    assert _loaded_project_packages("scratchnn_tui.core") == {"core"}


def test_training_storage_and_runtime_load_without_textual_or_rich():
    loaded = _modules_after("scratchnn_tui.training.session", "scratchnn_tui.storage.checkpoint",
                            "scratchnn_tui.runtime.worker", "scratchnn_tui.runtime.process_worker")
    assert "torch" in loaded  # the check sees what was imported
    assert "scratchnn_tui" in loaded
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_ui_and_cli_load_without_torch():
    loaded = _modules_after("scratchnn_tui.ui.app", "scratchnn_tui.cli", "scratchnn_tui.training")
    assert "textual" in loaded  # the check sees what was imported
    assert "torch" not in loaded


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module, level) for every import in the file, function bodies included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                found.append((node.module, node.level))
            else:
                found += [(alias.name, node.level) for alias in node.names]
    return found


def _project_package(path: Path, module: str, level: int) -> str | None:
    """Which of our top-level packages an import reaches, or None if it is not ours."""
    if level == 0:
        parts = module.split(".")
        return parts[1] if parts[0] == "scratchnn_tui" and len(parts) > 1 else None
    here = path.relative_to(PACKAGE).parts[:-1]  # e.g. ("ui", "widgets")
    base = here[:len(here) - (level - 1)]
    if len(base) == 0:
        return module.split(".")[0]
    return base[0]


def test_each_package_imports_only_the_layers_below_it():
    checked = 0
    for package, allowed in MAY_IMPORT.items():
        files = sorted((PACKAGE / package).rglob("*.py"))
        assert files, package
        for path in files:
            for module, level in _imports(path):
                target = _project_package(path, module, level)
                if level == 0:
                    assert module.split(".")[0] not in {"textual", "rich"} or package == "ui", \
                        f"{path.relative_to(ROOT)} imports {module}"
                if target is None or target == package:
                    continue
                checked += 1
                assert target in allowed, f"{path.relative_to(ROOT)} imports {package} ← {target}"
    assert checked > 10  # the walk saw the cross-package imports


def test_core_imports_only_torch_and_the_standard_library():
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        for module, level in _imports(path):
            if level:
                continue
            top = module.split(".")[0]
            assert top in CORE_MAY_IMPORT or top in sys.stdlib_module_names, \
                f"{path.name} imports {module}"


def test_no_ui_file_imports_torch():
    files = sorted((PACKAGE / "ui").rglob("*.py"))
    assert len(files) >= 5  # app, messages, widgets...: the glob found the UI
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in files
        for module, level in _imports(path)
        if level == 0 and (module == "torch" or module.startswith("torch."))
    ]
    assert offenders == []
    # The same by text, for imports hidden from the syntax tree (e.g. importlib strings).
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "import_module(\"torch" not in text and "import_module('torch" not in text, path


def test_the_core_reads_in_one_sitting():
    """At most 800 lines in all and 250 a file, with a reading order in its docstring."""
    files = sorted((PACKAGE / "core").glob("*.py"))
    lengths = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in files}
    assert {"layer.py", "net.py", "backward.py", "optim.py"} <= set(lengths)
    assert sum(lengths.values()) <= 800, lengths
    assert max(lengths.values()) <= 250, lengths
    order = (PACKAGE / "core" / "__init__.py").read_text(encoding="utf-8")
    named = [name for name in lengths if name != "__init__.py"]
    assert all(name in order for name in named), "the reading order names every file"
