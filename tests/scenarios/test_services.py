"""Services: ClusterIP/NodePort/LoadBalancer allocation, the duplicate nodePort error,
headless and ExternalName; Endpoints and EndpointSlices with a named targetPort."""

from __future__ import annotations

import ipaddress

from .conftest import deployment_yaml

SERVICES = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 8080, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: np}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 30080}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 443, targetPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: hl}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec: {type: ExternalName, externalName: example.com}
"""

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")


def test_service_types_and_endpoints(k):
    k.apply(deployment_yaml(replicas=2))
    k.apply(SERVICES)
    svc = {s["metadata"]["name"]: s for s in k.items("svc")}
    ips = [svc[n]["spec"]["clusterIP"] for n in ("web", "np", "lb")]
    assert len(set(ips)) == 3 and all(ipaddress.ip_address(ip) in SERVICE_CIDR for ip in ips)
    assert svc["np"]["spec"]["ports"][0]["nodePort"] == 30080
    lb_port = svc["lb"]["spec"]["ports"][0]["nodePort"]
    assert 30000 <= lb_port <= 32767
    assert svc["lb"]["status"]["loadBalancer"]["ingress"][0]["ip"]
    assert svc["hl"]["spec"]["clusterIP"] == "None"
    assert "clusterIP" not in svc["ext"]["spec"] and svc["ext"]["spec"]["externalName"] == "example.com"
    table = k.ok("get", "svc", "ext", "lb", "--no-headers").splitlines()
    assert table[0].split()[:5] == ["ext", "ExternalName", "<none>", "example.com", "<none>"]
    assert table[1].split()[3] == svc["lb"]["status"]["loadBalancer"]["ingress"][0]["ip"]

    pods = {p["metadata"]["name"]: p["status"]["podIP"] for p in k.items("pods")}
    (subset,) = k.obj("endpoints", "web")["subsets"]
    assert sorted(a["ip"] for a in subset["addresses"]) == sorted(pods.values())
    assert subset["ports"] == [{"port": 80, "protocol": "TCP"}]  # targetPort "http" -> containerPort 80
    assert "subsets" not in k.obj("endpoints", "ext") if k("get", "endpoints", "ext").code == 0 else True
    (slice_,) = k.items("endpointslices", "-l", "kubernetes.io/service-name=web")
    assert slice_["metadata"]["name"].startswith("web-") and slice_["addressType"] == "IPv4"
    assert slice_["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]
    assert sorted(e["addresses"][0] for e in slice_["endpoints"]) == sorted(pods.values())
    assert all(e["conditions"] == {"ready": True, "serving": True, "terminating": False} for e in slice_["endpoints"])
    assert {e["targetRef"]["name"] for e in slice_["endpoints"]} == set(pods)
    (hl_subset,) = k.obj("endpoints", "hl")["subsets"]
    assert len(hl_subset["addresses"]) == 2


def test_duplicate_node_port_is_rejected(k):
    k.apply(SERVICES)
    r = k.apply_result("apiVersion: v1\nkind: Service\nmetadata: {name: np2}\n"
                       "spec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}\n")
    assert r.code == 1
    assert r.err == ('The Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
                     "provided port is already allocated\n")
    out_of_range = ("apiVersion: v1\nkind: Service\nmetadata: {name: np3}\n"
                    "spec: {type: NodePort, ports: [{port: 80, nodePort: 80}]}\n")
    message = ("spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. "
               "The range of valid ports is 30000-32767")
    r = k.apply_result(out_of_range)  # kctl's client-side validation names the file and line
    assert r.code == 1 and r.err.endswith(f"Service/np3: {message}\n")
    k._files += 1
    path = k.workdir / "range.yaml"
    path.write_text(out_of_range, encoding="utf-8")
    r = k("apply", "-f", str(path), "--validate=ignore", "-q")
    assert (r.code, r.err) == (1, f'The Service "np3" is invalid: {message}\n')


def test_endpoints_follow_readiness_of_pods_without_the_named_port(k):
    k.apply(deployment_yaml(name="other", replicas=1).replace("name: http", "name: web"))
    k.apply("apiVersion: v1\nkind: Service\nmetadata: {name: other}\n"
            "spec: {selector: {app: other}, ports: [{port: 80, targetPort: http}]}\n")
    # the only pod has no port named "http": it is left out of that port's endpoints
    eps = k.obj("endpoints", "other")
    assert not eps.get("subsets")
