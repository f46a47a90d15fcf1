"""Exceptions whose message a person can act on, rendered in the current language."""

from __future__ import annotations

from engine.core.i18n import t


class DeepMineError(Exception):
    """Base of every error the engine reports to a person.

    Built from an English message id and parameters, so ``str(err)`` is rendered in the
    language active when it is shown (the GUI may switch language after it was raised).
    """

    def __init__(self, msgid: str, /, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        return t(self.msgid, **self.params)

    def __reduce__(self):  # noqa: ANN204 — to cross to and from a child process with its parameters
        return _rebuild, (type(self), self.msgid, self.params)


def _rebuild(cls: type[DeepMineError], msgid: str, params: dict[str, object]) -> DeepMineError:
    err = cls.__new__(cls)
    DeepMineError.__init__(err, msgid, **params)
    return err


class DataError(DeepMineError):
    """A dataset or user file cannot be used (unreadable, malformed, wrong shape)."""


class InputError(DeepMineError):
    """A value the person entered is not usable (NaN, wrong type, unknown feature)."""


class CacheError(DeepMineError):
    """A cached model could not be read or written."""


class DownloadError(DeepMineError):
    """A download failed or timed out; the caller falls back to another source."""


class Cancelled(DeepMineError):
    """The person cancelled a job; not an error to show as a failure."""

    def __init__(self) -> None:
        super().__init__("Cancelled.")
