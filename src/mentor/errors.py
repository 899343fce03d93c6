"""The error hierarchy. Our bugs raise ordinary exceptions; anything a person can cause or fix
raises a MentorError, which the CLI turns into a one-line message and an exit code."""


class MentorError(Exception):
    """Base class: a problem a person can understand and act on."""

    exit_code = 1


class UsageError(MentorError):
    """Bad input from the person: an empty query, an unreadable file."""

    exit_code = 2


class ConfigError(MentorError):
    """A setting that cannot be honoured (unknown backend, missing model weights)."""

    exit_code = 2


class IndexMissing(MentorError):
    """No finished index where one is expected."""

    exit_code = 3


class IndexMismatch(MentorError):
    """The index was built with another embedding backend than the one configured."""

    exit_code = 3


class CorpusError(MentorError):
    """The corpus files are missing or malformed."""


class FetchRefused(MentorError):
    """A linked page that must not be fetched (private address, bad scheme)."""


class IndexDamaged(MentorError):
    """A build whose files are unreadable or differ from its manifest: `mentor ingest --force`
    rebuilds it."""

    exit_code = 3

    def __init__(self, where, what: str):
        self.where, self.what = where, " ".join(str(what).split())[:300]  # one line
        super().__init__(f"the index at {where} is damaged ({self.what}): run `mentor ingest --force` to rebuild it")
