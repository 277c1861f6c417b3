"""The remote backend: the same graph on a real ``oxigraph serve`` answers like the embedded store.

Each test module run starts its own in-memory Oxigraph server (the ``oxigraph`` CLI from PyPI)
on a free port of 127.0.0.1, puts the shipped graph there with ``build.load(...,
sparql_endpoint=URL)`` or ``legalgraph load``, and compares answers with the embedded store.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from SPARQLWrapper import JSON, SPARQLWrapper

from legalgraph import build, queries
from legalgraph.errors import InputError, QueryError
from legalgraph.namespaces import ID
from legalgraph.settings import Settings
from legalgraph.store import BackendError, BackendTimeout, Store, substitute
from legalgraph.web import load_for

ROOT = Path(__file__).resolve().parent.parent
OXIGRAPH = shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("oxigraph did not start within 20 s")


def start_server() -> Iterator[str]:
    assert OXIGRAPH, "the oxigraph server CLI (pip install oxigraph) is a test dependency"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The base URL of an empty, read-write Oxigraph server (in memory) for this module."""
    yield from start_server()


@pytest.fixture
def fresh_server() -> Iterator[str]:
    """The base URL of an empty Oxigraph server for one test."""
    yield from start_server()


@pytest.fixture(scope="module")
def embedded() -> Store:
    return build.load()


@pytest.fixture(scope="module")
def remote(server: str, embedded: Store) -> Store:
    store = build.load(sparql_endpoint=server + "/query")
    assert store.version == embedded.version
    return store


def multiset(rows: list[dict[str, object]]) -> Counter[tuple[tuple[str, object], ...]]:
    return Counter(tuple(sorted((k, v) for k, v in row.items())) for row in rows)


def test_load_puts_the_whole_graph_with_its_version(remote: Store, embedded: Store) -> None:
    assert remote.backend.endswith("/query")
    assert embedded.backend == "embedded"
    assert remote.modified == embedded.modified
    assert len(remote) == len(embedded)
    plain = {t for t in embedded.triples() if not any(isinstance(x, BNode) for x in t)}
    assert plain == {t for t in remote.triples() if not any(isinstance(x, BNode) for x in t)}
    derived = "SELECT (COUNT(*) AS ?n) WHERE { ?r lg:basis lg:Derived }"
    assert remote.select(derived) == embedded.select(derived)


def test_a_standard_client_sees_the_same_graph(server: str, embedded: Store) -> None:
    client = SPARQLWrapper(server + "/query")
    client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(embedded)  # type: ignore[index,call-overload]


CHOSEN = re.compile(r"(?:SAMPLE|GROUP_CONCAT)\s*\([^)]*\)\s*AS\s+\?(\w+)", re.IGNORECASE)


@pytest.mark.parametrize("name", sorted(queries.all_queries()))
def test_every_named_query_answers_the_same(name: str, remote: Store, embedded: Store) -> None:
    text = queries.get(name).text
    here, there = embedded.query(text), remote.query(text)
    assert there.kind == here.kind
    assert there.variables == here.variables
    assert len(there.rows) == len(here.rows)
    # SAMPLE and GROUP_CONCAT may pick or order values differently on each engine
    chosen = set(CHOSEN.findall(text))

    def fixed(rows: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in row.items() if k not in chosen} for row in rows]

    assert multiset(fixed(there.python_rows())) == multiset(fixed(here.python_rows()))


BOUND = {
    "country": URIRef(ID["jurisdiction/NLD"]),
    "code": Literal("NL"),
}
BINDING_QUERIES = [
    "SELECT ?country ?code WHERE { ?country lg:iso3166Alpha2 ?code }",
    "SELECT * WHERE { ?country lg:iso3166Alpha2 ?code }",
    "SELECT ?country ?code WHERE { ?x lg:iso3166Alpha2 ?code FILTER (?x = ?country) }",
    "SELECT ?country (COUNT(*) AS ?n) WHERE { ?country ?p ?o } GROUP BY ?country",
    "SELECT ?country ?name WHERE { ?country skos:prefLabel ?name } ORDER BY ?country ?name",
    "SELECT ?country ?o WHERE { { SELECT ?country ?o WHERE { ?country lg:iso3166Alpha3 ?o } } }",
    "SELECT ?country ?label WHERE { ?country a lg:Country "
    "OPTIONAL { ?country skos:altLabel ?label FILTER (LANG(?label) = 'en') } }",
    "SELECT ?country ?code ?note WHERE { ?country lg:iso3166Alpha2 ?code "
    'BIND ("?country" AS ?note) }  # ?country in a comment',
    "ASK { ?country lg:iso3166Alpha2 ?code }",
    "CONSTRUCT { ?country lg:iso3166Alpha2 ?code } WHERE { ?country lg:iso3166Alpha2 ?code }",
]


