"""``legalgraph validate`` on the fixtures under ``tests/fixtures/shapes/``.

Every case folder holds ``invalid.ttl``, which breaks exactly one shape or consistency rule, and
``valid.ttl``, its twin written correctly. Each is validated with the shipped ontology and
``context.ttl`` (a small world that conforms). The expected results are written by hand in the
header of ``invalid.ttl``, one line each::

    # expect: <shape or constraint> <focus IRI, relative to id:> <severity> <file>:<line>
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH

from legalgraph import build, paths
from legalgraph import validate as validation
from legalgraph.shacl_report import LGSH, ValidationReport, compact
from legalgraph.sourcemap import SourceMap

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
CONTEXT = FIXTURES / "context.ttl"
CASES = sorted(p.name for p in (FIXTURES / "cases").iterdir() if p.is_dir())
ID = "https://w3id.org/legalgraph/id/"
LG = "https://w3id.org/legalgraph/ontology#"
_EXPECT = re.compile(r"^# expect: (\S+) (<[^>]*>|_) (Violation|Warning|Info) (\S+)$")


@dataclass(frozen=True)
class Expected:
    shape: str
    focus: str | None
    severity: str
    place: str | None


def expected(case: str) -> set[Expected]:
    found = set()
    for line in (FIXTURES / "cases" / case / "invalid.ttl").read_text().splitlines():
        if match := _EXPECT.match(line):
            shape, focus, severity, place = match.groups()
            found.add(Expected(
                shape=shape,
                focus=None if focus == "_" else ID + focus[1:-1],
                severity=severity,
                place=None if place == "-" else place,
            ))
    return found


def run(*files: Path) -> ValidationReport:
    return validation.validate(build.load(validation.graph_files([CONTEXT, *files])))


def observed(report: ValidationReport) -> set[Expected]:
    return {
        Expected(
            shape=compact(r.source_constraint or r.source_shape),
            focus=str(r.focus) if isinstance(r.focus, URIRef) else None,
            severity=r.severity,
            place=f"{r.location.file.name}:{r.location.line}" if r.location else None,
        )
        for r in report.results
    }


def legalgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "legalgraph", "validate", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_context_conforms_without_any_result() -> None:
    report = run()
    assert report.results == []
    assert report.conforms(strict=True)


@pytest.mark.parametrize("case", CASES)
def test_invalid_file_triggers_exactly_its_rule(case: str) -> None:
    wanted = expected(case)
    assert wanted, f"{case}/invalid.ttl has no '# expect:' line"
    report = run(FIXTURES / "cases" / case / "invalid.ttl")
    assert observed(report) == wanted
    for result in report.results:
        assert result.message and "{?" not in result.message and "{$" not in result.message


@pytest.mark.parametrize("case", CASES)
def test_valid_twin_has_no_result(case: str) -> None:
    report = run(FIXTURES / "cases" / case / "valid.ttl")
    assert [(compact(r.source_shape), str(r.focus)) for r in report.results] == []


def shapes_graph() -> Graph:
    return validation.load_shapes(validation.shape_files())


def test_every_class_of_the_ontology_has_a_node_shape() -> None:
    ontology = Graph().parse(paths.ONTOLOGY_DIR / "legalgraph.ttl")
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(LG)}
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    assert len(classes) > 30
    assert classes - targeted == set()


def test_every_node_shape_and_rule_has_a_breaking_fixture() -> None:
    shapes = shapes_graph()
    broken = {e.shape for case in CASES for e in expected(case)}
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        own = {compact(shape)}
        own |= {compact(p) for p in shapes.objects(shape, SH.property)}
        own |= {compact(c) for c in shapes.objects(shape, SH.sparql)}
        assert own & broken, f"no fixture breaks {compact(shape)}"


def test_every_named_shape_has_a_message_for_maintainers() -> None:
    shapes = shapes_graph()
    kinds = (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint)
    for kind in kinds:
        for shape in shapes.subjects(RDF.type, kind):
            if kind == SH.NodeShape and (shape, SH.sparql, None) in shapes:
                continue  # the message is on its constraint
            if kind == SH.NodeShape and not any(
                (shape, p, None) in shapes
                for p in (SH.nodeKind, SH["in"], SH["or"])
            ):
                continue  # no constraint of its own: its property shapes speak
            messages = list(shapes.objects(shape, SH.message))
            assert messages, f"{compact(shape)} has no sh:message"
            assert all(isinstance(m, Literal) and m.language == "en" for m in messages)


def test_the_treaty_floor_and_level_rules_are_warnings_and_the_others_violations() -> None:
    shapes = shapes_graph()
    severities = {
        compact(c): compact(shapes.value(s, SH.severity))
        for s, c in shapes.subject_objects(SH.sparql)
    }
    assert severities.pop("lgsh:TreatyFloor") == "sh:Warning"
    assert severities.pop("lgsh:LevelNotStated") == "sh:Warning"
    assert set(severities.values()) == {"sh:Violation"}
    assert len(severities) == 16


def test_a_derived_record_is_located_at_the_record_it_comes_from() -> None:
    store = build.load(validation.graph_files([CONTEXT]))
    derived = URIRef(ID + "derived/status/AUS/mdma")
    located = validation._locate(store, [
        validation.ValidationResult(
            severity="Info", focus=derived, message="m", source_shape=LGSH.x,
            component=SH.SPARQLConstraintComponent,
        )
    ], SourceMap(store.files))[0]
    assert located.derived_from == URIRef(ID + "participation/AUS/un-1971")
    assert located.location is not None
    assert located.location.file == CONTEXT
    lines = CONTEXT.read_text().splitlines()
    assert lines[located.location.line - 1] == "<participation/AUS/un-1971>"


def test_whole_graph_query_binds_this_to_the_targets() -> None:
    query = validation.whole_graph_query(
        "SELECT $this ?value WHERE { $this <p> ?value . FILTER (?value != $this) }",
        "{ ?this a <C> }",
    )
    assert "$this" not in query
    assert query.index("SELECT DISTINCT ?this WHERE { { ?this a <C> } }") < query.index("<p>")
    projected = validation.whole_graph_query("SELECT ?value WHERE { $this <p> ?value }", "{ }")
    assert projected.startswith("SELECT ?this ?value WHERE")


# -- the source map ---------------------------------------------------------------------

def test_source_map_resolves_prefixes_base_and_escapes(tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "PREFIX : <http://example.org/default#>\n"
        "@base <http://example.org/base/> .\n"
        "ex:a ex:p 1 .\n"
        "<rel/b>\n"
        "    ex:p 2 .\n"
        ':c ex:note """a long\n'
        "ex:notASubject\n"
        '""" .\n'
        "ex:d\\-e ex:p 3 .\n"
        "ex:a ex:p 4 .\n"
    )
    where = SourceMap([path])
    found = {iri: loc.line for iri in (
        "http://example.org/a", "http://example.org/base/rel/b",
        "http://example.org/default#c", "http://example.org/d-e",
    ) if (loc := where.locate(iri))}
    assert found == {
        "http://example.org/a": 4,
        "http://example.org/base/rel/b": 5,
        "http://example.org/default#c": 7,
        "http://example.org/d-e": 10,
    }
    assert where.locate("http://example.org/notASubject") is None


