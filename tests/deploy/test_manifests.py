"""Renders every kustomize overlay under deploy/k8s, validates the objects and checks the deploy conventions."""

from __future__ import annotations

import copy
import importlib.util
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from kinerja_worker.system import SYSTEM_QUEUE

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(
    path.name for path in (K8S / "overlays").iterdir() if (path / "kustomization.yaml").is_file()
)
SKAFFOLD = ROOT / "skaffold.yaml"
README = K8S / "README.md"

# The oldest Kubernetes the manifests support (gRPC probes are GA from 1.27) and the newest with a schema.
KUBERNETES_VERSIONS = ("1.30.0", kubernetes_validate.latest_version())

Obj = dict[str, Any]

# ---------------------------------------------------------------------------------------------------------
# A renderer for the kustomize features deploy/k8s uses (resources, configMapGenerator without hash,
# patches as strategic merge patches, namespace, labels, replicas); anything else is refused, so a manifest
# change that needs more fails here instead of being rendered wrongly.
# ---------------------------------------------------------------------------------------------------------

KUSTOMIZATION_FIELDS = {
    "apiVersion",
    "kind",
    "resources",
    "configMapGenerator",
    "patches",
    "namespace",
    "labels",
    "replicas",
}
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "StorageClass",
    "PersistentVolume",
    "PriorityClass",
}
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
SCALABLE_KINDS = {"Deployment", "StatefulSet", "ReplicaSet"}
# Patch merge keys of the built-in lists the overlays patch (other lists are replaced, as kustomize does).
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
}
BUILTIN_GROUPS = {"v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v2"}


def load_documents(path: Path) -> list[Obj]:
    """The non-empty YAML documents of a file."""
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def strategic_merge(base: Any, patch: Any, field: str | None, builtin: bool) -> Any:
    """A strategic merge patch: maps merge (null deletes), keyed lists merge by key, other lists replace."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = strategic_merge(merged[key], value, key, builtin)
            else:
                merged[key] = value
        return merged
    if isinstance(base, list) and isinstance(patch, list) and builtin and field in MERGE_KEYS:
        key = MERGE_KEYS[field]
        merged_list = list(base)
        for item in patch:
            positions = [i for i, old in enumerate(merged_list) if old.get(key) == item.get(key)]
            if positions:
                merged_list[positions[0]] = strategic_merge(merged_list[positions[0]], item, None, builtin)
            else:
                merged_list.append(item)
        return merged_list
    return patch


def _generate_config_map(directory: Path, spec: Obj) -> Obj:
    if set(spec) - {"name", "files", "options"} or spec.get("options") != {"disableNameSuffixHash": True}:
        raise NotImplementedError(f"configMapGenerator {spec.get('name')}: only files without a name hash")
    data: dict[str, str] = {}
    for entry in spec["files"]:
        key, _, source = entry.rpartition("=")
        path = directory / source
        data[key or path.name] = path.read_text()
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": spec["name"]}, "data": data}


def _apply_patch(objects: list[Obj], patch: Obj, source: str) -> None:
    matches = [
        obj
        for obj in objects
        if obj["kind"] == patch["kind"] and obj["metadata"]["name"] == patch["metadata"]["name"]
    ]
    if len(matches) != 1:
        raise ValueError(
            f"{source}: patch {patch['kind']}/{patch['metadata']['name']} matches {len(matches)}"
        )
    target = matches[0]
    target.update(strategic_merge(target, patch, None, target["apiVersion"] in BUILTIN_GROUPS))


def _add_labels(obj: Obj, spec: Obj) -> None:
    if set(spec) - {"pairs", "includeTemplates", "includeSelectors"} or spec.get("includeSelectors"):
        raise NotImplementedError(f"labels {spec}: only pairs and includeTemplates")
    obj["metadata"].setdefault("labels", {}).update(spec["pairs"])
    if spec.get("includeTemplates") and obj["kind"] in POD_TEMPLATE_KINDS:
        template = obj["spec"]["template"].setdefault("metadata", {})
        template.setdefault("labels", {}).update(spec["pairs"])


def render(directory: Path) -> list[Obj]:
    """The objects `kustomize build directory` prints, in kustomize's order of transformers."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(kustomization) - KUSTOMIZATION_FIELDS
    if unknown:
        raise NotImplementedError(f"{directory}: kustomization fields {sorted(unknown)} are not rendered")
    objects: list[Obj] = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        objects.extend(render(path) if path.is_dir() else load_documents(path))
    for spec in kustomization.get("configMapGenerator", []):
        objects.append(_generate_config_map(directory, spec))
    for entry in kustomization.get("patches", []):
        if set(entry) != {"path"}:
            raise NotImplementedError(f"{directory}: only patches given by path (strategic merge)")
        for patch in load_documents(directory / entry["path"]):
            _apply_patch(objects, patch, f"{directory.name}/{entry['path']}")
    if "namespace" in kustomization:
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj["metadata"]["namespace"] = kustomization["namespace"]
    for spec in kustomization.get("labels", []):
        for obj in objects:
            _add_labels(obj, spec)
    for replica in kustomization.get("replicas", []):
        targets = [
            o for o in objects if o["kind"] in SCALABLE_KINDS and o["metadata"]["name"] == replica["name"]
        ]
        if not targets:
            raise ValueError(f"{directory}: replicas for {replica['name']} match nothing")
        for obj in targets:
            obj["spec"]["replicas"] = replica["count"]
    return objects


