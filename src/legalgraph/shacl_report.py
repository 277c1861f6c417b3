"""The validation report: one structure for the SHACL Core and the SPARQL-based results, rendered
as text (grouped by file and record), Turtle (a standard ``sh:ValidationReport``), JSON or JUnit
XML for CI systems."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from legalgraph.namespaces import PREFIXES
from legalgraph.sourcemap import Location, display_path

LGSH = Namespace("https://w3id.org/legalgraph/shapes#")
FORMATS = ("text", "turtle", "json", "junit")
SEVERITIES = ("Violation", "Warning", "Info")
_NOWHERE = "(not in any file)"


@dataclass(frozen=True)
class ValidationResult:
    """One result: a focus node that does not meet one constraint of one shape.

    ``location`` is where the focus node is written; for a derived record (written nowhere),
    ``derived_from`` is the record it was derived from and ``location`` is where that one is.
    """

    severity: str
    focus: Node
    message: str
    source_shape: Node
    component: URIRef
    path: Node | None = None
    value: Node | None = None
    source_constraint: Node | None = None
    location: Location | None = None
    derived_from: Node | None = None

    def as_dict(self, relative_to: Path | None = None) -> dict[str, object]:
        """Plain values for JSON: IRIs and literals as strings, the file relative."""
        return {
            "severity": self.severity,
            "focusNode": _plain(self.focus),
            "file": display_path(self.location.file, relative_to) if self.location else None,
            "line": self.location.line if self.location else None,
            "derivedFrom": _plain(self.derived_from),
            "path": _plain(self.path),
            "value": _plain(self.value),
            "message": self.message,
            "sourceShape": _plain(self.source_shape),
            "sourceConstraint": _plain(self.source_constraint),
            "sourceConstraintComponent": str(self.component),
        }


@dataclass
class ValidationReport:
    """All results of one run, with what was checked and how long each part took."""

    results: list[ValidationResult]
    files: list[Path]
    shapes: list[Path]
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        """How many results have this severity."""
        return sum(1 for r in self.results if r.severity == severity)

    def conforms(self, strict: bool = False) -> bool:
        """No violations (and, when ``strict``, no warnings either)."""
        failing = {"Violation", "Warning"} if strict else {"Violation"}
        return not any(r.severity in failing for r in self.results)

    def summary(self, strict: bool = False) -> str:
        """One line: counts, records, verdict."""
        records = len({r.focus for r in self.results})
        verdict = "conforms" if self.conforms(strict) else "does not conform"
        counts = ", ".join(
            f"{self.count(s)} {s.lower()}{'' if self.count(s) == 1 else 's'}" for s in SEVERITIES
        )
        timing = f" in {self.seconds['total']:.1f} s" if "total" in self.seconds else ""
        return (
            f"{counts} in {records} record{'' if records == 1 else 's'}: {verdict}"
            f"{' (--strict)' if strict else ''}. Checked {self.triples} triples from "
            f"{len(self.files)} files against {len(self.shapes)} shape files{timing}."
        )

    def render(self, fmt: str, strict: bool = False) -> str:
        """The report as ``text``, ``turtle``, ``json`` or ``junit``."""
        if fmt == "text":
            return _text(self, strict)
        if fmt == "json":
            return _json(self, strict)
        if fmt == "turtle":
            return _turtle(self, strict)
        if fmt == "junit":
            return _junit(self, strict)
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def compact(term: Node | None) -> str:
    """A term as people read it: ``lg:Country``, ``id:jurisdiction/AUS``, ``"2024"^^xsd:date``."""
    if term is None:
        return "-"
    if isinstance(term, URIRef):
        text = str(term)
        for name, namespace in (*PREFIXES.items(), ("lgsh", str(LGSH)), ("sh", str(SH))):
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{name}:{text[len(namespace):]}"
        return f"<{text}>"
    if isinstance(term, Literal):
        lexical = json.dumps(str(term), ensure_ascii=False)
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{lexical}^^{compact(term.datatype)}"
        return lexical
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _plain(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _ordered(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(
        results,
        key=lambda r: (
            r.location is None,
            str(r.location.file) if r.location else "",
            r.location.line if r.location else 0,
            str(r.focus),
            rank.get(r.severity, 9),
            str(r.path),
            str(r.value),
            str(r.source_shape),
        ),
    )


def _by_file(
    results: Iterable[ValidationResult],
) -> dict[str, dict[Node, list[ValidationResult]]]:
    grouped: dict[str, dict[Node, list[ValidationResult]]] = defaultdict(lambda: defaultdict(list))
    for result in _ordered(results):
        place = display_path(result.location.file) if result.location else _NOWHERE
        grouped[place][result.focus].append(result)
    return grouped


def _text(report: ValidationReport, strict: bool) -> str:
    lines: list[str] = []
    for place, records in _by_file(report.results).items():
        lines.append(place)
        for focus, results in records.items():
            first = results[0]
            where = f"{place}:{first.location.line}" if first.location else place
            header = f"  {where}  {compact(focus)}"
            if first.derived_from is not None:
                header += f"  (derived from {compact(first.derived_from)})"
            lines.append(header)
            for result in results:
                shape = compact(result.source_constraint or result.source_shape)
                lines.append(f"    {result.severity}  {_what(result)}  [{shape}]")
                lines.append(f"      {result.message}")
        lines.append("")
    lines.append(report.summary(strict))
    return "\n".join(lines) + "\n"


def _json(report: ValidationReport, strict: bool) -> str:
    document = {
        "conforms": report.conforms(strict),
        "strict": strict,
        "summary": {
            "violations": report.count("Violation"),
            "warnings": report.count("Warning"),
            "infos": report.count("Info"),
            "records": len({r.focus for r in report.results}),
            "triples": report.triples,
            "files": [display_path(p) for p in report.files],
            "shapes": [display_path(p) for p in report.shapes],
            "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        },
        "results": [r.as_dict() for r in _ordered(report.results)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _turtle(report: ValidationReport, strict: bool) -> str:
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("lgsh", LGSH)
    for name, namespace in PREFIXES.items():
        graph.bind(name, namespace)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms(strict))))
    for result in _ordered(report.results):
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
        graph.add((node, SH.focusNode, result.focus))
        graph.add((node, SH.resultMessage, Literal(result.message, lang="en")))
        graph.add((node, SH.sourceShape, result.source_shape))
        graph.add((node, SH.sourceConstraintComponent, result.component))
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        if result.source_constraint is not None:
            graph.add((node, SH.sourceConstraint, result.source_constraint))
        if result.location is not None:
            graph.add((node, LGSH.sourceFile, Literal(display_path(result.location.file))))
            graph.add((node, LGSH.sourceLine, Literal(result.location.line)))
        if result.derived_from is not None:
            graph.add((node, LGSH.derivedFrom, result.derived_from))
    return graph.serialize(format="turtle")


def _junit(report: ValidationReport, strict: bool) -> str:
    failing = {"Violation", "Warning"} if strict else {"Violation"}
    suites = ET.Element("testsuites", name="legalgraph validate")
    grouped = _by_file(report.results)
    if not grouped:
        suite = ET.SubElement(suites, "testsuite", name="shapes", tests="1", failures="0")
        ET.SubElement(suite, "testcase", classname="shapes", name="the graph conforms")
    for place, records in grouped.items():
        failures = sum(
            1 for results in records.values() if any(r.severity in failing for r in results)
        )
        suite = ET.SubElement(
            suites, "testsuite", name=place, tests=str(len(records)), failures=str(failures)
        )
        for focus, results in records.items():
            case = ET.SubElement(suite, "testcase", classname=place, name=compact(focus))
            if results[0].location is not None:
                case.set("file", place)
                case.set("line", str(results[0].location.line))
            bad = [r for r in results if r.severity in failing]
            other = [r for r in results if r.severity not in failing]
            if bad:
                failure = ET.SubElement(
                    case, "failure", type=bad[0].severity, message=bad[0].message
                )
                failure.text = "\n".join(_junit_line(r) for r in bad)
            if other:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(_junit_line(r) for r in other)
    suites.set("tests", str(sum(int(s.get("tests", "0")) for s in suites)))
    suites.set("failures", str(sum(int(s.get("failures", "0")) for s in suites)))
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _what(result: ValidationResult) -> str:
    """The property and the offending value, as far as they are known."""
    if result.path is None:
        if result.value is None or result.value == result.focus:
            return "(the record itself)"
        return f"with {compact(result.value)}"
    if result.value is None or result.value == result.focus:
        return f"{compact(result.path)} (missing or too many)"
    return f"{compact(result.path)} = {compact(result.value)}"


def _junit_line(result: ValidationResult) -> str:
    where = result.location.display() if result.location else _NOWHERE
    shape = compact(result.source_constraint or result.source_shape)
    return f"{result.severity} at {where}: {_what(result)} [{shape}] {result.message}"


__all__ = ["FORMATS", "LGSH", "ValidationReport", "ValidationResult", "compact"]
