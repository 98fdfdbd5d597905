"""Where the HPA controller reads metric values (the metrics clients of
pkg/controller/podautoscaler/metrics), in a kctl cluster.

- **Resource / ContainerResource** (``metrics.k8s.io``): ``PodMetrics`` objects (resource key
  ``pods.metrics.k8s.io``), one per pod with the pod's namespace and name,
  ``containers: [{name, usage: {cpu, memory}}]``, ``timestamp`` and ``window``. A PodMetrics
  without ``timestamp`` is taken as sampled at the sync time; without ``window``, 0 s.
  A pod's value is the sum over its containers (a container without the resource makes the
  pod "missing"); ContainerResource takes the named container.
- **Pods** (custom metrics, ``custom.metrics.k8s.io``): the annotation
  ``metrics.kctl.io/<metric-name>: "<quantity>"`` on the pod's PodMetrics object, or else on the
  Pod itself (e.g. set in the pod template). Pods without it are "missing".
- **Object** (custom metrics on a described object): the annotation
  ``metrics.kctl.io/<metric-name>: "<quantity>"`` on the object named by
  ``describedObject`` (same namespace as the HPA).
- **External** (``external.metrics.k8s.io``): ConfigMaps in the HPA's namespace labelled
  ``metrics.kctl.io/external-metric: <metric-name>``, one per series; the series' labels are the
  ConfigMap's other labels (matched against ``metric.selector``) and its value is
  ``data.value`` (a quantity). Several matching series are summed, as upstream does.

Values are milli-units (``Quantity.MilliValue``), as upstream compares them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kctl.controllers.podautoscaler.replica_calculator import PodMetric

PODMETRICS = "pods.metrics.k8s.io"
METRIC_ANNOTATION_PREFIX = "metrics.kctl.io/"
EXTERNAL_METRIC_LABEL = "metrics.kctl.io/external-metric"


class MetricsError(Exception):
    """A metrics API error (its text is what upstream's client error says)."""


def _milli(value: object) -> int:
    from kctl.controllers.podautoscaler.values import milli_value

    return milli_value(value)


def _duration(text: object) -> timedelta:
    """A metav1.Duration (``30s``, ``1m0s``, ``1.5s``); anything unreadable is 0."""
    if not isinstance(text, str):
        return timedelta(0)
    return _parse_duration(text)


def _parse_duration(text: str) -> timedelta:
    from kctl.api.duration import DurationError, parse_duration

    try:
        return timedelta(seconds=parse_duration(text))
    except DurationError:
        return timedelta(0)


def _sample_time(obj: dict, now: datetime) -> datetime:
    from kctl.controllers.podautoscaler.values import parse_time

    text = obj.get("timestamp")
    if isinstance(text, str) and text:
        try:
            return parse_time(text)
        except ValueError:
            pass
    return now


def resource_metrics(cluster, namespace: str, pods: list[dict], resource: str, container: str,
                     now: datetime) -> dict[str, PodMetric]:
    """``GetResourceMetric``: PodMetrics of the selected pods -> per-pod milli-values."""
    names = {(p.get("metadata") or {}).get("name", "") for p in pods}
    # The selected pods' PodMetrics in list (name) order, looked up by name.
    items = [m for m in map(lambda name: cluster.get(PODMETRICS, namespace, name), sorted(names)) if m is not None]
    if not items:
        raise MetricsError("no metrics returned from resource metrics API")
    out: dict[str, PodMetric] = {}
    for m in items:
        name = m["metadata"]["name"]
        containers = m.get("containers") or []
        when, window = _sample_time(m, now), _duration(m.get("window"))
        if container:
            found = False
            for c in containers:
                if c.get("name") == container:
                    found = True
                    usage = (c.get("usage") or {}).get(resource)
                    if usage is not None:
                        out[name] = PodMetric(_milli(usage), when, window)
                    break
            if not found:
                raise MetricsError(f"failed to get container metrics: container {container} not present in "
                                   f"metrics for pod {namespace}/{name}")
            continue
        total, missing = 0, not containers
        for c in containers:
            usage = (c.get("usage") or {}).get(resource)
            if usage is None:
                missing = True
                break
            total += _milli(usage)
        if not missing:
            out[name] = PodMetric(total, when, window)
    return out


def pods_metrics(cluster, namespace: str, pods: list[dict], metric_name: str, now: datetime) -> dict[str, PodMetric]:
    """``GetRawMetric`` (Pods metrics): the ``metrics.kctl.io/<name>`` annotation per pod."""
    key = METRIC_ANNOTATION_PREFIX + metric_name
    out: dict[str, PodMetric] = {}
    for pod in pods:
        meta = pod.get("metadata") or {}
        pm = cluster.get(PODMETRICS, namespace, meta.get("name", "")) or {}
        value = ((pm.get("metadata") or {}).get("annotations") or {}).get(key)
        when = _sample_time(pm, now) if pm else now
        if value is None:
            value = (meta.get("annotations") or {}).get(key)
        if value is None:
            continue
        out[meta.get("name", "")] = PodMetric(_milli(value), when, _duration(pm.get("window")))
    if not out:
        raise MetricsError("no metrics returned from custom metrics API")
    return out


def object_metric(cluster, namespace: str, described: dict, metric_name: str) -> int:
    """``GetObjectMetric``: the ``metrics.kctl.io/<name>`` annotation of the described object."""
    from kctl.api import registry

    kind, name = described.get("kind", ""), described.get("name", "")
    rt = registry.for_kind(described.get("apiVersion", ""), kind)
    resource = rt.group_resource if rt else f"{kind.lower()}s"
    obj = cluster.get(resource, namespace if (rt is None or rt.namespaced) else None, name) if rt else None
    value = (((obj or {}).get("metadata") or {}).get("annotations") or {}).get(METRIC_ANNOTATION_PREFIX + metric_name)
    if value is None:
        raise MetricsError(f"the server could not find the metric {metric_name} for {resource} {name}")
    return _milli(value)


def external_metric(cluster, namespace: str, metric_name: str, selector: dict | None) -> list[int]:
    """``GetExternalMetric``: the values of the matching series."""
    from kctl.api.labels import selector_from_label_selector

    sel = selector_from_label_selector(selector) if selector is not None else None
    values = []
    for cm in cluster.list("configmaps", namespace):
        labels = dict((cm.get("metadata") or {}).get("labels") or {})
        if labels.pop(EXTERNAL_METRIC_LABEL, None) != metric_name:
            continue
        if sel is not None and not sel.matches(labels):
            continue
        value = (cm.get("data") or {}).get("value")
        if value is not None:
            values.append(_milli(value))
    if not values:
        raise MetricsError("no metrics returned from external metrics API")
    return values


def go_label_selector(selector: dict | None) -> str:
    """``%+v`` of a ``*metav1.LabelSelector`` (its generated ``String()``)."""
    if selector is None:
        return "nil"
    labels = selector.get("matchLabels") or {}
    exprs = "".join(
        f"LabelSelectorRequirement{{Key:{e.get('key', '')},Operator:{e.get('operator', '')},"
        f"Values:[{' '.join(e.get('values') or [])}],}},"
        for e in selector.get("matchExpressions") or []
    )
    pairs = "".join(f"{k}: {labels[k]}," for k in sorted(labels))
    return (f"&LabelSelector{{MatchLabels:map[string]string{{{pairs}}},"
            f"MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}")
