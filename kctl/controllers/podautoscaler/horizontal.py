"""The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go,
Kubernetes 1.34): ``reconcileAutoscaler`` for every HPA, once per sync period.

The runner gives the control loops fresh instances at every 15 s step (the HPA's
``--horizontal-pod-autoscaler-sync-period``); within one step an instance acts once per HPA.
It reads the target's scale (Deployment, ReplicaSet, StatefulSet, ReplicationController:
``spec.replicas``, ``status.replicas`` and the selector), the pods and their metrics, writes
the target's ``spec.replicas`` (the scale subresource: nothing else changes) and the HPA's
status, and records upstream's events. What upstream keeps in memory between syncs (the
recommendations and scale events behind stabilization and rate limits) is kept on the HPA
(``history.py``). As upstream 1.34 does, ``status.observedGeneration`` is not written.
"""

from __future__ import annotations

from datetime import datetime

from kctl.controllers.base import Plan, rfc3339
from kctl.controllers.podautoscaler import behavior as bh
from kctl.controllers.podautoscaler import history as hist
from kctl.controllers.podautoscaler import metrics as mc
from kctl.controllers.podautoscaler import replica_calculator as rc
from kctl.controllers.podautoscaler.conditions import (
    ABLE_TO_SCALE,
    SCALING_ACTIVE,
    SCALING_LIMITED,
    set_condition,
)

HPAS = "horizontalpodautoscalers.autoscaling"
COMPONENT = "horizontal-pod-autoscaler"
#: Resources that serve the scale subresource.
SCALABLE = {"deployments.apps", "replicasets.apps", "statefulsets.apps", "replicationcontrollers"}


class _Failure(Exception):
    """A failed step; ``str()`` is upstream's error text."""


class _MetricError(Exception):
    """One metric could not be computed: the ScalingActive condition it would set and the
    error text ``computeReplicasForMetric`` returns."""

    def __init__(self, condition: tuple[str, str], text: str):
        super().__init__(text)
        self.condition = condition


def _quantity(milli: int) -> str:
    """``resource.NewMilliQuantity(v, DecimalSI).String()``."""
    from kctl.api.quantity import Quantity

    return str(Quantity.from_milli(milli))


def _milli(value: object) -> int:
    from kctl.controllers.podautoscaler.values import milli_value

    return milli_value(value)


def _identifier(metric: dict) -> dict:
    out = {"name": metric.get("name", "")}
    if metric.get("selector") is not None:
        out["selector"] = metric["selector"]
    return out


class HorizontalController:
    """``HorizontalController``: each HPA once per instance (one sync period)."""

    name = "horizontal-pod-autoscaler"

    def __init__(self) -> None:
        self._synced: set[tuple[str, str]] = set()

    def sync(self, cluster, now: datetime):
        plan = Plan()
        pods = PodsByLabel(cluster)  # the view does not change while one sync runs
        for hpa in cluster.list(HPAS):
            meta = hpa.get("metadata") or {}
            key = (meta.get("namespace") or "", meta.get("name", ""))
            if key in self._synced:
                continue
            self._synced.add(key)
            if meta.get("deletionTimestamp"):
                continue
            Reconciler(cluster, hpa, now, plan, pods).reconcile()
        return plan.actions


class PodsByLabel:
    """The pod lister's selection, for many selectors over one unchanging view: the pods of a
    namespace indexed by label pair, so that a selector pinning a label to one value is
    matched against the pods carrying that pair instead of every pod of the namespace. The
    answer is the same pods in the same (list) order as filtering the whole list."""

    def __init__(self, cluster):
        self.cluster = cluster
        self._index: dict[str, dict[tuple[str, str], list[dict]]] = {}

    def select(self, namespace: str, selector) -> list[dict]:
        from kctl.api.labels import DOUBLE_EQUALS, EQUALS, IN

        for r in selector.requirements:
            if r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1:  # every selected pod has this pair
                candidates = self._by_label(namespace).get((r.key, r.values[0]), ())
                break
        else:
            candidates = self.cluster.list("pods", namespace)
        return [p for p in candidates if selector.matches((p.get("metadata") or {}).get("labels") or {})]

    def _by_label(self, namespace: str) -> dict[tuple[str, str], list[dict]]:
        index = self._index.get(namespace)
        if index is None:
            index = self._index[namespace] = {}
            for pod in self.cluster.list("pods", namespace):
                for pair in ((pod.get("metadata") or {}).get("labels") or {}).items():
                    if type(pair[1]) is str:
                        index.setdefault(pair, []).append(pod)
        return index


