"""Downloads of the whole graph as served (ontology, data and derived facts: what the store
holds), so nobody has to page through the endpoint's row cap.

* ``GET /dumps/legalgraph-<version>.<nt|ttl|jsonld>``, each also ``.gz`` (gzip): the dump of
  the store's content version (the dataset's ``owl:versionInfo``); another version is a 404.
* the same name with ``.sha256`` appended: its SHA-256 checksum, as ``sha256sum`` writes it.

The dumps are made once per process, on the first request that needs them, and kept in
memory; the same data gives the same bytes in every process (blank nodes labelled canonically,
triples sorted: :meth:`legalgraph.store.Store.export`), so the checksums hold across restarts
and servers. Each answer has a ``Content-Length`` and its checksum as ``ETag``. :func:`describe`
adds them to the VoID/DCAT description (``void:dataDump`` and ``dcat:distribution`` with
``dcat:downloadURL``, ``dcat:mediaType``, ``dcat:byteSize`` and an ``spdx:checksum``).
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from legalgraph import media
from legalgraph.store import Store

blueprint = Blueprint("dumps", __name__)

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"

SERIALIZATIONS = (media.N_TRIPLES, media.TURTLE, media.JSON_LD)
"""The media types dumped (each file named with the media type's extension)."""
_NAME = re.compile(r"legalgraph-(?P<version>[^/]+?)\.(?P<ext>[A-Za-z0-9.]+)")


@dataclass(frozen=True)
class Dump:
    """One downloadable file: its name, bytes, media type and checksum."""

    name: str
    body: bytes
    media_type: str
    title: str
    sha256: str
    rdf_type: str
    """The media type of the RDF inside (the same as ``media_type`` unless compressed)."""

    @property
    def size(self) -> int:
        """Its length in bytes."""
        return len(self.body)

    @property
    def compressed(self) -> bool:
        """Whether it is gzip-compressed."""
        return self.media_type != self.rdf_type

    @property
    def path(self) -> str:
        """Its path on this server."""
        return "/dumps/" + self.name


class Dumps:
    """The dumps of one store's graph, made on first use and kept."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._made: dict[str, Dump] | None = None

    def all(self) -> dict[str, Dump]:
        """Every dump by file name, plain ones first, each followed by its gzip twin."""
        with self._lock:
            if self._made is None:
                self._made = self._make()
            return self._made

    def fingerprint(self) -> str:
        """A short hash of every dump's checksum (the same in every process serving one
        version: :meth:`Store.export` writes the same graph as the same bytes)."""
        joined = " ".join(dump.sha256 for dump in self.all().values())
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    def _make(self) -> dict[str, Dump]:
        made: dict[str, Dump] = {}
        for serialization in SERIALIZATIONS:
            body = self.store.export(serialization.extension)
            packed = gzip.compress(body, mtime=0)  # the same bytes for the same graph
            name = _file_name(self.store.version, serialization.extension)
            title = serialization.title
            for file_name, data, kind, label in (
                (name, body, serialization.name, title),
                (name + ".gz", packed, "application/gzip", f"{title}, gzip-compressed"),
            ):
                made[file_name] = Dump(file_name, data, kind, label,
                                       hashlib.sha256(data).hexdigest(), serialization.name)
        return made


def dumps_of(app: Flask) -> Dumps:
    """The app's dumps (of the store the app serves)."""
    found = app.extensions.get("legalgraph.dumps")
    if not isinstance(found, Dumps):
        found = app.extensions.setdefault("legalgraph.dumps", Dumps(app.config["STORE"]))
    assert isinstance(found, Dumps)
    return found


def describe(graph: Graph, dataset: URIRef, root: str) -> None:
    """Add every dump to ``graph`` as a ``void:dataDump`` and a ``dcat:distribution`` of
    ``dataset``, its URLs under ``root`` (this server's address, without a trailing slash)."""
    graph.bind("dcat", DCAT)
    graph.bind("spdx", SPDX)
    for dump in dumps_of(current_app).all().values():
        url = URIRef(root + dump.path)
        distribution = BNode()
        checksum = BNode()
        graph.add((dataset, VOID.dataDump, url))
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(
            f"The whole graph, derived facts included, as {dump.title}", lang="en")))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + dump.rdf_type)))
        if dump.compressed:
            graph.add((distribution, DCAT.compressFormat, URIRef(IANA + dump.media_type)))
        graph.add((distribution, DCAT.byteSize,
                   Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        graph.add((distribution, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))


@blueprint.get("/dumps/<name>")
def download(name: str) -> Response:
    """A dump of the current version, or its checksum (``.sha256``); 404 for anything else."""
    dumps = dumps_of(current_app)
    version = dumps.store.version
    match = _NAME.fullmatch(name)
    if match is None:
        return _not_found(f"no dump is called {name!r}")
    if match["version"] != version:
        return _not_found(f"this server holds data version {version}, not "
                          f"{match['version']}; older versions are not kept")
    checksum = name.endswith(".sha256")
    found = dumps.all().get(name.removesuffix(".sha256") if checksum else name)
    if found is None:
        return _not_found(f"unknown dump format {match['ext']!r}")
    if checksum:
        text = f"{found.sha256}  {found.name}\n".encode()
        return _file(text, "text/plain; charset=utf-8", found.sha256 + "-sha256", None)
    return _file(found.body, media.content_type(found.media_type), found.sha256, found.name)


def _file(body: bytes, content_type: str, etag: str, attachment: str | None) -> Response:
    # an iterable body is left as it is by the app's compression: the bytes are the file's
    response = Response(iter([body]), 200, content_type=content_type)
    response.content_length = len(body)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=3600"
    if attachment:
        response.headers["Content-Disposition"] = f'attachment; filename="{attachment}"'
    response.make_conditional(request)
    return response


def _file_name(version: str, ext: str) -> str:
    return f"legalgraph-{version}.{ext}"


def _not_found(why: str) -> Response:
    version = dumps_of(current_app).store.version
    listed = ", ".join(f"/dumps/{_file_name(version, s.extension)}{gz}"
                       for s in SERIALIZATIONS for gz in ("", ".gz"))
    message = (f"{why}. The dumps on this server are {listed}, each with its checksum at the "
               "same path + .sha256; GET /dataset describes them.\n")
    return Response(message, 404, content_type="text/plain; charset=utf-8")
