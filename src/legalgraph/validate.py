"""SHACL validation of the loaded graph, derived facts included.

The shapes under ``shapes/`` are standard SHACL. They are evaluated in two parts that give the
same results a SHACL engine would, much faster:

- SHACL Core: pyshacl, on an rdflib copy of the store's graph, with a copy of the shapes graph
  from which the SPARQL-based constraints are removed (pyshacl runs those once per focus node,
  which does not finish on a graph of this size);
- SPARQL-based constraints (``sh:sparql``): each ``sh:select`` runs ONCE over the whole graph
  through :meth:`legalgraph.store.Store.query`, with ``$this`` turned into a variable joined with
  the shape's targets.

Both parts fill one :class:`~legalgraph.shacl_report.ValidationReport`, with the file and line
of every focus node.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from legalgraph import paths
from legalgraph.errors import InputError
from legalgraph.shacl_report import ValidationReport, ValidationResult, compact
from legalgraph.sourcemap import Location, SourceMap
from legalgraph.store import Store

_SEVERITY_NAMES: dict[Node, str] = {
    SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info",
}
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?", re.IGNORECASE)
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SparqlRule:
    """One SPARQL-based constraint of one shape, ready to run over the whole graph."""

    shape: Node
    constraint: Node
    severity: str
    message: str
    query: str


def graph_files(paths_given: Sequence[Path] = ()) -> list[Path]:
    """The files to validate.

    No paths: the shipped ontology and data. Paths (files or folders of ``.ttl``): those, with
    the shipped ontology loaded first unless one of them is, or lies in, the ontology folder,
    so a data file is always checked against the terms it uses.
    """
    if not paths_given:
        return paths.default_graph_files()
    files: list[Path] = []
    for path in paths_given:
        if path.is_dir():
            files.extend(paths.turtle_files(path))
        elif path.exists():
            files.append(path)
        else:
            raise InputError("no such file or folder", where=str(path))
    ontology = paths.ONTOLOGY_DIR.resolve()
    if not any(f.resolve().is_relative_to(ontology) for f in files):
        files = paths.turtle_files(paths.ONTOLOGY_DIR) + files
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique


def shape_files(shapes_given: Sequence[Path] = ()) -> list[Path]:
    """The shapes files: those given (files or folders), or every ``.ttl`` in ``shapes/``."""
    if not shapes_given:
        return paths.turtle_files(paths.SHAPES_DIR)
    files: list[Path] = []
    for path in shapes_given:
        files.extend(paths.turtle_files(path) if path.is_dir() else [path])
    return files


def load_shapes(files: Iterable[Path]) -> Graph:
    """The shapes graph. Raises :class:`InputError` with file and line when one does not parse."""
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except OSError as error:
            raise InputError(error.strerror or str(error), where=str(path)) from None
        except Exception as error:  # rdflib raises several parser error types
            text = str(error)
            line = re.search(r"at line (\d+)", text)
            why = re.search(r"(Bad syntax \([^)]*\))", text)
            raise InputError(
                f"shapes file does not parse: {why.group(1) if why else text.splitlines()[0]}",
                where=str(path),
                line=int(line.group(1)) if line else None,
            ) from None
    return graph


@functools.lru_cache(maxsize=8)
def prepared_shapes(files: tuple[Path, ...]) -> tuple[Graph, list[SparqlRule]]:
    """:func:`split_shapes` of the shapes files, read once per process (treat as read-only)."""
    return split_shapes(load_shapes(files))


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def split_shapes(shapes: Graph) -> tuple[Graph, list[SparqlRule]]:
    """A copy of ``shapes`` without SPARQL-based constraints, and those constraints as rules."""
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    rules = [
        rule
        for shape, constraint in shapes.subject_objects(SH.sparql)
        if (rule := _rule(shapes, shape, constraint)) is not None
    ]
    return core, rules


def validate(
    store: Store, shapes: Sequence[Path] = (), *, source_map: SourceMap | None = None
) -> ValidationReport:
    """Validate everything in ``store`` against the shapes files (default: ``shapes/``)."""
    started = time.perf_counter()
    shape_paths = shape_files(shapes)
    core_shapes, rules = prepared_shapes(tuple(shape_paths))
    data = core_data(store, core_shapes)
    copied = time.perf_counter()
    results = run_core(data, core_shapes)
    core_done = time.perf_counter()
    for rule in rules:
        results.extend(run_rule(store, rule))
    sparql_done = time.perf_counter()
    located = _locate(store, results, source_map or SourceMap(store.files))
    finished = time.perf_counter()
    return ValidationReport(
        results=located,
        files=list(store.files),
        shapes=shape_paths,
        triples=len(store),
        seconds={
            "copy": copied - started,
            "core": core_done - copied,
            "sparql": sparql_done - core_done,
            "locate": finished - sparql_done,
            "total": finished - started,
        },
    )


def hoist_property_shapes(shapes: Graph) -> Graph:
    """The same constraints with each property shape given its node shape's targets directly.

    SHACL allows targets on property shapes, and the results are the same (a property shape
    is then checked once against all its focus nodes instead of once per focus node of each
    node shape that uses it), but pyshacl runs several times faster. Only ``sh:property``
    links of node shapes that have targets and are not used by another shape (``sh:node``,
    ``sh:or``...) are moved.
    """
    hoisted = Graph()
    for prefix, namespace in shapes.namespaces():
        hoisted.bind(prefix, namespace)
    moved: set[tuple[Node, Node]] = set()
    for shape, prop in shapes.subject_objects(SH.property):
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(shape, p)]
        if not targets or shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        if (None, None, shape) in shapes:
            continue  # also used through sh:node, sh:or...: keep its property shapes
        moved.add((shape, prop))
        for predicate, target in targets:
            hoisted.add((prop, predicate, target))
    for s, p, o in shapes:
        if p == SH.property and (s, o) in moved:
            continue
        hoisted.add((s, p, o))
    return hoisted


_PATH_LIKE = (SH.path, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals,
              SH.targetSubjectsOf, SH.targetObjectsOf)


def core_predicates(core_shapes: Graph) -> set[URIRef] | None:
    """The predicates SHACL Core can look at with these shapes, or ``None`` for "all of them".

    With only plain-IRI paths and no ``sh:closed``, a Core result depends only on triples of
    the shapes' paths plus ``rdf:type`` and ``rdfs:subClassOf`` (targets and ``sh:class``).
    """
    if (None, SH.closed, Literal(True)) in core_shapes:
        return None
    predicates: set[URIRef] = {RDF.type, RDFS.subClassOf}
    for link in _PATH_LIKE:
        for path in core_shapes.objects(None, link):
            if not isinstance(path, URIRef):
                return None
            predicates.add(path)
    return predicates


def core_data(store: Store, core_shapes: Graph) -> Graph:
    """The part of the store's graph SHACL Core needs, as an rdflib graph for pyshacl."""
    data = Graph()
    predicates = core_predicates(core_shapes)
    if predicates is None:
        for triple in store.triples():
            data.add(triple)
        return data
    values = " ".join(p.n3() for p in sorted(predicates))
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}")
    for triple in result.triples:
        data.add(triple)
    return data


