#!/usr/bin/env bash
# Unpacks the OpenSearch distribution this machine's newest JDK can run (3.8.0 on Java 21+, 2.19.1 on
# Java 11/17) into the checkout's engine directory, once; prints where it is. start.sh calls it too, so
# a node starts after `make clean` as well.
source "$(dirname "$0")/../lib.sh"
version=$(opensearch_version)
if [ -z "$version" ]; then
  echo "opensearch: no Java 11+ under /usr/lib/jvm (or OPENSEARCH_JAVA_HOME); OpenSearch 3.x needs Java 21+" >&2
  exit 1
fi
install_opensearch "$version"
opensearch_dist "$version"
