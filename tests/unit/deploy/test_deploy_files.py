"""deploy/production, checked without a container engine or a cluster: the files must parse, match the
Compose Specification and the Kubernetes API schemas (both bundled, nothing downloaded), and keep the
promises the README makes: probes, limits, disruption budgets, 3 brokers and 3 engine nodes with
replication 3, small heaps, and environment variables that the services actually read.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ingest.config import IngestSettings
from portal.settings import PortalSettings
from search.config import SearchSettings

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = ROOT / "deploy" / "production"
K8S = PRODUCTION / "k8s"

#: Kubernetes version whose API schemas (bundled by kubernetes-validate) the manifests must satisfy.
K8S_VERSION = "1.37.0"

#: The Compose Specification schema, vendored from the official compose-spec/compose-spec repository
#: (schema/compose-spec.json, Apache-2.0, licence beside it) as shipped in check-jsonschema 0.39.0.
COMPOSE_SCHEMA = PRODUCTION / "schemas" / "compose-spec.json"
COMPOSE_SCHEMA_SHA256 = "d549057ebc2925f39f62799eab0db7b9e2c18b35b6c00595199116da3ed10e64"

#: Kubernetes files that are not applied with the rest: placeholders and operator examples.
NOT_IN_KUSTOMIZATION = {"kustomization.yaml", "secrets.example.yaml", "engines-example.yaml"}

#: Which settings class reads a container's environment, by the module it runs.
SETTINGS_BY_MODULE = {"ingest.main": IngestSettings, "search.main": SearchSettings}

DEPLOYMENTS = ["ingest-service", "search-service"]

#: docker-compose.yml's tag for the project's own image (services, not engines).
APP_IMAGE = "kishoreganj-search:"

HEAP_LIMITS = {"kafka": 512 * 2**20, "opensearch": 2**30}


# ---- loading -----------------------------------------------------------------------------------------


def load_yaml_documents(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


def k8s_documents() -> list[tuple[str, dict[str, Any]]]:
    return [(path.name, doc) for path in sorted(K8S.glob("*.yaml")) for doc in load_yaml_documents(path)]


K8S_DOCS = k8s_documents()
COMPOSE = load_yaml_documents(PRODUCTION / "docker-compose.yml")[0]
COMPOSE_TEXT = (PRODUCTION / "docker-compose.yml").read_text(encoding="utf-8")
DOCKERFILE = (PRODUCTION / "Dockerfile").read_text(encoding="utf-8")


def of_kind(kind: str, files: set[str] | None = None) -> list[dict[str, Any]]:
    return [doc for name, doc in K8S_DOCS if doc["kind"] == kind and (files is None or name in files)]


def applied_files() -> set[str]:
    (kustomization,) = load_yaml_documents(K8S / "kustomization.yaml")
    return set(kustomization["resources"])


def named(kind: str, name: str) -> dict[str, Any]:
    (doc,) = [doc for doc in of_kind(kind) if doc["metadata"]["name"] == name]
    return doc


def workloads() -> list[dict[str, Any]]:
    """Everything in the applied manifests that runs our image: the Deployments and the Job."""
    return of_kind("Deployment", applied_files()) + of_kind("Job", applied_files())


def only_container(workload: dict[str, Any]) -> dict[str, Any]:
    (container,) = workload["spec"]["template"]["spec"]["containers"]
    return container


def settings_class_of(command: list[str]) -> type[PortalSettings]:
    """`python -m ingest.main` reads IngestSettings; a script reads what it imports (PortalSettings here)."""
    for module, settings in SETTINGS_BY_MODULE.items():
        if module in command:
            return settings
    assert "from portal.settings import PortalSettings" in " ".join(command), command
    return PortalSettings


def env_names(settings: type[PortalSettings]) -> set[str]:
    return {field.upper() for field in settings.model_fields}


def container_env(container: dict[str, Any]) -> dict[str, str]:
    """The container's environment as Kubernetes assembles it: envFrom sources first, then env."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env |= named("ConfigMap", source["configMapRef"]["name"])["data"]
        else:
            env |= named("Secret", source["secretRef"]["name"])["stringData"]
    env |= {item["name"]: item.get("value", "") for item in container.get("env", [])}
    return env


# ---- quantities --------------------------------------------------------------------------------------

BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 10**3, "M": 10**6, "G": 10**9, "": 1}


def cpu_cores(quantity: str | int) -> float:
    text = str(quantity)
    return int(text[:-1]) / 1000 if text.endswith("m") else float(text)


def memory_bytes(quantity: str | int) -> int:
    number, unit = re.fullmatch(r"(\d+)([KMG]i|[kMG])?", str(quantity)).groups()
    return int(number) * BINARY[unit or ""]


def heap_bytes(jvm_options: str, flag: str = "-Xmx") -> int:
    """-Xmx1g / -Xms512m / -Xmx1024M as bytes."""
    match = re.search(rf"{flag}(\d+)([kKmMgG])", jvm_options)
    assert match, f"no {flag} in {jvm_options!r}"
    return int(match[1]) * {"k": 2**10, "m": 2**20, "g": 2**30}[match[2].lower()]


def compose_memory(service: dict[str, Any]) -> int:
    limit = str(service["deploy"]["resources"]["limits"]["memory"])
    number, unit = re.fullmatch(r"(\d+)([kmg])?b?", limit.lower()).groups()
    return int(number) * {"k": 2**10, "m": 2**20, "g": 2**30, None: 1}[unit]


def duration_s(text: str) -> int:
    return sum(int(n) * {"h": 3600, "m": 60, "s": 1}[unit] for n, unit in re.findall(r"(\d+)([hms])", text))


# ---- schemas -----------------------------------------------------------------------------------------


def test_compose_file_matches_the_compose_specification() -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(COMPOSE)]
    assert errors == []


def test_the_vendored_compose_schema_is_the_recorded_copy_with_its_licence() -> None:
    """Updating the schema is a deliberate change: replace the file, its hash here, and say where from."""
    assert hashlib.sha256(COMPOSE_SCHEMA.read_bytes()).hexdigest() == COMPOSE_SCHEMA_SHA256
    assert "Apache License" in (COMPOSE_SCHEMA.parent / "LICENSE.compose-spec").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "document",
    [doc for _, doc in K8S_DOCS],
    ids=[f"{name}:{doc['kind']}/{doc.get('metadata', {}).get('name', '')}" for name, doc in K8S_DOCS],
)
def test_kubernetes_document_matches_the_api_schema(document: dict[str, Any]) -> None:
    """Strict: an unknown field (a typo such as `readinesProbe`) fails too. CRDs have no bundled schema."""
    problem = None
    try:
        kubernetes_validate.validate(document, K8S_VERSION, strict=True)
    except kubernetes_validate.SchemaNotFoundError:
        pytest.skip(
            f"no bundled schema for {document['apiVersion']} {document['kind']} (operator CRD or kustomize)"
        )
    except kubernetes_validate.ValidationError as e:
        problem = f"{'.'.join(map(str, e.path))}: {e.message}"
    assert problem is None, problem


def test_kustomization_applies_every_manifest_except_placeholders_and_examples() -> None:
    on_disk = {path.name for path in K8S.glob("*.yaml")}
    assert applied_files() == on_disk - NOT_IN_KUSTOMIZATION


def test_engine_resources_are_marked_as_examples_and_come_from_operators() -> None:
    text = (K8S / "engines-example.yaml").read_text(encoding="utf-8")
    assert text.startswith("# EXAMPLE ONLY")
    kinds = {doc["kind"] for doc in load_yaml_documents(K8S / "engines-example.yaml")}
    assert {"Kafka", "KafkaNodePool", "OpenSearchCluster"} <= kinds
    assert not kinds & {"Deployment", "StatefulSet"}, "engines are the operators' job"


def test_placeholder_secrets_say_so() -> None:
    for doc in of_kind("Secret"):
        for key, value in doc["stringData"].items():
            if key != "OPENSEARCH_USER":
                assert value.startswith("PLACEHOLDER"), f"{doc['metadata']['name']}.{key} looks real"