def run_core(data: Graph, core_shapes: Graph) -> list[ValidationResult]:
    """SHACL Core results of pyshacl (no inference; subclasses come from the ontology triples)."""
    _conforms, report, _text = pyshacl_validate(
        data,
        shacl_graph=hoist_property_shapes(core_shapes),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=False,
        js=False,
    )
    assert isinstance(report, Graph)
    results: list[ValidationResult] = []
    seen: set[tuple[Node, ...]] = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(node, SH.sourceShape)
        focus = report.value(node, SH.focusNode)
        component = report.value(node, SH.sourceConstraintComponent)
        if shape is None or focus is None or not isinstance(component, URIRef):
            continue
        path, value = report.value(node, SH.resultPath), report.value(node, SH.value)
        key = (focus, shape, component, path or SH.path, value or SH.value)
        if key in seen:
            continue
        seen.add(key)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            ValidationResult(
                severity=_severity(report.value(node, SH.resultSeverity)),
                focus=focus,
                message=messages[0] if messages else f"fails {compact(component)}",
                source_shape=_named(shape, core_shapes),
                component=component,
                path=path,
                value=value,
            )
        )
    return results


def run_rule(store: Store, rule: SparqlRule) -> list[ValidationResult]:
    """Run one SPARQL-based constraint over the whole graph."""
    seen: set[tuple[Node, Node | None, Node | None]] = set()
    results = []
    for row in store.select(rule.query):
        focus = row.get("this")
        if focus is None:
            continue
        # as SHACL prescribes, a solution without ?value reports the focus node as the value
        path, value = row.get("path"), row.get("value", focus)
        if (focus, path, value) in seen:
            continue
        seen.add((focus, path, value))
        message = row.get("message")
        template = str(message) if message is not None else rule.message
        bound: dict[str, Node | None] = {"this": focus, "path": path, "value": value, **row}
        results.append(
            ValidationResult(
                severity=rule.severity,
                focus=focus,
                message=_fill(template, bound),
                source_shape=rule.shape,
                source_constraint=rule.constraint,
                component=SH.SPARQLConstraintComponent,
                path=path,
                value=value,
            )
        )
    return results


