"""What can go wrong with the case log, with messages that name the file and the fix."""

from __future__ import annotations


class CaseStoreError(Exception):
    """The case log cannot be opened; the message names the file and the problem."""


class CaseLogUnavailable(CaseStoreError):
    """The case log can no longer be used by this running backend: its file was deleted,
    replaced or made read-only. Nothing is read from or written to it until a restart; the
    message (Chinese and English) names the file and says what to do."""


class CaseLogBusy(CaseLogUnavailable):
    """A team's database refused one request for now and rolled it back (a deadlock, a
    serialization failure, a lock or a statement that timed out): the same request may
    work a moment later."""


def bilingual(zh: str, en: str) -> str:
    return f"{zh} / {en}"


class PersonExists(ValueError):
    """A person of that name already has an active token."""
