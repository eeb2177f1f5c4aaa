"""Errors are values: a refused request carries a one-line message for the user."""


class SessionError(Exception):
    """The session refused a request and is unchanged; `str(error)` is what to tell the user."""