def _severity(term: Node | None) -> str:
    return _SEVERITY_NAMES.get(term, "Violation") if term is not None else "Violation"


def _fill(template: str, bound: dict[str, Node | None]) -> str:
    """Put the row's values into ``{?var}`` / ``{$var}`` placeholders of a message."""
    return _TEMPLATE.sub(lambda m: compact(bound.get(m.group(1))), template)


def whole_graph_query(select: str, targets: str, prologue: str = "") -> str:
    """Rewrite a SHACL ``sh:select`` so it runs once: ``$this`` becomes ``?this``, projected,
    and bound by ``targets`` (a group pattern) at the start of the outer WHERE block."""
    text = re.sub(r"\$this\b", "?this", select)
    where = _WHERE.search(text)
    if where is None:
        raise InputError("sh:select has no WHERE block", where="shapes")
    projection = text[: where.start()]
    if "?this" not in projection and "*" not in projection:
        text = _SELECT.sub(lambda m: m.group(0) + "?this ", text, count=1)
        where = _WHERE.search(text)
        assert where is not None
    return (
        prologue
        + text[: where.end()]
        + f"\n  {{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}\n"
        + text[where.end():]
    )


def _rule(shapes: Graph, shape: Node, constraint: Node) -> SparqlRule | None:
    if shapes.value(shape, SH.deactivated) == Literal(True):
        return None
    if shapes.value(constraint, SH.deactivated) == Literal(True):
        return None
    select = shapes.value(constraint, SH.select)
    if select is None:
        raise InputError(f"{compact(constraint)} has no sh:select", where="shapes")
    targets = _targets(shapes, shape)
    if not targets:
        return None
    severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity)
    message = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
    return SparqlRule(
        shape=shape,
        constraint=constraint,
        severity=_severity(severity),
        message=str(message) if message is not None else f"fails {compact(constraint)}",
        query=whole_graph_query(str(select), targets, _prologue(shapes, constraint)),
    )


def _targets(shapes: Graph, shape: Node) -> str:
    patterns = [
        f"?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {c.n3()} ."
        for c in shapes.objects(shape, SH.targetClass)
    ]
    patterns += [f"VALUES ?this {{ {n.n3()} }}" for n in shapes.objects(shape, SH.targetNode)]
    patterns += [f"?this {p.n3()} ?_o ." for p in shapes.objects(shape, SH.targetSubjectsOf)]
    patterns += [f"?_s {p.n3()} ?this ." for p in shapes.objects(shape, SH.targetObjectsOf)]
    if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in shapes:
        patterns.append(f"?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
                        f"{shape.n3()} .")
    return " UNION ".join(f"{{ {p} }}" for p in patterns)


def _prologue(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def _named(shape: Node, shapes: Graph) -> Node:
    """Blank-node property shapes inside ``sh:or``/``sh:node`` are reported by their parent."""
    if not isinstance(shape, BNode):
        return shape
    for parent in shapes.subjects(None, shape):
        if isinstance(parent, URIRef):
            return parent
    return shape


def _locate(
    store: Store, results: list[ValidationResult], source_map: SourceMap
) -> list[ValidationResult]:
    located: list[ValidationResult] = []
    derived: dict[Node, Node | None] = {}
    for result in results:
        where: Location | None = source_map.locate(str(result.focus))
        origin: Node | None = None
        if where is None and isinstance(result.focus, URIRef):
            if result.focus not in derived:
                rows = store.select(
                    f"SELECT ?origin WHERE {{ {result.focus.n3()} prov:wasDerivedFrom ?origin }}"
                    " LIMIT 1"
                )
                derived[result.focus] = rows[0].get("origin") if rows else None
            origin = derived[result.focus]
            if origin is not None:
                where = source_map.locate(str(origin))
        located.append(
            ValidationResult(
                severity=result.severity,
                focus=result.focus,
                message=result.message,
                source_shape=result.source_shape,
                component=result.component,
                path=result.path,
                value=result.value,
                source_constraint=result.source_constraint,
                location=where,
                derived_from=origin,
            )
        )
    return located


__all__ = [
    "SparqlRule",
    "core_data",
    "core_predicates",
    "graph_files",
    "hoist_property_shapes",
    "load_shapes",
    "prepared_shapes",
    "run_core",
    "run_rule",
    "shape_files",
    "split_shapes",
    "validate",
    "whole_graph_query",
]
