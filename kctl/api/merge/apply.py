"""Client-side apply: kubectl's ``Patcher.patchSimple`` as a pure function.

``three_way_merge`` computes the patch kubectl would send (strategic merge patch for kinds
in kubectl's scheme, JSON merge patch otherwise) and the object the API server gets by
applying it to the live object, before defaulting and validation (a removed
``spec.replicas`` is simply absent here; the server's defaulting makes it 1).

``client_side_apply`` wraps the whole exchange for one manifest: last-applied annotation,
original from the live annotation, three-way patch, result, and kubectl's verb.
"""

from __future__ import annotations

from dataclasses import dataclass

from kctl.api.merge.builtin_types import patch_meta_for
from kctl.api.merge.jsonmerge import create_three_way_json_merge_patch, json_merge_patch
from kctl.api.merge.last_applied import modified_configuration, original_configuration
from kctl.api.merge.patchmeta import PatchMeta
from kctl.api.merge.strategic import create_three_way_merge_patch, strategic_merge


def three_way_merge(
    original: dict | None, modified: dict, current: dict, *, kind_info: PatchMeta | None
) -> tuple[dict, dict]:
    """(patch, result). ``kind_info`` is the kind's ``PatchMeta`` (``patch_meta_for``), or
    None for a JSON merge patch. ``patch == {}`` means kubectl prints ``unchanged``.

    Raises ``PreconditionFailed`` when the patch would change apiVersion, kind or name,
    ``MergeError`` on documents the merge cannot process. Arguments are not modified.
    """
    if kind_info is None:
        patch = create_three_way_json_merge_patch(original, modified, current)
        return patch, json_merge_patch(current, patch)
    patch = create_three_way_merge_patch(original, modified, current, kind_info)
    return patch, strategic_merge(current, patch, kind_info)


@dataclass(frozen=True)
class ApplyOutcome:
    operation: str  # "created", "configured" or "unchanged"
    result: dict  # the object to store (before server-side defaulting/validation)
    patch: dict | None  # None when created
    #: The live object had no last-applied annotation (kubectl warns, then patches it in).
    missing_last_applied: bool = False


def client_side_apply(
    manifest: dict,
    live: dict | None,
    *,
    namespace: str | None = None,
    namespaced: bool | None = None,
    schema: dict | None = None,
) -> ApplyOutcome:
    """One object of ``kubectl apply`` (client side): create, or three-way patch."""
    modified = modified_configuration(manifest, namespace=namespace, namespaced=namespaced)
    if live is None:
        return ApplyOutcome("created", modified, None)
    original = original_configuration(live)
    kind_info = patch_meta_for(str(manifest.get("apiVersion", "")), str(manifest.get("kind", "")), schema=schema)
    patch, result = three_way_merge(original, modified, live, kind_info=kind_info)
    return ApplyOutcome("unchanged" if not patch else "configured", result, patch, original is None)
