"""Errors that carry where and why, so commands can report them without a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class LegalgraphError(Exception):
    """Base class of the errors this package raises on purpose."""


@dataclass
class InputError(LegalgraphError):
    """Unusable input: a file that does not parse, or a query that is not SPARQL.

    ``where`` is a file path (or a short label such as ``query``), ``line`` and ``column``
    are 1-based when known.
    """

    message: str
    where: str = ""
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        place = self.where
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.message}" if place else self.message

    @classmethod
    def from_syntax_error(cls, error: SyntaxError, where: str | Path) -> InputError:
        """Build from the ``SyntaxError`` the RDF or SPARQL parser raised."""
        message = error.msg or str(error)
        return cls(message=message, where=str(where), line=error.lineno, column=error.offset)


class QueryError(LegalgraphError):
    """A query the engine refused or could not finish."""
