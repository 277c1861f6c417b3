"""All settings in one object, with documented defaults.

Every field can be set by a command-line flag or by an environment variable named
``LEGALGRAPH_<FIELD>`` in upper case (for example ``LEGALGRAPH_TIME_LIMIT=5``). The README's
settings table lists them; a docs test keeps it in step with this class. ``legalgraph serve``
makes its options from the fields (:func:`describe`): the docstring is the help, the metadata
gives the bounds (``min``, ``max``) and the ``metavar``; ``option: False`` leaves a field to a
command's own option.
"""

from __future__ import annotations

import ast
import inspect
import os
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from legalgraph.errors import InputError


@dataclass(frozen=True)
class Settings:
    """Settings of the server and of the commands that load the graph."""

    host: str = "127.0.0.1"
    """Address the server listens on."""
    port: int = field(default=8000, metadata={"min": 0, "max": 65535})
    """Port the server listens on."""
    workers: int = field(default=4, metadata={"min": 1})
    """Worker processes that run SPARQL queries (the server runs twice as many threads)."""
    time_limit: float = field(default=10.0, metadata={"min": 0.05})
    """Seconds a query may run before it is stopped and answered with an error."""
    row_cap: int = field(default=10000, metadata={"min": 1})
    """Most result rows (or triples) a query returns; a cut result says so."""
    max_body_bytes: int = field(default=65536, metadata={"min": 1024})
    """Largest request body accepted (413 above it)."""
    cors: bool = True
    """Send CORS headers allowing any origin (the data is public and read-only)."""
    base_iri: str = "https://w3id.org/legalgraph/"
    """Public IRI base of the data; resource IRIs under it dereference on this server."""
    data_paths: tuple[Path, ...] = field(default_factory=tuple, metadata={"option": False})
    """Turtle files or folders to load instead of the shipped ontology and data."""
    sparql_endpoint: str = field(default="", metadata={"metavar": "URL"})
    """URL of an external SPARQL 1.1 server to query instead of the embedded store (put the
    graph there first with `legalgraph load --sparql-endpoint URL`)."""
    cache_entries: int = field(default=512, metadata={"min": 0})
    """Most query answers kept in the in-memory cache."""
    client_queries: int = field(default=2, metadata={"min": 0})
    """Most queries one client may have running at a time (429 above it; 0: no limit)."""
    trusted_proxies: str = field(default="", metadata={"metavar": "ADDRESSES"})
    """Addresses of reverse proxies whose X-Forwarded-For names the client (comma-separated)."""
    worker_memory_mb: int = field(default=512, metadata={"min": 0})
    """Megabytes of memory a query worker may add to what it starts with (503 above it)."""
    max_url_chars: int = field(default=65536, metadata={"min": 256})
    """Longest request target (path and query string) accepted (414 above it)."""
    max_query_chars: int = field(default=20000, metadata={"min": 1})
    """Longest query text accepted, in characters (400 above it)."""
    max_nesting: int = field(default=64, metadata={"min": 1})
    """Deepest nesting of brackets ({, (, [) a query may have (400 above it)."""
    max_triple_patterns: int = field(default=1000, metadata={"min": 1})
    """Most triple patterns a query may have, counted as groups plus . ; , separators (400
    above it)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``LEGALGRAPH_*`` environment variables, then ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get("LEGALGRAPH_" + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _within(f, _parse(f.name, f.type, raw), raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def _within(f: Field[Any], value: Any, raw: str) -> Any:
    """``value`` if it is within the field's bounds (its metadata's ``min`` and ``max``, the
    same bounds its command-line option checks)."""
    low, high = f.metadata.get("min"), f.metadata.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (f"at least {low}" if high is None else f"at most {high}" if low is None
                  else f"between {low} and {high}")
        raise InputError(f"LEGALGRAPH_{f.name.upper()}={raw!r} is out of range: it must be "
                         f"{bounds}")
    return value


def _parse(name: str, kind: Any, raw: str) -> Any:
    kind = str(kind)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if kind.startswith("tuple"):
            return tuple(Path(p) for p in raw.split(os.pathsep) if p)
    except ValueError:
        raise InputError(f"LEGALGRAPH_{name.upper()}={raw!r} is not a valid {kind}") from None
    return raw


@dataclass(frozen=True)
class Described:
    """A setting as a command-line option shows it."""

    field: Field[Any]
    help: str
    default: Any


def describe() -> list[Described]:
    """Every setting with its docstring (as one line) and default, in the class's order."""
    defaults = Settings()
    docs = _docstrings()
    return [Described(f, docs.get(f.name, ""), getattr(defaults, f.name)) for f in fields(Settings)]


@cache
def _docstrings() -> dict[str, str]:
    try:
        tree = ast.parse(inspect.getsource(Settings))
    except (OSError, TypeError):  # no source shipped: options without help
        return {}
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    found: dict[str, str] = {}
    for node, after in pairwise(body):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            found[node.target.id] = " ".join(after.value.value.split())
    return found