# ---- Kubernetes: what every workload promises ---------------------------------------------------------


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_deployment_probes_liveness_on_healthz_and_readiness_on_readyz(name: str) -> None:
    container = only_container(named("Deployment", name))
    port_names = {port["name"] for port in container["ports"]}
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        check = container[probe]["httpGet"]
        assert check["path"] == path
        assert check["port"] in port_names
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_workload_has_cpu_and_memory_requests_within_limits(workload: dict[str, Any]) -> None:
    resources = only_container(workload)["resources"]
    for resource in ("cpu", "memory"):
        request, limit = resources["requests"][resource], resources["limits"][resource]
        to_number = cpu_cores if resource == "cpu" else memory_bytes
        assert 0 < to_number(request) <= to_number(limit), f"{resource}: {request} > {limit}"


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_workload_runs_locked_down(workload: dict[str, Any]) -> None:
    """What the namespace's `restricted` Pod Security profile enforces, plus a read-only root."""
    pod = workload["spec"]["template"]["spec"]
    container = only_container(workload)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert str(pod["securityContext"]["runAsUser"]) == dockerfile_user()
    assert pod["automountServiceAccountToken"] is False
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    namespace = named("Namespace", workload["metadata"]["namespace"])
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_deployment_is_guarded_by_a_disruption_budget_that_lets_drains_proceed(name: str) -> None:
    deployment = named("Deployment", name)
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    (budget,) = [
        pdb
        for pdb in of_kind("PodDisruptionBudget")
        if pdb["metadata"]["namespace"] == deployment["metadata"]["namespace"]
        and pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    ]
    minimum = budget["spec"]["minAvailable"]
    replicas = deployment["spec"]["replicas"]
    kept = replicas * int(minimum[:-1]) / 100 if isinstance(minimum, str) else minimum
    assert 1 <= kept < replicas, "a budget of every replica would block node drains"
    assert budget["spec"]["unhealthyPodEvictionPolicy"] == "AlwaysAllow"


def test_search_scales_on_cpu_from_its_deployment_count() -> None:
    (hpa,) = of_kind("HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"], target["name"]) == (
        "apps/v1",
        "Deployment",
        "search-service",
    )
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"] == ["cpu"]
    search = named("Deployment", "search-service")
    assert hpa["spec"]["minReplicas"] == search["spec"]["replicas"] == 2
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]


