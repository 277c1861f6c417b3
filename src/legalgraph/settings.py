"""All settings in one object, with documented defaults.

Every field can be set by a command-line flag or by an environment variable named
``LEGALGRAPH_<FIELD>`` in upper case (for example ``LEGALGRAPH_TIME_LIMIT=5``). The README's
settings table lists them; a docs test keeps it in step with this class.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from legalgraph.errors import InputError


@dataclass(frozen=True)
class Settings:
    """Settings of the server and of the commands that load the graph."""

    host: str = "127.0.0.1"
    """Address the server listens on."""
    port: int = 8000
    """Port the server listens on."""
    workers: int = 4
    """Worker processes that run SPARQL queries (the server runs twice as many threads)."""
    time_limit: float = 10.0
    """Seconds a query may run before it is stopped and answered with an error."""
    row_cap: int = 10000
    """Most result rows (or triples) a query returns; a cut result says so."""
    max_body_bytes: int = 65536
    """Largest request body accepted (413 above it)."""
    cors: bool = True
    """Send CORS headers allowing any origin (the data is public and read-only)."""
    base_iri: str = "https://w3id.org/legalgraph/"
    """Public IRI base of the data; resource IRIs under it dereference on this server."""
    data_paths: tuple[Path, ...] = field(default_factory=tuple)
    """Turtle files or folders to load instead of the shipped ontology and data."""
    sparql_endpoint: str = ""
    """URL of an external SPARQL 1.1 server to query instead of the embedded store."""
    cache_entries: int = 512
    """Most query answers kept in the in-memory cache."""
    client_queries: int = 2
    """Most queries one client may have running at a time (429 above it; 0: no limit)."""
    trusted_proxies: str = ""
    """Addresses of reverse proxies whose X-Forwarded-For names the client (comma-separated)."""
    worker_memory_mb: int = 512
    """Megabytes of memory a query worker may add to what it starts with (503 above it)."""
    max_url_chars: int = 65536
    """Longest request target (path and query string) accepted (414 above it)."""
    max_query_chars: int = 20000
    """Longest query text accepted, in characters (400 above it)."""
    max_nesting: int = 64
    """Deepest nesting of brackets ({, (, [) a query may have (400 above it)."""
    max_triple_patterns: int = 1000
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
                values[f.name] = _parse(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


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
