"""``legalgraph serve`` with no arguments: the bundled graph on the embedded store, settings
from LEGALGRAPH_* variables, one log line per request with status and time."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
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


def _serve(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LEGALGRAPH_")}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "legalgraph", "serve", *args],
                          capture_output=True, text=True, timeout=120, env=environment,
                          check=False)


def test_serve_refuses_an_address_it_cannot_use_without_a_traceback() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        cases = [
            (_serve("--port", "70000"), "70000"),
            (_serve(LEGALGRAPH_PORT="70000"), "70000"),
            (_serve(LEGALGRAPH_WORKERS="0"), "LEGALGRAPH_WORKERS='0' is out of range"),
            (_serve(LEGALGRAPH_TIME_LIMIT="0.01"), "it must be at least 0.05"),
            (_serve("--host", "127.0.0.1", "--port", port), "something else listens there"),
            (_serve("--host", "999.1.1.1", "--port", "0"), "999.1.1.1"),
        ]
        for result, said in cases:
            assert result.returncode == 2, result.stderr
            assert said in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_export_into_a_missing_folder_is_an_error_line(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "graph.ttl"
    result = subprocess.run([sys.executable, "-m", "legalgraph", "export", "-o", str(target)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
