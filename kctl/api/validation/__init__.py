"""Server-side validation: what the API server rejects even when an object matches its schema.

Entry points:

* ``validate(obj) -> list[FieldError]``: create-time rules, dispatched on the
  apiVersion's group and the kind (unknown kinds get the ObjectMeta checks only);
* ``validate_update(new, old) -> list[FieldError]``: the same rules plus the
  immutable-field rules of an update.

Each kind module mirrors an upstream ``pkg/apis/<group>/validation`` package; see
their docstrings. Inputs are plain manifest data that passed the schema; odd
shapes never raise (what cannot be checked is skipped).
"""

from __future__ import annotations

from collections.abc import Callable

from kctl.api import field as fe

__all__ = ["validate", "validate_update", "validator_for"]

Validator = Callable[[dict], list]


def _group(api_version: object) -> str:
    if not isinstance(api_version, str) or "/" not in api_version:
        return ""
    return api_version.split("/", 1)[0]


def _table() -> dict[tuple[str, str], Validator]:
    from kctl.api.validation import (
        apps,
        autoscaling,
        batch,
        config,
        core,
        networking,
        pod,
        policy,
        rbac,
        service,
    )

    rbac_group = rbac.GROUP_NAME
    return {
        ("", "Pod"): pod.validate_pod,
        ("", "PodTemplate"): pod.validate_pod_template,
        ("", "Service"): service.validate_service,
        ("", "ConfigMap"): config.validate_config_map,
        ("", "Secret"): config.validate_secret,
        ("", "Namespace"): core.validate_namespace,
        ("", "Node"): core.validate_node,
        ("", "PersistentVolumeClaim"): core.validate_persistent_volume_claim,
        ("", "ServiceAccount"): core.validate_service_account,
        ("apps", "Deployment"): apps.validate_deployment,
        ("apps", "ReplicaSet"): apps.validate_replica_set,
        ("apps", "StatefulSet"): apps.validate_stateful_set,
        ("apps", "DaemonSet"): apps.validate_daemon_set,
        ("batch", "Job"): batch.validate_job,
        ("batch", "CronJob"): batch.validate_cron_job,
        ("networking.k8s.io", "Ingress"): networking.validate_ingress,
        ("networking.k8s.io", "IngressClass"): networking.validate_ingress_class,
        ("networking.k8s.io", "NetworkPolicy"): networking.validate_network_policy,
        ("autoscaling", "HorizontalPodAutoscaler"): autoscaling.validate_horizontal_pod_autoscaler,
        ("autoscaling.k8s.io", "VerticalPodAutoscaler"): autoscaling.validate_vertical_pod_autoscaler,
        ("policy", "PodDisruptionBudget"): policy.validate_pod_disruption_budget,
        (rbac_group, "Role"): rbac.validate_role,
        (rbac_group, "ClusterRole"): rbac.validate_cluster_role,
        (rbac_group, "RoleBinding"): rbac.validate_role_binding,
        (rbac_group, "ClusterRoleBinding"): lambda obj: rbac.validate_role_binding(obj, namespaced=False),
    }


_TABLE: dict[tuple[str, str], Validator] | None = None


def validator_for(api_version: object, kind: object) -> Validator:
    """The create-time validator of a kind (ObjectMeta-only for kinds without specific rules)."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _table()
    fn = _TABLE.get((_group(api_version), kind if isinstance(kind, str) else ""))
    return fn if fn is not None else _validate_generic


def _validate_generic(obj: dict) -> list[fe.FieldError]:
    from kctl.api import registry
    from kctl.api.validation import meta, names

    namespaced = True
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if isinstance(api_version, str) and isinstance(kind, str):
        rt = registry.for_kind(api_version, kind)
        if rt is not None:
            namespaced = rt.namespaced
    return meta.validate_object_meta(obj.get("metadata"), namespaced, names.name_is_dns_subdomain)


def validate(obj: dict) -> list[fe.FieldError]:
    """Create-time server-side validation of one object."""
    if not isinstance(obj, dict):
        return []
    fn = validator_for(obj.get("apiVersion"), obj.get("kind"))
    try:
        return _dedupe(fn(obj))
    except (TypeError, AttributeError, KeyError, ValueError, IndexError, RecursionError):
        # Never fail on odd shapes: keep what can be checked.
        try:
            return _dedupe(_validate_generic(obj))
        except (TypeError, AttributeError, KeyError, ValueError, IndexError, RecursionError):
            return []


def validate_update(new: dict, old: dict) -> list[fe.FieldError]:
    """Update-time validation: immutable fields, then the create-time rules on ``new``."""
    from kctl.api.validation.update import validate_immutable

    if not isinstance(new, dict):
        return []
    try:
        errs = validate_immutable(new, old if isinstance(old, dict) else {})
    except (TypeError, AttributeError, KeyError, ValueError, IndexError, RecursionError):
        errs = []
    return _dedupe(errs + validate(new))


def _dedupe(errs: list[fe.FieldError]) -> list[fe.FieldError]:
    """Identical causes are reported once (as the API server's status causes are)."""
    seen: set[str] = set()
    out = []
    for e in errs:
        key = str(e)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