class Reconciler:
    """One ``reconcileAutoscaler`` call."""

    def __init__(self, cluster, hpa: dict, now: datetime, plan: Plan, pods: PodsByLabel | None = None):
        self.cluster, self.hpa, self.now, self.plan = cluster, hpa, now, plan
        self.pods = pods if pods is not None else PodsByLabel(cluster)
        self.spec = hpa.get("spec") or {}
        self.namespace = (hpa.get("metadata") or {}).get("namespace") or "default"
        self.original_status = hpa.get("status") or {}
        self.status = dict(self.original_status)
        self.conditions = list(self.status.get("conditions") or [])
        self.history = hist.load(hpa)
        self.now_text = rfc3339(now)

    # -- helpers ------------------------------------------------------------------------------
    def event(self, type_: str, reason: str, message: str) -> None:
        self.plan.event(self.hpa, type_, reason, message, COMPONENT)

    def condition(self, type_: str, status: str, reason: str, message: str) -> None:
        self.conditions = set_condition(self.conditions, type_, status, reason, message, self.now_text)

    def unable_to_compute(self, reason: str, err: str) -> tuple[str, str]:
        """``getUnableComputeReplicaCountCondition``: a Warning event and the condition."""
        self.event("Warning", reason, err)
        return reason, f"the HPA was unable to compute the replica count: {err}"

    def set_status(self, current: int, desired: int, metric_statuses: list | None, rescale: bool) -> None:
        status: dict = {}
        if current:
            status["currentReplicas"] = current
        status["desiredReplicas"] = desired
        last = self.status.get("lastScaleTime")
        if rescale:
            last = self.now_text
        if last:
            status["lastScaleTime"] = last
        if metric_statuses:
            status["currentMetrics"] = metric_statuses
        if self.conditions:
            status["conditions"] = self.conditions
        self.status = status

    def update_status_if_needed(self) -> None:
        meta = self.hpa.get("metadata") or {}
        annotations = hist.dump(self.history, meta.get("annotations"))
        if self.status == self.original_status and annotations == (meta.get("annotations") or {}):
            return
        self.plan.update_status({**self.hpa, "metadata": {**meta, "annotations": annotations}, "status": self.status})

    def fail_get_scale(self, err: str) -> None:
        self.event("Warning", "FailedGetScale", err)
        self.condition(ABLE_TO_SCALE, "False", "FailedGetScale",
                       f"the HPA controller was unable to get the target's current scale: {err}")
        self.status = {**self.status, "conditions": self.conditions}
        self.update_status_if_needed()

    # -- the scale subresource ----------------------------------------------------------------
    def target(self) -> tuple[object, dict]:
        from kctl.api import registry

        ref = self.spec.get("scaleTargetRef") or {}
        api_version, kind, name = ref.get("apiVersion", ""), ref.get("kind", ""), ref.get("name", "")
        if api_version.count("/") > 1:
            raise _Failure(f"unexpected GroupVersion string: {api_version}")
        group = api_version.split("/")[0] if "/" in api_version else ""
        rt = next((r for r in registry.RESOURCES if r.group == group and r.kind == kind), None)
        if rt is None:
            raise _Failure(f'no matches for kind "{kind}" in group "{group}"')
        if rt.group_resource not in SCALABLE:
            raise _Failure("the server could not find the requested resource")
        obj = self.cluster.get(rt.group_resource, self.namespace, name)
        if obj is None:
            raise _Failure(f'{rt.group_resource} "{name}" not found')
        return rt, obj

    # -- reconcileAutoscaler ------------------------------------------------------------------
    def reconcile(self) -> None:
        try:
            rt, target = self.target()
        except _Failure as e:
            self.fail_get_scale(str(e))
            return
        self.condition(ABLE_TO_SCALE, "True", "SucceededGetScale",
                       "the HPA controller was able to get the target's current scale")
        target_spec = target.get("spec") or {}
        current = int(target_spec.get("replicas", 1) if target_spec.get("replicas") is not None else 1)
        if not self.history.known:  # recordInitialRecommendation
            self.history.recommendations = [bh.Recommendation(current, self.now)]
            self.history.known = True

        min_replicas = self.spec.get("minReplicas")
        min_replicas = 1 if min_replicas is None else int(min_replicas)
        max_replicas = int(self.spec.get("maxReplicas") or 0)
        metric_statuses: list | None = None
        desired = 0
        reason = ""
        rescale = True
        if current == 0 and min_replicas != 0:
            desired, rescale = 0, False
            self.condition(SCALING_ACTIVE, "False", "ScalingDisabled",
                           "scaling is disabled since the replica count of the target is zero")
        elif current > max_replicas:
            reason, desired = "Current number of replicas above Spec.MaxReplicas", max_replicas
        elif current < min_replicas:
            reason, desired = "Current number of replicas below Spec.MinReplicas", min_replicas
        else:
            result = self.compute_replicas_for_metrics(target, current)
            if result is None:
                return
            metric_desired, metric_name, metric_statuses = result
            rescale_metric = ""
            if metric_desired > desired:
                desired, rescale_metric = metric_desired, metric_name
            if desired > current:
                reason = f"{rescale_metric} above target"
            if desired < current:
                reason = "All metrics below target"
            if self.spec.get("behavior") is None:
                desired = self.normalize_desired_replicas(current, desired, min_replicas, max_replicas)
            else:
                desired = self.normalize_desired_replicas_with_behaviors(current, desired, min_replicas, max_replicas)
            rescale = desired != current

        if rescale:
            scaled = {**target, "spec": {**target_spec, "replicas": desired}}
            self.plan.update(scaled)
            self.condition(ABLE_TO_SCALE, "True", "SucceededRescale",
                           f"the HPA controller was able to update the target scale to {desired}")
            self.event("Normal", "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
            up, down = bh.store_scale_event(self.history.scale_up_events, self.history.scale_down_events,
                                            self.spec.get("behavior"), current, desired, self.now)
            self.history.scale_up_events, self.history.scale_down_events = up, down
        else:
            desired = current
        self.set_status(current, desired, metric_statuses, rescale)
        self.update_status_if_needed()

    # -- normalization ------------------------------------------------------------------------
    def normalize_desired_replicas(self, current: int, desired: int, min_replicas: int, max_replicas: int) -> int:
        stabilized, self.history.recommendations = bh.stabilize_recommendation(
            self.history.recommendations, desired, self.now)
        if stabilized != desired:
            self.condition(ABLE_TO_SCALE, "True", *bh.SCALE_DOWN_STABILIZED)
        else:
            self.condition(ABLE_TO_SCALE, "True", *bh.READY_FOR_NEW_SCALE)
        result, reason, message = bh.convert_desired_replicas_with_rules(current, stabilized, min_replicas, max_replicas)
        self.condition(SCALING_LIMITED, "False" if result == stabilized else "True", reason, message)
        return result

    def normalize_desired_replicas_with_behaviors(self, current: int, desired: int, min_replicas: int,
                                                  max_replicas: int) -> int:
        from kctl.api.defaulting.other import HPA_SCALE_DOWN, HPA_SCALE_UP

        behavior = self.spec.get("behavior") or {}
        scale_up = behavior.get("scaleUp") or HPA_SCALE_UP
        scale_down = behavior.get("scaleDown") or HPA_SCALE_DOWN
        stabilized, reason, message, self.history.recommendations = bh.stabilize_recommendation_with_behaviors(
            self.history.recommendations, current, desired, scale_up, scale_down, self.now)
        if stabilized != desired:
            self.condition(ABLE_TO_SCALE, "True", reason, message)
        else:
            self.condition(ABLE_TO_SCALE, "True", *bh.READY_FOR_NEW_SCALE)
        result, reason, message = bh.convert_desired_replicas_with_behavior_rate(
            current, stabilized, min_replicas, max_replicas, scale_up, scale_down,
            self.history.scale_up_events, self.history.scale_down_events, self.now)
        self.condition(SCALING_LIMITED, "False" if result == stabilized else "True", reason, message)
        return result

    # -- metrics ------------------------------------------------------------------------------
    def selected_pods(self, target: dict) -> tuple[list[dict] | None, str]:
        """``validateAndParseSelector`` and the pod list: (pods, "") or (None, error)."""
        from kctl.api.labels import LabelSelectorError, selector_from_label_selector

        spec = target.get("spec") or {}
        raw = spec.get("selector")
        if target.get("kind") == "ReplicationController":
            raw = {"matchLabels": raw} if raw else None
        try:
            selector = selector_from_label_selector(raw) if raw else None
        except LabelSelectorError as e:
            msg = f"couldn't convert selector into a corresponding internal selector object: {e}"
            self.event("Warning", "InvalidSelector", msg)
            self.condition(SCALING_ACTIVE, "False", "InvalidSelector", msg)
            return None, msg
        if selector is None or selector.empty():
            self.event("Warning", "SelectorRequired", "selector is required")
            self.condition(SCALING_ACTIVE, "False", "InvalidSelector", "the HPA target's scale is missing a selector")
            return None, "selector is required"
        return self.pods.select(self.namespace, selector), ""

    def compute_replicas_for_metrics(self, target: dict, current: int) -> tuple[int, str, list] | None:
        """``computeReplicasForMetrics``: the largest proposal; None after reporting that
        every metric failed (or some failed and the others would scale down)."""
        pods, selector_error = self.selected_pods(target)
        metric_specs = self.spec.get("metrics") or []
        if pods is None:
            self.fail_compute([], current, selector_error)
            return None
        status_replicas = int((target.get("status") or {}).get("replicas") or 0)
        statuses: list[dict] = [{"type": ""} for _ in metric_specs]
        replicas, metric = 0, ""
        invalid, first_error, first_condition = 0, "", None
        for i, spec in enumerate(metric_specs):
            try:
                proposal, name, status = self.compute_replicas_for_metric(spec, current, status_replicas, pods)
            except _MetricError as e:
                if invalid <= 0:
                    first_condition, first_error = e.condition, str(e)
                invalid += 1
                continue
            statuses[i] = status
            if replicas == 0 or proposal > replicas:
                replicas, metric = proposal, name
        if invalid >= len(metric_specs) or (invalid > 0 and replicas < current):
            reason, message = first_condition if first_condition else ("", "")
            self.condition(SCALING_ACTIVE, "False", reason, message)
            err = f"invalid metrics ({invalid} invalid out of {len(metric_specs)}), first error is: {first_error}"
            self.fail_compute(statuses, current, err)
            return None
        self.condition(SCALING_ACTIVE, "True", "ValidMetricFound",
                       f"the HPA was able to successfully calculate a replica count from {metric}")
        return replicas, metric, statuses

    def fail_compute(self, statuses: list, current: int, err: str) -> None:
        """The failure path: status with the current replicas and metrics, then the
        FailedComputeMetricsReplicas event."""
        self.set_status(current, int(self.original_status.get("desiredReplicas") or 0), statuses, False)
        self.update_status_if_needed()
        self.event("Warning", "FailedComputeMetricsReplicas", err)

    def compute_replicas_for_metric(self, spec: dict, current: int, status_replicas: int,
                                    pods: list[dict]) -> tuple[int, str, dict]:
        kind = spec.get("type")
        if kind == "Resource":
            source = spec.get("resource") or {}
            res = source.get("name", "")
            try:
                replicas, current_value, name = self.resource_generic(current, source.get("target") or {}, res, "",
                                                                      pods, "Resource")
            except _Failure as e:
                cond = self.unable_to_compute("FailedGetResourceMetric", str(e))
                raise _MetricError(cond, f"failed to get {res} resource metric value: {e}") from None
            return replicas, name, {"type": "Resource", "resource": {"name": res, "current": current_value}}
        if kind == "ContainerResource":
            source = spec.get("containerResource") or {}
            res, container = source.get("name", ""), source.get("container", "")
            try:
                replicas, current_value, name = self.resource_generic(current, source.get("target") or {}, res,
                                                                      container, pods, "ContainerResource")
            except _Failure as e:
                cond = self.unable_to_compute("FailedGetContainerResourceMetric", str(e))
                raise _MetricError(cond, f"failed to get {container} container metric value: {e}") from None
            return replicas, name, {"type": "ContainerResource",
                                    "containerResource": {"name": res, "container": container,
                                                          "current": current_value}}
        if kind == "Pods":
            return self.pods_metric(spec.get("pods") or {}, current, pods)
        if kind == "Object":
            return self.object_metric(spec.get("object") or {}, current, status_replicas, pods)
        if kind == "External":
            return self.external_metric(spec.get("external") or {}, current, status_replicas, pods)
        err = f'unknown metric source type "{kind or ""}"'
        raise _MetricError(self.unable_to_compute("InvalidMetricSourceType", err), err)

    def resource_generic(self, current: int, target: dict, res: str, container: str, pods: list[dict],
                         source_type: str) -> tuple[int, dict, str]:
        """``computeStatusForResourceMetricGeneric``."""
        if target.get("averageValue") is not None:
            try:
                metrics = mc.resource_metrics(self.cluster, self.namespace, pods, res, container, self.now)
                replicas, raw = rc.plain_metric_replicas(current, _milli(target["averageValue"]), res, pods,
                                                         metrics, self.now)
            except mc.MetricsError as e:
                raise _Failure(f"failed to get {res} usage: unable to get metrics for resource {res}: {e}") from None
            except rc.CalculationError as e:
                raise _Failure(f"failed to get {res} usage: {e}") from None
            return replicas, {"averageValue": _quantity(raw)}, f"{res} resource"
        if target.get("averageUtilization") is None:
            raise _Failure("invalid resource metric source: neither an average utilization target nor an average "
                           "value (usage) target was set")
        try:
            metrics = mc.resource_metrics(self.cluster, self.namespace, pods, res, container, self.now)
            replicas, utilization, raw = rc.resource_replicas(current, int(target["averageUtilization"]), res, pods,
                                                              metrics, self.now, container)
        except mc.MetricsError as e:
            raise _Failure(f"failed to get {res} utilization: unable to get metrics for resource {res}: {e}") from None
        except rc.CalculationError as e:
            raise _Failure(f"failed to get {res} utilization: {e}") from None
        name = f"{res} resource utilization (percentage of request)"
        if source_type == "ContainerResource":
            name = f"{res} container resource utilization (percentage of request)"
        return replicas, {"averageUtilization": utilization, "averageValue": _quantity(raw)}, name

    def pods_metric(self, source: dict, current: int, pods: list[dict]) -> tuple[int, str, dict]:
        metric = source.get("metric") or {}
        name = metric.get("name", "")
        target = (source.get("target") or {}).get("averageValue")
        try:
            try:
                metrics = mc.pods_metrics(self.cluster, self.namespace, pods, name, self.now)
            except mc.MetricsError as e:
                raise _Failure(f"unable to get metric {name}: {e}") from None
            try:
                replicas, usage = rc.plain_metric_replicas(current, _milli(target or 0), "", pods, metrics, self.now)
            except rc.CalculationError as e:
                raise _Failure(str(e)) from None
        except _Failure as e:
            cond = self.unable_to_compute("FailedGetPodsMetric", str(e))
            raise _MetricError(cond, f"failed to get pods metric value: {e}") from None
        status = {"type": "Pods", "pods": {"metric": _identifier(metric), "current": {"averageValue": _quantity(usage)}}}
        return replicas, f"pods metric {name}", status

    def object_metric(self, source: dict, current: int, status_replicas: int,
                      pods: list[dict]) -> tuple[int, str, dict]:
        metric = source.get("metric") or {}
        name = metric.get("name", "")
        described = source.get("describedObject") or {}
        target = source.get("target") or {}

        def fetch() -> int:
            try:
                return mc.object_metric(self.cluster, self.namespace, described, name)
            except mc.MetricsError as e:
                # upstream's format string takes its arguments in this order
                raise _Failure(f"unable to get metric {name}: {described.get('kind', '')} on {self.namespace} "
                               f"{described.get('name', '')}/{e}") from None

        def status(current_value: dict) -> dict:
            return {"type": "Object", "object": {"describedObject": described, "metric": _identifier(metric),
                                                 "current": current_value}}

        if target.get("type") == "Value" and target.get("value") is not None:
            try:
                usage = fetch()
                ratio = float(usage) / float(_milli(target["value"]))
                try:
                    replicas = rc.usage_ratio_replicas(current, ratio, pods)
                except rc.CalculationError as e:
                    raise _Failure(str(e)) from None
            except _Failure as e:
                cond = self.unable_to_compute("FailedGetObjectMetric", str(e))
                raise _MetricError(cond, f"failed to get object metric value: {e}") from None
            return replicas, f"{described.get('kind', '')} metric {name}", status({"value": _quantity(usage)})
        if target.get("type") == "AverageValue" and target.get("averageValue") is not None:
            try:
                usage = fetch()
            except _Failure as e:
                cond = self.unable_to_compute("FailedGetObjectMetric", str(e))
                raise _MetricError(cond, f"failed to get object metric value: failed to get {name} object metric: "
                                         f"{e}") from None
            replicas, per_pod = rc.per_pod_replicas(status_replicas, usage, _milli(target["averageValue"]))
            label = f"external metric {name}({mc.go_label_selector(metric.get('selector'))})"
            return replicas, label, status({"averageValue": _quantity(per_pod)})
        err = "invalid object metric source: neither a value target nor an average value target was set"
        raise _MetricError(self.unable_to_compute("FailedGetObjectMetric", err),
                           f"failed to get object metric value: {err}")

    def external_metric(self, source: dict, current: int, status_replicas: int,
                        pods: list[dict]) -> tuple[int, str, dict]:
        from kctl.api.labels import LabelSelectorError

        metric = source.get("metric") or {}
        name = metric.get("name", "")
        selector = metric.get("selector")
        target = source.get("target") or {}
        label = f"external metric {name}({mc.go_label_selector(selector)})"

        def fetch() -> int:
            try:
                return sum(mc.external_metric(self.cluster, self.namespace, name, selector))
            except LabelSelectorError as e:
                raise _Failure(str(e)) from None
            except mc.MetricsError as e:
                raise _Failure(f"unable to get external metric {self.namespace}/{name}/"
                               f"{mc.go_label_selector(selector)}: {e}") from None

        def failed(e: _Failure) -> _MetricError:
            cond = self.unable_to_compute("FailedGetExternalMetric", str(e))
            return _MetricError(cond, f"failed to get {name} external metric value: failed to get {name} "
                                      f"external metric: {e}")

        def status(current_value: dict) -> dict:
            return {"type": "External", "external": {"metric": _identifier(metric), "current": current_value}}

        if target.get("averageValue") is not None:
            try:
                usage = fetch()
            except _Failure as e:
                raise failed(e) from None
            replicas, per_pod = rc.per_pod_replicas(status_replicas, usage, _milli(target["averageValue"]))
            return replicas, label, status({"averageValue": _quantity(per_pod)})
        if target.get("value") is not None:
            try:
                usage = fetch()
                ratio = float(usage) / float(_milli(target["value"]))
                try:
                    replicas = rc.usage_ratio_replicas(current, ratio, pods)
                except rc.CalculationError as e:
                    raise _Failure(str(e)) from None
            except _Failure as e:
                raise failed(e) from None
            return replicas, label, status({"value": _quantity(usage)})
        err = "invalid external metric source: neither a value target nor an average value target was set"
        raise _MetricError(self.unable_to_compute("FailedGetExternalMetric", err),
                           f"failed to get {name} external metric value: {err}")
