"""The Textual app. It sees only `scratchnn_tui.engine.snapshot` records, never a tensor."""
