"""Behavior of the read commands beyond their layouts: exit codes and streams, version,
completion scripts, the shared selection helper, api-resources filters."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml


def test_get_sends_results_to_stdout_and_problems_to_stderr(shop):
    r = shop("get", "cm", "web-config", "nope", "-o", "jsonpath={.items[*].metadata.name}")
    assert (r.code, r.out) == (1, "web-config")
    assert r.err == 'Error from server (NotFound): configmaps "nope" not found\n'


def test_single_named_object_is_bare_and_two_names_are_a_list(shop):
    one = yaml.safe_load(shop.ok("get", "deploy", "web", "-o", "yaml"))
    assert one["kind"] == "Deployment"
    two = json.loads(shop.ok("get", "deploy/web", "svc/web", "-o", "json"))
    assert two["kind"] == "List" and [i["kind"] for i in two["items"]] == ["Deployment", "Service"]
    selected = json.loads(shop.ok("get", "deploy", "-l", "app=web", "-o", "json"))
    assert selected["kind"] == "List" and len(selected["items"]) == 1


def test_ages_follow_the_cluster_clock(fresh):
    assert fresh.ok("get", "ns", "default", "--no-headers").split()[-1] == "0s"
    fresh.advance(3 * 3600 + 4 * 60)
    assert fresh.ok("get", "ns", "default", "--no-headers").split()[-1] == "3h4m"


def test_unknown_flag_is_a_usage_error(shop):
    r = shop("get", "pods", "--bogus")
    assert r.code == 1 and "--bogus" in r.err and r.out == ""


def test_ignore_not_found_is_silent_for_single_missing_object(shop):
    for output in ([], ["-o", "yaml"], ["-o", "name"]):
        r = shop("get", "deploy", "nope", "--ignore-not-found", *output)
        assert (r.code, r.out, r.err) == (0, "", "")


def test_field_selector_on_events(shop):
    out = shop.ok("get", "events", "-n", "data", "--field-selector", "involvedObject.kind=Job", "-o", "name")
    names = out.split()
    assert len(names) == 2 and all(n.startswith("event/migrate.") for n in names)


def test_not_equal_selectors(shop):
    pods = shop.ok("get", "pods", "-A", "-l", "app!=log-agent", "--field-selector", "status.phase!=Succeeded",
                   "-o", "name").split()
    # the log-agent DaemonSet pods and the completed migrate Job pod are filtered out
    assert pods[:2] == ["pod/db-0", "pod/db-1"]
    assert len(pods) == 4 and all(p.startswith("pod/web-cf547ddf6-") for p in pods[2:])


def test_describe_prefix_without_match_reports_the_original_error(shop):
    r = shop("describe", "deploy", "zzz")
    assert (r.code, r.out) == (1, "")
    assert r.err == 'Error from server (NotFound): deployments.apps "zzz" not found\n'


def test_describe_exact_name_wins_over_prefix(shop):
    out = shop.ok("describe", "svc", "web")
    assert out.startswith("Name:                     web\n") and "web-lb" not in out


def test_describe_several_objects_are_separated_by_two_blank_lines(shop):
    out = shop.ok("describe", "svc", "-l", "app=web")
    assert out.count("\n\n\nName:") == 0  # only one labelled service
    out = shop.ok("describe", "ns", "default", "kube-public")
    assert out.count("\n\n\nName:") == 1


def test_describe_hides_events_on_request(shop):
    assert "Events:" not in shop.ok("describe", "deploy", "web", "--no-show-events")


def test_selection_helper(shop):
    from kctl.api.server import APIServer
    from kctl.cli.args import parse_resource_args
    from kctl.cli.errors import CommandError
    from kctl.cli.selection import select
    from kctl.cli.session import Session
    from kctl.store.store import Store

    store = Store.open(str(shop.db))
    try:
        with store.snapshot() as tx:
            api = APIServer(tx)
            s = Session(api, store, tx, writable=False)
            found = select(s.api, parse_resource_args(["pods,svc"]), all_namespaces=True, label_selector="app=web")
            assert [(rt.name, len(objs)) for rt, objs in found.groups] == [("pods", 2), ("services", 1)]
            assert found.multi_type and not found.single_named and not found.errors
            found = select(api, parse_resource_args(["cm", "web-config", "nope"]))
            assert [o["metadata"]["name"] for o in found.objects] == ["web-config"]
            assert [e.render() for e in found.errors] == ['Error from server (NotFound): configmaps "nope" not found']
            found = select(api, parse_resource_args(["ep"]), namespace="data")
            assert found.warnings == ["Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"]
            with pytest.raises(CommandError, match="cannot be retrieved by name across all namespaces"):
                select(api, parse_resource_args(["pods", "x"]), all_namespaces=True)
            with pytest.raises(CommandError, match="selectors and the all flag cannot be used"):
                select(api, parse_resource_args(["pod/x"]), label_selector="a=b")
    finally:
        store.close()


def test_api_resources_filters(shop):
    names = shop.ok("api-resources", "--api-group=", "--namespaced=false", "-o", "name").split()
    assert names == ["componentstatuses", "namespaces", "nodes", "persistentvolumes"]
    assert shop.ok("api-resources", "--verbs=create", "--api-group=authentication.k8s.io", "-o", "name").split() == [
        "selfsubjectreviews.authentication.k8s.io", "tokenreviews.authentication.k8s.io"]
    by_kind = shop.ok("api-resources", "--sort-by=kind", "--no-headers").splitlines()
    assert by_kind[0].split()[0] == "apiservices"
    r = shop("api-resources", "--namespaced=maybe")
    assert r.code == 1 and 'invalid argument "maybe" for "--namespaced" flag' in r.err


def test_version(shop):
    from kctl import __version__

    assert shop.ok("version") == f"Client Version: v1.34.0\nkctl Version: {__version__}\nServer Version: v1.34.0\n"
    assert shop.ok("version", "--client") == f"Client Version: v1.34.0\nkctl Version: {__version__}\n"
    doc = json.loads(shop.ok("version", "-o", "json"))
    assert list(doc) == ["clientVersion", "kctlVersion", "serverVersion"]
    assert (doc["clientVersion"]["major"], doc["clientVersion"]["minor"]) == ("1", "34")
    assert doc["serverVersion"]["emulationMinor"] == "34"
    assert list(doc["clientVersion"])[:3] == ["major", "minor", "gitVersion"]
    assert yaml.safe_load(shop.ok("version", "-o", "yaml")) == doc
    r = shop("version", "-o", "table")
    assert (r.code, r.err) == (1, "error: --output must be 'yaml' or 'json'\n")


def test_completion_errors(shop):
    assert shop("completion").err == "error: Shell not specified.\n"
    assert shop("completion", "bash", "zsh").err == "error: Too many arguments. Expected only the shell type.\n"
    r = shop("completion", "tcsh")
    assert (r.code, r.err) == (1, 'error: Unsupported shell type "tcsh".\n')


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_script_is_valid_bash(shop, tmp_path):
    script = shop.ok("completion", "bash")
    assert "complete -o default -F _kctl_completion kctl" in script
    path = tmp_path / "kctl.bash"
    path.write_text(script)
    subprocess.run(["bash", "-n", str(path)], check=True)


KCTL_SCRIPT = os.path.join(os.path.dirname(sys.executable), "kctl")


@pytest.mark.skipif(not os.path.exists(KCTL_SCRIPT), reason="needs the installed kctl console script")
def test_completion_answers_with_commands():
    """What the bash script asks for: kctl itself answers, through typer's completion hook."""
    env = {**os.environ, "_KCTL_COMPLETE": "complete_bash", "COMP_WORDS": "kctl api-r", "COMP_CWORD": "1"}
    r = subprocess.run([KCTL_SCRIPT], env=env, capture_output=True, text=True, check=False)
    assert r.stdout.split() == ["api-resources"]


def test_zsh_and_fish_scripts(shop):
    assert shop.ok("completion", "zsh").startswith("#compdef kctl\n")
    assert "complete --command kctl" in shop.ok("completion", "fish")


def test_explain_needs_a_type(shop):
    r = shop("explain")
    assert r.code == 1 and "error: Required resource not specified." in r.err
    r = shop("explain", "pods", "svc")
    assert r.err == "error: We accept only this format: explain RESOURCE, received 2\n"


@pytest.mark.skipif(shutil.which("bash") is None or not os.path.exists(KCTL_SCRIPT), reason="needs bash and kctl")
def test_bash_completion_end_to_end(shop, tmp_path):
    """Source the script in bash and complete ``kctl get --show-k`` as a user's Tab would."""
    path = tmp_path / "kctl.bash"
    path.write_text(shop.ok("completion", "bash"))
    env = {**os.environ, "PATH": os.path.dirname(KCTL_SCRIPT) + os.pathsep + os.environ.get("PATH", "")}
    line = f'source {path}; COMP_WORDS=(kctl get --show-k); COMP_CWORD=2; _kctl_completion kctl; echo "${{COMPREPLY[@]}}"'
    r = subprocess.run(["bash", "-c", line], env=env, capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["--show-kind"]
