#!/usr/bin/env bash
# An Oxigraph server (the `oxigraph` CLI from PyPI) holding the shipped graph on 127.0.0.1, so
# the test suites can run a second time against a remote SPARQL server.
#
#   bash .ci/oxigraph-server.sh start    # export the graph, load it, serve it read-only, wait
#   source .ci/oxigraph-server.env       # LEGALGRAPH_TEST_BACKEND=remote and
#                                        # LEGALGRAPH_TEST_SPARQL_ENDPOINT=http://127.0.0.1:PORT/query
#   python -m pytest -q tests/web        # any suite: the `store` fixture and the test servers
#                                        # now ask the Oxigraph server
#   bash .ci/oxigraph-server.sh stop     # stop it and remove its files
#   bash .ci/oxigraph-server.sh run -- python -m pytest -q   # start, run a command, stop
#
# The graph comes from `legalgraph export --format nt` (ontology + data + derived facts) and is
# loaded with `oxigraph load` into a temporary folder; the server runs `serve-read-only` with a
# query timeout (OXIGRAPH_TIMEOUT_S, default 10 s, the default time limit) on a free port
# (OXIGRAPH_PORT to choose one).
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_FILE=.ci/oxigraph-server.env

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if [ -f "$ENV_FILE" ]; then
    echo "oxigraph-server: already started ($ENV_FILE exists); stop it first" >&2
    exit 1
  fi
  command -v oxigraph >/dev/null || { echo "oxigraph-server: pip install oxigraph" >&2; exit 1; }
  local dir port pid url
  dir=$(mktemp -d "${TMPDIR:-/tmp}/legalgraph-oxigraph.XXXXXX")
  legalgraph export --format nt -o "$dir/graph.nt"
  oxigraph load --location "$dir/db" --file "$dir/graph.nt" >"$dir/load.log" 2>&1 \
    || { cat "$dir/load.log" >&2; rm -rf "$dir"; exit 1; }
  port=${OXIGRAPH_PORT:-$(free_port)}
  oxigraph serve-read-only --location "$dir/db" --bind "127.0.0.1:$port" \
    --timeout-s "${OXIGRAPH_TIMEOUT_S:-10}" >"$dir/server.log" 2>&1 &
  pid=$!
  url="http://127.0.0.1:$port/query"
  cat >"$ENV_FILE" <<ENV
# written by .ci/oxigraph-server.sh start; removed by stop
export LEGALGRAPH_TEST_BACKEND=remote
export LEGALGRAPH_TEST_SPARQL_ENDPOINT=$url
OXIGRAPH_SERVER_PID=$pid
OXIGRAPH_SERVER_DIR=$dir
ENV
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$dir/server.log" >&2
      rm -f "$ENV_FILE"; rm -rf "$dir"
      echo "oxigraph-server: the server exited" >&2
      exit 1
    fi
    if curl -fsS -o /dev/null "$url?query=ASK%7B%7D" 2>/dev/null; then
      echo "oxigraph-server: $(wc -l <"$dir/graph.nt") triples at $url (pid $pid, files in $dir)"
      return 0
    fi
    sleep 0.1
  done
  echo "oxigraph-server: no answer from $url within 30 s" >&2
  stop
  exit 1
}

stop() {
  if [ ! -f "$ENV_FILE" ]; then
    echo "oxigraph-server: not started" >&2
    return 0
  fi
  local pid dir
  pid=$(sed -n 's/^OXIGRAPH_SERVER_PID=//p' "$ENV_FILE")
  dir=$(sed -n 's/^OXIGRAPH_SERVER_DIR=//p' "$ENV_FILE")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  case "$dir" in "${TMPDIR:-/tmp}"/legalgraph-oxigraph.*) rm -rf "$dir" ;; esac
  rm -f "$ENV_FILE"
  echo "oxigraph-server: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    start
    trap stop EXIT
    # shellcheck disable=SC1090
    source "$ENV_FILE"
    "$@"
    ;;
  *) echo "usage: $0 start | stop | run -- COMMAND..." >&2; exit 2 ;;
esac
