"""``-f`` for the write commands: read manifests, validate them as the API server will
(reporting problems at FILE:LINE:COL, like ``kctl lint``), and say which to send."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from kctl.cli.errors import CommandError

VALIDATE_MODES = {"strict": "strict", "true": "strict", "warn": "warn", "ignore": "ignore", "false": "ignore"}


@dataclass
class Loaded:
    manifests: list = field(default_factory=list)  # kctl.manifests.Manifest, valid ones
    failed: bool = False  # something could not be read or was invalid (exit 1 at the end)


def validate_mode(value: str) -> str:
    mode = VALIDATE_MODES.get(value.lower())
    if mode is None:
        raise CommandError(f'invalid - validate option "{value}"; must be one of: strict (or true), warn, ignore (or false)')
    return mode


def load(filenames: list[str], recursive: bool, validate: str = "strict") -> Loaded:
    """Read every document; report unreadable or invalid ones on stderr (lint's format)."""
    from kctl.lint.report import render_text
    from kctl.lint.runner import Linter, LintOptions
    from kctl.manifests import ManifestError, expand_paths, read_sources
    from kctl.manifests.reader import is_list_kind

    if not filenames:
        raise CommandError("must specify one of -f and -k", 1)
    out = Loaded()
    linter = Linter(LintOptions(strict=validate == "strict", ignore_missing_schemas=True)) if validate != "ignore" else None
    for item in read_sources(expand_paths(filenames, recursive)):
        if isinstance(item, ManifestError):
            sys.stderr.write(f"error: {item}\n")
            out.failed = True
            continue
        if is_list_kind(item.obj):
            continue
        if linter is not None:
            result = linter.check(item)
            if result is not None and not result.ok:
                text = render_text([result]).rstrip("\n")
                if validate == "warn":
                    sys.stderr.write("\n".join(f"Warning: {line}" for line in text.splitlines()) + "\n")
                else:
                    sys.stderr.write(f"error: {text}\n" if "\n" not in text else f"error: validation failed:\n{text}\n")
                    out.failed = True
                    continue
        out.manifests.append(item)
    if not out.manifests and not out.failed:
        raise CommandError("no objects passed to apply")
    return out


def check_namespace(manifest, request_ns: str | None, namespaced: bool) -> str | None:
    """EnsureObjectNamespaceMatchesRequestNamespace, client side (kubectl's wording)."""
    if not namespaced:
        return None
    obj_ns = manifest.namespace
    if request_ns and obj_ns and obj_ns != request_ns:
        raise CommandError(
            f'the namespace from the provided object "{obj_ns}" does not match the namespace "{request_ns}". '
            f"You must pass '--namespace={obj_ns}' to perform this operation."
        )
    return obj_ns or request_ns or "default"


def display_file(manifest) -> str:
    return "STDIN" if manifest.filename == "<stdin>" else manifest.filename
