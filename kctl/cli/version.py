"""kctl version: ``kubectl version`` (kubectl/pkg/cmd/version).

kctl is both the client and the (simulated) server, so both report the Kubernetes version
whose API kctl follows; kctl's own release is printed after the client line, where
kubectl prints its Kustomize version. ``-o json`` is ``version.Info`` per side in Go field
order with two-space indentation (``json.MarshalIndent``); ``-o yaml`` goes through JSON,
so its keys are sorted (sigs.k8s.io/yaml).
"""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import out


def version_info(git_version: str, *, server: bool) -> dict:
    """A ``version.Info`` for ``git_version`` (``v1.34.0``)."""
    import platform

    major, minor = git_version.lstrip("v").split(".")[:2]
    info = {"major": major, "minor": minor}
    if server:
        info.update(
            emulationMajor=major, emulationMinor=minor,
            minCompatibilityMajor=major, minCompatibilityMinor=str(max(int(minor) - 1, 0)),
        )
    machine = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), platform.machine().lower())
    info.update(
        gitVersion=git_version,
        gitCommit="",
        gitTreeState="clean",
        buildDate="",
        goVersion=f"python{platform.python_version()}",
        compiler="cpython",
        platform=f"{platform.system().lower()}/{machine}",
    )
    return info


def version_document(client_only: bool) -> dict:
    from kctl import KUBERNETES_VERSION, __version__

    doc: dict = {"clientVersion": version_info(KUBERNETES_VERSION, server=False), "kctlVersion": __version__}
    if not client_only:
        doc["serverVersion"] = version_info(KUBERNETES_VERSION, server=True)
    return doc


def version(
    client: bool = typer.Option(False, "--client", help="Print the client version only (no server)."),
    output: str = typer.Option(None, "--output", "-o", help="yaml or json."),
) -> None:
    """Print the client and server version information.

    Examples:
      # Print the client and server versions
      kctl version

      # Print them as JSON
      kctl version -o json
    """
    if output not in (None, "", "json", "yaml"):
        raise CommandError("--output must be 'yaml' or 'json'")
    doc = version_document(client)
    if output == "json":
        import json

        out(json.dumps(doc, indent=2))
        return
    if output == "yaml":
        from kctl.printers.serialize import to_yaml

        out(to_yaml(doc))
        return
    lines = [f"Client Version: {doc['clientVersion']['gitVersion']}", f"kctl Version: {doc['kctlVersion']}"]
    if not client:
        lines.append(f"Server Version: {doc['serverVersion']['gitVersion']}")
    out("\n".join(lines))


__all__ = ["version", "version_document", "version_info"]
