#!/usr/bin/env bash
# `make test-cluster`: the integration suite (or the pytest arguments given) against the local cluster of
# deploy/local/cluster/ instead of the single-node stack: three brokers and three engine nodes, and with
# CLUSTER_SECURE=1 Kafka over SASL/SCRAM + TLS, the services and tests logging in with the settings
# `cluster.sh env` prints. Uses the cluster if it runs (in the mode asked for), else starts it and stops
# it again at exit. Lint and the browser test are `make test`'s: they do not depend on the servers.
set -uo pipefail
cd "$(dirname "$0")/.."
CLUSTER=deploy/local/cluster/cluster.sh

status=$("$CLUSTER" status)
started=""
if [ "$(grep -c "running" <<< "$status")" -ne 6 ]; then
  started=1
  trap '"$CLUSTER" down' EXIT
  CLUSTER_SECURE="${CLUSTER_SECURE:-}" "$CLUSTER" up || exit 1
fi
cluster_env=$("$CLUSTER" env)
if [ "${CLUSTER_SECURE:-}" = 1 ] && ! grep -q "^KAFKA_SECURITY_PROTOCOL=SASL_SSL$" <<< "$cluster_env"; then
  echo "the running cluster's Kafka is plaintext; 'make cluster-down' first, or drop CLUSTER_SECURE=1" >&2
  exit 1
fi
while IFS='=' read -r name value; do export "$name=$value"; done <<< "$cluster_env"
echo "testing against the cluster${started:+ started for this run}: $KAFKA_BOOTSTRAP_SERVERS (${KAFKA_SECURITY_PROTOCOL:-PLAINTEXT}), $OPENSEARCH_URL"
[ "$#" -gt 0 ] || set -- tests/integration
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
