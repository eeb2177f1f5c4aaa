"""Errors are values: a refused request carries a one-line message for the user."""


def first_line(error: BaseException) -> str:
    """The first line of what `error` says, or its type's name if it says nothing."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def one_line(error: BaseException) -> str:
    """`TypeName: first line`, for errors the session did not expect (a bug, a device fault)."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


class SessionError(Exception):
    """The session refused a request and is unchanged; `str(error)` is what to tell the user."""


class Diverged(SessionError):
    """Training stopped before the first epoch whose loss is not finite.

    The session is not unchanged: it holds the weights of the last epoch with a finite loss,
    and `epoch` is the epoch whose loss was not.
    """

    def __init__(self, message: str, epoch: int) -> None:
        super().__init__(message)
        self.epoch = epoch
