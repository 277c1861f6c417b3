"""Where each subject is written: IRI -> (file, line) of its first block in the Turtle files.

A light scan, not a parser: it follows ``@prefix``/``PREFIX`` and ``@base``/``BASE`` lines and
takes the first term of every line that starts at column 0 (the project's Turtle files write
one subject block each, starting at the left margin). Lines inside triple-quoted strings are
skipped. Files that are not Turtle are not scanned; their subjects have no location.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.IGNORECASE)
_IRI = re.compile(r"^<([^>\s]*)>")
_PNAME = re.compile(r"^([A-Za-z][\w.-]*)?:((?:[^\s;,\\\[\]()\"]|\\.)*)")
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Location:
    """A place in a file: ``file`` as given to the scan, ``line`` 1-based."""

    file: Path
    line: int

    def display(self, relative_to: Path | None = None) -> str:
        """``file:line``, the file relative to ``relative_to`` when it lies below it."""
        return f"{display_path(self.file, relative_to)}:{self.line}"


def display_path(path: Path, relative_to: Path | None = None) -> str:
    """A path as people read it: relative to ``relative_to`` (default: the working folder)."""
    base = (relative_to or Path.cwd()).resolve()
    try:
        return str(path.resolve().relative_to(base))
    except ValueError:
        return str(path)


class SourceMap:
    """Subject IRI -> the location of its first block, over a list of files."""

    def __init__(self, files: Iterable[Path]) -> None:
        self._where: dict[str, Location] = {}
        for path in files:
            if path.suffix.lower() in (".ttl", ".trig", ".n3"):
                self._scan(path)

    def locate(self, iri: str) -> Location | None:
        """Where ``iri`` is first written as a subject, or ``None``."""
        return self._where.get(iri)

    def __len__(self) -> int:
        return len(self._where)

    def _scan(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        base = path.resolve().as_uri()
        prefixes: dict[str, str] = {}
        in_long_string = False
        for number, line in enumerate(text.splitlines(), start=1):
            starts_inside = in_long_string
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_long_string = not in_long_string
            if starts_inside or not line or line[0] in " \t#]),.;":
                continue
            if match := _PREFIX.match(line):
                prefixes[match.group(1) or ""] = str(urljoin(base, match.group(2)))
                continue
            if match := _BASE.match(line):
                base = str(urljoin(base, match.group(1)))
                continue
            iri = self._subject(line, base, prefixes)
            if iri is not None and iri not in self._where:
                self._where[iri] = Location(path, number)

    @staticmethod
    def _subject(line: str, base: str, prefixes: dict[str, str]) -> str | None:
        if match := _IRI.match(line):
            resolved: str = urljoin(base, match.group(1))
            return resolved
        if match := _PNAME.match(line):
            namespace = prefixes.get(match.group(1) or "")
            if namespace is None:
                return None
            local: str = _ESCAPE.sub(r"\1", match.group(2).rstrip("."))
            return namespace + local
        return None


__all__ = ["Location", "SourceMap", "display_path"]