# ---------------------------------------------------------------------------------------------------------
# Helpers over rendered objects
# ---------------------------------------------------------------------------------------------------------


def ident(obj: Obj) -> tuple[str, str, str, str]:
    meta = obj["metadata"]
    return obj["apiVersion"], obj["kind"], meta.get("namespace", ""), meta["name"]


@cache
def _rendered(overlay: str) -> tuple[Obj, ...]:
    return tuple(render(K8S / "overlays" / overlay))


def rendered(overlay: str) -> list[Obj]:
    """An overlay's objects (a copy: rendered once per session)."""
    return copy.deepcopy(list(_rendered(overlay)))


def of_kind(objects: list[Obj], kind: str) -> dict[str, Obj]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def pod_spec(obj: Obj) -> Obj:
    spec: Obj = obj["spec"]["template"]["spec"]
    return spec


def all_containers(obj: Obj) -> list[Obj]:
    spec = pod_spec(obj)
    return [*spec.get("initContainers", []), *spec["containers"]]


def container_env(container: Obj) -> dict[str, str]:
    return {var["name"]: var.get("value", "") for var in container.get("env", [])}


def env_with_config(objects: list[Obj], container: Obj) -> dict[str, str]:
    """A container's plain env: its ConfigMaps (envFrom, in order) overridden by its env values."""
    maps = of_kind(objects, "ConfigMap")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(maps[source["configMapRef"]["name"]].get("data", {}))
    env.update(container_env(container))
    return env


def skaffold() -> Obj:
    config: Obj = yaml.safe_load(SKAFFOLD.read_text())
    return config


def skaffold_images() -> set[str]:
    return {artifact["image"] for artifact in skaffold()["build"]["artifacts"]}


def services() -> list[str]:
    """The services: every package under services/ with a `python -m <svc>.migrate` entry point."""
    return sorted(
        path.parent.name
        for path in ROOT.glob("services/*/*/migrate.py")
        if path.parent.name == path.parent.parent.name
    )


def k8s_name(svc: str) -> str:
    """A service's Kubernetes object name: its package name, with "-" for "_" (angka_kredit -> angka-kredit)."""
    return svc.replace("_", "-")


def referenced_secrets(obj: Obj) -> Iterator[str]:
    """Names of the Secrets an object's pods (or an operator resource) read."""
    if obj["kind"] in POD_TEMPLATE_KINDS:
        for container in all_containers(obj):
            for var in container.get("env", []):
                ref = var.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    yield ref["name"]
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    yield source["secretRef"]["name"]
        for volume in pod_spec(obj).get("volumes", []):
            if "secret" in volume:
                yield volume["secret"]["secretName"]
    if obj["kind"] == "Cluster":
        for role in obj["spec"].get("managed", {}).get("roles", []):
            if "passwordSecret" in role:
                yield role["passwordSecret"]["name"]


