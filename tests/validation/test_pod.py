from __future__ import annotations

import copy

from kctl.api.validation import validate
from tests.validation.conftest import messages

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
}


def pod(**spec):
    obj = copy.deepcopy(POD)
    obj["spec"].update(spec)
    return obj


def ctr(**fields):
    c = {"name": "web", "image": "nginx:1.27"}
    c.update(fields)
    return c


def errs_of(obj):
    return messages(validate(obj))


def test_minimal_pod_is_valid():
    assert errs_of(POD) == []


def test_containers_required_and_names():
    assert errs_of(pod(containers=[])) == ["spec.containers: Required value"]
    assert errs_of(pod(containers=[ctr(name="Web")])) == [
        'spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case '
        "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
        "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    ]
    assert errs_of(pod(containers=[ctr(), ctr()])) == ['spec.containers[1].name: Duplicate value: "web"']
    assert errs_of(pod(containers=[ctr(name="")])) == ["spec.containers[0].name: Required value"]
    assert errs_of(pod(containers=[ctr(image="")])) == ["spec.containers[0].image: Required value"]


def test_init_container_names_unique_across_lists():
    assert errs_of(pod(initContainers=[ctr()])) == ['spec.initContainers[0].name: Duplicate value: "web"']
    assert errs_of(
        pod(initContainers=[ctr(name="init", readinessProbe={"exec": {"command": ["true"]}})])
    ) == ["spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers"]
    assert errs_of(pod(initContainers=[ctr(name="init", livenessProbe={"exec": {"command": ["true"]}})])) == [
        "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"
    ]
    sidecar = ctr(name="proxy", restartPolicy="Always", readinessProbe={"tcpSocket": {"port": 15021}})
    assert errs_of(pod(initContainers=[sidecar])) == []


def test_ports():
    ports = [
        {"name": "http", "containerPort": 80},
        {"name": "http", "containerPort": 81},
        {"name": "HTTP", "containerPort": 70000, "protocol": "ICMP"},
        {"containerPort": 82, "hostPort": 0},
    ]
    assert errs_of(pod(containers=[ctr(ports=ports)])) == [
        'spec.containers[0].ports[1].name: Duplicate value: "http"',
        'spec.containers[0].ports[2].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].ports[2].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
        "spec.containers[0].ports[2].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        'spec.containers[0].ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]
    assert errs_of(pod(containers=[ctr(ports=[{"containerPort": 0}])])) == [
        "spec.containers[0].ports[0].containerPort: Required value"
    ]


def test_host_ports():
    two = [
        ctr(ports=[{"containerPort": 80, "hostPort": 8080}]),
        ctr(name="b", ports=[{"containerPort": 81, "hostPort": 8080}]),
    ]
    assert errs_of(pod(containers=two)) == [
        'spec.containers[1].ports[0].hostPort: Duplicate value: "/TCP/8080"'
    ]
    assert errs_of(pod(containers=[ctr(ports=[{"containerPort": 80, "hostPort": 70000}])])) == [
        "spec.containers[0].ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive"
    ]
    assert errs_of(
        pod(hostNetwork=True, containers=[ctr(ports=[{"containerPort": 80, "hostPort": 8080}])])
    ) == [
        "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"
    ]


def test_env():
    env = [
        {"name": "A=B", "value": "x"},
        {"name": "1_IS_FINE_IN_1_34", "value": "x"},
        {"name": "", "value": "x"},
        {"name": "NONE", "valueFrom": {}},
        {"name": "BOTH", "value": "v", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k"}}},
        {
            "name": "TWO",
            "valueFrom": {
                "configMapKeyRef": {"name": "c", "key": "k"},
                "secretKeyRef": {"name": "s", "key": "k"},
            },
        },
        {"name": "BADKEY", "valueFrom": {"secretKeyRef": {"name": "s", "key": "a b"}}},
        {"name": "FIELD", "valueFrom": {"fieldRef": {"fieldPath": "status.phase"}}},
    ]
    assert errs_of(pod(containers=[ctr(env=env)])) == [
        'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only '
        "of printable ASCII characters other than '='",
        "spec.containers[0].env[2].name: Required value",
        'spec.containers[0].env[3].valueFrom: Invalid value: "": must specify one of: `fieldRef`, '
        "`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        'spec.containers[0].env[4].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
        'spec.containers[0].env[5].valueFrom: Invalid value: "": may not have more than one field specified at a time',
        'spec.containers[0].env[6].valueFrom.secretKeyRef.key: Invalid value: "a b": a valid config key must '
        "consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
        "regex used for validation is '[-._a-zA-Z0-9]+')",
        'spec.containers[0].env[7].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported '
        'values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", '
        '"spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ]


def test_env_from():
    env_from = [{}, {"configMapRef": {"name": "a"}, "secretRef": {"name": "b"}}, {"secretRef": {"name": ""}}]
    assert errs_of(pod(containers=[ctr(envFrom=env_from)])) == [
        'spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
        'spec.containers[0].envFrom: Invalid value: "": may not have more than one field specified at a time',
        "spec.containers[0].envFrom[2].secretRef.name: Required value",
    ]


def test_volumes_and_mounts():
    volumes = [
        {"name": "data", "emptyDir": {}},
        {"name": "data", "emptyDir": {}},
        {"name": "none"},
        {"name": "two", "emptyDir": {}, "secret": {"secretName": "s"}},
        {"name": "cfg", "configMap": {"name": "c", "defaultMode": 1000}},
    ]
    mounts = [
        {"name": "data", "mountPath": "/data"},
        {"name": "missing", "mountPath": "/data"},
        {"name": "data", "mountPath": "/sub", "subPath": "../etc"},
    ]
    assert errs_of(pod(volumes=volumes, containers=[ctr(volumeMounts=mounts)])) == [
        'spec.volumes[1].name: Duplicate value: "data"',
        "spec.volumes[2]: Required value: must specify a volume type",
        "spec.volumes[3].secret: Forbidden: may not specify more than 1 volume type",
        "spec.volumes[4].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
        'spec.containers[0].volumeMounts[1].name: Not found: "missing"',
        'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
        "spec.containers[0].volumeMounts.subPath: Invalid value: \"../etc\": must not contain '..'",
    ]


def test_resources():
    assert errs_of(pod(containers=[ctr(resources={"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})])) == [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'
    ]
    assert errs_of(
        pod(containers=[ctr(resources={"requests": {"memory": "1Gi"}, "limits": {"memory": "512Mi"}})])
    ) == [
        'spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi'
    ]
    assert errs_of(pod(containers=[ctr(resources={"requests": {"cpu": "-1"}})])) == [
        'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0'
    ]
    assert errs_of(pod(containers=[ctr(resources={"limits": {"cpu": "1GBs"}})])) == [
        'spec.containers[0].resources.limits[cpu]: Invalid value: "1GBs": quantities must match the regular '
        "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    ]
    assert errs_of(pod(containers=[ctr(resources={"limits": {"gpu": "1"}})])) == [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]
    # extended resources: integers, requests == limits, limits required
    assert errs_of(pod(containers=[ctr(resources={"requests": {"nvidia.com/gpu": "1"}})])) == [
        "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"
    ]
    assert errs_of(
        pod(
            containers=[
                ctr(resources={"requests": {"nvidia.com/gpu": "1"}, "limits": {"nvidia.com/gpu": "2"}})
            ]
        )
    ) == [
        'spec.containers[0].resources.requests: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2'
    ]
    assert errs_of(pod(containers=[ctr(resources={"limits": {"nvidia.com/gpu": "500m"}})])) == [
        'spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: "500m": must be an integer'
    ]
    assert (
        errs_of(
            pod(
                containers=[
                    ctr(resources={"requests": {"cpu": 0.5, "memory": 134217728}, "limits": {"cpu": 1}})
                ]
            )
        )
        == []
    )


def test_restart_dns_and_grace_period():
    assert errs_of(pod(restartPolicy="Sometimes")) == [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'
    ]
    assert errs_of(pod(dnsPolicy="Google")) == [
        'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", '
        '"ClusterFirst", "Default", "None"'
    ]
    assert errs_of(pod(dnsPolicy="None")) == [
        "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"
    ]
    assert errs_of(pod(terminationGracePeriodSeconds=-1)) == [
        "spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0"
    ]
    assert errs_of(pod(activeDeadlineSeconds=0)) == [
        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"
    ]


def test_image_pull_and_termination_message_policy():
    assert errs_of(pod(containers=[ctr(imagePullPolicy="Sometimes")])) == [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'
    ]
    assert errs_of(pod(containers=[ctr(terminationMessagePolicy="Stdout")])) == [
        'spec.containers[0].terminationMessagePolicy: Unsupported value: "Stdout": supported values: "File", "FallbackToLogsOnError"'
    ]


def test_probes():
    probes = {
        "livenessProbe": {"httpGet": {"port": 0}, "successThreshold": 2},
        "readinessProbe": {"periodSeconds": -1, "exec": {"command": []}},
        "startupProbe": {"tcpSocket": {"port": "http"}, "exec": {"command": ["x"]}},
    }
    assert errs_of(pod(containers=[ctr(**probes)])) == [
        "spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "spec.containers[0].readinessProbe.exec.command: Required value",
        "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
        "spec.containers[0].startupProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
    ]
    assert errs_of(pod(containers=[ctr(livenessProbe={"periodSeconds": 5})])) == [
        "spec.containers[0].livenessProbe: Required value: must specify a handler type"
    ]


def test_tolerations():
    tolerations = [
        {"operator": "Equal", "value": "x"},
        {"key": "k", "operator": "Exists", "value": "v"},
        {"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule", "tolerationSeconds": 10},
        {"key": "k", "operator": "Maybe"},
        {"key": "k", "effect": "Never"},
    ]
    assert errs_of(pod(tolerations=tolerations)) == [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which '
        'means "match all values and all keys"',
        'spec.tolerations[1].operator: Invalid value: {"Key":"k","Operator":"Exists","Value":"v","Effect":"",'
        "\"TolerationSeconds\":null}: value must be empty when `operator` is 'Exists'",
        "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
        'spec.tolerations[3].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"',
        'spec.tolerations[4].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]


def test_affinity_and_node_selector():
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []},
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 0, "preference": {"matchExpressions": [{"key": "zone", "operator": "Near"}]}}
            ],
        },
        "podAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {}, "topologyKey": ""}]
        },
    }
    errs = errs_of(pod(affinity=affinity, nodeSelector={"disk": "-ssd"}))
    assert errs[0].startswith('spec.nodeSelector: Invalid value: "-ssd": a valid label must be')
    assert errs[1:5] == [
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required "
        "value: must have at least one node selector term",
        "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: "
        "must be in the range 1-100",
        "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference."
        'matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
        "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: "
        "can not be empty",
    ]


def test_topology_spread_constraints():
    tsc = [
        {"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"},
        {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"},
        {"maxSkew": 1, "topologyKey": "", "whenUnsatisfiable": "Sometimes", "minDomains": 2},
    ]
    assert errs_of(pod(topologySpreadConstraints=tsc)) == [
        "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
        'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"',
        "spec.topologySpreadConstraints[2].topologyKey: Required value: can not be empty",
        'spec.topologySpreadConstraints[2].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: '
        '"DoNotSchedule", "ScheduleAnyway"',
        "spec.topologySpreadConstraints[2].minDomains: Invalid value: 2: can only use minDomains if "
        "whenUnsatisfiable=DoNotSchedule, not Sometimes",
    ]


def test_realistic_deployment_template_is_valid(deployment):
    assert validate(deployment) == []
