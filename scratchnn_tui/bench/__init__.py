"""`scratchnn-tui bench`: the app's speed and memory, measured beside a bare PyTorch loop."""
