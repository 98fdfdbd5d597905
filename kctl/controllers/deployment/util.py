"""Pure Deployment helpers, named after ``pkg/controller/deployment/util/deployment_util.go``
(and the ReplicaSet sorters of ``pkg/controller/controller_utils.go``).

Objects are JSON-shaped dicts read from the snapshot; nothing here mutates its arguments
except the ``set_*`` helpers, which mutate the working copy they are given (as upstream's do).
Missing fields take their apps/v1 defaults (replicas 1, RollingUpdate 25%/25%,
revisionHistoryLimit 10, progressDeadlineSeconds 600) so unit tests need not default objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .hash import compute_hash  # noqa: F401  (re-exported: controller.ComputeHash)

# Annotations (deployment_util.go)
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to"
LAST_APPLIED_CONFIG_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = "pod-template-hash"

#: ``annotationsToSkip``: never copied from a Deployment to its ReplicaSets (nor back by undo).
ANNOTATIONS_TO_SKIP = frozenset({
    LAST_APPLIED_CONFIG_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO,
})

#: ``maxRevHistoryLengthInChars`` (deployment_controller.go).
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000
#: ``math.MaxInt32``: a progressDeadlineSeconds of this value means "no deadline".
MAX_INT32 = 2**31 - 1

ROLLING_UPDATE = "RollingUpdate"
RECREATE = "Recreate"


# --- field access with apps/v1 defaults -------------------------------------------------

def meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def spec_replicas(obj: dict | None) -> int:
    """``*(obj.Spec.Replicas)``; apps/v1 defaults a missing value to 1."""
    if obj is None:
        return 0
    value = (obj.get("spec") or {}).get("replicas")
    return 1 if value is None else int(value)


def status_int(obj: dict | None, field: str) -> int:
    if obj is None:
        return 0
    return int((obj.get("status") or {}).get(field) or 0)


def strategy_type(d: dict) -> str:
    return ((d.get("spec") or {}).get("strategy") or {}).get("type") or ROLLING_UPDATE


def is_rolling_update(d: dict) -> bool:
    return strategy_type(d) == ROLLING_UPDATE


def min_ready_seconds(obj: dict) -> int:
    return int((obj.get("spec") or {}).get("minReadySeconds") or 0)


def revision_history_limit(d: dict) -> int | None:
    value = (d.get("spec") or {}).get("revisionHistoryLimit", 10)
    return None if value is None else int(value)


def progress_deadline_seconds(d: dict) -> int | None:
    value = (d.get("spec") or {}).get("progressDeadlineSeconds", 600)
    return None if value is None else int(value)


def has_progress_deadline(d: dict) -> bool:
    value = progress_deadline_seconds(d)
    return value is not None and value != MAX_INT32


def has_revision_history_limit(d: dict) -> bool:
    value = revision_history_limit(d)
    return value is not None and value != MAX_INT32


def creation_key(obj: dict) -> tuple[str, str]:
    """``ReplicaSetsByCreationTimestamp``: creationTimestamp (zero first), then name."""
    m = meta(obj)
    return (m.get("creationTimestamp") or "", m.get("name", ""))


# --- fenceposts --------------------------------------------------------------------------

def get_scaled_value_from_int_or_percent(value: int | str | None, total: int, round_up: bool) -> int:
    """``intstr.GetScaledValueFromIntOrPercent``; a non-percent string parses as an integer."""
    if value is None:
        value = 0
    if isinstance(value, bool):
        raise ValueError(f"invalid value for IntOrString: invalid type: {value!r}")
    if isinstance(value, int):
        return value
    text = str(value)
    is_percent = text.endswith("%")
    if is_percent:
        text = text[:-1]
    try:
        v = int(text)
    except ValueError:
        raise ValueError(f'invalid value for IntOrString: invalid value "{value}"') from None
    if not is_percent:
        return v
    scaled = float(v) * float(total) / 100
    return int(math.ceil(scaled) if round_up else math.floor(scaled))


def _rolling_params(d: dict) -> tuple[int | str, int | str]:
    ru = ((d.get("spec") or {}).get("strategy") or {}).get("rollingUpdate") or {}
    return ru.get("maxSurge", "25%"), ru.get("maxUnavailable", "25%")


def resolve_fenceposts(max_surge: int | str | None, max_unavailable: int | str | None, desired: int) -> tuple[int, int]:
    """``ResolveFenceposts``: surge rounds up, unavailability down; 0/0 -> unavailable 1."""
    surge = get_scaled_value_from_int_or_percent(max_surge, desired, True)
    unavailable = get_scaled_value_from_int_or_percent(max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_surge(d: dict) -> int:
    if not is_rolling_update(d):
        return 0
    surge, _ = resolve_fenceposts(*_rolling_params(d), spec_replicas(d))
    return surge


def max_unavailable(d: dict) -> int:
    replicas = spec_replicas(d)
    if not is_rolling_update(d) or replicas == 0:
        return 0
    _, unavailable = resolve_fenceposts(*_rolling_params(d), replicas)
    return min(unavailable, replicas)


def min_available(d: dict) -> int:
    if not is_rolling_update(d):
        return 0
    return spec_replicas(d) - max_unavailable(d)


# --- replica counts ----------------------------------------------------------------------

def get_replica_count_for_replica_sets(rss: Iterable[dict | None]) -> int:
    """Σ spec.replicas."""
    return sum(spec_replicas(rs) for rs in rss if rs is not None)


def get_actual_replica_count_for_replica_sets(rss: Iterable[dict | None]) -> int:
    """Σ status.replicas."""
    return sum(status_int(rs, "replicas") for rs in rss if rs is not None)


def get_ready_replica_count_for_replica_sets(rss: Iterable[dict | None]) -> int:
    return sum(status_int(rs, "readyReplicas") for rs in rss if rs is not None)


def get_available_replica_count_for_replica_sets(rss: Iterable[dict | None]) -> int:
    return sum(status_int(rs, "availableReplicas") for rs in rss if rs is not None)


def filter_active_replica_sets(rss: Iterable[dict | None]) -> list[dict]:
    """``controller.FilterActiveReplicaSets``: spec.replicas > 0."""
    return [rs for rs in rss if rs is not None and spec_replicas(rs) > 0]


def new_rs_new_replicas(d: dict, all_rss: Iterable[dict | None], new_rs: dict) -> int:
    """``NewRSNewReplicas``: the new RS size one rolling step may reach."""
    if not is_rolling_update(d):
        return spec_replicas(d)
    replicas = spec_replicas(d)
    current_pod_count = get_replica_count_for_replica_sets(all_rss)
    max_total_pods = replicas + max_surge(d)
    if current_pod_count >= max_total_pods:
        return spec_replicas(new_rs)
    scale_up_count = max_total_pods - current_pod_count
    scale_up_count = min(scale_up_count, replicas - spec_replicas(new_rs))
    return spec_replicas(new_rs) + scale_up_count


# --- revisions and annotations -----------------------------------------------------------

def annotations(obj: dict) -> dict:
    return meta(obj).get("annotations") or {}


def revision(obj: dict) -> int:
    """``deploymentutil.Revision``; raises ValueError when the annotation is not an integer
    (a missing annotation is revision 0)."""
    value = annotations(obj).get(REVISION_ANNOTATION)
    if value is None:
        return 0
    return int(value)


def _revision_or_zero(obj: dict) -> int:
    try:
        return revision(obj)
    except ValueError:
        return 0


def max_revision(rss: Iterable[dict | None]) -> int:
    """``MaxRevision``: unparsable revisions are skipped."""
    best = 0
    for rs in rss:
        if rs is not None:
            best = max(best, _revision_or_zero(rs))
    return best


def last_revision(rss: Iterable[dict | None]) -> int:
    """``LastRevision``: the second highest revision."""
    max_rev = second = 0
    for rs in rss:
        if rs is None:
            continue
        v = _revision_or_zero(rs)
        if v >= max_rev:
            second, max_rev = max_rev, v
        elif v > second:
            second = v
    return second


def _int_annotation(rs: dict, key: str) -> tuple[int, bool]:
    value = annotations(rs).get(key)
    if value is None:
        return 0, False
    try:
        return int(value), True
    except ValueError:
        return 0, False


def get_desired_replicas_annotation(rs: dict) -> tuple[int, bool]:
    return _int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)


def get_max_replicas_annotation(rs: dict) -> tuple[int, bool]:
    return _int_annotation(rs, MAX_REPLICAS_ANNOTATION)


def replicas_annotations_need_update(rs: dict, desired: int, max_replicas: int) -> bool:
    ann = annotations(rs)
    return ann.get(DESIRED_REPLICAS_ANNOTATION) != str(desired) or ann.get(MAX_REPLICAS_ANNOTATION) != str(max_replicas)


def set_replicas_annotations(ann: dict, desired: int, max_replicas: int) -> bool:
    """``SetReplicasAnnotations`` on an annotations dict (mutated)."""
    updated = False
    if ann.get(DESIRED_REPLICAS_ANNOTATION) != str(desired):
        ann[DESIRED_REPLICAS_ANNOTATION] = str(desired)
        updated = True
    if ann.get(MAX_REPLICAS_ANNOTATION) != str(max_replicas):
        ann[MAX_REPLICAS_ANNOTATION] = str(max_replicas)
        updated = True
    return updated


def copy_deployment_annotations_to_replica_set(d: dict, rs_ann: dict) -> bool:
    """``copyDeploymentAnnotationsToReplicaSet`` into ``rs_ann`` (mutated)."""
    changed = False
    for k, v in annotations(d).items():
        if k in ANNOTATIONS_TO_SKIP or rs_ann.get(k) == v and k in rs_ann:
            continue
        rs_ann[k] = v
        changed = True
    return changed


def set_new_replica_set_annotations(d: dict, rs_ann: dict, new_revision: str, exists: bool,
                                    rev_history_limit_in_chars: int = MAX_REV_HISTORY_LENGTH_IN_CHARS) -> bool:
    """``SetNewReplicaSetAnnotations`` on the new RS's annotations dict (mutated): copy the
    deployment's annotations, raise the revision (keeping the former one in
    revision-history when the RS is reused by a rollback), and on creation record the
    desired/max replicas."""
    changed = copy_deployment_annotations_to_replica_set(d, rs_ann)
    old_revision = rs_ann.get(REVISION_ANNOTATION)
    had_revision = old_revision is not None
    try:
        old_revision_int = int(old_revision) if old_revision else 0
    except ValueError:
        return False
    new_revision_int = int(new_revision)
    if old_revision_int < new_revision_int:
        rs_ann[REVISION_ANNOTATION] = new_revision
        changed = True
    if had_revision and old_revision_int < new_revision_int:
        history = rs_ann.get(REVISION_HISTORY_ANNOTATION, "")
        old_revisions = history.split(",")
        if not old_revisions[0]:
            rs_ann[REVISION_HISTORY_ANNOTATION] = old_revision
        else:
            total_len = len(history) + len(old_revision) + 1
            start = 0
            while total_len > rev_history_limit_in_chars and start < len(old_revisions):
                total_len -= len(old_revisions[start]) + 1
                start += 1
            if total_len <= rev_history_limit_in_chars:
                rs_ann[REVISION_HISTORY_ANNOTATION] = ",".join([*old_revisions[start:], old_revision])
    if not exists and set_replicas_annotations(rs_ann, spec_replicas(d), spec_replicas(d) + max_surge(d)):
        changed = True
    return changed


# --- finding the new and old ReplicaSets -------------------------------------------------

def _meta_without_labels(m: dict | None) -> dict:
    return {k: v for k, v in (m or {}).items() if k != "labels" and v is not None and v != {}}


def equal_ignore_hash(template1: dict | None, template2: dict | None) -> bool:
    """``EqualIgnoreHash``: pod templates equal ignoring the pod-template-hash label
    (null/empty metadata fields compare as absent, as Go's zero values do)."""
    t1, t2 = template1 or {}, template2 or {}
    if (t1.get("spec") or {}) != (t2.get("spec") or {}):
        return False
    m1, m2 = t1.get("metadata") or {}, t2.get("metadata") or {}
    l1 = {k: v for k, v in (m1.get("labels") or {}).items() if k != DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY}
    l2 = {k: v for k, v in (m2.get("labels") or {}).items() if k != DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY}
    return l1 == l2 and _meta_without_labels(m1) == _meta_without_labels(m2)


def template(obj: dict) -> dict:
    return (obj.get("spec") or {}).get("template") or {}


def find_new_replica_set(d: dict, rs_list: Iterable[dict]) -> dict | None:
    """``FindNewReplicaSet``: the oldest RS whose template equals the deployment's."""
    tmpl = template(d)
    for rs in sorted(rs_list, key=creation_key):
        if equal_ignore_hash(template(rs), tmpl):
            return rs
    return None


def find_old_replica_sets(d: dict, rs_list: list[dict], new_rs: dict | None = ...) -> tuple[list[dict], list[dict]]:
    """``FindOldReplicaSets``: (old RSs with spec.replicas != 0, all old RSs)."""
    if new_rs is ...:
        new_rs = find_new_replica_set(d, rs_list)
    new_uid = meta(new_rs).get("uid") if new_rs is not None else None
    required, all_old = [], []
    for rs in rs_list:
        if new_rs is not None and (rs is new_rs or meta(rs).get("uid") == new_uid and new_uid):
            continue
        all_old.append(rs)
        if spec_replicas(rs) != 0:
            required.append(rs)
    return required, all_old


def find_active_or_latest(new_rs: dict | None, old_rss: list[dict]) -> dict | None:
    """``FindActiveOrLatest``: the only active RS, else (none active) the new or newest one."""
    if new_rs is None and not old_rss:
        return None
    old_sorted = sorted(old_rss, key=creation_key, reverse=True)
    active = filter_active_replica_sets([*old_sorted, new_rs])
    if len(active) == 0:
        return new_rs if new_rs is not None else old_sorted[0]
    if len(active) == 1:
        return active[0]
    return None


def is_saturated(d: dict, rs: dict | None) -> bool:
    """``IsSaturated``: the RS runs (and has available) exactly the deployment's replicas."""
    if rs is None:
        return False
    desired, ok = get_desired_replicas_annotation(rs)
    if not ok:
        return False
    replicas = spec_replicas(d)
    return spec_replicas(rs) == replicas and desired == replicas and status_int(rs, "availableReplicas") == replicas


# --- proportional scaling ----------------------------------------------------------------

def round_half_away(x: float) -> int:
    """Go's ``math.Round`` (half away from zero); Python's ``round`` is banker's rounding."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def get_replica_set_fraction(rs: dict, d: dict) -> int:
    """``getReplicaSetFraction``: how many replicas ``rs`` gains (or loses) when the deployment
    goes from the size recorded in the RS's max-replicas annotation to replicas + maxSurge."""
    if spec_replicas(d) == 0:
        return -spec_replicas(rs)
    deployment_max_replicas = spec_replicas(d) + max_surge(d)
    before, ok = get_max_replicas_annotation(rs)
    if not ok or before == 0:
        # Fall back to the current deployment size (upstream); with that also 0 there is no
        # basis for a proportion: kctl adds nothing rather than dividing by zero.
        before = status_int(d, "replicas")
        if before == 0:
            return 0
    new_rs_size = float(spec_replicas(rs) * deployment_max_replicas) / float(before)
    return round_half_away(new_rs_size) - spec_replicas(rs)


def get_proportion(rs: dict | None, d: dict, to_add: int, added: int) -> int:
    """``GetProportion``: the RS's share of ``to_add``, bounded by what is left to add/remove."""
    if rs is None or spec_replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = get_replica_set_fraction(rs, d)
    allowed = to_add - added
    if to_add > 0:
        return min(fraction, allowed)
    return max(fraction, allowed)


def replica_sets_by_size_newer_key(rs: dict):
    """``ReplicaSetsBySizeNewer``: larger first; same size -> newer first (name descending)."""
    ts, name = creation_key(rs)
    return (-spec_replicas(rs), _Desc(ts), _Desc(name))


def replica_sets_by_size_older_key(rs: dict):
    """``ReplicaSetsBySizeOlder``: larger first; same size -> older first."""
    return (-spec_replicas(rs), *creation_key(rs))


class _Desc:
    __slots__ = ("v",)

    def __init__(self, v: str):
        self.v = v

    def __lt__(self, other: _Desc) -> bool:
        return self.v > other.v

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.v == other.v


def replica_sets_by_revision_key(rs: dict):
    """``ReplicaSetsByRevision``: revision ascending, then creationTimestamp/name."""
    return (_revision_or_zero(rs), *creation_key(rs))


# --- completeness / progress -------------------------------------------------------------

def deployment_complete(d: dict, new_status: dict) -> bool:
    """``DeploymentComplete``: every replica updated and available, generation observed."""
    replicas = spec_replicas(d)
    return (int(new_status.get("updatedReplicas") or 0) == replicas
            and int(new_status.get("replicas") or 0) == replicas
            and int(new_status.get("availableReplicas") or 0) == replicas
            and int(new_status.get("observedGeneration") or 0) >= int(meta(d).get("generation") or 0))


def deployment_progressing(d: dict, new_status: dict) -> bool:
    """``DeploymentProgressing``: more updated, fewer old, more ready or more available."""
    old = d.get("status") or {}

    def g(s: dict, k: str) -> int:
        return int(s.get(k) or 0)

    old_old = g(old, "replicas") - g(old, "updatedReplicas")
    new_old = g(new_status, "replicas") - g(new_status, "updatedReplicas")
    return (g(new_status, "updatedReplicas") > g(old, "updatedReplicas") or new_old < old_old
            or g(new_status, "readyReplicas") > g(old, "readyReplicas")
            or g(new_status, "availableReplicas") > g(old, "availableReplicas"))
