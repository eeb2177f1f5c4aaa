"""Sessions on disk: checkpoint files (safetensors + JSON), a session as plain data, CSV, the
autosave folder, atomic writes."""
