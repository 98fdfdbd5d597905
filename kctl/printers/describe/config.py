"""ConfigMap, Secret, ServiceAccount and Namespace describers.

As upstream: Secret and Namespace describers print no Events block; ConfigMap and Secret
data keys come from a Go map (random order in kubectl), so kctl sorts them.
"""

from __future__ import annotations

from datetime import datetime

from kctl.printers.describe.common import (
    LEVEL_0,
    LEVEL_1,
    describe_events,
    meta,
    write_conditions,
    write_labels_annotations,
    write_name_namespace,
)
from kctl.printers.describe.quantity import quantity_string
from kctl.printers.describe.tabwriter import PrefixWriter

SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token"


def _decoded(value: object) -> bytes:
    import base64  # lazy: only Secrets and binaryData need it
    import binascii

    if isinstance(value, bytes):
        return value
    try:
        return base64.b64decode(str(value), validate=False)
    except (binascii.Error, ValueError):
        return str(value).encode()


def describe_config_map(cm: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    write_name_namespace(w, cm)
    write_labels_annotations(w, cm)
    w.write(LEVEL_0, "\nData\n====\n")
    data = cm.get("data") or {}
    for key in sorted(data):
        w.write(LEVEL_0, f"{key}:\n----\n")
        w.write(LEVEL_0, f"{data[key]}\n")
        w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for key in sorted(binary):
        w.write(LEVEL_0, f"{key}: {len(_decoded(binary[key]))} bytes\n")
    w.write(LEVEL_0, "\n")
    describe_events(cm, events, w, now)


def describe_secret(secret: dict, w: PrefixWriter) -> None:
    write_name_namespace(w, secret)
    write_labels_annotations(w, secret)
    stype = secret.get("type", "Opaque")
    w.write(LEVEL_0, f"\nType:\t{stype}\n")
    w.write(LEVEL_0, "\nData\n====\n")
    data = dict(secret.get("data") or {})
    for key, value in (secret.get("stringData") or {}).items():  # not yet merged by a server
        data[key] = str(value).encode()
    for key in sorted(data):
        raw = _decoded(data[key])
        if key == "token" and stype == SERVICE_ACCOUNT_TOKEN_TYPE:
            w.write(LEVEL_0, f"{key}:\t{raw.decode('utf-8', 'replace')}\n")
        else:
            w.write(LEVEL_0, f"{key}:\t{len(raw)} bytes\n")


def describe_service_account(
    sa: dict, related: dict, events: list[dict] | None, w: PrefixWriter, now: datetime
) -> None:
    """``describeServiceAccount``. ``related["secrets"]``: names of existing Secrets (marks
    missing references ``(not found)``); ``related["tokens"]``: token Secret names."""
    write_name_namespace(w, sa)
    write_labels_annotations(w, sa)
    existing = related.get("secrets")
    existing_names = (
        None if existing is None else {s if isinstance(s, str) else meta(s).get("name") for s in existing}
    )
    tokens = [t if isinstance(t, str) else meta(t).get("name", "") for t in related.get("tokens") or []]
    empty = " " * 19
    sections = {
        "Image pull secrets:": [s.get("name", "") for s in sa.get("imagePullSecrets") or []],
        "Mountable secrets: ": [s.get("name", "") for s in sa.get("secrets") or []],
        "Tokens:            ": tokens,
    }
    missing = set()
    if existing_names is not None:
        missing = {
            n
            for n in sections["Image pull secrets:"] + sections["Mountable secrets: "]
            if n not in existing_names
        }
    for header in sorted(sections):
        names = sections[header]
        if not names:
            w.write(LEVEL_0, f"{header}\t<none>\n")
            continue
        prefix = header
        for name in names:
            suffix = " (not found)" if name in missing else ""
            w.write(LEVEL_0, f"{prefix}\t{name}{suffix}\n")
            prefix = empty
    describe_events(sa, events, w, now)


# --- Namespace ---------------------------------------------------------------------------

_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a "
    "node before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long "
    "running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
    "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a "
    "burstable or guaranteed quality of service.",
}


def describe_resource_quotas(quotas: list[dict], w: PrefixWriter) -> None:
    """``DescribeResourceQuotas``."""
    if not quotas:
        w.write(LEVEL_0, "No resource quota.\n")
        return
    w.write(LEVEL_0, "Resource Quotas\n")
    for q in sorted(quotas, key=lambda q: meta(q).get("name", "")):
        w.write(LEVEL_1, f"Name:\t{meta(q).get('name', '')}\n")
        scopes = sorted((q.get("spec") or {}).get("scopes") or [])
        if scopes:
            w.write(LEVEL_1, f"Scopes:\t{', '.join(scopes)}\n")
            for scope in scopes:
                if scope in _SCOPE_HELP:
                    w.write(LEVEL_1, f"* {_SCOPE_HELP[scope]}\n")
        w.write(LEVEL_1, "Resource\tUsed\tHard\n")
        w.write(LEVEL_1, "--------\t---\t---\n")
        status = q.get("status") or {}
        hard, used = status.get("hard") or {}, status.get("used") or {}
        for name in sorted(hard):
            w.write(
                LEVEL_1, f"{name}\t{quantity_string(used.get(name, '0'))}\t{quantity_string(hard[name])}\n"
            )


def describe_limit_ranges(limit_ranges: list[dict], w: PrefixWriter) -> None:
    """``DescribeLimitRanges`` (resource order within an item is sorted; Go's is map order)."""
    if not limit_ranges:
        w.write(LEVEL_0, "No LimitRange resource.\n")
        return
    w.write(
        LEVEL_0,
        "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
    )
    w.write(LEVEL_0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    for lr in limit_ranges:
        for item in (lr.get("spec") or {}).get("limits") or []:
            fields = [
                item.get(k) or {} for k in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")
            ]
            names = sorted(set().union(*fields))
            for name in names:
                cells = [quantity_string(f[name]) if name in f else "-" for f in fields]
                w.write(LEVEL_0, f" {item.get('type', '')}\t{name}\t" + "\t".join(cells) + "\n")


def describe_namespace(ns: dict, related: dict, w: PrefixWriter, now: datetime) -> None:
    """``describeNamespace``: ``related["resourceQuotas"]`` / ``["limitRanges"]`` (None: not served)."""
    w.write(LEVEL_0, f"Name:\t{meta(ns).get('name', '')}\n")
    write_labels_annotations(w, ns)
    status = ns.get("status") or {}
    w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    write_conditions(w, status.get("conditions"), now)
    quotas = related.get("resourceQuotas", [])
    if quotas is not None:
        w.write(LEVEL_0, "\n")
        describe_resource_quotas(quotas, w)
    limit_ranges = related.get("limitRanges", [])
    if limit_ranges is not None:
        w.write(LEVEL_0, "\n")
        describe_limit_ranges(limit_ranges, w)
