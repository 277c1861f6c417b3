"""The SERVICE/FROM screen against the real engine: a seeded corpus of generated and mutated
queries runs on pyoxigraph with a listener on 127.0.0.1, and every query that makes the engine
connect (or read a foreign graph named in FROM) must be refused by the screen, and by the
endpoint in process."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from tests.servers import Listener

from legalgraph.endpoint import safety
from legalgraph.namespaces import DATASET_IRI, PREFIXES
from legalgraph.settings import Settings
from legalgraph.store import Store
from legalgraph.web import create_app

SEED = 11
CORPUS_SIZE = 2400
MARKER = "marker-of-the-foreign-graph"


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def is_ours(iri: str) -> bool:
    return iri == DATASET_IRI or iri.startswith("https://w3id.org/legalgraph/")


# -- the engine and its oracle ----------------------------------------------------------

OBJECTS = ['1', '1.5', '1e3', 'true', 'false', '"x"', '"x"@en', "'x'", '"""x"""', 'lg:x',
           '"#"', '"\\"#"']


def engine(port: int) -> ox.Store:
    """A store whose default graph matches every pattern the generator writes, and a named
    graph at the listener's address holding a marker: a query that reads the marker read a
    foreign graph through FROM."""
    store = ox.Store()
    prologue = "".join(f"PREFIX {n}: <{i}>\n" for n, i in PREFIXES.items())
    body = " ; ".join(f"<urn:p> {o}" for o in OBJECTS)
    store.update(prologue + f"INSERT DATA {{ <urn:s> {body} . "
                 f"GRAPH <http://127.0.0.1:{port}/g> {{ <urn:m> <urn:m> \"{MARKER}\" }} }}")
    return store


@dataclass
class Outcome:
    connected: bool
    foreign_graph: bool
    error: str = ""


def run_on_engine(store: ox.Store, listener: Listener, text: str) -> Outcome:
    before = listener.count
    error = ""
    foreign = False
    try:
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QuerySolutions | ox.QueryTriples):
            foreign = MARKER in " ".join(str(item) for item in result)
    except (SyntaxError, OSError, RuntimeError, ValueError) as problem:
        error = f"{type(problem).__name__}: {problem}"
    return Outcome(listener.count > before, foreign, error)


# -- the generator ----------------------------------------------------------------------

LINE_ENDS = ["\n", "\r", "\r\n"]
BIND_STRINGS = ['"""\n# """', "'''#'''", '"\\"#"', "'#'", '"""a""\\""""', "'''\r#'''"]
"""Strings whose text looks like a comment or a string's end to a careless reader."""


def spell(rng: random.Random, word: str, escapes: bool = True) -> str:
    """``word`` in random case, sometimes with a letter written as a codepoint escape."""
    letters = [c.upper() if rng.random() < 0.5 else c.lower() for c in word]
    if escapes and rng.random() < 0.1:
        i = rng.randrange(len(letters))
        letters[i] = (f"\\u{ord(letters[i]):04X}" if rng.random() < 0.7
                      else f"\\U{ord(letters[i]):08x}")
    return "".join(letters)


def gap(rng: random.Random, glue: bool = False) -> str:
    """White space or comments between two tokens ("" when ``glue``)."""
    if glue:
        return ""
    choice = rng.random()
    if choice < 0.5:
        return rng.choice([" ", "\t", "\n", "\r", "  "])
    if choice < 0.85:
        tricky = rng.choice(["x", '"""', "'", "<", "{", "SERVICE <", "FROM <", "\\u0022"])
        return f" # {tricky}" + rng.choice(LINE_ENDS)
    return "\n"