@pytest.mark.parametrize("text", BINDING_QUERIES)
def test_bindings_mean_the_same_on_both_engines(text: str, remote: Store, embedded: Store) -> None:
    names = {"country"} if "?code" not in text else {"country", "code"}
    bound = {k: v for k, v in BOUND.items() if k in names}
    here, there = embedded.query(text, bound), remote.query(text, bound)
    assert (here.kind, here.boolean, set(here.triples)) == (
        there.kind, there.boolean, set(there.triples))
    assert there.variables == here.variables
    assert multiset(there.python_rows()) == multiset(here.python_rows())
    assert here.rows or here.boolean is not None or here.triples  # the test binds to real data


def test_a_binding_outside_the_projection_is_refused_alike(remote: Store, embedded: Store) -> None:
    text = "SELECT ?code WHERE { ?x lg:iso3166Alpha2 ?code FILTER (?x = ?country) }"
    with pytest.raises(QueryError) as here:
        embedded.query(text, {"country": BOUND["country"]})
    with pytest.raises(QueryError) as there:
        remote.query(text, {"country": BOUND["country"]})
    assert str(here.value) == str(there.value)
    assert "?country" in str(there.value)


def test_substitution_only_adds_serialized_terms() -> None:
    text = (
        'SELECT ?x WHERE { ?x rdfs:label "?x" . ?x <http://e/?x> ?y } # ?x\n'
        "GROUP BY ?x ORDER BY DESC(?x)"
    )
    hostile = Literal('x" } ; DROP ALL ; #', lang="en")
    out = substitute(text, {"x": hostile})
    assert out == (
        'SELECT (' + hostile.n3() + ' AS ?x) WHERE { ' + hostile.n3() + ' rdfs:label "?x" . '
        + hostile.n3() + " <http://e/?x> ?y } # ?x\n"
        "GROUP BY (" + hostile.n3() + ") ORDER BY DESC(" + hostile.n3() + ")"
    )


def test_a_hostile_value_is_only_a_value(remote: Store, embedded: Store) -> None:
    size = len(remote)
    hostile = Literal('NL" } } ; DROP ALL ; SELECT * { ?s ?p "')
    text = "SELECT ?country ?code WHERE { ?country lg:iso3166Alpha2 ?code }"
    assert remote.select(text, {"code": hostile}) == embedded.select(text, {"code": hostile}) == []
    assert len(remote) == size


def test_typed_values_bind_the_same(remote: Store, embedded: Store) -> None:
    text = "SELECT ?day ?n WHERE { BIND (YEAR(?day) AS ?n) }"
    day = {"day": Literal("2001-07-01", datatype=XSD.date)}
    assert remote.select(text, day) == embedded.select(text, day)
    assert embedded.select(text, day)[0]["n"] == Literal(2001)


def test_a_bad_query_gets_the_same_clear_error(remote: Store, embedded: Store) -> None:
    with pytest.raises(InputError) as here:
        embedded.query("SELECT ?x WHERE { ?x lg:iso3166Alpha2 }")
    with pytest.raises(InputError) as there:
        remote.query("SELECT ?x WHERE { ?x lg:iso3166Alpha2 }")
    assert str(here.value) == str(there.value)
    assert str(there.value).startswith("query: error at 1:")


def test_the_remote_graph_is_read_only(remote: Store) -> None:
    with pytest.raises(QueryError, match="read-only"):
        remote.add_constructed("CONSTRUCT { lg:x lg:y 'z' } WHERE {}")
    with pytest.raises(InputError):
        remote.query("DROP ALL")


def test_export_from_the_server_matches(remote: Store, embedded: Store) -> None:
    lines = {line for line in remote.export("nt").decode().splitlines() if "_:" not in line}
    assert lines == {line for line in embedded.export("nt").decode().splitlines()
                     if "_:" not in line}


def test_web_settings_select_the_server(server: str, remote: Store) -> None:
    store = load_for(Settings(sparql_endpoint=server + "/query", time_limit=3))
    assert store.backend == server + "/query"
    assert store.version == remote.version
    with pytest.raises(InputError, match="not both"):
        load_for(Settings(sparql_endpoint=server + "/query", data_paths=(ROOT / "data",)))


