"""legalgraph: an open, sourced knowledge graph of the legal status of psychoactive medicines."""

from legalgraph.errors import InputError, LegalgraphError
from legalgraph.store import QueryResult, Store

__all__ = ["InputError", "LegalgraphError", "QueryResult", "Store", "__version__"]

__version__ = "0.1.0"
