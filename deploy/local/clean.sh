#!/usr/bin/env bash
# Removes engine data and logs, after the servers are stopped (it refuses while one of them runs).
#   clean.sh        this state directory (LOCAL_STATE_DIR, default .local) and its node homes under ENGINE_DIR
#   clean.sh --all  and everything else this checkout keeps under ENGINE_DIR: the unpacked distributions
#                   and the homes of private nodes tests or benchmarks left behind (`make clean`)
source "$(dirname "$0")/lib.sh"

if pid_alive "$KAFKA_DIR/kafka.pid" "$KAFKA_MAIN" || pid_alive "$OPENSEARCH_DIR/opensearch.pid" "$OPENSEARCH_MAIN"; then
  echo "clean: a server of $STATE_DIR still runs; stop it first (make stop)" >&2; exit 1
fi
# every node whose home would go: this state directory's, or with --all every one of this checkout
if [ "${1:-}" = --all ]; then homes=("$ENGINE_DIR"/state-*); else homes=("$ENGINE_STATE_DIR"); fi
for home in "${homes[@]}"; do
  for pidfile in "$home"/opensearch/opensearch.pid "$home"/cluster/opensearch-*/opensearch.pid; do
    if pid_alive "$pidfile" "$OPENSEARCH_MAIN"; then
      echo "clean: the OpenSearch node in $(dirname "$pidfile") still runs (pid $(cat "$pidfile")); stop it first" >&2
      exit 1
    fi
  done
done

case "${1:-}" in
  "") rm -rf "$STATE_DIR" "$ENGINE_STATE_DIR"; echo "clean: removed $STATE_DIR and $ENGINE_STATE_DIR" ;;
  --all) rm -rf "$STATE_DIR" "$ENGINE_DIR"; echo "clean: removed $STATE_DIR and $ENGINE_DIR" ;;
  *) echo "usage: $0 [--all]" >&2; exit 2 ;;
esac
