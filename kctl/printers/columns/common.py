"""Cell helpers shared by the per-kind printers (upstream names kept)."""

from __future__ import annotations

from datetime import datetime

from kctl.printers.duration import translate_timestamp_since


def name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name", "")


def age(obj: dict, now: datetime) -> str:
    return translate_timestamp_since((obj.get("metadata") or {}).get("creationTimestamp"), now)


def deletion_timestamp(obj: dict) -> str | None:
    return (obj.get("metadata") or {}).get("deletionTimestamp")


def format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: ``k=v`` sorted by key, comma-joined; ``<none>`` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def _requirement_strings(selector: dict) -> list[tuple[str, str]]:
    reqs: list[tuple[str, str]] = []
    for k, v in (selector.get("matchLabels") or {}).items():
        reqs.append((k, f"{k}={v}"))
    for expr in selector.get("matchExpressions") or []:
        key = expr.get("key", "")
        op = expr.get("operator", "")
        values = sorted(expr.get("values") or [])
        if op == "In":
            reqs.append((key, f"{key} in ({','.join(values)})"))
        elif op == "NotIn":
            reqs.append((key, f"{key} notin ({','.join(values)})"))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, f"!{key}"))
        else:
            raise ValueError(f"{op!r} is not a valid label selector operator")
    reqs.sort(key=lambda r: r[0])
    return reqs


def label_selector_string(selector: dict | None) -> str:
    """metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key,
    ``k=v``, ``k in (a,b)``, ``k notin (a,b)``, ``k``, ``!k``; nil/empty -> ``""``;
    an invalid operator -> ``<invalid>`` (as printDeployment shows it)."""
    if not selector:
        return ""
    try:
        return ",".join(s for _, s in _requirement_strings(selector))
    except ValueError:
        return "<invalid>"


def format_label_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: like ``label_selector_string`` but ``<none>`` when empty
    and ``<error>`` when invalid."""
    if not selector:
        return "<none>"
    try:
        s = ",".join(s for _, s in _requirement_strings(selector))
    except ValueError:
        return "<error>"
    return s or "<none>"


def layout_container_cells(containers: list | None) -> tuple[str, str]:
    """Container names and images, comma-joined in order (wide CONTAINERS / IMAGES)."""
    containers = containers or []
    return (",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers))


def template_containers(obj: dict) -> list:
    return (((obj.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers") or []


def list_with_more(items: list[str], total: int, limit: int = 3, empty: str = "<unset>") -> str:
    """listWithMoreString: first ``limit`` items comma-joined, then `` + N more...``."""
    ret = ",".join(items[:limit])
    if total > limit:
        return f"{ret} + {total - limit} more..."
    return ret or empty


def quantity_string(value) -> str:
    """(resource.Quantity).String(): the canonical form (``1000m`` -> ``1``); an absent
    quantity is the zero quantity ``0``; an unparsable value prints as stored."""
    if value is None:
        return "0"
    from kctl.api.quantity import Quantity, QuantityError

    try:
        return str(Quantity(value))
    except (QuantityError, TypeError, ValueError):
        return str(value)


def int_or_string(value) -> str:
    """intstr.IntOrString.String()."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def load_balancer_status_stringer(ingress: list | None, wide: bool) -> str:
    """loadBalancerStatusStringer: ingress IPs (hostname when no IP), de-duplicated and
    sorted, comma-joined; without wide, cut to 13 chars + ``...`` past 16 chars.
    Note: server-side printing always passes wide=true."""
    result = set()
    for ing in ingress or []:
        if ing.get("ip"):
            result.add(ing["ip"])
        elif ing.get("hostname"):
            result.add(ing["hostname"])
    r = ",".join(sorted(result))
    if not wide and len(r) > 16:
        r = r[:13] + "..."
    return r
