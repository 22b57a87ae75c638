#!/usr/bin/env bash
# The Kafka and OpenSearch a test run needs, and only those stopped afterwards (tests/run.sh calls both).
#   test_servers.sh up RECORD    use each server already answering on its port, whoever started it (this
#                                checkout's `make run`, another clone's); start only the missing ones,
#                                naming each in RECORD *before* starting it, so a half-started one is
#                                stopped too
#   test_servers.sh down RECORD  stop exactly the servers named in RECORD, nothing else
source "$(dirname "$0")/lib.sh"

action="${1:-}" record="${2:-}"
[ -n "$record" ] || { echo "usage: $0 up|down RECORD_FILE" >&2; exit 2; }

case "$action" in
  up)
    : > "$record"
    for server in kafka opensearch; do
      if server_answers "$server"; then
        echo "$server: using the one already answering"
      else
        echo "$server" >> "$record"
        "$DEPLOY_DIR/start.sh" "$server" || { echo "could not start $server" >&2; exit 1; }
      fi
    done ;;
  down)
    [ -f "$record" ] || exit 0
    while IFS= read -r server; do
      case "$server" in
        kafka|opensearch) "$DEPLOY_DIR/stop.sh" "$server" ;;
        "") ;;
        *) echo "test_servers.sh: ignoring unknown server '$server' in $record" >&2 ;;
      esac
    done < "$record" ;;
  *) echo "usage: $0 up|down RECORD_FILE" >&2; exit 2 ;;
esac