def operator_generated_secrets(objects: list[Obj]) -> set[str]:
    """Secrets the operators create for their resources (CloudNativePG's owner, RabbitMQ's default user)."""
    generated = {f"{name}-app" for name in of_kind(objects, "Cluster")}
    generated |= {f"{name}-default-user" for name in of_kind(objects, "RabbitmqCluster")}
    return generated


def documented_secrets() -> set[str]:
    """Secrets README.md's table says an operator creates (rows starting with | `name` |)."""
    return set(re.findall(r"^\|\s*`([a-z0-9-]+)`\s*\|", README.read_text(), flags=re.M))


def topic_constants() -> set[str]:
    """The Kafka topics the services' code names (kinerja.<service>.<entity>.v<N>)."""
    topics: set[str] = set()
    for path in ROOT.glob("services/*/*/**/*.py"):
        topics |= set(re.findall(r"[\"'](kinerja\.[a-z_]+\.[a-z_]+\.v\d+)[\"']", path.read_text()))
    return topics


# ---------------------------------------------------------------------------------------------------------
# Rendering and validation
# ---------------------------------------------------------------------------------------------------------


def test_there_are_dev_and_production_overlays() -> None:
    assert {"dev", "production"} <= set(OVERLAYS)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_unique_namespaced_objects(overlay: str) -> None:
    objects = rendered(overlay)
    assert objects
    idents = [ident(obj) for obj in objects]
    assert len(idents) == len(set(idents)), "duplicate objects"
    name = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    for obj in objects:
        assert name.match(obj["metadata"]["name"]), ident(obj)
        if obj["kind"] not in CLUSTER_SCOPED:
            assert obj["metadata"].get("namespace"), ident(obj)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kubectl_kustomize_renders_the_same_objects(overlay: str) -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed; the Python renderer alone was checked")
    result = subprocess.run(
        [kubectl, "kustomize", str(K8S / "overlays" / overlay)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    theirs = {ident(obj): obj for obj in yaml.safe_load_all(result.stdout) if obj}
    ours = {ident(obj): obj for obj in rendered(overlay)}
    assert sorted(ours) == sorted(theirs)
    for key, obj in ours.items():
        assert obj == theirs[key], key


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_builtin_objects_validate_against_the_kubernetes_schemas(overlay: str, version: str) -> None:
    builtin = [obj for obj in rendered(overlay) if obj["apiVersion"] in BUILTIN_GROUPS]
    assert builtin
    errors: list[str] = []
    for obj in builtin:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(part) for part in exc.path)
            errors.append(f"{ident(obj)}: {path}: {exc.message}")
    assert not errors, f"invalid against Kubernetes {version}:\n" + "\n".join(errors)


# Custom resources have no schema in kubernetes-validate: check the fields the platform relies on.
CUSTOM_KINDS = {
    "Cluster": "postgresql.cnpg.io/v1",
    "Kafka": "kafka.strimzi.io/v1beta2",
    "KafkaNodePool": "kafka.strimzi.io/v1beta2",
    "KafkaTopic": "kafka.strimzi.io/v1beta2",
    "RabbitmqCluster": "rabbitmq.com/v1beta1",
    "ScaledObject": "keda.sh/v1alpha1",
}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_custom_resources_carry_what_the_services_rely_on(overlay: str) -> None:
    objects = rendered(overlay)
    for obj in objects:
        if obj["apiVersion"] not in BUILTIN_GROUPS:
            assert CUSTOM_KINDS.get(obj["kind"]) == obj["apiVersion"], f"unexpected {ident(obj)}"
    clusters = of_kind(objects, "Cluster")
    kafkas = of_kind(objects, "Kafka")
    rabbits = of_kind(objects, "RabbitmqCluster")
    assert len(kafkas) == 1 and len(rabbits) == 1
    for cluster in clusters.values():
        spec = cluster["spec"]
        assert spec["instances"] >= 1 and spec["storage"]["size"]
        assert spec["bootstrap"]["initdb"]["database"] and spec["bootstrap"]["initdb"]["owner"]
    for pool in of_kind(objects, "KafkaNodePool").values():
        assert pool["metadata"]["labels"]["strimzi.io/cluster"] in kafkas
        assert set(pool["spec"]["roles"]) <= {"controller", "broker"} and pool["spec"]["replicas"] >= 1
    topics = of_kind(objects, "KafkaTopic").values()
    for topic in topics:
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] in kafkas
        assert topic["spec"]["partitions"] >= 1
    declared = {topic["spec"].get("topicName", topic["metadata"]["name"]) for topic in topics}
    missing = topic_constants() - declared
    assert not missing, f"topics without a KafkaTopic: {sorted(missing)}"
    ((kafka_name, kafka),) = kafkas.items()
    ports = {listener["port"] for listener in kafka["spec"]["kafka"]["listeners"]}
    common = of_kind(objects, "ConfigMap")["kinerja-common"]["data"]
    for server in common["KAFKA_BOOTSTRAP_SERVERS"].split(","):
        host, port = server.rsplit(":", 1)
        assert host == f"{kafka_name}-kafka-bootstrap" and int(port) in ports
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    assert "topicOperator" in kafka["spec"]["entityOperator"]
    ((rabbit_name, rabbit),) = rabbits.items()
    assert rabbit["spec"]["replicas"] % 2 == 1, "RabbitMQ needs an odd number of nodes"
    for deployment in of_kind(objects, "Deployment").values():
        for container in pod_spec(deployment)["containers"]:
            amqp = container_env(container).get("AMQP_URI")
            if amqp:
                assert urlsplit(amqp).hostname == rabbit_name, ident(deployment)


