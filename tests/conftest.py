import atexit
import os
import shutil
import tempfile

# Snapshots are taken in colour; a developer's NO_COLOR must not change what they compare.
os.environ.pop("NO_COLOR", None)

# Quitting with unsaved progress autosaves to the user's state folder: in tests, a throwaway one.
os.environ["SCRATCHNN_TUI_STATE_DIR"] = tempfile.mkdtemp(prefix="scratchnn-tui-test-state-")
atexit.register(shutil.rmtree, os.environ["SCRATCHNN_TUI_STATE_DIR"], ignore_errors=True)
