#!/usr/bin/env bash
# `make test`: lint, then the whole pytest suite against the real Kafka and OpenSearch.
# Uses the servers already answering on their ports (this checkout's `make run`, or another clone's) and
# starts only the missing ones; at exit it stops exactly what it started, nothing else.
set -uo pipefail
cd "$(dirname "$0")/.."
# What this run starts is named in $servers, and only that is stopped at exit (deploy/local/test_servers.sh).
servers=$(mktemp "${TMPDIR:-/tmp}/make-test-servers.XXXXXX")
trap 'deploy/local/test_servers.sh down "$servers"; rm -f "$servers"' EXIT
deploy/local/test_servers.sh up "$servers" || exit 1

.venv/bin/ruff check --no-cache . && .venv/bin/ruff format --no-cache --check . || { echo "ruff found problems: run 'make format'" >&2; exit 1; }
# The browser test runs in its own pytest process: playwright's sync API keeps an event loop
# running on the main thread, which the asyncio tests of the same process would then trip over.
.venv/bin/python -m pytest -q -p no:cacheprovider --ignore=tests/e2e tests "$@"
suite=$?
.venv/bin/python -m pytest -q -p no:cacheprovider tests/e2e
browser=$?
[ "$suite" -eq 0 ] && [ "$browser" -eq 0 ]
