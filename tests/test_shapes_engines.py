"""The fast validation path agrees with standard SHACL engines on every fixture.

``legalgraph validate`` splits the work: SHACL Core through pyshacl, and each SPARQL-based
constraint once over the whole graph through the store. Two checks keep that from drifting:

- SHACL Core: a second, independent engine, pyrudof (rudof, written in Rust), validates the
  same data against the same Core shapes as written, and both must report the same (focus
  node, source shape, path, severity) results as the fast path (which gives pyshacl only the
  triples whose predicates the shapes look at, and hoisted property shapes). pyrudof handles
  every Core construct the shapes use (cardinality, datatype, class, nodeKind, pattern, in,
  or, uniqueLang, node-level in and or), so the comparison covers all Core shapes. It is not
  asked about sh:sparql: that is checked against pyshacl below. Blank-node focus nodes are
  compared as "a blank node", since each engine names blank nodes its own way.
- SPARQL-based constraints: pyshacl, which evaluates each sh:select once per focus node with
  $this pre-bound (the standard semantics), runs the full shapes on the small fixture graphs,
  and its SPARQL results must equal the whole-graph rewrite's.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pyrudof
import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from legalgraph import build, paths
from legalgraph import validate as validation
from legalgraph.shacl_report import ValidationResult
from legalgraph.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
CONTEXT = FIXTURES / "context.ttl"
FILES = [CONTEXT, *sorted((FIXTURES / "cases").glob("*/*.ttl"))]
Key = tuple[str, str, str, str]


def _name(term: object) -> str:
    if term is None or str(term) in ("", "None"):
        return "-"
    if isinstance(term, BNode):
        return "_:blank"
    text = str(term)
    return "_:blank" if text.startswith("_:") else text.strip("<>")


@functools.cache
def load(path: Path) -> tuple[Store, Graph]:
    files = validation.graph_files([CONTEXT] if path == CONTEXT else [CONTEXT, path])
    store = build.load(files)
    graph = Graph()
    for triple in store.triples():
        graph.add(triple)
    return store, graph


def ours(results: list[ValidationResult]) -> set[Key]:
    return {(_name(r.focus), _name(r.source_shape), _name(r.path), r.severity) for r in results}


@pytest.fixture(scope="module")
def shapes() -> tuple[Graph, Graph, list[validation.SparqlRule]]:
    """The SPARQL-based shapes (for pyshacl), the Core shapes, and the rules of the fast path."""
    core, rules = validation.split_shapes(validation.load_shapes(validation.shape_files()))
    sparql_only = validation.load_shapes([paths.SHAPES_DIR / "consistency.ttl"])
    assert not set(sparql_only.subjects(SH.property, None))
    assert len(set(sparql_only.objects(None, SH.sparql))) == len(rules)
    return sparql_only, core, rules


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_core_results_agree_with_pyrudof(
    path: Path, shapes: tuple[Graph, Graph, list[validation.SparqlRule]]
) -> None:
    _full, core, _rules = shapes
    store, _graph = load(path)
    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    engine.read_data(store.export("nt").decode(), pyrudof.RDFFormat.NTriples)
    engine.read_shacl(core.serialize(format="turtle"), pyrudof.ShaclFormat.Turtle)
    theirs = {
        (_name(e.focus_node), _name(e.source_shape), _name(e.path), str(e.severity))
        for e in engine.validate_shacl()
    }
    # the fast path: only the predicates Core looks at, hoisted property shapes
    assert ours(validation.run_core(validation.core_data(store, core), core)) == theirs


@pytest.mark.parametrize(
    "path", [p for p in FILES if p.parent.name.startswith("rule-")] + [CONTEXT],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_sparql_rules_agree_with_per_focus_node_evaluation(
    path: Path, shapes: tuple[Graph, Graph, list[validation.SparqlRule]]
) -> None:
    full, _core, rules = shapes
    store, graph = load(path)
    fast = {
        (_name(r.focus), _name(r.source_constraint), _name(r.path), _name(r.value))
        for rule in rules for r in validation.run_rule(store, rule)
    }
    _conforms, report, _text = pyshacl_validate(
        graph, shacl_graph=full, inference="none", allow_warnings=True, advanced=False
    )
    assert isinstance(report, Graph)
    standard: set[tuple[str, str, str, str]] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.sourceConstraintComponent) != SH.SPARQLConstraintComponent:
            continue
        value: Node | None = report.value(result, SH.value)
        standard.add((
            _name(report.value(result, SH.focusNode)),
            _name(report.value(result, SH.sourceConstraint)),
            _name(report.value(result, SH.resultPath)),
            _name(value),
        ))
    assert fast == standard
    if path.name == "invalid.ttl":
        assert fast, "the invalid fixture of a rule must trigger it"
