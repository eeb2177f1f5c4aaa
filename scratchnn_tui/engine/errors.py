"""Errors are values: a refused request carries a one-line message for the user."""


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
