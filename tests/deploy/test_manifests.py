"""deploy/: the manifests validate against the Kubernetes schemas (offline, strict: an
unknown field is an error), and keep their promises: probes on /healthz, a non-root user
and a read-only root filesystem, resources requested and limited, the HPA scaling this
Deployment, the Service reaching its pods."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# the oldest Kubernetes still commonly run, and the newest the schemas know
VERSIONS = ("1.30", "1.37")
MANIFESTS = ("deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml")


def documents(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((DEPLOY / name).read_text()) if d]


def one(kind: str) -> dict[str, Any]:
    found = [d for name in MANIFESTS for d in documents(name) if d["kind"] == kind]
    assert len(found) == 1, f"one {kind} in deploy/, found {len(found)}"
    return found[0]


def container() -> dict[str, Any]:
    (only,) = one("Deployment")["spec"]["template"]["spec"]["containers"]
    return only


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", MANIFESTS)
def test_the_manifests_validate_against_the_schemas(name: str, version: str) -> None:
    for document in documents(name):
        kubernetes_validate.validate(document, version, strict=True)


def test_the_validator_refuses_a_misspelt_field() -> None:
    """The schemas are really read here, offline: a typo fails."""
    deployment = copy.deepcopy(one("Deployment"))
    spec = deployment["spec"]["template"]["spec"]["containers"][0]
    spec["readinesProbe"] = spec.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, VERSIONS[-1], strict=True)
    deployment = copy.deepcopy(one("Deployment"))
    deployment["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, VERSIONS[-1], strict=True)


def test_kustomization_lists_every_manifest() -> None:
    (kustomization,) = documents("kustomization.yaml")
    assert sorted(kustomization["resources"]) == sorted(MANIFESTS)
    assert sorted(p.name for p in DEPLOY.glob("*.yaml")) == sorted(
        [*MANIFESTS, "kustomization.yaml"]
    )


def test_every_probe_asks_healthz_on_the_served_port() -> None:
    explorer = container()
    ports = {p["name"]: p["containerPort"] for p in explorer["ports"]}
    expose = re.search(r"^EXPOSE (\d+)$", (ROOT / "Dockerfile").read_text(), re.M)
    assert expose and ports == {"http": int(expose.group(1))}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert explorer[probe]["httpGet"] == {"path": "/healthz", "port": "http"}, probe
    assert explorer["livenessProbe"]["timeoutSeconds"] >= 1


def test_the_pod_runs_as_the_images_user_on_a_read_only_root() -> None:
    pod = one("Deployment")["spec"]["template"]["spec"]
    user = re.findall(r"^USER (\d+)$", (ROOT / "Dockerfile").read_text(), re.M)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == int(user[-1]) != 0
    security = container()["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    # the one writable place is a size-limited emptyDir at /tmp
    (mount,) = container()["volumeMounts"]
    (volume,) = pod["volumes"]
    assert mount == {"name": volume["name"], "mountPath": "/tmp"}
    assert "sizeLimit" in volume["emptyDir"]


def test_resources_are_requested_and_limited() -> None:
    resources = container()["resources"]
    for kind in ("requests", "limits"):
        assert set(resources[kind]) == {"cpu", "memory"}, kind
    env = {e["name"]: e["value"] for e in container()["env"]}
    assert int(env["WORKERS"]) == int(resources["limits"]["cpu"])  # one worker per CPU
    assert int(env["BPX_COMPUTE_THREADS"]) >= 1


def test_the_hpa_scales_this_deployment() -> None:
    hpa, deployment = one("HorizontalPodAutoscaler"), one("Deployment")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": deployment["apiVersion"],
        "kind": "Deployment",
        "name": deployment["metadata"]["name"],
    }
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"  # needs the CPU request checked above


def test_the_service_and_the_budget_select_the_pods() -> None:
    deployment = one("Deployment")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == labels
    service = one("Service")
    assert service["spec"]["selector"] == labels
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == "http"
    assert one("PodDisruptionBudget")["spec"]["selector"]["matchLabels"] == labels
