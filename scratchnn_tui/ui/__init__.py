"""The Textual app. It sees only `scratchnn_tui.training.snapshot` records, never a tensor."""