@dataclass
class Generator:
    rng: random.Random
    url: str
    prologue: list[str] = field(default_factory=list)

    def target(self) -> tuple[str, str]:
        """A service name, and what must come before the pattern to bind it."""
        kind = self.rng.random()
        if kind < 0.6:
            return f"<{self.url}/sparql>", ""
        if kind < 0.85:
            self.prologue.append(f"PREFIX h: <{self.url}/>")
            return "h:sparql", ""
        return "?svc", f"VALUES ?svc {{ <{self.url}/sparql> }} "

    def service(self) -> str:
        name, before = self.target()
        silent = (spell(self.rng, "SILENT") + gap(self.rng)) if self.rng.random() < 0.2 else ""
        inner = self.group("?a ?b ?c", depth=0)
        return (before + spell(self.rng, "SERVICE") + gap(self.rng) + silent + name
                + gap(self.rng) + inner)

    def hider(self) -> tuple[str, bool]:
        """A pattern to put before the SERVICE, and whether the SERVICE may be glued to it."""
        rng = self.rng
        choice = rng.randrange(9)
        if choice == 0:
            return f"?s ?p {rng.choice(OBJECTS)}", True
        if choice == 1:
            return f"BIND({rng.choice(BIND_STRINGS)} AS ?x)", True
        if choice == 2:
            return "?s ?p ?o" + " # x" + rng.choice(LINE_ENDS), True
        if choice == 3:
            return "?s ?p ?o FILTER(?o<?p#>" + rng.choice(LINE_ENDS) + ")", True
        if choice == 4:
            return "?s ?p ?o FILTER(?o<'>'||true)", True
        if choice == 5:
            return "?s ?p ?o FILTER(1<2)", True
        if choice == 6:
            return f'?s ?p ?o BIND("{spell(rng, "service")} <{self.url}/> {{ }}" AS ?d)', True
        if choice == 7:
            return "?s ?p ?o .", True
        return "", False

    def group(self, content: str, depth: int) -> str:
        rng = self.rng
        wrapped = "{" + gap(rng) + content + gap(rng) + "}"
        if depth <= 0:
            return wrapped
        kind = rng.randrange(5)
        if kind == 0:
            inner = f"{spell(rng, 'OPTIONAL', False)} {wrapped}"
        elif kind == 1:
            inner = f"{{ ?s ?p ?o }} {spell(rng, 'UNION', False)} {wrapped}"
        elif kind == 2:
            inner = f"{{ {spell(rng, 'SELECT', False)} * {spell(rng, 'WHERE', False)} {wrapped} }}"
        elif kind == 3:
            inner = wrapped
        else:
            inner = f"?s ?p ?o {spell(rng, 'MINUS', False)} {wrapped}"
        return self.group(inner, depth - 1)

    def service_query(self) -> str:
        hider, glueable = self.hider()
        glue = glueable and self.rng.random() < 0.5
        pattern = hider + gap(self.rng, glue) + self.service()
        return self.query(self.group(pattern, self.rng.randrange(3)))

    def decoy_query(self) -> str:
        """A query that names the words, or the listener, without a SERVICE or FROM."""
        rng = self.rng
        word = spell(rng, rng.choice(["service", "from"]), escapes=False)
        decoys = [f'?s ?p ?o BIND("{word} <{self.url}/> {{ }}" AS ?d)',
                  f"?s ?p ?o # {word} <{self.url}/g>\n",
                  f"?s ?p ?o FILTER(?o != <{self.url}/{word}>)",
                  f"?s ?p ?{word}",
                  f"?s lg:{word} ?o",
                  f'?s ?p ?o BIND("""\n{word} <{self.url}/> {{ }}\n""" AS ?d)']
        return self.query(self.group(rng.choice(decoys), rng.randrange(2)))

    def from_query(self) -> str:
        rng = self.rng
        target = f"<{self.url}/g>"
        if rng.random() < 0.3:
            self.prologue.append(f"PREFIX h: <{self.url}/>")
            target = "h:g"
        named = rng.random() < 0.3
        clause = spell(rng, "FROM") + gap(rng, rng.random() < 0.3)
        if named:
            clause += spell(rng, "NAMED") + gap(rng)
        clause += target
        where = "{ GRAPH ?g { ?s ?p ?o } }" if named else "{ ?s ?p ?o }"
        hider = rng.choice(["*", "* # x\r", "* # x\n", "?s ?p ?o", "(COUNT(*) AS ?n)"])
        glue = rng.random() < 0.4
        form = spell(rng, "SELECT", False) + " " + hider + gap(rng, glue and hider == "*")
        if rng.random() < 0.2:
            return self.finish(spell(rng, "ASK", False) + gap(rng, glue) + clause + gap(rng)
                               + where)
        return self.finish(form + clause + gap(rng) + spell(rng, "WHERE", False) + gap(rng)
                           + where)

    def query(self, group: str) -> str:
        rng = self.rng
        form = rng.randrange(4)
        if form == 0:
            head = "SELECT * WHERE "
        elif form == 1:
            head = "ASK "
        elif form == 2:
            head = "CONSTRUCT { ?s ?p ?o } WHERE "
        else:
            head = "SELECT (COUNT(*) AS ?n) WHERE "
        return self.finish(head + group)

    def finish(self, body: str) -> str:
        text = "\n".join(dict.fromkeys(self.prologue)) + ("\n" if self.prologue else "") + body
        self.prologue = []
        return text

    def mutate(self, text: str) -> str:
        """``text`` with a few random changes: case, comments, white space, escapes."""
        rng = self.rng
        for _ in range(rng.randint(1, 3)):
            kind = rng.randrange(5)
            spaces = [i for i, c in enumerate(text) if c in " \n"]
            if kind == 0 and spaces:
                i = rng.choice(spaces)
                text = text[:i] + f" #{rng.choice(['', ' }', ' {', ' x'])}" \
                    + rng.choice(LINE_ENDS) + text[i + 1:]
            elif kind == 1 and spaces:
                i = rng.choice(spaces)
                text = text[:i] + text[i + 1:]
            elif kind == 2:
                text = "".join(c.swapcase() if c.isalpha() and rng.random() < 0.2 else c
                               for c in text)
            elif kind == 3:
                letters = [i for i, c in enumerate(text) if c.isalpha()]
                if letters:
                    i = rng.choice(letters)
                    text = text[:i] + f"\\u{ord(text[i]):04x}" + text[i + 1:]
            elif spaces:
                i = rng.choice(spaces)
                text = text[:i] + rng.choice(["\r", "\t", "\r\n", "  "]) + text[i + 1:]
        return text


