"""One error family for the whole advisor; the doors map it to exit codes, HTTP statuses and chat text."""

from __future__ import annotations


class AdvisorError(Exception):
    """Base error: `message` says what went wrong, `hint` says what to do about it."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def to_dict(self) -> dict:
        return {"error": type(self).__name__, "message": self.message, "hint": self.hint}


class ConfigError(AdvisorError):
    """A setting or data file (matrix, taxonomy, eval dataset) is invalid."""

    exit_code = 2
    http_status = 500


class InputError(AdvisorError):
    """The user's input (question, path, request) is unusable."""

    exit_code = 2
    http_status = 422


class NotFoundError(AdvisorError):
    """A named thing (conversation, document) does not exist."""

    exit_code = 3
    http_status = 404


class IndexNotReadyError(AdvisorError):
    """The knowledge index is missing, empty or unreadable."""

    exit_code = 4
    http_status = 503


REBUILD_HINT = "run `advisor ingest --rebuild` to rebuild the index from the knowledge files"


class IndexDamagedError(IndexNotReadyError):
    """A file of the index (snapshot, Chroma, ingest records) exists but cannot be read."""

    def __init__(self, message: str, hint: str | None = REBUILD_HINT):
        super().__init__(message, hint)


class IngestError(AdvisorError):
    """Some input files could not be ingested (the rest were)."""

    exit_code = 5
    http_status = 500


class IngestBusyError(AdvisorError):
    """Another ingest is writing to the same data dir."""

    exit_code = 7
    http_status = 409


class ModelError(AdvisorError):
    """The embedding model or the LLM failed to load or answer."""

    exit_code = 6
    http_status = 503
