"""kctl top node|pod: kubectl's columns, sorting, sums and errors, exact output."""

from __future__ import annotations

import pytest

from kctl.metrics.top import bar, render_top_nodes, utilization_bars
from tests.metrics.conftest import app


@pytest.fixture
def loaded(k):
    k.apply(app())
    k.apply(app("api", 2, "back"))
    k.ok("load", "deployment/web", "--cpu", "450m", "--memory", "600Mi", "--spread", "1,1,2")
    return k


def test_top_pods(loaded):
    assert loaded.ok("top", "pods") == (
        "NAME                   CPU(cores)   MEMORY(bytes)   \n"
        "api-6589647d55-dvmqv   2m           16Mi            \n"
        "api-6589647d55-sr96p   2m           16Mi            \n"
        "web-599c7cdb7-drr4p    113m         150Mi           \n"
        "web-599c7cdb7-lllzk    112m         150Mi           \n"
        "web-599c7cdb7-zwlp4    225m         300Mi           \n"
    )


def test_top_pods_all_namespaces_containers_and_sum(loaded):
    assert loaded.ok("top", "pods", "-A", "--containers", "--sum") == (
        "NAMESPACE   POD                    NAME   CPU(cores)   MEMORY(bytes)   \n"
        "default     api-6589647d55-dvmqv   app    1m           8Mi             \n"
        "default     api-6589647d55-dvmqv   side   1m           8Mi             \n"
        "default     api-6589647d55-sr96p   app    1m           8Mi             \n"
        "default     api-6589647d55-sr96p   side   1m           8Mi             \n"
        "default     web-599c7cdb7-drr4p    app    75m          100Mi           \n"
        "default     web-599c7cdb7-drr4p    side   38m          50Mi            \n"
        "default     web-599c7cdb7-lllzk    app    75m          100Mi           \n"
        "default     web-599c7cdb7-lllzk    side   37m          50Mi            \n"
        "default     web-599c7cdb7-zwlp4    app    150m         200Mi           \n"
        "default     web-599c7cdb7-zwlp4    side   75m          100Mi           \n"
        "                                          ________     ________        \n"
        "                                          454m         632Mi           \n"
    )


def test_top_pods_sorted_selected_without_headers(loaded):
    assert loaded.ok("top", "pods", "--sort-by=cpu", "-l", "app=web", "--no-headers") == (
        "web-599c7cdb7-zwlp4   225m   300Mi   \n"
        "web-599c7cdb7-drr4p   113m   150Mi   \n"
        "web-599c7cdb7-lllzk   112m   150Mi   \n"
    )
    # upstream's quirk: without headers the sum is indented as if NAMESPACE/POD were not there
    assert loaded.ok("top", "pods", "-l", "tier=back", "--sum", "--no-headers", "-A") == (
        "default   api-6589647d55-dvmqv   2m         16Mi   \n"
        "default   api-6589647d55-sr96p   2m         16Mi   \n"
        "          ________               ________   \n"
        "          4m                     32Mi       \n"
    )


def test_without_stored_metrics_top_computes_them(k):
    k.apply(app("api", 2, "back"))
    assert k.items("podmetrics.metrics.k8s.io") == []  # nothing uses metrics: none stored
    assert k.ok("top", "pods") == (
        "NAME                   CPU(cores)   MEMORY(bytes)   \n"
        "api-6589647d55-lllzk   2m           16Mi            \n"
        "api-6589647d55-zwlp4   2m           16Mi            \n"
    )
    assert k.ok("top", "nodes").splitlines()[1:] == [
        "node-1   0m           0%       0Mi             0%          ",
        "node-2   2m           0%       16Mi            0%          ",
        "node-3   2m           0%       16Mi            0%          ",
    ]
    assert k.items("podmetrics.metrics.k8s.io") == []  # top wrote nothing


def test_top_pod_by_name(loaded):
    assert loaded.ok("top", "pod", "web-599c7cdb7-zwlp4", "--containers") == (
        "POD                   NAME   CPU(cores)   MEMORY(bytes)   \n"
        "web-599c7cdb7-zwlp4   app    150m         200Mi           \n"
        "web-599c7cdb7-zwlp4   side   75m          100Mi           \n"
    )


