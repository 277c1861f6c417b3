"""What the data-building tools share: the IRI of a source, and Turtle text of a term.

Both tools write deterministic Turtle (data IRIs relative to ``@base``, known prefixes, escaped
literals), and both mint source IRIs, which must agree for the same URL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

BASE = "https://w3id.org/legalgraph/id/"


def source_iri(url: str) -> URIRef:
    """``id:source/{first 12 hex of sha1(url)}``."""
    return URIRef(BASE + "source/" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:12])


def turtle_term(node: Node, prefixes: Mapping[str, str]) -> str:
    """Turtle text of a term: data IRIs relative to @base, ``prefixes`` where the local name is
    plain, escaped literals."""
    if isinstance(node, Literal):
        if node.datatype is not None:
            return f"{Literal(str(node)).n3()}^^{turtle_term(node.datatype, prefixes)}"
        return node.n3()
    text = str(node)
    if text.startswith(BASE):
        return f"<{text[len(BASE) :]}>"
    for prefix, namespace in prefixes.items():
        local = text[len(namespace) :]
        if text.startswith(namespace) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", local):
            return f"{prefix}:{local}"
    return f"<{text}>"
