"""The API server's REST semantics over the store (k8s.io/apiserver/pkg/registry/generic/registry
``Store`` plus the handlers' decode/admission steps), for one store transaction.

Create, in upstream's order: decode (Secret ``stringData`` folded into ``data``; defaulting) ->
request namespace checks (``namespaces "x" not found``) -> mutating admission (Pods:
ServiceAccount, Priority, DefaultTolerationSeconds) -> BeforeCreate (generateName, status reset,
generation 1, uid, creationTimestamp) -> validation (``Invalid``) -> storage (``AlreadyExists``).

Update: optimistic concurrency on ``metadata.resourceVersion`` when given (``Conflict``); uid,
creationTimestamp, generation, deletionTimestamp come from the stored object; the main resource
cannot change status (kinds with a status subresource) and ``update_status`` cannot change
anything but status; generation moves when anything outside metadata/status changes (Deployment:
annotations too); an update that changes nothing writes nothing (same resourceVersion).

Delete: ``Background`` / ``Foreground`` / ``Orphan`` propagation through ownerReferences, done
synchronously by the garbage collector (``kctl.api.server.gc``); objects with finalizers only get
a ``deletionTimestamp`` and go once an update removes the last finalizer; deleting a Namespace
deletes everything in it. Returns the deleted objects.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from kctl.api import registry
from kctl.api.errors import (
    StatusError,
    new_already_exists,
    new_bad_request,
    new_conflict,
    new_forbidden,
    new_invalid,
    new_not_found,
)
from kctl.api.field import FieldError
from kctl.api.registry import ResourceType
from kctl.api.server import admission, strategy
from kctl.api.server.clock import Clock
from kctl.api.server.names import DEFAULT_SEED, META_SEED, generate_name, new_uid, random_string
from kctl.store.errors import KeyExists, KeyNotFound, ResourceVersionConflict

PROPAGATIONS = ("Background", "Foreground", "Orphan")

_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False).encode


def deep_copy(obj: Any) -> Any:
    """A copy of a JSON document (several times faster than copy.deepcopy)."""
    return json.loads(_encode(obj))

#: Imported on first use (validation and defaulting are heavy imports; CLI start-up is not).
_apply_defaults = None
_validation = None

#: Attempts at a free generated name (RetryGenerateName, GA in 1.32: up to 8 tries).
GENERATE_NAME_ATTEMPTS = 8

#: Finalizers the garbage collector itself handles (synchronously in kctl).
GC_FINALIZERS = ("orphan", "foregroundDeletion")


class APIServer:
    """REST operations on one store transaction (``Store.transaction()`` or ``snapshot()``)."""

    def __init__(self, tx, clock=None, *, validate: bool = True, admit: bool = True):
        self.tx = tx
        self.clock = clock or Clock(tx)
        self.validate = validate
        self.admit = admit
        self._namespaces: dict[str, bool] = {}
        #: Per-operation lookups that admission repeats for every Pod (a 10,000-pod apply).
        self._lookups: dict[tuple, Any] = {}

    # -- types --------------------------------------------------------------------------------

    @staticmethod
    def resource_type(ref: Any) -> ResourceType:
        """A ResourceType from a ResourceType, a resource name (``deploy``), or an object."""
        if isinstance(ref, ResourceType):
            return ref
        if isinstance(ref, str):
            return registry.resolve(ref)
        if not isinstance(ref, dict):
            raise new_bad_request(f"cannot decode {type(ref).__name__} as an object")
        api_version, kind = ref.get("apiVersion"), ref.get("kind")
        if not kind:
            raise new_bad_request("Object 'Kind' is missing in object")
        if not api_version:
            raise new_bad_request("Object 'apiVersion' is missing in object")
        rt = registry.for_kind(api_version, kind)
        if rt is None:
            raise StatusError("NotFound", "the server could not find the requested resource")
        return rt

    # -- reads --------------------------------------------------------------------------------

    def get(self, rt: Any, namespace: str | None, name: str) -> dict:
        rt = self.resource_type(rt)
        ns = (namespace or "default") if rt.namespaced else ""
        obj = self.tx.get(rt.group, rt.name, ns, name)
        if obj is None:
            raise new_not_found(rt, name)
        return obj

    def try_get(self, rt: Any, namespace: str | None, name: str) -> dict | None:
        rt = self.resource_type(rt)
        return self.tx.get(rt.group, rt.name, (namespace or "default") if rt.namespaced else "", name)

    def list(self, rt: Any, namespace: str | None = None) -> list[dict]:
        """Objects of ``rt`` in ``namespace`` (``None``: all namespaces), in etcd key order."""
        rt = self.resource_type(rt)
        return self.tx.list(rt.group, rt.name, namespace if rt.namespaced else None)

    # -- create -------------------------------------------------------------------------------

    def create(
        self, obj: dict, dry_run: bool = False, namespace: str | None = None, *, copy: bool = True,
        shared: bool = False,
    ) -> dict:
        """Create ``obj`` (not modified); returns the object as stored.

        ``namespace`` is the request's namespace (``-n``); the object's own namespace wins
        when the request has none, and a mismatch is a BadRequest. ``copy=False``: the caller
        hands ``obj`` over (a fresh JSON document nothing else refers to, as a decoded request
        body is); the server then defaults and stores that dict instead of a copy of it.
        ``shared=True``: the caller treats the returned object as read-only (the control-plane
        pass's view), so the store may keep that very object as its staged state.
        """
        rt = self.resource_type(obj)
        if copy:
            obj = deep_copy(obj)
        md = _metadata(obj)
        self._decode(rt, obj)

        ns = self._request_namespace(rt, md, namespace)
        if rt.namespaced:
            self._check_namespace_for_create(rt, md, ns)

        if self.admit and rt.group == "" and rt.kind == "Pod":
            self._admit_pod(obj, ns)
        elif self.admit and (rt.group, rt.kind) == ("networking.k8s.io", "Ingress"):
            admission.default_ingress_class(obj, lambda: self.tx.list("networking.k8s.io", "ingressclasses"))

        self._before_create(rt, obj)
        if (rt.group, rt.kind) == ("", "Service"):
            obj = self._allocate_service(obj, None)
            md = obj["metadata"]
        if self.validate:
            self._validate(rt, obj, None)

        name = md.get("name")
        for attempt in range(GENERATE_NAME_ATTEMPTS):
            if dry_run:
                if self.tx.get(rt.group, rt.name, ns, md["name"]) is None:
                    return obj
            else:
                try:
                    self.tx.create(rt.group, rt.name, obj, shared=shared)
                    self._forget(rt)
                    if rt.group == "" and rt.kind == "Namespace":
                        self._namespaces[md["name"]] = True
                    return obj
                except KeyExists:
                    pass
            if name or not md.get("generateName"):
                break
            md["name"] = generate_name(md["generateName"], self._seed(), self.tx.resource_version, attempt + 1)
        raise new_already_exists(rt, md["name"])

    def _decode(self, rt: ResourceType, obj: dict) -> None:
        """What decoding the request body does: version conversion quirks, then defaulting."""
        if rt.group == "" and rt.kind == "Secret":
            fold_string_data(obj)
        elif rt.group == "autoscaling" and obj.get("apiVersion") == "autoscaling/v1":
            from kctl.controllers.podautoscaler.conversion import convert_v1_to_v2_in_place

            convert_v1_to_v2_in_place(obj)
        global _apply_defaults
        if _apply_defaults is None:
            try:
                from kctl.api.defaulting import apply_defaults as _apply_defaults
            except ImportError:  # pragma: no cover - defaulting ships with the server
                return
        _apply_defaults(obj)

    def _request_namespace(self, rt: ResourceType, md: dict, request_ns: str | None) -> str:
        """EnsureObjectNamespaceMatchesRequestNamespace."""
        if not rt.namespaced:
            md.pop("namespace", None)
            return ""
        obj_ns = md.get("namespace") or ""
        request_ns = request_ns or ""
        if obj_ns and request_ns and obj_ns != request_ns:
            raise new_bad_request("the namespace of the provided object does not match the namespace sent on the request")
        ns = obj_ns or request_ns or "default"
        md["namespace"] = ns
        return ns

    def namespace_exists(self, namespace: str) -> bool:
        if namespace not in self._namespaces:
            self._namespaces[namespace] = self.tx.get("", "namespaces", "", namespace) is not None
        return self._namespaces[namespace]

    def _cached(self, key: tuple, load):
        if key not in self._lookups:
            self._lookups[key] = load()
        return self._lookups[key]

    def _forget(self, rt: ResourceType) -> None:
        """Drop cached lookups of ``rt`` objects after a write through this server."""
        if rt.name in ("namespaces", "serviceaccounts", "priorityclasses", "verticalpodautoscalers"):
            self._lookups = {k: v for k, v in self._lookups.items() if k[0] != rt.name}

    def _check_namespace_for_create(self, rt: ResourceType, md: dict, namespace: str) -> None:
        """NamespaceLifecycle admission."""
        ns_obj = self._cached(("namespaces", namespace), lambda: self.tx.get("", "namespaces", "", namespace))
        self._namespaces[namespace] = ns_obj is not None
        if ns_obj is None:
            raise new_not_found("namespaces", namespace)
        if ns_obj.get("metadata", {}).get("deletionTimestamp") or ns_obj.get("status", {}).get("phase") == "Terminating":
            raise new_forbidden(
                rt, md.get("name") or "",
                f"unable to create new content in namespace {namespace} because it is being terminated",
            )

    def _admit_pod(self, pod: dict, namespace: str) -> None:
        seed = self._seed()
        counter = self.tx.resource_version + 1
        admission.service_account(
            pod,
            lambda: random_string(seed, "kube-api-access", counter),
            lambda name: self._cached(
                ("serviceaccounts", namespace, name), lambda: self.tx.get("", "serviceaccounts", namespace, name)
            ),
        )
        admission.priority(
            pod,
            lambda name: self._cached(
                ("priorityclasses", name), lambda: self.tx.get("scheduling.k8s.io", "priorityclasses", "", name)
            ),
            lambda: self._cached(("priorityclasses", None), self._global_default_priority_class),
        )
        admission.default_toleration_seconds(pod)
        admission.vertical_pod_autoscaler(
            pod,
            lambda: self._cached(
                ("verticalpodautoscalers", namespace),
                lambda: self.tx.list("autoscaling.k8s.io", "verticalpodautoscalers", namespace),
            ),
            self.try_get,
        )

    def _global_default_priority_class(self) -> dict | None:
        defaults = [pc for pc in self.tx.list("scheduling.k8s.io", "priorityclasses") if pc.get("globalDefault")]
        if not defaults:
            return None
        # Several defaults: the one with the lowest value (plugin/pkg/admission/priority).
        return min(defaults, key=lambda pc: int(pc.get("value", 0)))

    def _allocate_service(self, svc: dict, old: dict | None) -> dict:
        """The Service REST storage's BeginCreate/BeginUpdate: the strategy's
        PrepareFor*, then ClusterIP and NodePort allocation (before validation)."""
        from kctl.networking import alloc, ipam, portalloc
        from kctl.networking import strategy as svc_strategy

        md = svc["metadata"]
        others = self.tx.list("", "services")
        exclude = (md.get("namespace", ""), md.get("name", ""))
        used_ips = ipam.cluster_ips_in_use(others, exclude=exclude)
        used_ports = portalloc.node_ports_in_use(others, exclude=exclude)
        if old is None:
            return alloc.allocate_create(svc_strategy.prepare_for_create(svc), used_ips, used_ports)
        return alloc.allocate_update(svc_strategy.prepare_for_update(svc, old), old, used_ips, used_ports)

    def _before_create(self, rt: ResourceType, obj: dict) -> None:
        """rest.BeforeCreate + the kind's PrepareForCreate."""
        md = obj["metadata"]
        rv = md.pop("resourceVersion", None)
        if rv not in (None, ""):
            try:
                rv_number = int(rv)
            except (TypeError, ValueError):
                rv_number = 0
            if rv_number > 0:
                raise StatusError("", "resourceVersion should not be set on objects to be created", code=500)
        for key in ("deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
            md.pop(key, None)
        if not md.get("name") and md.get("generateName"):
            md["name"] = generate_name(md["generateName"], self._seed(), self.tx.resource_version + 1, 0)
        key = (rt.group, rt.kind)
        if strategy.has_status_subresource(*key):
            status = strategy.CREATE_STATUS[key]
            if key == ("", "Pod"):
                obj["status"] = {"phase": "Pending", "qosClass": strategy.qos_class(obj)}
            elif status is not None:
                obj["status"] = deep_copy(status)
        if strategy.maintains_generation(*key):
            md["generation"] = 1
        else:
            md.pop("generation", None)
        if key == ("apps", "DaemonSet"):
            annotations = md.setdefault("annotations", {})
            annotations["deprecated.daemonset.template.generation"] = "1"
        md["uid"] = new_uid(self._seed(), self.tx.resource_version + 1)
        md["creationTimestamp"] = self.clock.timestamp()
        if key == ("batch", "Job"):
            generate_job_selector(obj)

    # -- update -------------------------------------------------------------------------------

    def update(self, obj: dict, dry_run: bool = False, *, shared: bool = False) -> dict:
        """Replace an object (PUT). ``metadata.resourceVersion``, when set, must be current.
        ``shared``: as for ``create`` (the returned object is read-only for the caller)."""
        return self._update(obj, dry_run, status=False, shared=shared)

    def update_status(self, obj: dict, dry_run: bool = False, *, shared: bool = False, copy: bool = True) -> dict:
        """PUT .../status: only ``status`` changes; generation does not move. ``copy=False``:
        the caller hands ``obj``'s status and annotations over (it never changes them
        afterwards), so they are stored as they are."""
        return self._update(obj, dry_run, status=True, shared=shared, copy=copy)

    def _update(self, obj: dict, dry_run: bool, status: bool, shared: bool = False, copy: bool = True) -> dict:
        rt = self.resource_type(obj)
        if status:
            # Only status (and annotations) are taken from the request: copy just those.
            md = obj.get("metadata")
            if md is None:
                md = {}
            elif not isinstance(md, dict):
                raise new_bad_request("metadata must be an object")
            new = None
        else:
            new = deep_copy(obj)
            md = _metadata(new)
        ns = (md.get("namespace") or "default") if rt.namespaced else ""
        name = md.get("name") or ""
        if not name:
            raise new_bad_request("name is required")
        # ``old`` is only read from here on (with ``shared``, it may be the store's own object).
        old = self.tx.get(rt.group, rt.name, ns, name, shared=shared)
        if old is None:
            raise new_not_found(rt, name)
        rv = md.get("resourceVersion")
        if rv not in (None, "") and str(rv) != old["metadata"].get("resourceVersion"):
            raise new_conflict(rt, name)
        uid = md.get("uid")
        if uid and uid != old["metadata"].get("uid"):
            raise new_conflict(
                rt, name, f"Precondition failed: UID in precondition: {uid}, UID in object meta: {old['metadata'].get('uid')}"
            )
        key = (rt.group, rt.kind)
        if status:
            # The status strategies reset spec (and labels) from the stored object, but let
            # annotations through: the Deployment controller records the revision that way.
            # ``old`` is never changed, so the new object may share its unchanged parts (a
            # shallow copy, not a deep one).
            merged = dict(old)
            merged["metadata"] = dict(old["metadata"])
            if "status" in obj:
                merged["status"] = deep_copy(obj["status"]) if copy else obj["status"]
            else:
                merged.pop("status", None)
            if "annotations" in md:
                merged["metadata"]["annotations"] = deep_copy(md["annotations"]) if copy else md["annotations"]
            new = merged
            md = new["metadata"]
        else:
            self._decode(rt, new)
            if rt.namespaced:
                md["namespace"] = ns
            else:
                md.pop("namespace", None)
            for k in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"):
                if k in old["metadata"]:
                    md[k] = old["metadata"][k]
                else:
                    md.pop(k, None)
            md.pop("selfLink", None)
            if strategy.has_status_subresource(*key):
                if "status" in old:
                    new["status"] = deep_copy(old["status"])
                else:
                    new.pop("status", None)
            if key == ("", "Service"):
                new = self._allocate_service(new, old)
                md = new["metadata"]
            if strategy.maintains_generation(*key) and strategy.spec_changed(rt.group, rt.kind, new, old):
                md["generation"] = int(old["metadata"].get("generation") or 0) + 1
                if key == ("apps", "DaemonSet") and new.get("spec", {}).get("template") != old.get("spec", {}).get("template"):
                    annotations = md.setdefault("annotations", {})
                    current = int((old["metadata"].get("annotations") or {}).get("deprecated.daemonset.template.generation", "0") or 0)
                    annotations["deprecated.daemonset.template.generation"] = str(current + 1)
            if self.validate:
                self._validate(rt, new, old)
        md["resourceVersion"] = old["metadata"].get("resourceVersion")
        if new == old:
            return old  # etcd3 GuaranteedUpdate: identical bytes -> no write, same resourceVersion
        if dry_run:
            return new
        self._forget(rt)
        if md.get("deletionTimestamp") and not md.get("finalizers"):
            self.tx.delete(rt.group, rt.name, ns, name)
            return new
        try:
            return self.tx.update(rt.group, rt.name, new, expected_rv=old["metadata"].get("resourceVersion"),
                                  shared=shared)
        except ResourceVersionConflict:
            raise new_conflict(rt, name) from None

    # -- delete -------------------------------------------------------------------------------

    def delete(
        self,
        rt: Any,
        namespace: str | None,
        name: str,
        propagation: str = "Background",
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> list[dict]:
        """Delete an object and what the garbage collector deletes with it.

        Returns the deleted objects, the named one first. Objects held by finalizers are
        returned with their new ``deletionTimestamp`` instead.
        """
        from kctl.api.server.gc import GarbageCollector

        rt = self.resource_type(rt)
        self._lookups.clear()
        if propagation not in PROPAGATIONS:
            raise new_bad_request(f'propagationPolicy: Unsupported value: "{propagation}": supported values: "Foreground", "Background", "Orphan"')
        ns = (namespace or "default") if rt.namespaced else ""
        obj = self.tx.get(rt.group, rt.name, ns, name)
        if obj is None:
            raise new_not_found(rt, name)
        if resource_version not in (None, "") and str(resource_version) != obj["metadata"].get("resourceVersion"):
            raise new_conflict(rt, name)
        return GarbageCollector(self, dry_run=dry_run).delete(rt, obj, propagation)

    # -- helpers ------------------------------------------------------------------------------

    def _seed(self) -> str:
        return self.tx.meta_get(META_SEED) or DEFAULT_SEED

    def _validate(self, rt: ResourceType, new: dict, old: dict | None) -> None:
        errors = validate_object(new, old)
        if errors:
            md = new.get("metadata", {})
            raise new_invalid(rt.kind, rt.group, md.get("name") or md.get("generateName") or "", errors)

    def delete_stored(self, rt: ResourceType, obj: dict) -> dict:
        """Remove one object from storage (no cascading); used by the garbage collector."""
        md = obj["metadata"]
        try:
            out = self.tx.delete(rt.group, rt.name, md.get("namespace") or "", md["name"])
        except KeyNotFound:
            raise new_not_found(rt, md["name"]) from None
        if rt.group == "" and rt.kind == "Namespace":
            self._namespaces[md["name"]] = False
        return out

    def store_update(self, rt: ResourceType, obj: dict, *, shared: bool = False) -> dict:
        """Write ``obj`` as is (no strategy), bumping its resourceVersion. ``shared``: the store
        may keep ``obj`` itself (nobody changes it any more)."""
        self._forget(rt)
        return self.tx.update(rt.group, rt.name, obj, shared=shared)


def generate_job_selector(job: dict) -> None:
    """pkg/registry/batch/job: unless ``spec.manualSelector``, the selector is the job's uid and
    the template gets the controller-uid and job-name labels (new and legacy keys)."""
    spec = job.setdefault("spec", {})
    if spec.get("manualSelector"):
        return
    md = job["metadata"]
    uid, name = md["uid"], md["name"]
    template = spec.setdefault("template", {})
    tmd = template.get("metadata")
    if not isinstance(tmd, dict):
        tmd = template["metadata"] = {"creationTimestamp": None}
    labels = tmd.get("labels")
    if not isinstance(labels, dict):
        labels = tmd["labels"] = {}
    labels.setdefault("batch.kubernetes.io/controller-uid", uid)
    labels.setdefault("batch.kubernetes.io/job-name", name)
    labels.setdefault("controller-uid", uid)
    labels.setdefault("job-name", name)
    if not spec.get("selector"):
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    if not md.get("labels"):
        # SetDefaults_Job runs again when the stored object is decoded: labels from the template.
        md["labels"] = dict(labels)


def _metadata(obj: dict) -> dict:
    md = obj.get("metadata")
    if md is None:
        md = obj["metadata"] = {}
    if not isinstance(md, dict):
        raise new_bad_request("metadata must be an object")
    return md


def fold_string_data(secret: dict) -> None:
    """v1 Secret conversion: ``stringData`` is merged into ``data`` (base64), stringData wins."""
    string_data = secret.pop("stringData", None)
    if not string_data:
        return
    data = secret.get("data") or {}
    for key, value in string_data.items():
        data[key] = base64.b64encode(str(value).encode()).decode()
    secret["data"] = data


def validate_object(new: dict, old: dict | None) -> list[FieldError]:
    """The server-side validation of ``kctl.api.validation`` (absent: nothing to check)."""
    global _validation
    validation = _validation
    if validation is None:
        try:
            from kctl.api import validation
        except ImportError:
            return []
        _validation = validation
    if old is None:
        fn = getattr(validation, "validate", None)
        return list(fn(new) or []) if fn else []
    fn = getattr(validation, "validate_update", None)
    return list(fn(new, old) or []) if fn else []
