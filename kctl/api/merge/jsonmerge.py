"""JSON merge patch (RFC 7386), as evanphx/json-patch and apimachinery's ``jsonmergepatch`` do it.

Used for kinds kubectl has no strategic information about (custom resources such as the
VPA or kctl's NodeGroup, CRDs, APIServices): every list is replaced whole, ``null``
deletes a key, maps merge key by key.
"""

from __future__ import annotations

from typing import Any

from kctl.api.merge.gojson import deep_equal, normalize
from kctl.api.merge.strategic import require_identity_unchanged


def json_merge_patch(target: Any, patch: Any) -> Any:
    """Apply ``patch`` to ``target`` (RFC 7386 ``MergePatch``); neither is modified."""
    return _merge(normalize(target), normalize(patch))


def _merge(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    result = target if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge(result.get(key), value)
    return result


def create_merge_patch(original: dict, modified: dict) -> dict:
    """``CreateMergePatch``: the merge patch turning ``original`` into ``modified``."""
    return _diff(normalize(original), normalize(modified))


def _diff(original: dict, modified: dict) -> dict:
    patch: dict[str, Any] = {}
    for key, value in modified.items():
        if key not in original:
            patch[key] = value
            continue
        old = original[key]
        if isinstance(old, dict) and isinstance(value, dict):
            sub = _diff(old, value)
            if sub:
                patch[key] = sub
        elif not deep_equal(old, value):
            patch[key] = value
    for key in original:
        if key not in modified:
            patch[key] = None
    return patch


def _keep_or_delete_null(patch: dict, keep_null: bool) -> dict:
    """``keepOrDeleteNullInObj``: keep only the deletions (nulls), or only the rest."""
    out: dict[str, Any] = {}
    for key, value in patch.items():
        if value is None:
            if keep_null:
                out[key] = None
        elif isinstance(value, dict):
            if not value:
                # an explicitly empty map is a value, not an empty patch
                if not keep_null:
                    out[key] = value
                continue
            sub = _keep_or_delete_null(value, keep_null)
            if sub:
                out[key] = sub
        elif not keep_null:
            out[key] = value
    return out


def create_three_way_json_merge_patch(
    original: dict | None, modified: dict, current: dict, *, check_preconditions: bool = True
) -> dict:
    """``jsonmergepatch.CreateThreeWayJSONMergePatch``: additions and changes from current
    to modified, plus deletions from original (last-applied) to modified."""
    add_and_change = _keep_or_delete_null(create_merge_patch(current, modified), keep_null=False)
    deletions = _keep_or_delete_null(create_merge_patch(original or {}, modified), keep_null=True)
    patch = _deep_merge(deletions, add_and_change)
    if check_preconditions:
        require_identity_unchanged(patch)
    return patch


def _deep_merge(base: dict, extra: dict) -> dict:
    # MergePatch(deletions, addAndChange): the null-free second patch merges into the first.
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = _deep_merge(base[key], value)
        else:
            base[key] = value
    return base
