import atexit
import os
import shutil
import tempfile

import pytest

# Snapshots are taken in colour; a developer's NO_COLOR must not change what they compare.
os.environ.pop("NO_COLOR", None)

# Quitting with unsaved progress autosaves to the user's state folder: in tests, a throwaway one.
os.environ["SCRATCHNN_TUI_STATE_DIR"] = tempfile.mkdtemp(prefix="scratchnn-tui-test-state-")
atexit.register(shutil.rmtree, os.environ["SCRATCHNN_TUI_STATE_DIR"], ignore_errors=True)


@pytest.fixture
def one_kernel_path(monkeypatch):
    """The app's training process on torch's plain cpu kernels, the same on every machine.

    The snapshots show trained numbers to four digits (a gradient near convergence, a loss of
    1e-14), and torch's cpu kernels round differently by processor (AVX2, AVX-512, MKL's own
    branches): measured, xor after 2,000 Adam epochs draws another matrix form under
    ATEN_CPU_CAPABILITY=avx2 than under default on one machine. Set for the session's process,
    which the app spawns and which loads torch afresh; this process's torch (and the tests that
    hold numbers bit for bit against fixtures made on a vectorised build) keeps its own."""
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")
    monkeypatch.setenv("MKL_CBWR", "COMPATIBLE")