def test_top_nodes_sums_the_pods_of_each_node(loaded):
    assert loaded.ok("top", "nodes") == (
        "NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
        "node-1   114m         3%       166Mi           1%          \n"
        "node-2   115m         3%       166Mi           1%          \n"
        "node-3   225m         5%       300Mi           1%          \n"
    )
    # descending, ties in name order
    assert loaded.ok("top", "node", "--sort-by", "memory", "--no-headers") == (
        "node-3   225m   5%    300Mi   1%    \n"
        "node-1   114m   3%    166Mi   1%    \n"
        "node-2   115m   3%    166Mi   1%    \n"
    )
    assert loaded.ok("top", "no", "node-2") == (
        "NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
        "node-2   115m         3%       166Mi           1%          \n"
    )


def test_a_node_without_metrics_is_unknown(k):
    k.apply("""
        apiVersion: v1
        kind: Node
        metadata: {name: node-4}
        status:
          allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
          conditions: [{type: Ready, status: Unknown, reason: NodeStatusUnknown}]
        """)
    # (A node without conditions would be registered by its simulated kubelet and report
    # metrics; this one's kubelet stopped posting status.)
    assert k.ok("top", "nodes", "--show-capacity") == (
        "NAME     CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   \n"
        "node-1   0m           0%          0Mi             0%          \n"
        "node-2   0m           0%          0Mi             0%          \n"
        "node-3   0m           0%          0Mi             0%          \n"
        "node-4   <unknown>    <unknown>   <unknown>       <unknown>   \n"
    )


def test_errors(k):
    r = k("top", "pods")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in default namespace.\n")
    r = k("top", "pods", "-A")
    assert (r.code, r.err) == (0, "No resources found\n")
    # pods that run nowhere have no metrics yet
    k.apply(app("huge").replace("cpu: 100m", "cpu: 64"))
    r = k("top", "pods")
    assert (r.code, r.err) == (1, "error: metrics not available yet\n")
    k.advance(150)
    r = k("top", "pods")
    assert r.code == 1
    assert r.err.startswith("error: Metrics not available for pod default/huge-") and r.err.endswith(", age: 2m30s\n")
    for args, message in [
        (("top", "pods", "nope"), 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found'),
        (("top", "nodes", "node-9"), 'Error from server (NotFound): nodemetrics.metrics.k8s.io "node-9" not found'),
        (("top", "pods", "--sort-by", "name"), "error: --sort-by accepts only cpu or memory"),
        (("top", "nodes", "--sort-by", "cpu%"), "error: --sort-by accepts only cpu or memory"),
        (("top", "pods", "x", "-l", "app=web"), "error: only one of NAME or selector can be provided"),
        (("top", "nodes", "x", "-l", "app=web"), "error: only one of NAME or --selector can be provided"),
    ]:
        r = k(*args)
        assert (r.code, r.err) == (1, message + "\n")


def test_bars_only_when_asked_or_on_a_terminal(loaded):
    plain = loaded.ok("top", "nodes")
    assert "[" not in plain  # CliRunner's stdout is not a terminal
    forced = loaded.ok("top", "nodes", "--bars", "always")
    assert forced.splitlines()[3] == (
        "node-3   225m         5%       300Mi           1%          cpu [▋         ] mem [▎         ]")
    assert "\x1b[" not in forced  # no color off a terminal


def test_bar_pure():
    assert bar(0) == " " * 10
    assert bar(1) == "█" * 10
    assert bar(0.55) == "█████▌    "
    assert bar(2.0) == "█" * 10
    assert utilization_bars(1900, 3800, 0, 0, color=True) == "cpu [\x1b[32m█████     \x1b[0m] mem [\x1b[32m          \x1b[0m]"
    assert utilization_bars(3500, 3800, 0, 0, color=True).startswith("cpu [\x1b[31m")


def test_percentages_truncate_like_kubectl():
    metrics = [{"metadata": {"name": "n"}, "usage": {"cpu": "1999m", "memory": "1Gi"}}]
    nodes = [{"metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "2", "memory": "3Gi"}}}]
    assert render_top_nodes(metrics, nodes, no_headers=True) == "n     1999m   99%   1024Mi   33%   \n"
    # a NodeMetrics whose node is not listed: no percentage cells
    assert render_top_nodes(metrics, [], no_headers=True) == "n     1999m   1024Mi   \n"
