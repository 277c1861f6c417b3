"""The downloads of the whole graph: versioned dumps with size and checksum, linked from the
dataset description and the /id/dataset page, on the real app served on 127.0.0.1."""

from __future__ import annotations

import gzip
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from legalgraph.namespaces import DATASET_IRI

from .conftest import running_server

SPDX_CHECKSUM = URIRef("http://spdx.org/rdf/terms#checksum")
SPDX_VALUE = URIRef("http://spdx.org/rdf/terms#checksumValue")
FORMATS = {"nt": "nt", "ttl": "turtle", "jsonld": "json-ld"}
NAMES = [ext + gz for ext in FORMATS for gz in ("", ".gz")]


def fetch(base: str, path: str, accept: str = "*/*") -> tuple[int, Message, bytes]:
    """Status, headers and body of a GET (no Accept-Encoding: the bytes as sent)."""
    request = urllib.request.Request(base + path, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def store_version(base: str) -> str:
    status, _, body = fetch(base, "/readyz")
    assert status == 200
    version: str = json.loads(body)["version"]
    return version


def store_size(base: str) -> int:
    query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    status, _, body = fetch(base, "/sparql?query=" + query, "application/sparql-results+json")
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def void(base: str) -> Graph:
    status, _, body = fetch(base, "/dataset", "text/turtle")
    assert status == 200
    return Graph().parse(data=body, format="turtle")


@pytest.mark.parametrize("ext", list(FORMATS))
def test_dump_parses_back_to_every_triple_the_store_holds(live_server: str, ext: str) -> None:
    path = f"/dumps/legalgraph-{store_version(live_server)}.{ext}"
    status, headers, body = fetch(live_server, path)
    assert status == 200
    assert int(headers["Content-Length"]) == len(body)
    _, _, packed = fetch(live_server, path + ".gz")
    assert gzip.decompress(packed) == body
    graph = Graph().parse(data=body, format=FORMATS[ext])
    assert len(graph) == store_size(live_server) > 30_000


@pytest.mark.parametrize("name", NAMES)
def test_checksum_and_size_match_the_bytes(live_server: str, name: str) -> None:
    file_name = f"legalgraph-{store_version(live_server)}.{name}"
    status, headers, body = fetch(live_server, "/dumps/" + file_name)
    assert status == 200 and int(headers["Content-Length"]) == len(body)
    assert "attachment" in headers["Content-Disposition"]
    status, _, line = fetch(live_server, f"/dumps/{file_name}.sha256")
    assert status == 200
    assert line.decode() == f"{hashlib.sha256(body).hexdigest()}  {file_name}\n"


def test_void_lists_every_dump_with_size_and_checksum(live_server: str) -> None:
    graph = void(live_server)
    dataset = URIRef(DATASET_IRI)
    version = store_version(live_server)
    urls = {URIRef(f"{live_server}/dumps/legalgraph-{version}.{name}") for name in NAMES}
    assert set(graph.objects(dataset, VOID.dataDump)) == urls
    described = {}
    for distribution in graph.objects(dataset, DCAT.distribution):
        url = graph.value(distribution, DCAT.downloadURL)
        if url is not None:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert graph.value(distribution, DCAT.mediaType) is not None
            described[url] = distribution
    assert set(described) == urls
    for url, distribution in described.items():
        _, _, body = fetch(live_server, str(url)[len(live_server):])
        size = graph.value(distribution, DCAT.byteSize)
        assert isinstance(size, Literal) and size.toPython() == len(body)
        checksum = graph.value(distribution, SPDX_CHECKSUM)
        assert checksum is not None
        assert str(graph.value(checksum, SPDX_VALUE)) == hashlib.sha256(body).hexdigest()


def test_dataset_page_links_every_dump(live_server: str) -> None:
    status, _, body = fetch(live_server, "/id/dataset", "text/html")
    assert status == 200
    page = body.decode()
    version = store_version(live_server)
    for name in NAMES:
        _, _, line = fetch(live_server, f"/dumps/legalgraph-{version}.{name}.sha256")
        checksum = line.decode().split()[0]
        assert f'href="/dumps/legalgraph-{version}.{name}"' in page
        assert checksum in page


def test_update_refusal_points_at_a_description_that_links_the_data(live_server: str) -> None:
    data = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    request = urllib.request.Request(live_server + "/sparql", data=data)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert "GET /dataset links to it" in refused.value.read().decode()
    assert len(set(void(live_server).objects(URIRef(DATASET_IRI), VOID.dataDump))) == 6


@pytest.mark.parametrize(("name", "says"), [
    ("legalgraph-{version}.rdf", "unknown dump format 'rdf'"),
    ("legalgraph-{version}.nt.zip", "unknown dump format 'nt.zip'"),
    ("legalgraph-0000000000000000.nt.gz", "not 0000000000000000; older versions are not kept"),
    ("graph.nt", "no dump is called 'graph.nt'"),
])
def test_unknown_format_or_stale_version_is_a_clear_404(live_server: str, name: str,
                                                        says: str) -> None:
    version = store_version(live_server)
    status, headers, body = fetch(live_server, "/dumps/" + name.format(version=version))
    assert status == 404
    assert headers["Content-Type"].startswith("text/plain")
    message = body.decode()
    assert says in message
    assert f"/dumps/legalgraph-{version}.nt.gz" in message


def test_two_server_starts_give_the_same_bytes_and_checksums(live_server: str) -> None:
    """Blank nodes get new labels each time the graph is parsed; the dumps do not change."""
    version = store_version(live_server)
    first = {name: fetch(live_server, f"/dumps/legalgraph-{version}.{name}") for name in NAMES}
    assert b"_:" in first["nt"][2], "the graph has blank nodes: the test must see them"
    with running_server() as other:
        assert store_version(other) == version
        for name in NAMES:
            path = f"/dumps/legalgraph-{version}.{name}"
            status, headers, body = fetch(other, path)
            assert status == 200
            assert body == first[name][2], name
            assert headers["ETag"] == first[name][1]["ETag"]
            assert fetch(other, path + ".sha256")[2] == fetch(live_server, path + ".sha256")[2]
