"""Faults on purpose, as part of `make test`: a private Kafka killed, a private OpenSearch frozen and killed.

The scenarios live in bench/chaos_scenarios.py, shared with `make chaos` (which measures them and
prints a table); here each runs once per module and every claim is a test of what it saw. Faults hit
only servers of this module's own — Kafka on 9192/9193, OpenSearch on 9251, each with a state
directory under pytest's temporary directory — stopped by recorded pid at the end, also when a test
fails. The shared servers carry only the healthy side, under the session's prefix.
(test_ingest_faults.py covers an OpenSearch outage mid-ingest and ingest-service SIGKILLs.)

Time is asserted only where the claim is about it, with room for a busy machine: a request to a
frozen engine must come back once ENGINE_TIMEOUT_S cuts it, not hang; to a dead engine, at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from opensearchpy import OpenSearch

from chaos_scenarios import (
    BrokerUnderIngest,
    EngineUnderServices,
    PrivateKafka,
    PrivateOpenSearch,
    ScenarioResult,
    delete_indices,
    delete_topics,
    engine_frozen,
    kafka_killed,
    kafka_security,
    opensearch_killed,
    seed_providers,
)
from harness.service_process import ServiceProcess, free_port, service_env
from integration.conftest import ARTIFACTS
from portal.settings import PortalSettings

ENGINE_TIMEOUT_S = 2.0
IMPORT_KEY = "test-key-1"  # one of the keys make_ingest configures


def chaos_settings(settings: PortalSettings, name: str, **update: str) -> PortalSettings:
    prefix = f"{settings.index_prefix}{name}{uuid.uuid4().hex[:4]}_"
    return settings.model_copy(update={"index_prefix": prefix, "topic_prefix": prefix, **update})


# ---------------------------------------------------------------- b. Kafka killed mid-stream


@pytest.fixture(scope="module")
def kafka_outage(make_ingest, settings, engine, tmp_path_factory) -> Iterator[ScenarioResult]:
    """A private broker SIGKILLed under a live stream into ingest-service, probed while gone, restarted."""
    kafka = PrivateKafka(tmp_path_factory.mktemp("chaos-kafka"), port=9192, controller_port=9193, heap="256m")
    s = kafka.settings_for(chaos_settings(settings, "kafka"))
    try:
        kafka.start()
        ingest = make_ingest(s, BATCH_SIZE="200").start()
        try:
            yield kafka_killed(BrokerUnderIngest(kafka, ingest, s, engine), import_key=IMPORT_KEY)
        finally:
            ingest.stop(timeout=40)
    finally:
        kafka.remove()
        delete_indices(engine, s.index_prefix)


def test_ingest_waits_while_kafka_is_down(kafka_outage):
    readyz = kafka_outage.probes["ingest /readyz while kafka is down"]
    assert readyz.status == 503
    assert any("kafka" in missing for missing in readyz.get("missing"))
    assert kafka_outage.facts["ingest_running_during_outage"], "ingest-service must wait for Kafka, not exit"


def test_csv_import_answers_503_while_kafka_is_down(kafka_outage):
    if not kafka_outage.facts["import_route"]:
        pytest.skip(
            "POST /v1/imports/providers does not exist yet (ingest-service/ingest/api/imports.py): "
            "only the CSV part of the Kafka outage is skipped, the rest is asserted by the other tests"
        )
    refused = kafka_outage.probes["csv import while kafka is down"]
    assert refused.status == 503, refused.body
    assert refused.get("error") == "kafka_unavailable"
    assert "Kafka" in refused.get("message")
    assert kafka_outage.facts["refused_csv_rows_indexed"] == 0, "rows it could not publish were not accepted"
    assert kafka_outage.probes["csv import after kafka is back"].status == 202


def test_after_the_restart_everything_produced_before_the_kill_is_indexed(kafka_outage):
    assert kafka_outage.facts["acked_before_kill"] > 0
    assert kafka_outage.facts["recovered_s"] is not None, (
        "ingest ready again, every acknowledged event indexed"
    )
    assert kafka_outage.facts["resumed_events_indexed"], "events produced after the restart are consumed too"
    audit = kafka_outage.audit
    assert (audit.lost, audit.duplicated) == (0, 0), audit


# ---------------------------------------------------------------- d. the engine frozen, then killed


@pytest.fixture(scope="module")
def engine_stack(make_ingest, settings, tmp_path_factory) -> Iterator[EngineUnderServices]:
    """A private OpenSearch with both services on it (Kafka is the shared one) and 200 providers indexed."""
    node = PrivateOpenSearch(tmp_path_factory.mktemp("chaos-opensearch"), port=9251, heap="512m")
    s = chaos_settings(settings, "engine", opensearch_url=node.url)
    client = OpenSearch(hosts=[node.url], timeout=30)
    search = ServiceProcess(
        name="search-chaos",
        module="search.main",
        # one probe client asks every path at once: admission's share per client is not what is tested
        env=service_env(s, ENGINE_TIMEOUT_S=str(ENGINE_TIMEOUT_S), ADMISSION_SLOTS="0"),
        port=free_port(),
        log_path=ARTIFACTS / f"{s.index_prefix}search.log",
    )
    ingest = None
    try:
        node.start()
        ingest = make_ingest(s, OPENSEARCH_URL=node.url).start()
        search.start()
        seed, sent, indexed = seed_providers(s, client)
        assert sent
        assert indexed is not None, "the seed providers were never indexed"
        yield EngineUnderServices(node, ingest, search, s, client, [seed], ENGINE_TIMEOUT_S)
    finally:
        search.stop(timeout=20)
        if ingest is not None:
            ingest.stop(timeout=40)
        node.remove()
        client.close()
        delete_topics(s.kafka_bootstrap_servers, s.topic_prefix, kafka_security(s))


@pytest.fixture(scope="module")
def frozen(engine_stack) -> ScenarioResult:
    """SIGSTOP the engine (it accepts connections and answers nothing), probe both services, SIGCONT."""
    return engine_frozen(engine_stack)


@pytest.fixture(scope="module")
def killed(engine_stack) -> tuple[ScenarioResult, ScenarioResult]:
    """SIGKILL the engine, probe both services, restart it: (ingest's view, search's view)."""
    return opensearch_killed(engine_stack)


def test_a_frozen_engine_gets_json_503_once_the_timeout_cuts_it(frozen):
    answers = frozen.probes["search while the engine is frozen"]
    assert [p.status for p in answers] == [503] * len(answers), "no request may hang"
    assert {p.get("error") for p in answers} == {"search_unavailable"}
    assert max(p.seconds for p in answers) < ENGINE_TIMEOUT_S + 3, "cut by ENGINE_TIMEOUT_S, not hung"
    assert frozen.probes["search /healthz while the engine is frozen"].status == 200


def test_a_frozen_engine_makes_both_services_unready_and_sigcont_recovers_them(frozen):
    assert frozen.probes["search /readyz while the engine is frozen"].status == 503
    assert frozen.probes["ingest /readyz while the engine is frozen"].status == 503
    assert frozen.facts["search_200_after_thaw_s"] is not None, (
        "search 200 and both /readyz 200 after SIGCONT"
    )


def test_a_dead_engine_gets_json_503_at_once(killed):
    _, search_view = killed
    answers = search_view.probes["search while the engine is down"]
    assert [p.status for p in answers] == [503] * len(answers)
    assert {p.get("error") for p in answers} == {"search_unavailable"}
    assert all(p.get("message") for p in answers)
    assert max(p.seconds for p in answers) < ENGINE_TIMEOUT_S, "a refused connection needs no timeout"


def test_a_dead_engine_makes_both_services_unready_until_it_is_back(killed):
    ingest_view, search_view = killed
    for service in ("ingest", "search"):
        down = ingest_view.probes[f"{service} /readyz while opensearch is down"]
        assert down.status == 503
        assert any("opensearch" in missing for missing in down.get("missing"))
    assert ingest_view.facts["readyz_200_on_both_after_s"] is not None, "both /readyz 200 after the restart"
    assert search_view.recover_s is not None, "search answers 200 again, by itself"
    assert ingest_view.audit is not None and ingest_view.audit.clean, ingest_view.audit
