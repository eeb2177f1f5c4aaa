import os

# Snapshots are taken in colour; a developer's NO_COLOR must not change what they compare.
os.environ.pop("NO_COLOR", None)
