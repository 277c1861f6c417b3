"""Write SPARQL query results (SELECT and ASK) as JSON, XML, CSV or TSV.

The writers take plain terms, so they know nothing of the engine: a term is a
:data:`PlainTerm` tuple ``(kind, value, language, datatype)`` with ``kind`` one of ``uri``,
``bnode`` or ``literal``; ``language`` and ``datatype`` are empty when absent (a plain
``xsd:string`` literal has neither). A row is a sequence aligned with the variables, ``None``
for an unbound variable.

CSV and TSV follow the SPARQL 1.1 Query Results CSV and TSV formats. An ASK answer in CSV or
TSV is one column named ``_askResult`` holding ``true`` or ``false``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from legalgraph import media

PlainTerm = tuple[str, str, str, str]
Row = Sequence[PlainTerm | None]

JSON = media.SPARQL_JSON.name
XML = media.SPARQL_XML.name
CSV = media.SPARQL_CSV.name
TSV = media.SPARQL_TSV.name
MEDIA_TYPES = tuple(m.name for m in media.TABULAR)
"""The media types of SELECT and ASK answers, in the order the endpoint prefers them."""


def write_select(
    media_type: str, variables: Sequence[str], rows: Sequence[Row], warning: str = ""
) -> bytes:
    """SELECT results as ``media_type``; ``warning`` (for example a cut) goes into JSON."""
    if media_type == JSON:
        return _json_select(variables, rows, warning)
    if media_type == XML:
        return _xml_select(variables, rows)
    if media_type == CSV:
        return _csv_select(variables, rows)
    if media_type == TSV:
        return _tsv_select(variables, rows)
    raise ValueError(f"unknown results media type {media_type!r}")


def write_ask(media_type: str, answer: bool) -> bytes:
    """An ASK answer as ``media_type``."""
    word = "true" if answer else "false"
    if media_type == JSON:
        return json.dumps({"head": {}, "boolean": answer}).encode()
    if media_type == XML:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    if media_type == CSV:
        return f"_askResult\r\n{word}\r\n".encode()
    if media_type == TSV:
        return f"?_askResult\n{word}\n".encode()
    raise ValueError(f"unknown results media type {media_type!r}")


def _json_term(term: PlainTerm) -> dict[str, str]:
    kind, value, language, datatype = term
    out = {"type": kind, "value": value}
    if language:
        out["xml:lang"] = language
    elif datatype:
        out["datatype"] = datatype
    return out


def _json_select(variables: Sequence[str], rows: Sequence[Row], warning: str) -> bytes:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term}
        for row in rows
    ]
    document: dict[str, object] = {"head": {"vars": list(variables)},
                                   "results": {"bindings": bindings}}
    if warning:
        document["warnings"] = [warning]
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_term(term: PlainTerm) -> str:
    kind, value, language, datatype = term
    if kind == "uri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    if language:
        return f"<literal xml:lang={quoteattr(language)}>{escape(value)}</literal>"
    if datatype:
        return f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
    return f"<literal>{escape(value)}</literal>"


def _xml_select(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
             "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head>",
             "<results>"]
    for row in rows:
        parts.append("<result>")
        parts.extend(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(variables, row, strict=True)
            if term
        )
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode()


def _csv_cell(term: PlainTerm | None) -> str:
    if term is None:
        return ""
    text = "_:" + term[1] if term[0] == "bnode" else term[1]
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_select(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = [",".join(_csv_cell(("literal", v, "", "")) for v in variables)]
    lines.extend(",".join(_csv_cell(term) for term in row) for row in rows)
    return ("\r\n".join(lines) + "\r\n").encode()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_cell(term: PlainTerm | None) -> str:
    if term is None:
        return ""
    kind, value, language, datatype = term
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    text = '"' + value.translate(_TSV_ESCAPES) + '"'
    if language:
        return f"{text}@{language}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def _tsv_select(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join(_tsv_cell(term) for term in row) for row in rows)
    return ("\n".join(lines) + "\n").encode()