def test_production_is_highly_available() -> None:
    objects = rendered("production")
    for cluster in of_kind(objects, "Cluster").values():
        assert cluster["spec"]["instances"] >= 3
    (kafka,) = of_kind(objects, "Kafka").values()
    config = kafka["spec"]["kafka"]["config"]
    brokers = sum(
        p["spec"]["replicas"]
        for p in of_kind(objects, "KafkaNodePool").values()
        if "broker" in p["spec"]["roles"]
    )
    assert brokers >= 3 and config["default.replication.factor"] >= 3 and config["min.insync.replicas"] >= 2
    assert config["offsets.topic.replication.factor"] >= 3
    (rabbit,) = of_kind(objects, "RabbitmqCluster").values()
    assert rabbit["spec"]["replicas"] >= 3
    for name, deployment in of_kind(objects, "Deployment").items():
        replicas = deployment["spec"].get("replicas")
        if replicas is not None:
            assert replicas >= 3, name
    for hpa in of_kind(objects, "HorizontalPodAutoscaler").values():
        assert hpa["spec"]["minReplicas"] >= 3


# ---------------------------------------------------------------------------------------------------------
# Workload conventions
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_has_probes_limits_non_root_and_a_skaffold_image(overlay: str) -> None:
    deployments = of_kind(rendered(overlay), "Deployment")
    assert deployments
    images = skaffold_images()
    for name, deployment in deployments.items():
        spec = pod_spec(deployment)
        pod_security = spec.get("securityContext", {})
        for container in all_containers(deployment):
            where = f"{overlay}: {name}/{container['name']}"
            assert container["image"] in images, (
                f"{where}: image {container['image']} is not built by skaffold"
            )
            resources = container.get("resources", {})
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(bound, {})), f"{where}: {bound}"
            security = {**pod_security, **container.get("securityContext", {})}
            assert security.get("runAsNonRoot") is True and security.get("runAsUser", 1) != 0, where
            assert security.get("allowPrivilegeEscalation") is False, where
        for container in spec["containers"]:
            where = f"{overlay}: {name}/{container['name']}"
            assert "readinessProbe" in container and "livenessProbe" in container, where


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_service_probes_use_grpc_health_on_the_grpc_port(overlay: str) -> None:
    objects = rendered(overlay)
    deployments = of_kind(objects, "Deployment")
    for svc in services():
        (container,) = pod_spec(deployments[k8s_name(svc)])["containers"]
        port = int(env_with_config(objects, container)["GRPC_PORT"])
        assert [p["containerPort"] for p in container["ports"]] == [port]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert container[probe]["grpc"]["port"] == port, f"{svc} {probe}"
        assert of_kind(objects, "Service")[k8s_name(svc)]["spec"]["ports"][0]["port"] == port


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_is_migrated_by_a_job_before_its_pods_start(overlay: str) -> None:
    objects = rendered(overlay)
    deployments = of_kind(objects, "Deployment")
    jobs = of_kind(objects, "Job")
    assert services()
    for svc in services():
        deployment = deployments[k8s_name(svc)]
        (server,) = pod_spec(deployment)["containers"]
        assert server["command"] == ["python", "-m", svc]
        job = jobs[f"{k8s_name(svc)}-migrate"]
        (migrate,) = pod_spec(job)["containers"]
        assert migrate["image"] == server["image"]
        assert migrate["command"] == ["python", "-m", f"{svc}.migrate"]
        assert pod_spec(job)["restartPolicy"] in {"Never", "OnFailure"}
        assert job["spec"].get("ttlSecondsAfterFinished"), "a finished Job must go, its template is immutable"
        job_labels = job["spec"]["template"]["metadata"]["labels"]
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert not selector.items() <= job_labels.items(), "the Deployment must not select the Job's pods"
        # The gate: pods start only once the schema holds the image's migrations.
        (gate,) = pod_spec(deployment)["initContainers"]
        assert gate["image"] == server["image"]
        assert gate["command"][1:] == ["/etc/kinerja-gate/wait_for_schema.py", svc]
        mounts = {m["name"]: m["mountPath"] for m in gate["volumeMounts"]}
        # The image's environment lives in /opt/kinerja (see the Dockerfiles): a mount there would hide it.
        assert not any(path.startswith("/opt/kinerja") for path in mounts.values())
        volumes = {v["name"]: v for v in pod_spec(deployment)["volumes"]}
        gate_map = volumes[next(n for n, path in mounts.items() if path == "/etc/kinerja-gate")]["configMap"][
            "name"
        ]
        assert "wait_for_schema.py" in of_kind(objects, "ConfigMap")[gate_map]["data"]
        # The Job migrates as the owner; the server and the gate connect as the runtime role.
        job_env = env_with_config(objects, migrate)
        server_env = env_with_config(objects, server)
        assert (
            urlsplit(job_env["MIGRATION_DATABASE_URL"]).username
            != urlsplit(server_env["DATABASE_URL"]).username
        )
        assert env_with_config(objects, gate)["DATABASE_URL"] == server_env["DATABASE_URL"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_database_urls_name_the_cloudnativepg_clusters_roles(overlay: str) -> None:
    objects = rendered(overlay)
    clusters = of_kind(objects, "Cluster")
    for svc in services():
        (server,) = pod_spec(of_kind(objects, "Deployment")[k8s_name(svc)])["containers"]
        env = env_with_config(objects, server)
        runtime, owner = urlsplit(env["DATABASE_URL"]), urlsplit(env["MIGRATION_DATABASE_URL"])
        assert runtime.scheme == owner.scheme == "postgresql+psycopg"
        assert runtime.password is None and owner.password is None, "passwords come from Secrets only"
        assert runtime.hostname == owner.hostname and runtime.path == owner.path
        assert runtime.hostname is not None and runtime.hostname.endswith("-rw")
        cluster = clusters[runtime.hostname.removesuffix("-rw")]
        initdb = cluster["spec"]["bootstrap"]["initdb"]
        assert owner.path.lstrip("/") == initdb["database"] and owner.username == initdb["owner"]
        roles = {role["name"]: role for role in cluster["spec"]["managed"]["roles"]}
        assert roles[runtime.username]["bypassrls"] is False and not roles[runtime.username]["superuser"]
        cluster_name = cluster["metadata"]["name"]
        password = next(v for v in server["env"] if v["name"] == "PGPASSWORD")["valueFrom"]["secretKeyRef"]
        assert password["name"] == roles[runtime.username]["passwordSecret"]["name"]
        (migrate,) = pod_spec(of_kind(objects, "Job")[f"{k8s_name(svc)}-migrate"])["containers"]
        owner_password = next(v for v in migrate["env"] if v["name"] == "PGPASSWORD")["valueFrom"]
        assert owner_password["secretKeyRef"] == {"name": f"{cluster_name}-app", "key": "password"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_env_references_name_earlier_variables(overlay: str) -> None:
    for obj in rendered(overlay):
        if obj["kind"] not in POD_TEMPLATE_KINDS:
            continue
        for container in all_containers(obj):
            seen: set[str] = set()
            for var in container.get("env", []):
                for ref in re.findall(r"\$\(([A-Z_][A-Z0-9_]*)\)", var.get("value", "")):
                    assert ref in seen, f"{ident(obj)} {container['name']}: {var['name']} uses $({ref}) first"
                seen.add(var["name"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_has_a_disruption_budget_and_the_gateway_an_autoscaler(overlay: str) -> None:
    objects = rendered(overlay)
    budgets = of_kind(objects, "PodDisruptionBudget").values()
    autoscalers = {
        hpa["spec"]["scaleTargetRef"]["name"]: hpa
        for hpa in of_kind(objects, "HorizontalPodAutoscaler").values()
        if hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
    }
    for name, deployment in of_kind(objects, "Deployment").items():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(
            budget["spec"]["selector"]["matchLabels"].items() <= labels.items() for budget in budgets
        ), f"{overlay}: {name} has no PodDisruptionBudget"
        if name in autoscalers:
            assert "replicas" not in deployment["spec"], f"{name}: the HPA owns the replica count"
    for name in ("gateway", "assessment", "angka-kredit"):
        if name in of_kind(objects, "Deployment"):
            assert name in autoscalers, f"{overlay}: {name} has no HorizontalPodAutoscaler"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_referenced_config_maps_exist(overlay: str) -> None:
    objects = rendered(overlay)
    maps = set(of_kind(objects, "ConfigMap"))
    for obj in objects:
        if obj["kind"] not in POD_TEMPLATE_KINDS:
            continue
        for container in all_containers(obj):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in maps, ident(obj)
        for volume in pod_spec(obj).get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in maps, ident(obj)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_secret_values_are_committed_and_every_secret_has_a_source(overlay: str) -> None:
    objects = rendered(overlay)
    secrets = of_kind(objects, "Secret")
    for name, secret in secrets.items():
        assert not secret.get("data") and not secret.get("stringData"), f"Secret {name} carries values"
    sources = set(secrets) | operator_generated_secrets(objects) | documented_secrets()
    for obj in objects:
        for name in referenced_secrets(obj):
            assert name in sources, f"{overlay}: {ident(obj)} reads Secret {name}, created by nobody"
    for path in K8S.rglob("*.yaml"):
        for doc in load_documents(path):
            assert doc.get("kind") != "Secret" or not (doc.get("data") or doc.get("stringData")), path


def test_readme_documents_only_secrets_the_manifests_read() -> None:
    referenced = {
        name for overlay in OVERLAYS for obj in rendered(overlay) for name in referenced_secrets(obj)
    }
    assert documented_secrets() <= referenced
    assert documented_secrets(), "README.md lists no operator-created Secrets"


# ---------------------------------------------------------------------------------------------------------
# skaffold.yaml
# ---------------------------------------------------------------------------------------------------------


def test_skaffold_builds_every_image_and_deploys_the_dev_overlay() -> None:
    config = skaffold()
    assert config["apiVersion"] == "skaffold/v4beta11" and config["kind"] == "Config"
    artifacts = {artifact["image"]: artifact for artifact in config["build"]["artifacts"]}
    expected = {f"kinerja/{svc}": f"services/{svc}" for svc in services()}
    expected["kinerja/gateway"] = "gateway"
    expected["kinerja/kinerja_worker"] = "libs/worker"
    assert {
        image: artifact["docker"]["buildArgs"]["MEMBER"] for image, artifact in artifacts.items()
    } == expected
    for image, artifact in artifacts.items():
        assert artifact["docker"]["dockerfile"] == "deploy/docker/service.Dockerfile"
        assert artifact["docker"]["buildArgs"]["MODULE"] == image.removeprefix("kinerja/")
        assert (ROOT / artifact["docker"]["buildArgs"]["MEMBER"] / "requirements.lock").exists()
    assert all(artifact["context"] == "." for artifact in artifacts.values())
    assert config["manifests"]["kustomize"]["paths"] == ["deploy/k8s/overlays/dev"]
    assert config["deploy"] == {"kubectl": {}}
    (prod,) = [profile for profile in config["profiles"] if profile["name"] == "prod"]
    assert prod["manifests"]["kustomize"]["paths"] == ["deploy/k8s/overlays/production"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_image_skaffold_builds_is_deployed(overlay: str) -> None:
    used = {c["image"] for d in of_kind(rendered(overlay), "Deployment").values() for c in all_containers(d)}
    assert used == skaffold_images()


# ---------------------------------------------------------------------------------------------------------
# The migration gate's decision
# ---------------------------------------------------------------------------------------------------------


def gate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wait_for_schema", K8S / "base" / "wait_for_schema.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_gate_waits_for_the_images_head_and_lets_a_newer_schema_pass() -> None:
    migrated = gate_module().migrated
    known, heads = {"0001", "0002"}, {"0002"}
    assert not migrated(known, heads, None, ())  # nothing migrated yet
    assert not migrated(known, heads, {"0001"}, ("0001",))  # one migration behind
    assert migrated(known, heads, {"0001", "0002"}, ("0002",))  # at the image's head
    assert migrated(known, heads, None, ("0003",))  # a newer release migrated further


def test_the_gate_finds_a_services_migrations() -> None:
    module = gate_module()
    for svc in services():
        if importlib.util.find_spec(svc) is None:
            pytest.skip(f"{svc} is not installed in this environment")
        assert (module.migrations_dir(svc) / "versions").is_dir()


# ---------------------------------------------------------------------------------------------------------
# The worker tier: scaled by KEDA on its queue's length
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_worker_scales_on_its_queue_with_the_pods_own_credentials(overlay: str) -> None:
    objects = rendered(overlay)
    deployments = of_kind(objects, "Deployment")
    scaled = of_kind(objects, "ScaledObject")
    (rabbit_name,) = of_kind(objects, "RabbitmqCluster")
    assert "worker" in deployments and set(scaled) == {"worker"}
    for name, obj in scaled.items():
        spec = obj["spec"]
        target = deployments[spec["scaleTargetRef"]["name"]]
        assert "replicas" not in target["spec"], f"{name}: KEDA owns the replica count"
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        if overlay == "production":
            assert spec["minReplicaCount"] >= 3
        (container,) = pod_spec(target)["containers"]
        env = env_with_config(objects, container)
        for trigger in spec["triggers"]:
            assert trigger["type"] == "rabbitmq"
            meta = trigger["metadata"]
            assert meta["mode"] == "QueueLength" and int(meta["value"]) >= 1
            assert urlsplit(meta["host"]).hostname == rabbit_name and "@" not in meta["host"]
            assert {meta["usernameFromEnv"], meta["passwordFromEnv"]} <= set(env)
        # The queue KEDA watches is one the configured worker services consume.
        queues = {t["metadata"]["queueName"] for t in spec["triggers"]}
        assert env["WORKER_SERVICES"] == "kinerja_worker.system:SystemWorker"
        assert queues == {SYSTEM_QUEUE}
