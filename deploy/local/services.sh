#!/usr/bin/env bash
# Starts/stops ingest-service (127.0.0.1:8081) and search-service (127.0.0.1:8080) from .venv, by recorded pid.
# Usage: services.sh start|stop|status|banner
source "$(dirname "$0")/lib.sh"

SERVICES_DIR="$STATE_DIR/services"
PY="$REPO_DIR/.venv/bin/python"
INGEST_PORT="${PORT_INGEST:-8081}"
SEARCH_PORT="${PORT_SEARCH:-8080}"
# make run prints this key; set IMPORT_API_KEYS yourself anywhere that is not a laptop.
export IMPORT_API_KEYS="${IMPORT_API_KEYS:-demo-clerk-key}"
# The district both services serve (`make run DISTRICT=netrokona`): its geography must be built
# (schemas/geography/<district>.json, `make geography`). Recorded beside each pid.
export DISTRICT="${DISTRICT:-kishoreganj}"

start_one() {
  local name="$1" module="$2" port="$3" pidfile="$SERVICES_DIR/$1.pid" log="$SERVICES_DIR/$1.log"
  mkdir -p "$SERVICES_DIR"
  if pid_alive "$pidfile" "$module"; then
    local serving; serving=$(cat "$SERVICES_DIR/$name.district" 2>/dev/null || echo kishoreganj)
    echo "$name: already running (pid $(cat "$pidfile")), serving $serving"
    if [ "$serving" != "$DISTRICT" ] && [ "$DISTRICT" = kishoreganj ]; then
      # Kishoreganj's demo events name no district (their bytes are pinned): another district's ingest refuses them
      echo "$name: it serves $serving, not $DISTRICT: \`make services-down\` first" >&2; exit 1
    elif [ "$serving" != "$DISTRICT" ]; then
      echo "$name: it serves $serving, not $DISTRICT (\`make services-down\` first to serve $DISTRICT);" \
           "$DISTRICT's demo events name their district, so they are indexed as $DISTRICT's all the same" >&2
    fi
    return
  fi
  if port_open "$port"; then echo "$name: port $port is taken by a process this project did not start" >&2; exit 1; fi
  PORT="$port" DISTRICT="$DISTRICT" nohup "$PY" -m "$module" > "$log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  echo "$DISTRICT" > "$SERVICES_DIR/$name.district"
  for _ in $(seq 1 120); do
    if curl -fsS -m 2 "http://127.0.0.1:$port/readyz" > /dev/null 2>&1; then
      echo "$name: ready on http://127.0.0.1:$port (pid $(cat "$pidfile")), serving $DISTRICT"; return
    fi
    # alive, not pid_alive: until the child has exec'd python its command line is still the shell's
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "$name: exited during start-up" >&2; log_tail "$log"; exit 1; }
    sleep 0.5
  done
  echo "$name: not ready after 60 s; /readyz says:" >&2
  curl -sS -m 2 "http://127.0.0.1:$port/readyz" >&2 || true
  log_tail "$log"; exit 1
}

stop_one() {
  local name="$1" module="$2" pidfile="$SERVICES_DIR/$1.pid" pid
  if ! pid_alive "$pidfile" "$module"; then echo "$name: not running"; rm -f "$pidfile" "$SERVICES_DIR/$name.district"; return; fi
  pid=$(cat "$pidfile"); kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { echo "$name: stopped"; rm -f "$pidfile" "$SERVICES_DIR/$name.district"; return; }; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true; rm -f "$pidfile" "$SERVICES_DIR/$name.district"; echo "$name: killed after 30 s"
}

case "${1:-}" in
  start) start_one ingest-service ingest.main "$INGEST_PORT"; start_one search-service search.main "$SEARCH_PORT" ;;
  stop) stop_one search-service search.main; stop_one ingest-service ingest.main ;;
  status)
    for s in ingest-service:ingest.main search-service:search.main; do
      if pid_alive "$SERVICES_DIR/${s%%:*}.pid" "${s##*:}"; then echo "${s%%:*}: running pid $(cat "$SERVICES_DIR/${s%%:*}.pid"), serving $(cat "$SERVICES_DIR/${s%%:*}.district" 2>/dev/null || echo kishoreganj)"
      else echo "${s%%:*}: stopped"; fi
    done ;;
  banner)
    # a point in the district's sadar town for the examples (Kishoreganj's as it always was)
    point="24.4449&lon=90.7766"
    if [ "$DISTRICT" != kishoreganj ]; then
      point=$("$PY" -c 'from portal.contracts import district_upazilas as d; t = next(iter(d("'"$DISTRICT"'").values())); print(f"{t.lat}&lon={t.lon}")')
    fi
    cat <<TXT

  Everything is up. District: $DISTRICT
    search API      http://127.0.0.1:$SEARCH_PORT/docs
    ingest API      http://127.0.0.1:$INGEST_PORT/docs
    web client      http://127.0.0.1:$SEARCH_PORT/app/
    OpenSearch      http://127.0.0.1:$OPENSEARCH_PORT
    Kafka           127.0.0.1:$KAFKA_PORT
    CSV import key  $IMPORT_API_KEYS

  Try:
    curl 'http://127.0.0.1:$SEARCH_PORT/v1/providers/nearest?lat=$point&category=electrician&limit=3'
    curl 'http://127.0.0.1:$SEARCH_PORT/v1/providers/nearest?lat=$point&q=kosai'

  Logs: $SERVICES_DIR/*.log, $STATE_DIR/{kafka,opensearch}/*.log.  Stop with: make stop
TXT
    ;;
  *) echo "usage: $0 start|stop|status|banner" >&2; exit 2 ;;
esac
