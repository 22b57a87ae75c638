# Kishoreganj portal search backend. `make run` brings everything up with demo data; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BIN ?= python3
VENV := .venv
comma := ,
PY := $(VENV)/bin/python
# The project's own packages, installed into .venv in editable mode: imports work without PYTHONPATH.
PACKAGES := libs ingest-service search-service deploy/demo deploy/geography bench
export PYTHONUNBUFFERED := 1

KAFKA_LIB := deploy/local/kafka/lib/.resolved

.PHONY: help setup deps browser web contract-tools chaos infra-up infra-down infra-status services-up services-down run stop status demo-data \
        test test-unit test-cluster lint format geography eval report bench-ingest bench-search chaos reindex clean \
        opensearch-dist cluster-deps cluster-up cluster-down

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: $(VENV)/.installed ## create .venv with the pinned Python dependencies

$(VENV)/.installed: requirements.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-build-isolation $(foreach p,$(PACKAGES),-e $(p))
	@touch $@

deps: setup $(KAFKA_LIB) opensearch-dist ## resolve Kafka's jars and the OpenSearch distribution from Maven Central

deploy/local/kafka/lib/.resolved: deploy/local/kafka/pom.xml
	cd deploy/local/kafka && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime
	@touch $@

# The official distribution, unpacked once outside the checkout where the service user can read it
# (deploy/local/lib.sh says where and why); the script does nothing when it is there already.
opensearch-dist:
	@deploy/local/opensearch/install.sh

BROWSER_PACKAGES := chromium fonts-beng fonts-noto-color-emoji

browser: ## Debian's Chromium and Bangla fonts, for the end-to-end test of the web client
	@missing=""; for p in $(BROWSER_PACKAGES); do dpkg -s $$p > /dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  echo "installing$$missing from Debian"; \
	  $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

WEB := search-service/search/web

web: $(WEB)/dist/manifest.json ## build the web client (Leaflet from npm, bundled by esbuild) into search/web/dist

# npm, from Debian when the machine has none
NPM := command -v npm > /dev/null || { sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; echo "installing nodejs and npm from Debian"; \
	  $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm; }

$(WEB)/node_modules/.package-lock.json: $(WEB)/package.json $(WEB)/package-lock.json
	@$(NPM)
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB)/dist/manifest.json: $(WEB)/node_modules/.package-lock.json $(WEB)/build.mjs $(wildcard $(WEB)/src/*)
	cd $(WEB) && node build.mjs

CONTRACT := tests/contract

contract-tools: $(CONTRACT)/node_modules/.package-lock.json ## openapi-typescript and tsc, for the test that types real answers against the OpenAPI documents

$(CONTRACT)/node_modules/.package-lock.json: $(CONTRACT)/package.json $(CONTRACT)/package-lock.json
	@$(NPM)
	cd $(CONTRACT) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

cluster-deps: deps

cluster-up: cluster-deps ## a real cluster: 3 Kafka brokers (KRaft quorum of 3) and 3 OpenSearch nodes, each its own process (CLUSTER_SECURE=1: Kafka over SASL/SCRAM + TLS)
	CLUSTER_SECURE=$(CLUSTER_SECURE) deploy/local/cluster/cluster.sh up
	@echo; deploy/local/cluster/cluster.sh env | sed 's/^/  export /'

cluster-down: ## stop the local cluster (by recorded pid)
	deploy/local/cluster/cluster.sh down

infra-up: deps ## start the local Kafka and OpenSearch (idempotent)
	deploy/local/start.sh all

infra-down: ## stop the local Kafka and OpenSearch (by recorded pid)
	deploy/local/stop.sh all

infra-status:
	-deploy/local/status.sh

services-up: setup web ## start ingest-service and search-service in the background
	deploy/local/services.sh start

services-down:
	deploy/local/services.sh stop

run: infra-up services-up ## everything up, demo data loaded, URLs printed (DISTRICT=netrokona: that district's demo, services serving it)
	$(PY) deploy/demo/load_demo.py --district $(or $(DISTRICT),kishoreganj)
	@DISTRICT=$(or $(DISTRICT),kishoreganj) deploy/local/services.sh banner

stop: services-down infra-down ## stop everything `make run` started

status: infra-status ## what is running
	-deploy/local/services.sh status

GEOGRAPHY_DISTRICTS := kishoreganj netrokona

geography: setup ## rebuild schemas/geography/ (polygons and places) from the pinned packages (DISTRICT=name: one district)
	$(PY) deploy/geography/build.py $(foreach d,$(or $(DISTRICT),$(GEOGRAPHY_DISTRICTS)),--district $(d))
	$(PY) deploy/geography/check_places.py

demo-data: setup ## write the demo dataset as JSONL under .local/demo
	$(PY) deploy/demo/demo_data.py --out .local/demo

lint: setup ## ruff lint and format check, and the type checker
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test-unit: setup ## the tests that need no servers
	$(PY) -m pytest tests/unit -q

test: deps browser web contract-tools ## the whole suite against the real Kafka and OpenSearch (starts and stops them if needed)
	tests/run.sh

test-cluster: deps contract-tools ## the integration suite against the local cluster (CLUSTER_SECURE=1: Kafka over SASL/SCRAM + TLS; TESTS=paths)
	tests/run_cluster.sh $(TESTS)

eval: setup ## search quality on both dev sets (QUERIES=path[,path]), against the running stack
	$(PY) bench/eval_search.py $(foreach q,$(subst $(comma), ,$(QUERIES)),--queries $(q))

report: setup ## what citizens searched for: top, zero-result and relaxed queries (SINCE=7d|24h|ISO)
	$(PY) -m ingest.search_report --since $(or $(SINCE),7d)

reindex: setup ## rebuild indices behind their aliases with no downtime (INDEX=providers|products|sellers, SOURCE=index|kafka)
	@for index in $(or $(INDEX),providers products sellers); do $(PY) -m ingest.reindex $$index --source $(or $(SOURCE),index) || exit 1; done

bench-ingest: deps ## ingest throughput and freshness vs a raw bulk load (N=events), CSV and XLSX imports (ROWS=rows)
	$(PY) bench/bench_ingest.py $(if $(N),--events $(N)) $(if $(ROWS),--csv-rows $(ROWS))

bench-search: deps ## search latency through the service vs the raw engine
	$(PY) bench/bench_search.py $(if $(N),--docs $(N))

chaos: deps ## break things on purpose (kill engines and consumers) and print what was lost: nothing (CLUSTER=1: a broker and an engine node of the local cluster)
	$(if $(CLUSTER),$(MAKE) -s cluster-deps && $(PY) bench/chaos_cluster.py,$(PY) bench/chaos.py)

.PHONY: abuse
abuse: deps ## hostile clients against private services: expensive queries, forged headers, oversize poison
	$(PY) bench/abuse.py

clean: stop cluster-down ## remove engine data, logs and the unpacked distribution (keeps jars and .venv)
	deploy/local/clean.sh --all
