"""Running a session off the UI's event loop: typed requests down (`requests`), one `Worker`
protocol (`protocol`) served by a thread (`worker`) or a child process (`process_worker`), and
the frames and messages they send up."""
