"""Pod updates through the CLI: the API server refuses spec changes other than the few
``ValidatePodUpdate`` allows (kubectl's messages), and the simulated kubelet restarts a
container whose image was updated."""

from __future__ import annotations

import json
import os

from tests.harness import advance_clock

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: x}
spec:
  containers:
  - name: app
    image: nginx:1.27
"""

FORBIDDEN = (
    "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
    "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
    "previously negative)"
)


def spec_of(k) -> dict:
    return k.get("pods", "x")["spec"]


def test_apply_with_a_changed_env_is_refused(k):
    k.apply(POD)
    before = spec_of(k)
    r = k("apply", "-f", k.file("p2.yaml", POD + "    env: [{name: A, value: '1'}]\n"))
    assert (r.code, r.out) == (1, "")
    lines = r.err.splitlines()
    assert lines[0] == 'The Pod "x" is invalid: ' + FORBIDDEN
    assert lines[1] == "  core.PodSpec{"
    assert lines[-1] == "  }"
    assert "- \t\t\tEnv:          nil," in lines
    assert '+ \t\t\tEnv:          []core.EnvVar{{Name: "A", Value: "1"}},' in lines
    assert spec_of(k) == before


def test_set_env_and_set_resources_on_a_pod_fail(k):
    k.apply(POD)
    r = k("set", "env", "pod/x", "A=1")
    assert r.code == 1
    assert r.err.splitlines()[0] == (
        'error: failed to patch env update to pod template: Pod "x" is invalid: ' + FORBIDDEN)
    # in-place resize is the resize subresource: a plain update may not change resources
    r = k("set", "resources", "pod/x", "--limits=cpu=1")
    assert r.code == 1
    lines = r.err.splitlines()
    assert lines[0] == 'error: failed to patch resources update to pod template Pod "x" is invalid: ' + FORBIDDEN
    cpu = '{s"cpu": {i: resource.int64Amount{value: 1}, s: "1", Format: "DecimalSI"}}'
    # requests are defaulted from limits
    assert lines[9:15] == [
        "  \t\t\tResources: core.ResourceRequirements{",
        "- \t\t\t\tLimits:   nil,",
        "+ \t\t\t\tLimits:   core.ResourceList" + cpu + ",",
        "- \t\t\t\tRequests: nil,",
        "+ \t\t\t\tRequests: core.ResourceList" + cpu + ",",
        "  \t\t\t},",
    ]
    assert "env" not in spec_of(k)["containers"][0]


def test_patch(k):
    k.apply(POD)
    r = k("patch", "pod", "x", "-p", '{"spec":{"containers":[{"name":"app","workingDir":"/srv"}]}}')
    assert r.code == 1
    assert r.err.splitlines()[0] == 'The Pod "x" is invalid: ' + FORBIDDEN
    assert k.ok("patch", "pod", "x", "--type=merge", "-p", '{"spec":{"activeDeadlineSeconds":60}}', "-q") == \
        "pod/x patched\n"
    r = k("patch", "pod", "x", "--type=merge", "-p", '{"spec":{"activeDeadlineSeconds":120}}')
    assert (r.code, r.err) == (1, 'The Pod "x" is invalid: spec.activeDeadlineSeconds: Invalid value: 120: '
                                  "must be less than or equal to previous value\n")
    # tolerations have no merge key: a strategic patch replaces the list, dropping the
    # admission-defaulted ones, which is not an addition
    r = k("patch", "pod", "x", "-p", '{"spec":{"tolerations":[{"key":"gpu","operator":"Exists"}]}}')
    assert (r.code, r.err) == (1, 'The Pod "x" is invalid: spec.tolerations: Forbidden: existing toleration '
                                  "can not be modified except its tolerationSeconds\n")
    patch = json.dumps([{"op": "add", "path": "/spec/tolerations/-", "value": {"key": "gpu", "operator": "Exists"}}])
    assert k.ok("patch", "pod", "x", "--type=json", "-p", patch, "-q") == "pod/x patched\n"
    assert spec_of(k)["tolerations"][-1] == {"key": "gpu", "operator": "Exists"}
    assert spec_of(k)["activeDeadlineSeconds"] == 60


def test_edit_reopens_with_the_forbidden_diff(k, tmp_path):
    k.apply(POD)
    ed = tmp_path / "ed"
    ed.write_text(
        "#!/bin/sh\n"
        f'n=$(ls {tmp_path} | grep -c "^seen-")\n'
        f'cp "$1" {tmp_path}/seen-$n.txt\n'
        "sed -i 's/terminationGracePeriodSeconds: 30/terminationGracePeriodSeconds: 60/' \"$1\"\n"
    )
    ed.chmod(0o755)
    r = k("edit", "pod/x", env={"EDITOR": str(ed)})
    assert r.code == 1
    lines = r.err.splitlines()
    assert lines[0] == 'error: pods "x" is invalid'
    assert lines[2] == "error: Edit cancelled, no valid changes were saved."
    os.remove(lines[1].split('"')[1])
    second = (tmp_path / "seen-1.txt").read_text()
    assert '# pods "x" was not valid:\n# * ' + FORBIDDEN + "\n#   core.PodSpec{\n" in second
    assert "# - \tTerminationGracePeriodSeconds: &30,\n# + \tTerminationGracePeriodSeconds: &60,\n" in second
    assert spec_of(k)["terminationGracePeriodSeconds"] == 30


def test_an_image_update_restarts_the_container(k):
    k.apply(POD)
    advance_clock(k.db, 30)
    assert k.ok("set", "image", "pod/x", "app=nginx:1.28", "-q") == "pod/x image updated\n"
    pod = k.get("pods", "x")
    status = pod["status"]["containerStatuses"][0]
    assert status["image"] == "docker.io/library/nginx:1.28"
    assert status["restartCount"] == 1
    assert status["state"] == {"running": {"startedAt": "2025-05-01T12:00:30Z"}}
    assert status["lastState"]["terminated"]["reason"] == "Completed"
    assert status["lastState"]["terminated"]["finishedAt"] == "2025-05-01T12:00:30Z"
    events = json.loads(k.ok("events", "--for", "pod/x", "-o", "json"))["items"]
    assert [(e["reason"], e.get("message") or e.get("note")) for e in events][-4:] == [
        ("Killing", "Container app definition changed, will be restarted"),
        ("Pulled", 'Container image "nginx:1.28" already present on machine'),
        ("Created", "Created container: app"),
        ("Started", "Started container app"),
    ]
    assert k.ok("get", "pod", "x").splitlines()[1].split()[2:5] == ["Running", "1", "(0s"]
    # applying the same image again changes nothing
    assert k.ok("apply", "-f", k.file("p3.yaml", POD.replace("1.27", "1.28"))) == "pod/x configured\n"
    assert k.get("pods", "x")["status"]["containerStatuses"][0]["restartCount"] == 1
