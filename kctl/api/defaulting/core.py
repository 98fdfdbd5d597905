"""core/v1 defaults (pkg/apis/core/v1/defaults.go and the generated SetObjectDefaults_*).

Pod templates get the PodSpec defaults; only Pods get ``enableServiceLinks`` and
limits-to-requests (SetDefaults_Pod). ``serviceAccountName``, ``priority`` and the
not-ready/unreachable tolerations come from admission (kctl.api.server.admission), status
from the registry strategy.
"""

from __future__ import annotations

DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30
DEFAULT_SCHEDULER_NAME = "default-scheduler"
TERMINATION_MESSAGE_PATH = "/dev/termination-log"
DEFAULT_VOLUME_MODE = 0o644  # 420, as Go prints it in JSON

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_VOLUME_SOURCES_WITH_MODE = ("secret", "configMap", "downwardAPI", "projected")


def image_pull_policy(image: str) -> str:
    """Always for ``:latest`` or no tag (and no digest), else IfNotPresent."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def container(c: dict) -> None:
    """SetDefaults_Container + its ports, probes, lifecycle handlers, env field refs."""
    if not isinstance(c, dict):
        return
    if not c.get("imagePullPolicy") and isinstance(c.get("image"), str):
        c["imagePullPolicy"] = image_pull_policy(c["image"])
    c.setdefault("terminationMessagePath", TERMINATION_MESSAGE_PATH)
    c.setdefault("terminationMessagePolicy", "File")
    if "resources" not in c or c["resources"] is None:
        c["resources"] = {}
    for port in c.get("ports") or []:
        if isinstance(port, dict) and not port.get("protocol"):
            port["protocol"] = "TCP"
    for name in _PROBES:
        if isinstance(c.get(name), dict):
            probe(c[name])
    lifecycle = c.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                handler(lifecycle[hook])
    for env in c.get("env") or []:
        field_ref = ((env or {}).get("valueFrom") or {}).get("fieldRef")
        if isinstance(field_ref, dict):
            field_ref.setdefault("apiVersion", "v1")


def probe(p: dict) -> None:
    """SetDefaults_Probe."""
    p.setdefault("timeoutSeconds", 1)
    p.setdefault("periodSeconds", 10)
    p.setdefault("successThreshold", 1)
    p.setdefault("failureThreshold", 3)
    handler(p)


def handler(h: dict) -> None:
    """SetDefaults_HTTPGetAction / SetDefaults_GRPCAction inside probes and lifecycle hooks."""
    http = h.get("httpGet")
    if isinstance(http, dict):
        if not http.get("path"):
            http["path"] = "/"
        if not http.get("scheme"):
            http["scheme"] = "HTTP"
    grpc = h.get("grpc")
    if isinstance(grpc, dict) and grpc.get("service") is None:
        grpc["service"] = ""


def volume(v: dict) -> None:
    """SetDefaults_Volume (no source -> emptyDir) and the sources' defaultMode 0644."""
    if not isinstance(v, dict):
        return
    if set(v) <= {"name"}:
        v["emptyDir"] = {}
    for source in _VOLUME_SOURCES_WITH_MODE:
        src = v.get(source)
        if isinstance(src, dict) and src.get("defaultMode") is None:
            src["defaultMode"] = DEFAULT_VOLUME_MODE
    projected = v.get("projected")
    if isinstance(projected, dict):
        for s in projected.get("sources") or []:
            token = (s or {}).get("serviceAccountToken")
            if isinstance(token, dict):
                token.setdefault("expirationSeconds", 3600)
            for item in ((s or {}).get("downwardAPI") or {}).get("items") or []:
                if isinstance((item or {}).get("fieldRef"), dict):
                    item["fieldRef"].setdefault("apiVersion", "v1")
    downward = v.get("downwardAPI")
    if isinstance(downward, dict):
        for item in downward.get("items") or []:
            if isinstance((item or {}).get("fieldRef"), dict):
                item["fieldRef"].setdefault("apiVersion", "v1")
    host_path = v.get("hostPath")
    if isinstance(host_path, dict):
        host_path.setdefault("type", "")


def pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec (also for templates), containers and volumes."""
    if not isinstance(spec, dict):
        return
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS
    if not spec.get("schedulerName"):
        spec["schedulerName"] = DEFAULT_SCHEDULER_NAME
    # v1 conversion: serviceAccount is the deprecated alias of serviceAccountName, always mirrored.
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(key) or []:
            container(c)
    if spec.get("hostNetwork"):
        for key in ("initContainers", "containers"):
            for c in spec.get(key) or []:
                for port in (c or {}).get("ports") or []:
                    if isinstance(port, dict) and not port.get("hostPort") and port.get("containerPort"):
                        port["hostPort"] = port["containerPort"]
    for v in spec.get("volumes") or []:
        volume(v)


def pod_template(template: dict) -> None:
    """A PodTemplateSpec: ``metadata.creationTimestamp: null`` as Go serializes it, spec defaults."""
    if not isinstance(template, dict):
        return
    md = template.get("metadata")
    if md is None:
        md = template["metadata"] = {}
    if isinstance(md, dict):
        md.setdefault("creationTimestamp", None)
    if isinstance(template.get("spec"), dict):
        pod_spec(template["spec"])


def pod(obj: dict) -> None:
    """SetDefaults_Pod: requests default to limits; enableServiceLinks true."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            res = (c or {}).get("resources")
            if isinstance(res, dict) and isinstance(res.get("limits"), dict) and res["limits"]:
                requests = res.get("requests")
                if not isinstance(requests, dict):
                    requests = res["requests"] = {}
                for name, value in res["limits"].items():
                    requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    pod_spec(spec)


def podtemplate(obj: dict) -> None:
    pod_template(obj.get("template"))


def replication_controller(obj: dict) -> None:
    """SetDefaults_ReplicationController: selector and labels from the template; replicas 1."""
    spec = obj.setdefault("spec", {})
    template = spec.get("template")
    labels = ((template or {}).get("metadata") or {}).get("labels") or {}
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        md = obj.setdefault("metadata", {})
        if not md.get("labels"):
            md["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if template is not None:
        pod_template(template)


def service(obj: dict) -> None:
    """SetDefaults_Service, plus the IP family fields the registry fills in (single-stack IPv4)."""
    spec = obj.setdefault("spec", {})
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        timeout = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}).get("timeoutSeconds")
        if timeout is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, "") and port.get("port") is not None:
            port["targetPort"] = port["port"]
    kind = spec["type"]
    externally_accessible = kind in ("NodePort", "LoadBalancer") or (kind == "ClusterIP" and spec.get("externalIPs"))
    if externally_accessible and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if kind in ("ClusterIP", "NodePort", "LoadBalancer") and not spec.get("internalTrafficPolicy"):
        spec["internalTrafficPolicy"] = "Cluster"
    if kind != "ExternalName":
        if not spec.get("ipFamilyPolicy"):
            spec["ipFamilyPolicy"] = "SingleStack"
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = ["IPv4"]
        if spec.get("clusterIP") and not spec.get("clusterIPs"):
            spec["clusterIPs"] = [spec["clusterIP"]]
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True


def secret(obj: dict) -> None:
    if not obj.get("type"):
        obj["type"] = "Opaque"


def namespace(obj: dict) -> None:
    """SetDefaults_Namespace: the ``kubernetes.io/metadata.name`` label; the registry adds the
    ``kubernetes`` finalizer."""
    md = obj.setdefault("metadata", {})
    name = md.get("name")
    if name:
        labels = md.get("labels")
        if not isinstance(labels, dict):
            labels = md["labels"] = {}
        labels["kubernetes.io/metadata.name"] = name
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    if not spec.get("finalizers"):
        spec["finalizers"] = ["kubernetes"]


def persistent_volume(obj: dict) -> None:
    obj.setdefault("status", {}).setdefault("phase", "Pending")
    spec = obj.setdefault("spec", {})
    spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
    spec.setdefault("volumeMode", "Filesystem")


def persistent_volume_claim(obj: dict) -> None:
    obj.setdefault("status", {}).setdefault("phase", "Pending")
    spec = obj.setdefault("spec", {})
    spec.setdefault("volumeMode", "Filesystem")


def node(obj: dict) -> None:
    """SetDefaults_NodeStatus: allocatable defaults to capacity."""
    status = obj.get("status")
    if isinstance(status, dict) and status.get("capacity") and not status.get("allocatable"):
        status["allocatable"] = dict(status["capacity"])


def endpoints(obj: dict) -> None:
    for subset in obj.get("subsets") or []:
        for port in (subset or {}).get("ports") or []:
            if isinstance(port, dict) and not port.get("protocol"):
                port["protocol"] = "TCP"
