#!/usr/bin/env bash
# Unpacks the official OpenSearch distribution into the checkout's engine directory (outside the checkout,
# where the service user can read it: see lib.sh), once, after checking that a JDK here can run it.
# `make deps` runs it; start.sh and cluster.sh too, so a node starts after `make clean` as well.
source "$(dirname "$0")/../lib.sh"
opensearch_java_or_explain > /dev/null || exit 1
install_opensearch
