#!/usr/bin/env bash
# `make test`: lint, then the whole pytest suite against the real Kafka and OpenSearch.
# Uses the servers already answering on their ports (this checkout's `make run`, or another clone's) and
# starts only the missing ones; at exit it stops exactly what it started, nothing else.
set -uo pipefail
cd "$(dirname "$0")/.."
source deploy/local/lib.sh
set +e  # lib.sh turns on errexit for the scripts that source it; this one checks each step itself
started=()
cleanup() { for server in "${started[@]}"; do deploy/local/stop.sh "$server"; done; }
trap cleanup EXIT
for server in kafka opensearch; do
  if server_answers "$server"; then
    echo "$server: using the one already answering"
  else
    started+=("$server")  # recorded before starting, so a half-started server is stopped too
    deploy/local/start.sh "$server" || { echo "could not start $server" >&2; exit 1; }
  fi
done

.venv/bin/ruff check --no-cache . && .venv/bin/ruff format --no-cache --check . || { echo "ruff found problems: run 'make format'" >&2; exit 1; }
# The browser test runs in its own pytest process: playwright's sync API keeps an event loop
# running on the main thread, which the asyncio tests of the same process would then trip over.
.venv/bin/python -m pytest -q -p no:cacheprovider --ignore=tests/e2e tests "$@"
servers=$?
.venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e
browser=$?
[ "$servers" -eq 0 ] && [ "$browser" -eq 0 ]
