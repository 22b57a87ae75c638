#!/usr/bin/env bash
# `make test`: lint, then the whole pytest suite against the real Kafka and OpenSearch.
# Starts either server if it is not already running, and stops only what it started.
set -uo pipefail
cd "$(dirname "$0")/.."
started=()
deploy/local/status.sh > /dev/null 2>&1
for server in kafka opensearch; do
  if ! deploy/local/status.sh 2>/dev/null | grep -q "^$server: *running"; then
    deploy/local/start.sh "$server" || { echo "could not start $server" >&2; deploy/local/stop.sh "$server"; exit 1; }
    started+=("$server")
  fi
done
cleanup() { for server in "${started[@]}"; do deploy/local/stop.sh "$server"; done; }
trap cleanup EXIT

.venv/bin/ruff check --no-cache . && .venv/bin/ruff format --no-cache --check . || { echo "ruff found problems: run 'make format'" >&2; exit 1; }
# The browser test runs in its own pytest process: playwright's sync API keeps an event loop
# running on the main thread, which the asyncio tests of the same process would then trip over.
.venv/bin/python -m pytest -q -p no:cacheprovider --ignore=tests/e2e tests "$@"
servers=$?
.venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e
browser=$?
[ "$servers" -eq 0 ] && [ "$browser" -eq 0 ]