def test_ingest_has_time_to_finish_its_batch_on_shutdown() -> None:
    """ingest.main waits up to 30 s for the consumer's batch and 10 s for the producer after SIGTERM."""
    ingest = named("Deployment", "ingest-service")
    pre_stop_s = only_container(ingest)["lifecycle"]["preStop"]["sleep"]["seconds"]
    grace_s = ingest["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    assert grace_s >= max(45, pre_stop_s + 30 + 10)


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_deployment_spreads_its_pods_over_nodes(name: str) -> None:
    template = named("Deployment", name)["spec"]["template"]
    by_key = {c["topologyKey"]: c for c in template["spec"]["topologySpreadConstraints"]}
    assert {"kubernetes.io/hostname", "topology.kubernetes.io/zone"} <= set(by_key)
    for constraint in by_key.values():
        assert constraint["labelSelector"]["matchLabels"].items() <= template["metadata"]["labels"].items()


def test_replica_counts_and_ingest_parallelism() -> None:
    """Consumers beyond the topic's partitions get none: more ingest replicas than that is waste."""
    ingest = named("Deployment", "ingest-service")
    default = IngestSettings.model_fields["topic_partitions"].default
    partitions = int(container_env(only_container(ingest)).get("TOPIC_PARTITIONS", default))
    assert ingest["spec"]["replicas"] == 3 <= partitions
    search = named("Deployment", "search-service")
    assert container_env(only_container(search))["WORKERS"] == "2"


@pytest.mark.parametrize("workload", workloads(), ids=lambda w: w["metadata"]["name"])
def test_workload_environment_names_are_settings_fields(workload: dict[str, Any]) -> None:
    """A misspelt variable is silently ignored by pydantic-settings (extra="ignore"): catch it here."""
    container = only_container(workload)
    known = env_names(settings_class_of(container["command"]))
    assert set(container_env(container)) - known == set()


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_service_listens_where_its_probes_and_service_look(name: str) -> None:
    container = only_container(named("Deployment", name))
    (http,) = [port for port in container["ports"] if port["name"] == "http"]
    assert int(container_env(container)["PORT"]) == http["containerPort"]
    service = named("Service", name)
    pod_labels = named("Deployment", name)["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]


def test_every_workload_runs_the_one_image_kustomize_retags() -> None:
    images = {only_container(w)["image"] for w in workloads()}
    assert len(images) == 1
    (kustomization,) = load_yaml_documents(K8S / "kustomization.yaml")
    assert [i["name"] for i in kustomization["images"]] == [images.pop().rsplit(":", 1)[0]]


def test_config_points_at_the_example_engines() -> None:
    common = named("ConfigMap", "portal-common")["data"]
    kafka, pool, cluster = (
        named("Kafka", "portal"),
        named("KafkaNodePool", "dual-role"),
        named("OpenSearchCluster", "opensearch"),
    )
    namespace = kafka["metadata"]["namespace"]
    assert common["KAFKA_BOOTSTRAP_SERVERS"] == f"portal-kafka-bootstrap.{namespace}.svc.cluster.local:9092"
    assert common["OPENSEARCH_URL"] == (
        f"https://{cluster['spec']['general']['serviceName']}.{cluster['metadata']['namespace']}.svc.cluster.local:9200"
    )
    config = kafka["spec"]["kafka"]["config"]
    assert pool["spec"]["replicas"] == 3
    assert int(common["TOPIC_REPLICATION_FACTOR"]) == config["default.replication.factor"] == 3
    assert config["min.insync.replicas"] == 2
    assert heap_bytes("-Xmx" + pool["spec"]["jvmOptions"]["-Xmx"]) <= HEAP_LIMITS["kafka"]
    (nodes,) = cluster["spec"]["nodePools"]
    assert nodes["replicas"] == 3
    assert heap_bytes(nodes["jvm"]) <= HEAP_LIMITS["opensearch"]
    assert memory_bytes(nodes["resources"]["limits"]["memory"]) >= 2 * heap_bytes(nodes["jvm"])


# ---- docker compose ----------------------------------------------------------------------------------


def compose_services(image_prefix: str) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in COMPOSE["services"].items() if s["image"].startswith(image_prefix)}


def test_compose_runs_a_three_node_kraft_quorum() -> None:
    brokers = compose_services("apache/kafka:4.")
    assert len(brokers) == 3
    envs = {name: service["environment"] for name, service in brokers.items()}
    ids = {name: env["KAFKA_NODE_ID"] for name, env in envs.items()}
    assert len(set(ids.values())) == 3
    expected_voters = {f"{node_id}@{name}:9093" for name, node_id in ids.items()}
    for name, env in envs.items():
        assert set(env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")) == expected_voters
        assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
        assert env["KAFKA_ADVERTISED_LISTENERS"] == f"PLAINTEXT://{name}:9092"
        assert (
            int(env["KAFKA_DEFAULT_REPLICATION_FACTOR"])
            == int(env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"])
            == 3
        )
        assert int(env["KAFKA_MIN_INSYNC_REPLICAS"]) == int(env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"]) == 2
        assert any(volume.endswith(f":{env['KAFKA_LOG_DIRS']}") for volume in brokers[name]["volumes"])
    assert len({env["CLUSTER_ID"] for env in envs.values()}) == 1


def test_compose_runs_a_three_node_opensearch_cluster() -> None:
    nodes = compose_services("opensearchproject/opensearch:3.")
    assert len(nodes) == 3
    names = {service["environment"]["node.name"] for service in nodes.values()}
    assert names == set(nodes)
    for service in nodes.values():
        env = service["environment"]
        assert set(env["cluster.initial_cluster_manager_nodes"].split(",")) == names
        assert set(env["discovery.seed_hosts"].split(",")) == names
        assert service["ulimits"]["memlock"] == {"soft": -1, "hard": -1}
        assert service["ulimits"]["nofile"]["soft"] >= 65536
        assert any(volume.endswith(":/usr/share/opensearch/data") for volume in service["volumes"])
        assert "opensearch" in service["networks"]["backend"]["aliases"]
    assert len({service["environment"]["cluster.name"] for service in nodes.values()}) == 1


@pytest.mark.parametrize(
    ("image", "variable", "limit"),
    [
        ("apache/kafka:", "KAFKA_HEAP_OPTS", HEAP_LIMITS["kafka"]),
        ("opensearchproject/opensearch:", "OPENSEARCH_JAVA_OPTS", HEAP_LIMITS["opensearch"]),
    ],
)
def test_compose_engine_heaps_are_small_and_fit_their_containers(
    image: str, variable: str, limit: int
) -> None:
    for name, service in compose_services(image).items():
        options = service["environment"][variable]
        assert heap_bytes(options, "-Xms") == heap_bytes(options) <= limit, name
        assert compose_memory(service) >= 2 * heap_bytes(options), f"{name}: no room beside the heap"


def test_compose_disables_opensearch_security_only_with_a_warning() -> None:
    for service in compose_services("opensearchproject/opensearch:").values():
        assert service["environment"]["DISABLE_SECURITY_PLUGIN"] == "true"
    assert "Production MUST enable the security" in COMPOSE_TEXT
    assert "NOT SECURE AS IS" in COMPOSE_TEXT


def test_compose_services_use_every_engine_node() -> None:
    brokers = compose_services("apache/kafka:")
    advertised = {
        s["environment"]["KAFKA_ADVERTISED_LISTENERS"].removeprefix("PLAINTEXT://") for s in brokers.values()
    }
    engines = set(brokers) | set(compose_services("opensearchproject/opensearch:"))
    for name in ("ingest-service", "search-service"):
        service = COMPOSE["services"][name]
        env = service["environment"]
        assert set(env["KAFKA_BOOTSTRAP_SERVERS"].split(",")) == advertised
        assert int(env["TOPIC_REPLICATION_FACTOR"]) == 3 <= len(brokers)
        assert env["OPENSEARCH_URL"] == "http://opensearch:9200", "the alias every OpenSearch node answers to"
        healthy = {
            dep for dep, cond in service["depends_on"].items() if cond["condition"] == "service_healthy"
        }
        assert engines <= healthy, f"{name} starts before {engines - healthy}"


@pytest.mark.parametrize(("name", "replicas"), [("ingest-service", 3), ("search-service", 2)])
def test_compose_app_replicas_are_checked_on_readyz_and_reachable(name: str, replicas: int) -> None:
    service = COMPOSE["services"][name]
    assert service["deploy"]["replicas"] == replicas
    port = service["environment"]["PORT"]
    assert f"http://127.0.0.1:{port}/readyz" in " ".join(service["healthcheck"]["test"])
    assert service["read_only"] is True
    (published,) = service["ports"]
    low, high, target = re.fullmatch(r"127\.0\.0\.1:(\d+)-(\d+):(\d+)", published).groups()
    assert target == port
    assert int(high) - int(low) + 1 >= replicas, "each replica needs a host port of its own"


def test_compose_ingest_shutdown_and_parallelism() -> None:
    ingest = COMPOSE["services"]["ingest-service"]
    assert duration_s(ingest["stop_grace_period"]) >= 45
    assert ingest["deploy"]["replicas"] <= int(ingest["environment"]["TOPIC_PARTITIONS"])
    assert COMPOSE["services"]["search-service"]["environment"]["WORKERS"] == "2"


def test_compose_import_keys_come_from_a_required_secret_file() -> None:
    ingest = COMPOSE["services"]["ingest-service"]
    assert "IMPORT_API_KEYS" not in ingest["environment"]
    assert ingest["env_file"] == [{"path": "./ingest.secrets.env", "required": True}]


@pytest.mark.parametrize("name", sorted(compose_services(APP_IMAGE)))
def test_compose_environment_names_are_settings_fields(name: str) -> None:
    service = COMPOSE["services"][name]
    command = service.get("command", dockerfile_command())
    known = env_names(settings_class_of(command))
    assert set(service["environment"]) - known == set()


# ---- the image ---------------------------------------------------------------------------------------


def dockerfile_instructions(keyword: str) -> list[str]:
    """Arguments of each `KEYWORD ...` instruction, with backslash continuations joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.split(None, 1)[:1] == [keyword]]


def dockerfile_env() -> dict[str, str]:
    pairs = [token.split("=", 1) for args in dockerfile_instructions("ENV") for token in shlex.split(args)]
    return dict(pairs)


def dockerfile_user() -> str:
    (user,) = dockerfile_instructions("USER")
    return user.split(":")[0]


def dockerfile_command() -> list[str]:
    (cmd,) = dockerfile_instructions("CMD")
    return json.loads(cmd)


def test_image_is_slim_python_running_as_a_numeric_non_root_user() -> None:
    *builders, final = dockerfile_instructions("FROM")
    assert final == "python:3.11-slim"
    assert all(" AS " in stage for stage in builders), "earlier stages only build (the web client)"
    assert dockerfile_user().isdigit() and dockerfile_user() != "0"


def test_image_holds_the_code_where_pythonpath_looks() -> None:
    copies = {tuple(c.split()) for c in dockerfile_instructions("COPY")}
    for folder in ("libs", "schemas", "ingest-service", "search-service"):
        assert (f"{folder}/", f"/app/{folder}/") in copies
    env = dockerfile_env()
    assert env["PYTHONPATH"].split(":") == ["/app/libs", "/app/ingest-service", "/app/search-service"]
    assert env["HOST"] == "0.0.0.0", "the services listen on 127.0.0.1 by default: unreachable in a container"
    for copy in dockerfile_instructions("COPY"):
        *sources, _ = copy.split()
        if sources[0].startswith("--from="):
            continue  # out of a build stage, not the repository
        for source in sources:
            assert (ROOT / source).exists(), source


def test_image_builds_the_web_client_from_the_lock_file_and_ships_only_dist() -> None:
    runs = " ".join(dockerfile_instructions("RUN"))
    assert "npm ci" in runs and "node build.mjs" in runs
    assert "--from=web /web/dist/ /app/search-service/search/web/dist/" in dockerfile_instructions("COPY")


def test_image_checks_healthz_and_runs_search_unless_told_otherwise() -> None:
    (healthcheck,) = dockerfile_instructions("HEALTHCHECK")
    assert "/healthz" in healthcheck
    assert dockerfile_command() == ["python", "-m", "search.main"]
    assert "pip install -r /tmp/requirements-runtime.txt" in " ".join(dockerfile_instructions("RUN"))


def pins(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    requirements = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(r.name): str(r.specifier) for r in requirements}


def test_runtime_requirements_are_pinned_as_in_requirements_txt() -> None:
    runtime, everything = pins(PRODUCTION / "requirements-runtime.txt"), pins(ROOT / "requirements.txt")
    assert {name: spec for name, spec in runtime.items() if everything.get(name) != spec} == {}
    assert all(spec.startswith("==") for spec in runtime.values())


def installed_closure(names: set[str]) -> set[str]:
    """The runtime pins and everything they pull in, as installed in this environment."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def imported_top_level_modules(folders: list[Path]) -> set[str]:
    modules: set[str] = set()
    for path in (p for folder in folders for p in folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def test_runtime_requirements_cover_every_third_party_import_of_the_services() -> None:
    folders = [ROOT / "libs", ROOT / "ingest-service", ROOT / "search-service"]
    own = {path.name for folder in folders for path in folder.iterdir() if path.is_dir()}
    third_party = imported_top_level_modules(folders) - set(sys.stdlib_module_names) - own - {"__future__"}
    distributions = importlib.metadata.packages_distributions()
    needed = {canonicalize_name(distributions[module][0]) for module in third_party}
    assert needed - installed_closure(set(pins(PRODUCTION / "requirements-runtime.txt"))) == set()


def inline_python_scripts() -> list[tuple[str, str]]:
    """Every `python -c` program in the deploy files: one-shot jobs and health checks."""
    commands = [
        ("Dockerfile HEALTHCHECK", json.loads(dockerfile_instructions("HEALTHCHECK")[0].split("CMD", 1)[1]))
    ]
    for name, service in COMPOSE["services"].items():
        commands += [(f"compose {name} command", service.get("command", []))]
        commands += [(f"compose {name} healthcheck", service.get("healthcheck", {}).get("test", []))]
    commands += [(f"k8s {w['metadata']['name']}", only_container(w)["command"]) for w in workloads()]
    scripts = []
    for where, command in commands:
        args = command[1:] if command[:1] == ["CMD"] else command
        if args[:2] == ["python", "-c"]:
            scripts.append((where, args[2]))
    return scripts


INLINE_SCRIPTS = inline_python_scripts()


@pytest.mark.parametrize(("where", "script"), INLINE_SCRIPTS, ids=[where for where, _ in INLINE_SCRIPTS])
def test_inline_python_compiles(where: str, script: str) -> None:
    compile(script, where, "exec")
