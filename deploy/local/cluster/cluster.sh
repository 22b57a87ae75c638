#!/usr/bin/env bash
# A real local cluster, each node its own process: three Kafka brokers in KRaft (a controller quorum of
# three) and three OpenSearch nodes from the official distribution, as start.sh runs the single node (same
# artifact, same user, homes under ENGINE_DIR: see lib.sh). Ports apart from the single-node stack, so
# both can run; Kafka state under .local/cluster/, links there to the engine homes. Stops only what it
# started, by pid.
#
# CLUSTER_SECURE=1 (`make cluster-up CLUSTER_SECURE=1`): the brokers speak SASL/SCRAM over TLS only —
# clients and brokers alike authenticate with SCRAM-SHA-512 (or -256) on TLS, the controller quorum uses
# mutual TLS — with a CA and broker certificates this script makes with openssl and passwords it draws,
# all under .local/cluster/ (`cluster.sh env` prints what a client needs). Its brokers keep their own
# data directories (kafka-sasl-N); the other commands act on whichever mode's brokers run. OpenSearch
# stays plain HTTP on loopback: its security plugin is not on Maven Central (deploy/production/README.md
# says what production needs).
#
#   cluster.sh up | down | status | env
#   cluster.sh stop-node kafka|opensearch N [--kill]   # SIGTERM, or SIGKILL with --kill
#   cluster.sh start-node kafka|opensearch N
#   cluster.sh wait-green [NODES] [STATUS]
source "$(dirname "$0")/../lib.sh"
set -euo pipefail

CLUSTER_DIR="$STATE_DIR/cluster"
NODES=(1 2 3)
KAFKA_HEAP="${CLUSTER_KAFKA_HEAP:-384m}"
OPENSEARCH_HEAP="${CLUSTER_OPENSEARCH_HEAP:-512m}"
CLUSTER_NAME="kishoreganj-cluster"

kafka_port() { echo $((19090 + 2 * $1)); }        # 19092, 19094, 19096
controller_port() { echo $((19091 + 2 * $1)); }   # 19093, 19095, 19097
http_port() { echo $((19199 + $1)); }              # 19200, 19201, 19202
transport_port() { echo $((19299 + $1)); }         # 19300, 19301, 19302

bootstrap_servers() { local out=() n; for n in "${NODES[@]}"; do out+=("127.0.0.1:$(kafka_port "$n")"); done; (IFS=,; echo "${out[*]}"); }
opensearch_urls() { local out=() n; for n in "${NODES[@]}"; do out+=("http://127.0.0.1:$(http_port "$n")"); done; (IFS=,; echo "${out[*]}"); }
voters() { local out=() n; for n in "${NODES[@]}"; do out+=("$n@127.0.0.1:$(controller_port "$n")"); done; (IFS=,; echo "${out[*]}"); }

# ------------------------------------------------------------------------------------------------ Kafka

TLS_DIR="$CLUSTER_DIR/tls"
SECRETS="$CLUSTER_DIR/kafka-sasl.secrets"
SCRAM_MECHANISM="SCRAM-SHA-512"
CLIENT_USER="portal"  # what the services and tests log in as; the brokers talk to each other as "admin"

kafka_name() { if [ "$1" = secure ]; then echo kafka-sasl; else echo kafka; fi; }

# Which mode's brokers run now: secure, plain, or nothing.
running_mode() {
  local n
  for n in "${NODES[@]}"; do pid_alive "$CLUSTER_DIR/kafka-sasl-$n/kafka.pid" kafka.Kafka && { echo secure; return; }; done
  for n in "${NODES[@]}"; do pid_alive "$CLUSTER_DIR/kafka-$n/kafka.pid" kafka.Kafka && { echo plain; return; }; done
  echo nothing
}

# CLUSTER_SECURE decides for `up`; otherwise the mode that runs (plain when nothing does).
if [ -n "${CLUSTER_SECURE:-}" ]; then
  if [ "$CLUSTER_SECURE" = 1 ]; then MODE=secure; else MODE=plain; fi
else
  MODE=$(running_mode); [ "$MODE" = nothing ] && MODE=plain
fi

kafka_dir() { echo "$CLUSTER_DIR/$(kafka_name "$MODE")-$1"; }