def corpus(port: int) -> list[tuple[str, str]]:
    """The seeded corpus as (kind, text): SERVICE queries with every hiding trick, FROM
    queries, decoys (the words, but no SERVICE or FROM), and a mutation of each."""
    generator = Generator(random.Random(SEED), f"http://127.0.0.1:{port}")
    queries: list[tuple[str, str]] = []
    while len(queries) < CORPUS_SIZE:
        kind = generator.rng.random()
        if kind < 0.55:
            found = ("service", generator.service_query())
        elif kind < 0.75:
            found = ("from", generator.from_query())
        else:
            found = ("decoy", generator.decoy_query())
        queries += [found, (found[0], generator.mutate(found[1]))]
    return queries + [("bypass", text) for text in bypasses(port)]


def bypasses(port: int) -> list[str]:
    """The four bypasses of the old screen, as found."""
    here = f"http://127.0.0.1:{port}"
    return [
        f"SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE <{here}/a> {{ ?a ?b ?c }}\n}}",
        f"SELECT * WHERE {{ ?s ?p 1SERVICE <{here}/a> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p trueSERVICE <{here}/a> {{ ?a ?b ?c }} }}",
        f'SELECT * WHERE {{ BIND("""\n# """ AS ?x) SERVICE <{here}/a> {{ ?a ?b ?c }} }}',
        f"SELECT * # x\rFROM <{here}/g> WHERE {{ ?s ?p ?o }}",
    ]


def screened(text: str) -> int:
    """The screen's status for ``text``: 200 (may run), 400 or 403."""
    try:
        safety.check(text, is_ours)
    except safety.Refusal as refusal:
        return refusal.status
    return 200