def test_an_empty_server_is_refused_clearly(fresh_server: str) -> None:
    with pytest.raises(QueryError, match="holds no version of the legalgraph dataset"):
        Store.connect(fresh_server + "/query")


def test_an_unreachable_server_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(QueryError, match="cannot reach the SPARQL server at " + url):
        Store.connect(url)
    with pytest.raises(InputError, match="not an http"):
        Store.connect("ftp://example.org/sparql")


@contextmanager
def silent_backend() -> Iterator[str]:
    """A SPARQL URL on 127.0.0.1 whose server accepts the connection and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    finally:
        for sock in accepted:
            sock.close()
        listener.close()


def test_the_time_limit_bounds_the_remote_call() -> None:
    with silent_backend() as url:
        started = time.monotonic()
        with pytest.raises(QueryError, match=r"did not answer within 0\.5 s"):
            Store.connect(url, timeout=0.5)
        assert time.monotonic() - started < 3


def legalgraph_load(url: str, *data: Path) -> subprocess.CompletedProcess[str]:
    options = [arg for path in data for arg in ("--data", str(path))]
    return subprocess.run(
        [sys.executable, "-m", "legalgraph", "load", "--sparql-endpoint", url, *options],
        capture_output=True, text=True, timeout=120,
    )


def test_cli_load_validates_then_loads(fresh_server: str, tmp_path: Path) -> None:
    url = fresh_server + "/query"
    small = (ROOT / "ontology", ROOT / "data" / "dataset.ttl")  # a graph that conforms
    expected = build.load([*sorted((ROOT / "ontology").glob("*.ttl")), small[1]])
    done = legalgraph_load(url, *small)
    assert done.returncode == 0, done.stderr
    assert f"loaded {len(expected)} triples (data version {expected.version})" in done.stderr
    assert Store.connect(url).version == expected.version

    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix lg: <https://w3id.org/legalgraph/ontology#> .\nlg:a lg:b .\n")
    done = legalgraph_load(url, *small, broken)
    assert done.returncode == 2
    assert f"{broken}:2" in done.stderr
    assert "Traceback" not in done.stderr

    invalid = tmp_path / "invalid.ttl"
    invalid.write_text(
        "@prefix lg: <https://w3id.org/legalgraph/ontology#> .\n"
        "<https://w3id.org/legalgraph/id/participation/XX/un-1971> a lg:TreatyParticipation .\n"
    )
    done = legalgraph_load(url, *small, invalid)
    assert done.returncode == 1
    assert "does not conform" in done.stderr and "nothing was loaded" in done.stderr
    assert Store.connect(url).version == expected.version  # nothing was sent


def test_a_backend_that_goes_down_is_a_502_for_machines_and_people() -> None:
    from tests.web.conftest import running_server

    servers = start_server()
    base = next(servers)
    url = base + "/query"
    done = legalgraph_load(url, ROOT / "ontology", ROOT / "data" / "dataset.ttl")
    assert done.returncode == 0, done.stderr
    with running_server("--sparql-endpoint", url, "--time-limit", "3") as web:
        health = urllib.request.urlopen(web + "/healthz", timeout=10)
        assert health.status == 200
        ready = urllib.request.urlopen(web + "/readyz", timeout=10)
        assert ready.status == 200
        servers.close()  # the SPARQL server stops
        query = "/sparql?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        for path, accept, kind in ((query, "application/json", "application/json"),
                                   ("/dataset", "text/turtle", "text/plain"),
                                   ("/", "text/html", "text/html"),
                                   ("/readyz", "application/json", "application/json")):
            request = urllib.request.Request(web + path, headers={"Accept": accept})
            with pytest.raises(urllib.error.HTTPError) as failure:
                urllib.request.urlopen(request, timeout=10)
            expected = 503 if path == "/readyz" else 502
            assert failure.value.code == expected, (path, failure.value.read())
            assert (failure.value.headers.get("Content-Type") or "").startswith(kind), path
            assert failure.value.headers.get("Retry-After"), path
            body = failure.value.read().decode()
            assert "Traceback" not in body
            if kind == "text/html":
                assert "<html" in body.lower() and "SPARQL server" in body
        assert urllib.request.urlopen(web + "/healthz", timeout=10).status == 200


def test_a_slow_backend_is_a_timeout_of_its_own_kind() -> None:
    with silent_backend() as url, pytest.raises(BackendTimeout):
        Store.connect(url, timeout=0.3)
    with pytest.raises(BackendError):
        Store.connect(f"http://127.0.0.1:{free_port()}/query")