# A CA and one certificate per broker (its key, certificate and the CA in one PEM file, as Kafka's PEM
# key store wants), valid for 127.0.0.1 and localhost; and the SCRAM passwords. Made once, kept private.
ensure_tls_and_secrets() {
  local n
  (umask 077 && mkdir -p "$TLS_DIR")
  if [ ! -f "$TLS_DIR/ca.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Kishoreganj portal local CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" 2> /dev/null
    rm -f "$TLS_DIR"/kafka-*.pem
  fi
  for n in "${NODES[@]}"; do
    [ -f "$TLS_DIR/kafka-$n.pem" ] && continue
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kafka-$n" -keyout "$TLS_DIR/kafka-$n.key" \
      -out "$TLS_DIR/kafka-$n.csr" 2> /dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' \
      > "$TLS_DIR/kafka-$n.ext"
    openssl x509 -req -in "$TLS_DIR/kafka-$n.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" -CAcreateserial \
      -days 825 -extfile "$TLS_DIR/kafka-$n.ext" -out "$TLS_DIR/kafka-$n.crt" 2> /dev/null
    cat "$TLS_DIR/kafka-$n.key" "$TLS_DIR/kafka-$n.crt" "$TLS_DIR/ca.pem" > "$TLS_DIR/kafka-$n.pem"
    rm -f "$TLS_DIR/kafka-$n.csr" "$TLS_DIR/kafka-$n.ext" "$TLS_DIR/kafka-$n.key" "$TLS_DIR/kafka-$n.crt"
  done
  chmod 644 "$TLS_DIR/ca.pem"  # the CA certificate is public; the keys are not
  if [ ! -f "$SECRETS" ]; then
    (umask 077 && printf 'ADMIN_PASSWORD=%s\nCLIENT_PASSWORD=%s\n' "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" > "$SECRETS")
  fi
}

secret() { sed -n "s/^$1=//p" "$SECRETS"; }

kafka_listener_props() {  # plain: PLAINTEXT everywhere; secure: SASL_SSL for clients, mutual TLS for the quorum
  local n="$1" listener=PLAINTEXT quorum=PLAINTEXT
  [ "$MODE" = secure ] && listener=SASL_SSL quorum=SSL
  cat <<PROPS
listeners=$listener://127.0.0.1:$(kafka_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=$listener://127.0.0.1:$(kafka_port "$n")
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:$quorum,$listener:$listener
inter.broker.listener.name=$listener
PROPS
  [ "$MODE" = secure ] || return 0
  cat <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=$SCRAM_MECHANISM
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(secret ADMIN_PASSWORD)";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/kafka-$n.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
ssl.endpoint.identification.algorithm=https
listener.name.controller.ssl.client.auth=required
PROPS
}

kafka_props() {
  local n="$1" dir; dir=$(kafka_dir "$n")
  (umask 077 && cat > "$dir/server.properties") <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(voters)
$(kafka_listener_props "$n")
log.dirs=$dir/data
auto.create.topics.enable=false
num.partitions=6
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
log.segment.bytes=104857600
message.max.bytes=2097152
PROPS
}

KAFKA_JAVA=(-Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC
  -Dlog4j2.configurationFile="$DEPLOY_DIR/kafka/log4j2.properties" -cp "$(kafka_lib_dir)/*")

start_kafka_node() {
  local n="$1" dir pidfile; dir=$(kafka_dir "$n"); pidfile="$dir/kafka.pid"
  if pid_alive "$pidfile" kafka.Kafka; then echo "kafka-$n: already running (pid $(cat "$pidfile"))"; return; fi
  local id_file scram=()
  id_file="$CLUSTER_DIR/$(kafka_name "$MODE")-cluster-id"
  mkdir -p "$dir/data"
  [ "$MODE" = secure ] && ensure_tls_and_secrets
  kafka_props "$n"
  if [ ! -f "$id_file" ]; then
    java -cp "$(kafka_lib_dir)/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 > "$id_file"
  fi
  if [ ! -f "$dir/data/meta.properties" ]; then
    # SCRAM users live in the metadata log: the secure brokers get theirs when the log is formatted
    [ "$MODE" = secure ] && scram=(
      --add-scram "$SCRAM_MECHANISM=[name=admin,password=$(secret ADMIN_PASSWORD)]"
      --add-scram "SCRAM-SHA-512=[name=$CLIENT_USER,password=$(secret CLIENT_PASSWORD)]"
      --add-scram "SCRAM-SHA-256=[name=$CLIENT_USER,password=$(secret CLIENT_PASSWORD)]")
    java "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(cat "$id_file")" \
      -c "$dir/server.properties" "${scram[@]}" > "$dir/format.log" 2>&1 || { log_tail "$dir/format.log"; exit 1; }
  fi
  nohup java "${KAFKA_JAVA[@]}" kafka.Kafka "$dir/server.properties" > "$dir/kafka.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  echo "kafka-$n: starting on 127.0.0.1:$(kafka_port "$n") (pid $!, heap $KAFKA_HEAP)"
}

wait_kafka_node() {
  local n="$1" dir; dir=$(kafka_dir "$n")
  for _ in $(seq 1 180); do
    if grep -q "Kafka Server started" "$dir/kafka.log" 2>/dev/null && port_open "$(kafka_port "$n")"; then return; fi
    pid_alive "$dir/kafka.pid" kafka.Kafka || { echo "kafka-$n exited during start-up" >&2; log_tail "$dir/kafka.log"; exit 1; }
    sleep 0.5
  done
  echo "kafka-$n: not ready after 90 s" >&2; log_tail "$dir/kafka.log"; exit 1
}

# ------------------------------------------------------------------------------------------- OpenSearch

os_dir() { echo "$ENGINE_STATE_DIR/cluster/opensearch-$1"; }

os_config() {
  local n="$1" dist="$2" dir seeds=() masters=() m; dir=$(os_dir "$n")
  for m in "${NODES[@]}"; do seeds+=("\"127.0.0.1:$(transport_port "$m")\""); masters+=("\"os-$m\""); done
  prepare_node_home "$dir" "$dist"
  cat > "$dir/config/opensearch.yml" <<YML
cluster.name: $CLUSTER_NAME
node.name: os-$n
path.data: $dir/data
path.logs: $dir/logs
network.host: 127.0.0.1
http.port: $(http_port "$n")
transport.port: $(transport_port "$n")
discovery.seed_hosts: [$(IFS=,; echo "${seeds[*]}")]
cluster.initial_cluster_manager_nodes: [$(IFS=,; echo "${masters[*]}")]
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: true
YML
  mkdir -p "$CLUSTER_DIR" && ln -sfn "$dir" "$CLUSTER_DIR/opensearch-$n"
}

start_os_node() {
  local n="$1" dir home; dir=$(os_dir "$n")
  if pid_alive "$dir/opensearch.pid" "$OPENSEARCH_MAIN"; then
    echo "opensearch-$n: already running (pid $(cat "$dir/opensearch.pid"))"; return
  fi
  home=$(opensearch_java_or_explain) || exit 1
  "$DEPLOY_DIR/opensearch/install.sh" || exit 1
  os_config "$n" "$OPENSEARCH_DIST"
  launch_node "$dir" "$OPENSEARCH_DIST" "$OPENSEARCH_HEAP" "$home" || { log_tail "$dir/start.log"; exit 1; }
  echo "opensearch-$n: starting on http://127.0.0.1:$(http_port "$n") as $OPENSEARCH_USER (heap $OPENSEARCH_HEAP)"
}

wait_cluster_green() {
  local url; url="http://127.0.0.1:$(http_port 1)"
  for _ in $(seq 1 240); do
    for n in "${NODES[@]}"; do
      url="http://127.0.0.1:$(http_port "$n")"
      if curl -fsS -m 2 "$url/_cluster/health?wait_for_nodes=${1:-3}&wait_for_status=${2:-green}&timeout=1s" > /dev/null 2>&1; then
        return
      fi
    done
    sleep 0.5
  done
  echo "opensearch cluster not ${2:-green} with ${1:-3} nodes after 120 s" >&2
  for n in "${NODES[@]}"; do log_tail "$(os_dir "$n")/logs/$CLUSTER_NAME.log"; done
  exit 1
}

# -------------------------------------------------------------------------------------------- commands

stop_pid() {  # name pidfile marker [--kill]
  local name="$1" pidfile="$2" marker="$3" signal="${4:-}" pid
  if ! pid_alive "$pidfile" "$marker"; then echo "$name: not running"; return; fi
  pid=$(cat "$pidfile")
  if [ "$signal" = "--kill" ]; then kill -KILL "$pid"; gone "$pid"; echo "$name: killed (pid $pid)"; return; fi
  stop_together "$marker" "$name=$pidfile"
}

gone() {  # pid...: wait (10 s at most) until the processes have really ended
  local pid
  for _ in $(seq 1 40); do
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && break; pid=""; done
    [ -z "${pid:-}" ] && return; sleep 0.25
  done
}

# SIGTERM to all of them at once, then wait: brokers stopped one by one lose their controller quorum,
# and the last one then hangs in its controlled shutdown until it is killed.
stop_together() {  # marker name=pidfile...
  local marker="$1" entry name pid pids=() names=(); shift
  for entry in "$@"; do
    name="${entry%%=*}"
    if pid_alive "${entry#*=}" "$marker"; then
      pid=$(cat "${entry#*=}"); kill -TERM "$pid"; pids+=("$pid"); names+=("$name")
    else echo "$name: not running"; fi
  done
  local i
  for _ in $(seq 1 60); do
    local left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ "$left" = 0 ] && break; sleep 0.5
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      kill -KILL "${pids[$i]}" 2>/dev/null || true; gone "${pids[$i]}"; echo "${names[$i]}: killed after 30 s"
    else echo "${names[$i]}: stopped"; fi
  done
}

