"""kctl diff: LIVE vs MERGED (apply + control plane), kubectl's file names and exit codes."""

from __future__ import annotations

import re

from tests.cli_write.conftest import WEB

CFG = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {mode: prod}
"""

CFG_DIFF = """\
diff -u -N TMP/LIVE-N/v1.ConfigMap.default.cfg TMP/MERGED-N/v1.ConfigMap.default.cfg
--- TMP/LIVE-N/v1.ConfigMap.default.cfg\t2025-05-01 12:00:00.000000000 +0000
+++ TMP/MERGED-N/v1.ConfigMap.default.cfg\t2025-05-01 12:00:00.000000000 +0000
@@ -1,13 +1,13 @@
 apiVersion: v1
 data:
-  mode: prod
+  mode: dev
 kind: ConfigMap
 metadata:
   annotations:
     kubectl.kubernetes.io/last-applied-configuration: |
-      {"apiVersion":"v1","data":{"mode":"prod"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cfg","namespace":"default"}}
+      {"apiVersion":"v1","data":{"mode":"dev"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cfg","namespace":"default"}}
   creationTimestamp: "2025-05-01T12:00:00Z"
   name: cfg
   namespace: default
-  resourceVersion: "RV"
+  resourceVersion: "RV"
   uid: UID
"""


def normalize(text: str) -> str:
    import tempfile

    text = text.replace(tempfile.gettempdir(), "TMP")
    text = re.sub(r"(LIVE|MERGED)-\d+", r"\1-N", text)
    text = re.sub(r'resourceVersion: "\d+"', 'resourceVersion: "RV"', text)
    return re.sub(r"uid: [0-9a-f-]{36}", "uid: UID", text)


def test_no_difference_exits_zero(k):
    k.apply(CFG)
    r = k("diff", "-f", k.file("cfg.yaml", CFG))
    assert (r.code, r.out, r.err) == (0, "", "")


def test_changed_object(k):
    k.apply(CFG)
    r = k("diff", "-f", k.file("cfg.yaml", CFG.replace("prod", "dev")))
    assert (r.code, r.err) == (1, "")
    assert normalize(r.out) == CFG_DIFF
    assert k.get("configmaps", "cfg")["data"] == {"mode": "prod"}  # nothing written


def test_new_object_shows_control_plane_effects(k):
    before = {r: k.names(r) for r in ("deployments", "replicasets", "pods")}
    r = k("diff", "-f", k.file("web.yaml", WEB))
    assert r.code == 1
    files = re.findall(r"^diff -u -N \S+/LIVE-\d+/(\S+) ", r.out, re.M)
    assert files[0] == "apps.v1.Deployment.default.web"
    assert files[1].startswith("apps.v1.ReplicaSet.default.web-")
    assert sum(f.startswith("v1.Pod.default.web-") for f in files) == 2
    assert files == sorted(files)
    # a new object is compared with an empty LIVE file
    assert "1970-01-01 00:00:00.000000000 +0000\n+++ " in r.out
    assert "\n+  replicas: 2\n" in r.out
    assert {r: k.names(r) for r in ("deployments", "replicasets", "pods")} == before


def test_rollout_shows_old_and_new_replica_sets(k):
    k.apply(WEB)
    old_rs = k.names("replicasets")[0]
    r = k("diff", "-f", k.file("web.yaml", WEB.replace("nginx:1.25", "nginx:1.26")))
    assert r.code == 1
    assert f"/apps.v1.ReplicaSet.default.{old_rs} " in r.out
    assert "-  replicas: 2\n+  replicas: 0\n" in r.out
    assert "-      - image: nginx:1.25\n+      - image: nginx:1.26\n" in r.out
    assert k.names("replicasets") == [old_rs]


def test_secret_values_are_masked(k):
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {user: admin, password: one}\n"
    k.apply(secret)
    r = k("diff", "-f", k.file("s.yaml", secret.replace("password: one", "password: two")))
    assert r.code == 1
    assert "-  password: '*** (before)'\n+  password: '*** (after)'\n" in r.out
    assert "   user: '***'\n" in r.out
    assert "b25l" not in r.out and "dHdv" not in r.out  # base64 of one / two


def test_external_diff_program(k, tmp_path, capfd):
    k.apply(CFG)
    script = tmp_path / "mydiff"
    script.write_text('#!/bin/sh\necho "args: $1 $(basename $2) $(basename $3)"\nls "$2" "$3" | grep -v -e : -e "^$"\nexit 1\n')
    script.chmod(0o755)
    r = k("diff", "-f", k.file("cfg.yaml", CFG.replace("prod", "dev")),
          env={"KUBECTL_EXTERNAL_DIFF": f"{script} -u --bad;flag"})
    assert r.code == 1
    printed = capfd.readouterr().out
    # words other than letters, digits, '-' and '=' are dropped; the two directories come last
    assert re.match(r"args: -u LIVE-\w+ MERGED-\w+\nv1.ConfigMap.default.cfg\nv1.ConfigMap.default.cfg\n$", printed), printed


def test_errors_exit_two(k):
    r = k("diff", "-f", k.file("bad.yaml", CFG.replace("ConfigMap", "Nonsense")), "--validate=false")
    assert r.code == 2
    assert r.out == ""
    r = k("diff")
    assert (r.code, r.err) == (2, "error: must specify one of -f and -k\n")
