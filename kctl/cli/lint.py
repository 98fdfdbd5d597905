"""kctl lint: validate manifests as the API server would, without a cluster."""

from __future__ import annotations

import os
import sys

import typer

from kctl.cli.errors import CommandError

FORMATS = ("text", "json", "junit", "sarif")


def lint(
    paths: list[str] = typer.Argument(None, metavar="[PATH|-]...", help="Files, folders, or - for stdin.", show_default=False),
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Same as PATH (kubectl habit); repeatable.", show_default=False),
    recursive: bool = typer.Option(False, "--recursive", "-R", help="Descend into sub-folders."),
    strict: bool = typer.Option(True, "--strict/--no-strict", help="Unknown and duplicate fields are errors (the API server's strict field validation)."),
    output: str = typer.Option("text", "--output", "-o", help="Report format: text, json, junit or sarif."),
    summary: bool = typer.Option(False, "--summary", help="Print a one-line summary (kubeconform's)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also report valid resources."),
    schema_location: list[str] = typer.Option(None, "--schema-location", metavar="DIR", help="Extra schemas laid out as {kind}-{group}-{version}.json; repeatable.", show_default=False),
    skip: str = typer.Option("", "--skip", metavar="KIND,...", help="Kinds (or group/version/Kind) not to validate."),
    ignore_missing_schemas: bool = typer.Option(False, "--ignore-missing-schemas", help="Skip kinds that have no schema instead of failing."),
) -> None:
    """Validate Kubernetes manifests against the API schemas and the server-side rules.

    Exit status: 0 when every resource is valid or skipped, 1 when any is invalid or
    could not be read, 2 on usage errors.

    Examples:
      # Lint every manifest under k8s/, recursively
      kctl lint -R k8s/

      # Lint from stdin, with a kubeconform-compatible JSON report
      helm template ./chart | kctl lint - -o json
    """
    from kctl.lint.parallel import lint_sources
    from kctl.lint.report import render
    from kctl.lint.runner import LintOptions
    from kctl.manifests import expand_paths

    if output not in FORMATS:
        raise CommandError(f'unknown output format "{output}": expected one of {", ".join(FORMATS)}', 2)
    targets = list(paths or []) + list(filenames or [])
    if not targets:
        raise CommandError("no manifests given: pass files, folders, or - for stdin", 2)
    for location in schema_location or ():
        if not os.path.isdir(location):
            reason = "not a directory" if os.path.exists(location) else "no such directory"
            raise CommandError(f"--schema-location {location}: {reason}", 2)
    options = LintOptions(
        strict=strict,
        skip=frozenset(k.strip() for k in skip.split(",") if k.strip()),
        ignore_missing_schemas=ignore_missing_schemas,
        schema_locations=tuple(schema_location or ()),
    )
    results = lint_sources(expand_paths(targets, recursive), options)
    from kctl.cli.context import color_enabled

    text = render(results, output, summary=summary, verbose=verbose, color=output == "text" and color_enabled())
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if not all(r.ok for r in results):
        raise typer.Exit(1)
