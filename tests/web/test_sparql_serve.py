"""``legalgraph serve`` with no arguments: the bundled graph on the embedded store, settings
from LEGALGRAPH_* variables, one log line per request with status and time."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from legalgraph.store import Store

from .conftest import free_port


def test_serve_without_arguments(tmp_path: Path, store: Store) -> None:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LEGALGRAPH_")}
    environment.update({"LEGALGRAPH_PORT": str(port), "LEGALGRAPH_TIME_LIMIT": "3"})
    executable = shutil.which("legalgraph")
    assert executable, "the legalgraph command is installed with the package"
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen([executable, "serve"], stdout=output, stderr=output,
                                   env=environment)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 180
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    with urllib.request.urlopen(base + "/sparql", timeout=2) as response:
                        description = response.read().decode()
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    assert time.monotonic() < deadline, "no answer within 180 s"
                    time.sleep(0.1)
            assert "may run 3 s" in description
            query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
            with urllib.request.urlopen(f"{base}/sparql?{query}", timeout=10) as response:
                document = json.loads(response.read())
            assert int(document["results"]["bindings"][0]["n"]["value"]) == len(store)
        finally:
            process.terminate()
            process.wait(timeout=20)
    text = log.read_text()
    assert f"data version {store.version}" in text
    assert "time limit 3s" in text
    assert re.search(r'"GET /sparql\?query=SELECT[^"]*" 200 \d+ [\d.]+ms', text), text
    assert re.search(r'"GET /sparql" 200 \d+ [\d.]+ms', text), text
