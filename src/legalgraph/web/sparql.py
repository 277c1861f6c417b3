"""The SPARQL 1.1 Protocol endpoint at /sparql (read-only)."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("sparql", __name__)
