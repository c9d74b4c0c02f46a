"""Domain errors: a request names something the rules do not know, or asks something
the rules cannot answer. The web layer turns each into a 422 with its code."""

from __future__ import annotations


class DomainError(Exception):
    code = "invalid_input"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnknownMarketplace(DomainError):
    code = "unknown_marketplace"


class UnknownCategory(DomainError):
    code = "unknown_category"


class InvalidChange(DomainError):
    """A change that the case rules refuse, e.g. an empty patch."""
