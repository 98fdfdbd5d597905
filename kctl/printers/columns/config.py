"""ConfigMap, Secret, ServiceAccount, Namespace, ResourceQuota, PodDisruptionBudget,
PriorityClass, Lease, RuntimeClass, webhook configurations (mirrors upstream printers)."""

from __future__ import annotations

from datetime import datetime

from . import AGE, NAME, Column, register
from .common import age, int_or_string, name, quantity_string


def config_map_row(obj: dict, now: datetime) -> list:
    return [name(obj), len(obj.get("data") or {}) + len(obj.get("binaryData") or {}), age(obj, now)]


def secret_row(obj: dict, now: datetime) -> list:
    return [name(obj), obj.get("type", ""), len(obj.get("data") or {}), age(obj, now)]


def service_account_row(obj: dict, now: datetime) -> list:
    return [name(obj), len(obj.get("secrets") or []), age(obj, now)]


def namespace_row(obj: dict, now: datetime) -> list:
    return [name(obj), (obj.get("status") or {}).get("phase", ""), age(obj, now)]


def resource_quota_row(obj: dict, now: datetime) -> list:
    status = obj.get("status") or {}
    hard = status.get("hard") or {}
    used = status.get("used") or {}
    requests: list[str] = []
    limits: list[str] = []
    for res in sorted(hard):
        target = limits if res.split(".")[0] == "limits" and "." in res else requests
        target.append(f"{res}: {quantity_string(used.get(res, 0))}/{quantity_string(hard[res])}")
    return [name(obj), ", ".join(requests), ", ".join(limits), age(obj, now)]


def pod_disruption_budget_row(obj: dict, now: datetime) -> list:
    spec = obj.get("spec") or {}
    min_available = int_or_string(spec["minAvailable"]) if spec.get("minAvailable") is not None else "N/A"
    max_unavailable = int_or_string(spec["maxUnavailable"]) if spec.get("maxUnavailable") is not None else "N/A"
    return [
        name(obj),
        min_available,
        max_unavailable,
        int((obj.get("status") or {}).get("disruptionsAllowed") or 0),
        age(obj, now),
    ]


def priority_class_row(obj: dict, now: datetime) -> list:
    return [
        name(obj),
        int(obj.get("value") or 0),
        bool(obj.get("globalDefault")),
        age(obj, now),
        obj.get("preemptionPolicy") or "",
    ]


def lease_row(obj: dict, now: datetime) -> list:
    return [name(obj), (obj.get("spec") or {}).get("holderIdentity") or "", age(obj, now)]


def runtime_class_row(obj: dict, now: datetime) -> list:
    return [name(obj), obj.get("handler", ""), age(obj, now)]


def webhook_configuration_row(obj: dict, now: datetime) -> list:
    return [name(obj), len(obj.get("webhooks") or []), age(obj, now)]


register("", "ConfigMap", (NAME, Column("Data"), AGE), config_map_row)
register("", "Secret", (NAME, Column("Type"), Column("Data"), AGE), secret_row)
register("", "ServiceAccount", (NAME, Column("Secrets"), AGE), service_account_row)
register("", "Namespace", (NAME, Column("Status"), AGE), namespace_row)
register("", "ResourceQuota", (NAME, Column("Request"), Column("Limit"), AGE), resource_quota_row)
register("policy", "PodDisruptionBudget",
         (NAME, Column("Min Available"), Column("Max Unavailable"),
          Column("Allowed Disruptions", type="integer"), AGE),
         pod_disruption_budget_row)
# PreemptionPolicy has priority 0 upstream and the server always fills it (Wide=true).
register("scheduling.k8s.io", "PriorityClass",
         (NAME, Column("Value", type="integer"), Column("Global-Default", type="boolean"), AGE,
          Column("PreemptionPolicy")),
         priority_class_row)
register("coordination.k8s.io", "Lease", (NAME, Column("Holder"), AGE), lease_row)
register("node.k8s.io", "RuntimeClass", (NAME, Column("Handler"), AGE), runtime_class_row)
register("admissionregistration.k8s.io", "MutatingWebhookConfiguration",
         (NAME, Column("Webhooks", type="integer"), AGE), webhook_configuration_row)
register("admissionregistration.k8s.io", "ValidatingWebhookConfiguration",
         (NAME, Column("Webhooks", type="integer"), AGE), webhook_configuration_row)