node_status() {
  local n
  for n in "${NODES[@]}"; do
    if pid_alive "$(kafka_dir "$n")/kafka.pid" kafka.Kafka; then echo "kafka-$n:      running  127.0.0.1:$(kafka_port "$n")$([ "$MODE" = secure ] && echo "  SASL_SSL")"
    else echo "kafka-$n:      stopped"; fi
  done
  for n in "${NODES[@]}"; do
    if pid_alive "$(os_dir "$n")/opensearch.pid" "$OPENSEARCH_MAIN"; then
      echo "opensearch-$n: running  http://127.0.0.1:$(http_port "$n")"
    else echo "opensearch-$n: stopped"; fi
  done
}

case "${1:-}" in
  up)
    mkdir -p "$CLUSTER_DIR"
    [ -d "$(kafka_lib_dir)" ] || { echo "kafka jars missing; run 'make deps'" >&2; exit 1; }
    running=$(running_mode)
    if [ "$running" != nothing ] && [ "$running" != "$MODE" ]; then
      echo "the cluster's brokers run in $running mode; 'make cluster-down' first to bring it up in $MODE mode" >&2; exit 1
    fi
    for n in "${NODES[@]}"; do start_kafka_node "$n"; done
    for n in "${NODES[@]}"; do start_os_node "$n"; done
    for n in "${NODES[@]}"; do wait_kafka_node "$n"; done
    echo "kafka: 3 brokers up ($(bootstrap_servers)$([ "$MODE" = secure ] && echo "; SASL/SCRAM over TLS only"))"
    wait_cluster_green 3 green
    echo "opensearch: 3 nodes, green ($(opensearch_urls))"
    ;;
  down)
    nodes=(); for n in "${NODES[@]}"; do nodes+=("opensearch-$n=$(os_dir "$n")/opensearch.pid"); done
    stop_together "$OPENSEARCH_MAIN" "${nodes[@]}"
    brokers=(); for n in "${NODES[@]}"; do brokers+=("kafka-$n=$(kafka_dir "$n")/kafka.pid"); done
    stop_together kafka.Kafka "${brokers[@]}"
    ;;
  status) node_status ;;
  env)
    echo "KAFKA_BOOTSTRAP_SERVERS=$(bootstrap_servers)"
    echo "OPENSEARCH_URL=$(opensearch_urls)"
    echo "TOPIC_REPLICATION_FACTOR=3"
    if [ "$MODE" = secure ]; then
      echo "KAFKA_SECURITY_PROTOCOL=SASL_SSL"
      echo "KAFKA_SASL_MECHANISM=$SCRAM_MECHANISM"
      echo "KAFKA_SASL_USERNAME=$CLIENT_USER"
      echo "KAFKA_SASL_PASSWORD=$(secret CLIENT_PASSWORD)"
      echo "KAFKA_SSL_CAFILE=$TLS_DIR/ca.pem"
    fi
    ;;
  stop-node)
    case "$2" in
      kafka) stop_pid "kafka-$3" "$(kafka_dir "$3")/kafka.pid" kafka.Kafka "${4:-}" ;;
      opensearch) stop_pid "opensearch-$3" "$(os_dir "$3")/opensearch.pid" "$OPENSEARCH_MAIN" "${4:-}" ;;
      *) echo "usage: $0 stop-node kafka|opensearch N [--kill]" >&2; exit 2 ;;
    esac ;;
  start-node)
    case "$2" in
      kafka) start_kafka_node "$3"; wait_kafka_node "$3" ;;
      opensearch) start_os_node "$3" ;;
      *) echo "usage: $0 start-node kafka|opensearch N" >&2; exit 2 ;;
    esac ;;
  wait-green) wait_cluster_green "${2:-3}" "${3:-green}" ;;
  *) echo "usage: $0 up|down|status|env|stop-node|start-node|wait-green" >&2; exit 2 ;;
esac