# -- the command ------------------------------------------------------------------------

def test_command_reports_file_line_rule_and_exits_1_on_a_violation() -> None:
    invalid = FIXTURES / "cases" / "country-code" / "invalid.ttl"
    done = legalgraph(str(CONTEXT), str(invalid))
    assert done.returncode == 1, done.stderr
    assert "cases/country-code/invalid.ttl:10  id:jurisdiction/NOR" in done.stdout
    assert 'Violation  lg:iso3166Alpha3 = "nor"  [lgsh:Country-alpha3]' in done.stdout
    assert "three upper-case letters" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith(
        "1 violation, 0 warnings, 0 infos in 1 record: does not conform."
    )


def test_command_exits_0_on_a_valid_file() -> None:
    done = legalgraph(str(CONTEXT), str(FIXTURES / "cases" / "country-code" / "valid.ttl"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 violations, 0 warnings, 0 infos in 0 records: conforms." in done.stdout


def test_warnings_pass_unless_strict() -> None:
    invalid = str(FIXTURES / "cases" / "rule-treaty-floor" / "invalid.ttl")
    relaxed = legalgraph(str(CONTEXT), invalid)
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
    assert "Warning  lg:controlLevel = lg:StrictMedicalControl  [lgsh:TreatyFloor]" in (
        relaxed.stdout
    )
    strict = legalgraph("--strict", str(CONTEXT), invalid)
    assert strict.returncode == 1
    assert "does not conform (--strict)" in strict.stdout


def test_unparseable_turtle_exits_2_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix lg: <https://w3id.org/legalgraph/ontology#> .\n\n<a> lg:p <b\n")
    done = legalgraph(str(broken))
    assert done.returncode == 2
    assert f"{broken}:3" in done.stderr
    assert "Traceback" not in done.stderr


def test_json_report_names_every_field() -> None:
    invalid = FIXTURES / "cases" / "rule-no-overlapping-status" / "invalid.ttl"
    done = legalgraph("--format", "json", str(CONTEXT), str(invalid))
    assert done.returncode == 1
    document = json.loads(done.stdout)
    assert document["conforms"] is False
    assert document["summary"]["violations"] == 2
    first = document["results"][0]
    assert first == {
        "severity": "Violation",
        "focusNode": ID + "record/status/AUS/mdma/1",
        "file": first["file"],
        "line": 11,
        "derivedFrom": None,
        "path": None,
        "value": ID + "record/status/AUS/mdma/2",
        "message": first["message"],
        "sourceShape": str(LGSH.NoOverlappingStatusShape),
        "sourceConstraint": str(LGSH.NoOverlappingStatus),
        "sourceConstraintComponent": str(SH.SPARQLConstraintComponent),
    }
    assert first["file"].endswith("cases/rule-no-overlapping-status/invalid.ttl")
    assert "id:record/status/AUS/mdma/2" in first["message"]


def test_junit_report_has_one_failure_per_failing_record() -> None:
    invalid = FIXTURES / "cases" / "rule-part-of-acyclic" / "invalid.ttl"
    done = legalgraph("--format", "junit", str(CONTEXT), str(invalid))
    assert done.returncode == 1
    root = ET.fromstring(done.stdout)
    assert root.tag == "testsuites"
    assert root.get("failures") == "2"
    cases = root.findall("./testsuite/testcase")
    assert {c.get("name") for c in cases} == {
        "id:jurisdiction/AU-NSW", "id:jurisdiction/AU-VIC"
    }
    assert {c.get("line") for c in cases} == {"11", "17"}
    assert all(c.find("failure") is not None for c in cases)


def test_junit_report_keeps_warnings_out_of_failures_unless_strict() -> None:
    invalid = str(FIXTURES / "cases" / "rule-treaty-floor" / "invalid.ttl")
    relaxed = ET.fromstring(legalgraph("--format", "junit", str(CONTEXT), invalid).stdout)
    assert relaxed.get("failures") == "0"
    assert "lgsh:TreatyFloor" in (relaxed.findtext("./testsuite/testcase/system-out") or "")
    strict = ET.fromstring(
        legalgraph("--format", "junit", "--strict", str(CONTEXT), invalid).stdout
    )
    assert strict.get("failures") == "1"


def test_turtle_report_is_a_shacl_validation_report() -> None:
    invalid = FIXTURES / "cases" / "source" / "invalid.ttl"
    done = legalgraph("--format", "turtle", str(CONTEXT), str(invalid))
    assert done.returncode == 1
    graph = Graph().parse(data=done.stdout, format="turtle")
    report = graph.value(None, RDF.type, SH.ValidationReport, any=False)
    assert report is not None
    assert graph.value(None, RDF.type, SH.ValidationReport) is not None
    assert graph.value(report, SH.conforms) == Literal(False)
    (result,) = graph.objects(report, SH.result)
    assert graph.value(result, SH.focusNode) == URIRef(ID + "source/000000000002")
    assert graph.value(result, SH.sourceShape) == LGSH["Source-url"]
    assert graph.value(result, SH.resultPath) == URIRef(LG + "url")
    assert graph.value(result, SH.resultSeverity) == SH.Violation
    assert graph.value(result, LGSH.sourceLine) == Literal(10)


def test_paths_given_with_the_ontology_do_not_load_it_twice() -> None:
    files = validation.graph_files([paths.ONTOLOGY_DIR, CONTEXT])
    assert files == [*paths.turtle_files(paths.ONTOLOGY_DIR), CONTEXT]
    assert validation.graph_files([CONTEXT])[:-1] == paths.turtle_files(paths.ONTOLOGY_DIR)


def test_unparseable_shapes_exit_2_with_file_and_line(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path <b\n")
    done = legalgraph("--shapes", str(shapes), str(CONTEXT))
    assert done.returncode == 2
    assert done.stderr == (
        f"error: {shapes}:2: shapes file does not parse: Bad syntax (unterminated URI reference)\n"
    )


def test_hoisting_gives_property_shapes_their_node_shapes_targets_only_when_safe() -> None:
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:p .
        ex:B a sh:NodeShape ; sh:targetClass ex:D ; sh:property ex:q .
        ex:E a sh:NodeShape ; sh:targetNode ex:n ; sh:node ex:B .
        ex:p sh:path ex:x ; sh:minCount 1 .
        ex:q sh:path ex:y ; sh:minCount 1 .
    """, format="turtle")
    ex = "http://example.org/"
    hoisted = validation.hoist_property_shapes(shapes)
    assert (URIRef(ex + "p"), SH.targetClass, URIRef(ex + "C")) in hoisted
    assert (URIRef(ex + "A"), SH.property, URIRef(ex + "p")) not in hoisted
    assert (URIRef(ex + "B"), SH.property, URIRef(ex + "q")) in hoisted
    assert (URIRef(ex + "q"), SH.targetClass, None) not in hoisted
