"""kctl edit with scripted editors (EDITOR / KUBE_EDITOR)."""

from __future__ import annotations

import os

HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)


def editor(tmp_path, name: str, body: str) -> str:
    """A shell script editor; every file it is given is saved as seen-<n>.txt first."""
    path = tmp_path / name
    path.write_text(
        "#!/bin/sh\n"
        f'n=$(ls {tmp_path} | grep -c "^seen-")\n'
        f'cp "$1" {tmp_path}/seen-$n.txt\n' + body
    )
    path.chmod(0o755)
    return str(path)


def seen(tmp_path, n: int) -> str:
    return (tmp_path / f"seen-{n}.txt").read_text()


def test_edit_applies_the_change(web, tmp_path):
    ed = editor(tmp_path, "ed", "sed -i 's/replicas: 2/replicas: 3/' \"$1\"\n")
    r = web("edit", "deployment/web", "-q", env={"EDITOR": ed})
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web edited\n", "")
    assert seen(tmp_path, 0).startswith(HEADER + "apiVersion: apps/v1\nkind: Deployment\n")
    assert web.get("deployments", "web")["spec"]["replicas"] == 3
    assert len(web.names("pods")) == 3


def test_kube_editor_wins_and_no_change_cancels(web, tmp_path):
    ed = editor(tmp_path, "ed", "true\n")
    r = web("edit", "deployment", "web", env={"KUBE_EDITOR": ed, "EDITOR": "/nonexistent"})
    assert (r.code, r.out, r.err) == (0, "", "Edit cancelled, no changes made.\n")


def test_empty_file_cancels(web, tmp_path):
    ed = editor(tmp_path, "ed", ': > "$1"\n')
    r = web("edit", "deployment", "web", env={"EDITOR": ed})
    assert (r.code, r.err) == (0, "Edit cancelled, saved file was empty.\n")


def test_invalid_edit_reopens_with_the_errors_then_gives_up(web, tmp_path):
    ed = editor(tmp_path, "ed", "sed -i 's/replicas: [0-9]*$/replicas: -1/' \"$1\"\n")
    r = web("edit", "deployment", "web", env={"EDITOR": ed})
    assert r.code == 1
    lines = r.err.splitlines()
    assert lines[0] == 'error: deployments.apps "web" is invalid'
    assert lines[1].startswith('A copy of your changes has been stored to "') and lines[1].endswith('.yaml"')
    assert lines[2] == "error: Edit cancelled, no valid changes were saved."
    second = seen(tmp_path, 1)
    assert second.startswith(
        HEADER
        + '# deployments.apps "web" was not valid:\n'
        + "# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
        + "#\n"
        + "apiVersion: apps/v1\n"
    )
    assert "replicas: -1" in second  # the user's edit is kept, not the original
    kept = lines[1].split('"')[1]
    assert os.path.exists(kept)
    os.remove(kept)
    assert web.get("deployments", "web")["spec"]["replicas"] == 2


def test_invalid_edit_fixed_on_second_try(web, tmp_path):
    ed = editor(tmp_path, "ed",
                'if grep -q "was not valid" "$1"; then sed -i "s/replicas: -1/replicas: 1/" "$1";\n'
                "else sed -i 's/replicas: 2$/replicas: -1/' \"$1\"; fi\n")
    r = web("edit", "deployment", "web", "-q", env={"EDITOR": ed})
    assert r.code == 0
    assert r.out == "deployment.apps/web edited\n"
    assert r.err == 'error: deployments.apps "web" is invalid\n'
    assert web.get("deployments", "web")["spec"]["replicas"] == 1


def test_syntax_error_is_reported_in_the_header(web, tmp_path):
    ed = editor(tmp_path, "ed",
                'if grep -q "syntax error" "$1"; then exit 0; fi\necho "spec: [unclosed" >> "$1"\n')
    r = web("edit", "deployment", "web", env={"EDITOR": ed})
    assert r.code == 1
    assert "# The edited file had a syntax error: " in seen(tmp_path, 1)
    remove_kept(r.err)


def test_name_change_is_refused(web, tmp_path):
    ed = editor(tmp_path, "ed", "sed -i 's/^  name: web$/  name: other/' \"$1\"\n")
    r = web("edit", "deployment", "web", env={"EDITOR": ed})
    assert r.code == 1
    assert r.err.endswith("error: At least one of apiVersion, kind and name was changed\n")
    remove_kept(r.err)


def remove_kept(err: str) -> None:
    kept = [line.split('"')[1] for line in err.splitlines() if line.startswith("A copy of your changes")]
    assert kept
    for path in kept:
        os.remove(path)


def test_edit_missing_object(k):
    r = k("edit", "deployment", "ghost", env={"EDITOR": "true"})
    assert (r.code, r.err) == (1, 'Error from server (NotFound): deployments.apps "ghost" not found\n')