# -- the tests --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    """The endpoint in process, on a store like the oracle's (its own listener address does
    not matter: nothing may connect anywhere)."""
    store = Store(engine(9), [], version="screen-test")
    app = create_app(Settings(workers=2, time_limit=5.0, cache_entries=0), store)
    yield app.test_client()
    app.extensions["legalgraph.sparql"].pool.close()


def test_the_four_bypasses_are_refused(listener: Listener, client: FlaskClient) -> None:
    store = engine(listener.port)
    texts = bypasses(listener.port)
    for text in texts:
        assert screened(text) == 400, text
    connecting = [t for t in texts if run_on_engine(store, listener, t).connected
                  or run_on_engine(store, listener, t).foreign_graph]
    assert len(connecting) == len(texts), "each of them really reaches out on the bare engine"
    before = listener.count
    for text in texts:
        response = client.post("/sparql", data={"query": text},
                               headers={"Accept": "application/json"})
        assert response.status_code == 400, (text, response.data)
        assert json.loads(response.data)["error"] in ("SERVICE refused", "FROM refused")
    assert listener.count == before


def test_every_query_that_reaches_out_is_refused(listener: Listener,
                                                 client: FlaskClient) -> None:
    store = engine(listener.port)
    queries = corpus(listener.port)
    assert len(queries) >= 2000
    started = time.monotonic()
    reached, refused, errors = 0, 0, 0
    missed: list[str] = []
    decoys_refused: list[str] = []
    statuses: dict[str, int] = {}
    for kind, text in queries:
        outcome = run_on_engine(store, listener, text)
        statuses[text] = status = screened(text)
        refused += status != 200
        errors += bool(outcome.error) and not outcome.connected
        if outcome.connected or outcome.foreign_graph:
            reached += 1
            if status == 200:
                missed.append(text)
        elif kind == "decoy" and status != 200 and not outcome.error:
            decoys_refused.append(text)
    decoys = sum(kind == "decoy" for kind, _ in queries)
    print(f"\ncorpus of {len(queries)} queries: {reached} reach out on the engine, {refused} "
          f"refused by the screen, {errors} engine errors; {len(missed)} reached out and were "
          f"not refused; {len(decoys_refused)} of {decoys} harmless decoys refused "
          f"({time.monotonic() - started:.1f} s)")
    assert missed == []
    assert reached >= 500, "the corpus must exercise the engine's fetching"
    assert decoys_refused == []
    # In process through the endpoint: the same decisions, and nothing connects at all.
    before = listener.count
    texts = [text for _kind, text in queries]
    sample = [t for t in texts if statuses[t] != 200][:300] + \
        [t for t in texts if statuses[t] == 200][:300]
    for text in sample:
        response = client.post("/sparql", data={"query": text},
                               headers={"Accept": "application/json"})
        assert response.status_code < 500, (text, response.data)
        if statuses[text] != 200:
            assert response.status_code == statuses[text], (text, response.data)
    assert listener.count == before
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("text", [
    "SELECT ?service ?from WHERE { ?s lg:validFrom ?from ; schema:serviceType ?service }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { } FROM <http://x/>",
    'SELECT * WHERE { BIND("SERVICE <http://127.0.0.1:9/> { ?a ?b ?c }" AS ?x) }',
    "SELECT * WHERE { ?s ?p ?o FILTER(?o != <http://127.0.0.1:9/service>) }",
    f"SELECT * FROM <{DATASET_IRI}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM id:dataset WHERE { ?s ?p ?o }",
    "BASE <https://w3id.org/legalgraph/id/> SELECT * FROM <dataset> WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s lg:serviCe ?o . ?o lg:from <http://127.0.0.1:9/> }",
    # comment lines: no reading reaches them when the text has no long string
    "SELECT * WHERE {\n  # lg:validFrom: SERVICE <http://127.0.0.1:9/> { } FROM <http://x/>\n"
    "  ?s ?p ?o }",
])
def test_harmless_mentions_pass(text: str) -> None:
    assert screened(text) == 200


@pytest.mark.parametrize("text", [
    # a namespace ending in the port: Oxigraph reads p:SERVICE as p: then SERVICE
    "PREFIX p: <http://x:> SELECT * WHERE { ?s ?p p:SERVICE<http://127.0.0.1:9/>{?a ?b ?c} }",
    # a codepoint escape spelling the keyword, for engines that apply them first
    "SELECT * WHERE { SERVIC\\u0045 <http://127.0.0.1:9/> { ?a ?b ?c } }",
    # a comment the engine ends at CR inside an IRI that is really a comparison
    "SELECT * WHERE { ?s ?p ?a FILTER(?a<?b#>\r) SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } }",
    "ASKFROM<http://127.0.0.1:9/g>{}",
    "SELECT*FROMNAMED<http://127.0.0.1:9/g>WHERE{}",
    "SELECT * FROM <g> WHERE { ?s ?p ?o }",
    'DEFINE get:soft "replace" SELECT * WHERE { ?s ?p ?o }',
    # a line that looks like a comment but ends a long string: code follows on it
    "SELECT * WHERE { BIND('''a\n# ''' AS ?x) SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    # a comment ended by CR: the next line is code
    "SELECT * WHERE { # a comment\rSERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
])
def test_what_can_fetch_is_refused(text: str) -> None:
    assert screened(text) == 400
