"""Running a session off the UI's event loop: the worker thread, the child process, and the
frames and messages they send up."""
