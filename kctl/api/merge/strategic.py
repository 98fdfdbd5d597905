"""Strategic merge patch: ``k8s.io/apimachinery/pkg/util/strategicpatch``, over plain dicts.

Creating a patch (``diff_maps`` and friends) and applying one (``merge_map``) follow
upstream step by step, including the directives a patch may carry:

- ``$patch: delete`` on a list item (created for items removed from a merging list),
  ``$patch: replace`` / ``$patch: delete`` on a map or inside a list;
- ``$deleteFromPrimitiveList/<field>`` for merging lists of scalars (finalizers);
- ``$setElementOrder/<field>`` to carry the order of a merging list;
- ``$retainKeys`` for fields tagged ``retainKeys`` (``spec.strategy``, volume sources).

Ordering of merged lists follows upstream's ``normalizeElementOrder``: items named by the
patch in the patch's (or ``$setElementOrder``'s) order, with items only the server has
interleaved by their position in the live list.

Differences, on purpose: no validation of ``$setElementOrder`` against the patch list; a
``$deleteFromPrimitiveList`` for a field the live object lacks deletes nothing (upstream
copies the deletion list in as the value, depending on map iteration order).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kctl.api.merge.errors import MergeError, PreconditionFailed, no_merge_key
from kctl.api.merge.gojson import deep_equal, go_v, normalize, same_scalar
from kctl.api.merge.patchmeta import MERGE, REPLACE, PatchMeta

DIRECTIVE_MARKER = "$patch"
DELETE_DIRECTIVE = "delete"
REPLACE_DIRECTIVE = "replace"
MERGE_DIRECTIVE = "merge"
RETAIN_KEYS_DIRECTIVE = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST_PREFIX = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER_PREFIX = "$setElementOrder"

_MAP = "map"


@dataclass(frozen=True)
class DiffOptions:
    set_element_order: bool = False
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    build_retain_keys_directive: bool = False


@dataclass(frozen=True)
class MergeOptions:
    #: True when applying a patch (server side); False when merging two patches (client side).
    merge_parallel_list: bool = False
    ignore_unmatched_nulls: bool = False


_APPLY = MergeOptions(merge_parallel_list=True, ignore_unmatched_nulls=True)


# ---------------------------------------------------------------- creating patches


def create_two_way_merge_patch(original: dict, modified: dict, meta: PatchMeta) -> dict:
    """``CreateTwoWayMergeMapPatch``: the patch that turns ``original`` into ``modified``."""
    return diff_maps(normalize(original), normalize(modified), meta, DiffOptions(set_element_order=True))


def create_three_way_merge_patch(
    original: dict | None, modified: dict, current: dict, meta: PatchMeta, *, check_preconditions: bool = True
) -> dict:
    """``CreateThreeWayMergePatch`` with ``overwrite=true`` (what ``kubectl apply`` sends).

    The patch is the difference current -> modified without deletions, plus the deletions
    original -> modified.
    """
    original_map = normalize(original or {})
    modified_map = normalize(modified)
    current_map = normalize(current)
    delta = diff_maps(current_map, modified_map, meta, DiffOptions(set_element_order=True, ignore_deletions=True))
    deletions = diff_maps(
        original_map, modified_map, meta, DiffOptions(set_element_order=True, ignore_changes_and_additions=True)
    )
    patch = merge_map(deletions, delta, meta, MergeOptions())
    if check_preconditions:
        require_identity_unchanged(patch)
    return patch


def require_identity_unchanged(patch: dict) -> None:
    """kubectl's preconditions: ``RequireKeyUnchanged("apiVersion")``, ``("kind")`` and
    ``RequireMetadataKeyUnchanged("name")``."""
    metadata = patch.get("metadata")
    if "apiVersion" in patch or "kind" in patch or (isinstance(metadata, dict) and "name" in metadata):
        raise PreconditionFailed()


def diff_maps(original: dict, modified: dict, meta: PatchMeta, options: DiffOptions) -> dict:
    """``diffMaps``: a (recursive) patch that yields ``modified`` from ``original``."""
    patch: dict[str, Any] = {}
    retain_keys: list[str] = []
    for key, modified_value in modified.items():
        if options.build_retain_keys_directive and modified_value is not None:
            retain_keys.append(key)
        if key not in original:
            if not options.ignore_changes_and_additions:
                patch[key] = modified_value
            continue
        original_value = original[key]
        if key == DIRECTIVE_MARKER:
            if not isinstance(original_value, str) or not isinstance(modified_value, str):
                raise MergeError(f"invalid value for special key: {DIRECTIVE_MARKER}")
            if original_value != modified_value:
                patch[key] = modified_value
            continue
        if type(original_value) is not type(modified_value):
            if not options.ignore_changes_and_additions:
                patch[key] = modified_value
            continue
        if isinstance(original_value, dict):
            _handle_map_diff(key, original_value, modified_value, patch, meta, options)
        elif isinstance(original_value, list):
            _handle_slice_diff(key, original_value, modified_value, patch, meta, options)
        elif not options.ignore_changes_and_additions and not deep_equal(original_value, modified_value):
            patch[key] = modified_value
    if not options.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain_keys and (patch or _has_additional_new_field(original, modified)):
        patch[RETAIN_KEYS_DIRECTIVE] = sort_scalars(retain_keys)
    return patch


def _has_additional_new_field(original: dict, modified: dict) -> bool:
    return any(value is not None and key not in modified for key, value in original.items())


def _handle_map_diff(key: str, original: dict, modified: dict, patch: dict, meta: PatchMeta, options: DiffOptions):
    field = meta.lookup(key)
    options = replace(options, build_retain_keys_directive=field.retain_keys)
    if field.strategy == REPLACE:
        # upstream sends the whole map, changed or not
        if not options.ignore_changes_and_additions:
            patch[key] = modified
        return
    value = diff_maps(original, modified, field.meta, options)
    if value:
        patch[key] = value


def _handle_slice_diff(key: str, original: list, modified: list, patch: dict, meta: PatchMeta, options: DiffOptions):
    field = meta.lookup(key)
    if field.strategy != MERGE:
        if not options.ignore_changes_and_additions and not deep_equal(original, modified):
            patch[key] = modified
        return
    options = replace(options, build_retain_keys_directive=field.retain_keys)
    add_list, deletion_list, set_order_list = _diff_lists(original, modified, field.meta, field.merge_key, options)
    if add_list:
        patch[key] = add_list
    if deletion_list:
        patch[f"{DELETE_FROM_PRIMITIVE_LIST_PREFIX}/{key}"] = deletion_list
    if set_order_list:
        patch[f"{SET_ELEMENT_ORDER_PREFIX}/{key}"] = set_order_list


def _diff_lists(original: list, modified: list, meta: PatchMeta, merge_key: str, options: DiffOptions):
    if not original:
        if not modified or options.ignore_changes_and_additions:
            return None, None, None
        return modified, None, None
    kind = slice_element_kind(original, modified)
    set_order: list | None = None
    if kind == _MAP:
        patch_list, delete_list = _diff_lists_of_maps(original, modified, meta, merge_key, options)
        patch_list = _normalize_slice_order(patch_list, modified, merge_key, kind)
        order_same = _is_order_same(original, modified, merge_key)
        patch_list = patch_list + delete_list
        delete_list = None
        if options.set_element_order and (
            (not options.ignore_changes_and_additions and (patch_list or not order_same))
            or (not options.ignore_deletions and patch_list)
        ):
            set_order = [{merge_key: item.get(merge_key)} for item in modified]
    elif kind == "list":
        raise MergeError("lists of lists are not supported")
    else:
        patch_list, delete_list = _diff_lists_of_scalars(original, modified, options)
        patch_list = _normalize_slice_order(patch_list, modified, merge_key, kind)
        if options.set_element_order and (
            (not options.ignore_deletions and delete_list)
            or (not options.ignore_changes_and_additions and not deep_equal(original, modified))
        ):
            set_order = modified
    return patch_list, delete_list, set_order


def _is_order_same(original: list, modified: list, merge_key: str) -> bool:
    if len(original) != len(modified):
        return False
    for left, right in zip(original, modified, strict=True):
        if not _merge_key_value_equal(left, right, merge_key):
            return False
    return True


def _merge_key_value_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return same_scalar(left, right)
    for item in (left, right):
        if not isinstance(item, dict):
            raise MergeError(f"expected a map, got {go_v(item)}")
        if merge_key not in item:
            raise no_merge_key(go_v(item), merge_key)
    return same_scalar(left[merge_key], right[merge_key])


def _diff_lists_of_scalars(original: list, modified: list, options: DiffOptions) -> tuple[list, list]:
    original_sorted = sort_scalars(original)
    modified_sorted = sort_scalars(modified)
    add_list: list = []
    deletion_list: list = []
    i = j = 0
    while i < len(original_sorted) or j < len(modified_sorted):
        in_o, in_m = i < len(original_sorted), j < len(modified_sorted)
        o_str = go_v(original_sorted[i]) if in_o else ""
        m_str = go_v(modified_sorted[j]) if in_m else ""
        if in_o and in_m and o_str == m_str:
            i += 1
            j += 1
        elif not in_o or (in_m and o_str > m_str):
            if not options.ignore_changes_and_additions:
                add_list.append(modified_sorted[j])
            j += 1
        else:
            if not options.ignore_deletions:
                deletion_list.append(original_sorted[i])
            i += 1
    return add_list, deduplicate_scalars(deletion_list)


def _diff_lists_of_maps(original: list, modified: list, meta: PatchMeta, merge_key: str, options: DiffOptions):
    patch: list = []
    deletions: list = []
    original_sorted = _sort_maps_by_field(original, merge_key)
    modified_sorted = _sort_maps_by_field(modified, merge_key)
    i = j = 0
    while i < len(original_sorted) or j < len(modified_sorted):
        in_o, in_m = i < len(original_sorted), j < len(modified_sorted)
        if in_o:
            o_elem, o_key = _map_and_merge_key(original_sorted[i], merge_key)
            o_str = go_v(o_key)
        if in_m:
            m_elem, m_key = _map_and_merge_key(modified_sorted[j], merge_key)
            m_str = go_v(m_key)
        if in_o and in_m and o_str == m_str:
            value = diff_maps(o_elem, m_elem, meta, options)
            if value:
                value[merge_key] = m_key
                patch.append(value)
            i += 1
            j += 1
        elif not in_o or (in_m and o_str > m_str):
            if not options.ignore_changes_and_additions:
                patch.append(m_elem)
            j += 1
        else:
            if not options.ignore_deletions:
                deletions.append({merge_key: o_key, DIRECTIVE_MARKER: DELETE_DIRECTIVE})
            i += 1
    return patch, deletions


def _map_and_merge_key(item: Any, merge_key: str) -> tuple[dict, Any]:
    if not isinstance(item, dict):
        raise MergeError(f"expected a map, got {go_v(item)}")
    if merge_key not in item:
        raise no_merge_key(go_v(item), merge_key)
    return item, item[merge_key]


def _sort_maps_by_field(items: list, field: str) -> list:
    return sorted(items, key=lambda m: go_v(m.get(field)) if isinstance(m, dict) else "")


def sort_scalars(items: list) -> list:
    """``sortScalars``: by ``%v`` text."""
    return sorted(items, key=go_v)


def deduplicate_scalars(items: list) -> list:
    """``deduplicateScalars``: upstream's in-place algorithm (a later duplicate is replaced
    by the last element), so the resulting order is upstream's too."""
    s = list(items)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if same_scalar(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def slice_element_kind(*slices: list) -> str:
    """``sliceElementType``: ``"map"``, ``"list"`` or the scalar type name; all must agree."""
    previous: str | None = None
    for items in slices:
        for value in items:
            kind = _kind(value)
            if previous is None:
                previous = kind
                if kind == "list":
                    raise MergeError("lists of lists are not supported")
            elif kind != previous:
                raise MergeError(f"list element types are not identical: {go_v(list(slices))}")
    if previous is None:
        raise MergeError("no elements in any of the given slices")
    return previous


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return _MAP
    if isinstance(value, list):
        return "list"
    return type(value).__name__


# ---------------------------------------------------------------- ordering


def _index(items: list, value: Any, merge_key: str, kind: str) -> int:
    if kind == _MAP:
        wanted = value.get(merge_key) if isinstance(value, dict) else None
        for i, item in enumerate(items):
            if same_scalar(wanted, item.get(merge_key) if isinstance(item, dict) else None):
                return i
        return -1
    for i, item in enumerate(items):
        if same_scalar(value, item):
            return i
    return -1


def _normalize_slice_order(to_sort: list, order: list, merge_key: str, kind: str) -> list:
    """``normalizeSliceOrder``: sort by position in ``order``; ``$patch: delete`` items last."""
    to_delete: list = []
    if kind == _MAP:
        for item in [*to_sort, *order]:
            _map_and_merge_key(item, merge_key)
        kept = []
        for item in to_sort:
            if item.get(DIRECTIVE_MARKER) == DELETE_DIRECTIVE:
                to_delete.append(item)
            else:
                kept.append(item)
        to_sort = kept
    # items absent from `order` never occur in upstream's callers; kctl keeps them first, stably
    ordered = sorted(to_sort, key=lambda item: _index(order, item, merge_key, kind))
    return ordered + to_delete


def _merge_sorted_slice(left: list, right: list, server_order: list, merge_key: str, kind: str) -> list:
    """``mergeSortedSlice``: interleave server-only items (left) into patch items (right)."""
    out: list = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, kind)
            ri = _index(server_order, right[j], merge_key, kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _normalize_element_order(
    patch: list, server_only: list, patch_order: list, server_order: list, merge_key: str, kind: str
) -> list:
    patch = _normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted_slice(server_only, patch, server_order, merge_key, kind)


def _partition(items: list, by: list, merge_key: str) -> tuple[list, list]:
    """``partitionPrimitivesByPresentInList`` / ``partitionMapsByPresentInList``."""
    present: list = []
    server_only: list = []
    for item in items:
        if merge_key:
            _, value = _map_and_merge_key(item, merge_key)
            found = any(isinstance(b, dict) and same_scalar(b.get(merge_key), value) for b in by)
        else:
            found = any(same_scalar(b, item) for b in by)
        (present if found else server_only).append(item)
    return present, server_only


# ---------------------------------------------------------------- applying patches


def strategic_merge(current: dict, patch: dict, meta: PatchMeta) -> dict:
    """``StrategicMergeMapPatch``: apply ``patch`` to ``current`` as the API server does.

    Neither argument is modified.
    """
    return merge_map(normalize(current), normalize(patch), meta, _APPLY)


def merge_map(original: dict | None, patch: dict, meta: PatchMeta, options: MergeOptions) -> dict:
    """``mergeMap``: merge ``patch`` into ``original`` (both are modified; pass copies)."""
    if DIRECTIVE_MARKER in patch:
        return _handle_directive_in_merge_map(patch[DIRECTIVE_MARKER], patch)
    if original is None:
        original = {}
    _apply_retain_keys_directive(original, patch, options)
    _merge_patch_into_original(original, patch, meta, options)
    for key, patch_value in list(patch.items()):
        is_delete_list = False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST_PREFIX):
            if not options.merge_parallel_list:
                original[key] = patch_value
                continue
            key = _extract_key(key, DELETE_FROM_PRIMITIVE_LIST_PREFIX)
            is_delete_list = True
            if key not in original:
                continue  # nothing to delete from (see the module docstring)
        if patch_value is None:
            original.pop(key, None)
            if options.ignore_unmatched_nulls:
                continue
        if key not in original:
            original[key] = patch_value
            continue
        current_value = original[key]
        if type(current_value) is not type(patch_value):
            original[key] = patch_value
            continue
        field = meta.lookup(key)
        if isinstance(current_value, dict):
            original[key] = (
                patch_value
                if field.strategy == REPLACE
                else merge_map(current_value, patch_value, field.meta, options)
            )
        elif isinstance(current_value, list):
            original[key] = _merge_slice_handler(current_value, patch_value, field, is_delete_list, options)
        else:
            original[key] = patch_value
    return original


def _handle_directive_in_merge_map(directive: Any, patch: dict) -> dict:
    if directive == REPLACE_DIRECTIVE:
        del patch[DIRECTIVE_MARKER]
        return patch
    if directive == DELETE_DIRECTIVE:
        return {}
    raise MergeError(f"Unknown patch type: {go_v(directive)} in map: {go_v(patch)}")


def _extract_key(key: str, prefix: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise MergeError(f"invalid patch format for {prefix}")
    return rest


def _apply_retain_keys_directive(original: dict, patch: dict, options: MergeOptions) -> None:
    if RETAIN_KEYS_DIRECTIVE not in patch:
        return
    retain = patch.pop(RETAIN_KEYS_DIRECTIVE)
    if not options.merge_parallel_list:
        if RETAIN_KEYS_DIRECTIVE in original:
            if not deep_equal(original[RETAIN_KEYS_DIRECTIVE], retain):
                raise MergeError(
                    f"{go_v(original[RETAIN_KEYS_DIRECTIVE])} and {go_v(retain)} are not deep equal: "
                    "this may happen when calculating the 3-way diff patch"
                )
        else:
            original[RETAIN_KEYS_DIRECTIVE] = retain
        return
    if not isinstance(retain, list):
        raise MergeError("invalid patch format of retainKeys")
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_FROM_PRIMITIVE_LIST_PREFIX, SET_ELEMENT_ORDER_PREFIX)):
            continue
        if key not in retain:
            raise MergeError("invalid patch format of retainKeys")
    for key in list(original):
        if key not in retain:
            del original[key]


def _merge_patch_into_original(original: dict, patch: dict, meta: PatchMeta, options: MergeOptions) -> None:
    """``mergePatchIntoOriginal``: process ``$setElementOrder`` lists with their lists."""
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER_PREFIX)]:
        set_order = patch.pop(key)
        if not options.merge_parallel_list:
            if key in original:
                if not deep_equal(original[key], set_order):
                    raise MergeError("invalid patch format for $setElementOrder")
            else:
                original[key] = set_order
        if not isinstance(set_order, list):
            raise MergeError("invalid patch format for $setElementOrder")
        field_key = _extract_key(key, SET_ELEMENT_ORDER_PREFIX)
        original_list = original.get(field_key) if field_key in original else None
        patch_list = patch.get(field_key) if field_key in patch else None
        for value in (original_list, patch_list):
            if value is not None and not isinstance(value, list):
                raise MergeError(f"expected a list, got {go_v(value)}")
        field = meta.lookup(field_key)
        if original_list is not None and patch_list is None:
            merged = original_list
        elif original_list is None and patch_list is not None:
            merged = patch_list
        elif original_list is not None and patch_list is not None:
            merged = _merge_slice_handler(original_list, patch_list, field, False, options)
        else:
            continue
        present, server_only = _partition(merged, set_order, field.merge_key)
        try:
            kind = slice_element_kind(original_list or [], patch_list or [])
        except MergeError:
            if merged:
                raise
            original[field_key] = merged
            patch.pop(field_key, None)
            continue
        original[field_key] = _normalize_element_order(
            present, server_only, set_order, original_list or [], field.merge_key, kind
        )
        patch.pop(field_key, None)


def _merge_slice_handler(original: list, patch: list, field, is_delete_list: bool, options: MergeOptions) -> list:
    if field.strategy == MERGE:
        return _merge_slice(original, patch, field.meta, field.merge_key, options, is_delete_list)
    return patch


def _merge_slice(
    original: list, patch: list, meta: PatchMeta, merge_key: str, options: MergeOptions, is_delete_list: bool
) -> list:
    if not original and not patch:
        return original
    kind = slice_element_kind(original, patch)
    if kind != _MAP:
        if options.merge_parallel_list and is_delete_list:
            return [item for item in original if not any(same_scalar(item, d) for d in patch)]
        merged = deduplicate_scalars([*original, *patch])
    else:
        if not merge_key:
            raise MergeError("cannot merge lists without merge key for type map")
        original, patch = _merge_slice_with_special_elements(original, patch, merge_key)
        merged = _merge_slice_without_special_elements(original, patch, merge_key, meta, options)
    present, server_only = _partition(merged, patch, merge_key if kind == _MAP else "")
    return _normalize_element_order(present, server_only, patch, original, merge_key, kind)


def _merge_slice_with_special_elements(original: list, patch: list, merge_key: str) -> tuple[list, list]:
    plain: list = []
    replace_all = False
    for item in patch:
        if DIRECTIVE_MARKER not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE_MARKER]
        if directive == DELETE_DIRECTIVE:
            if merge_key not in item:
                raise no_merge_key(go_v(item), merge_key)
            value = item[merge_key]
            original = [o for o in original if not same_scalar(o.get(merge_key), value)]
        elif directive == REPLACE_DIRECTIVE:
            replace_all = True
        elif directive == MERGE_DIRECTIVE:
            raise MergeError("merging lists cannot yet be specified in the patch")
        else:
            raise MergeError(f"Unknown patch type: {go_v(directive)} in map: {go_v(item)}")
    if replace_all:
        return plain, []
    return original, plain


def _merge_slice_without_special_elements(
    original: list, patch: list, merge_key: str, meta: PatchMeta, options: MergeOptions
) -> list:
    merged = list(original)
    for item in patch:
        if merge_key not in item:
            raise no_merge_key(go_v(item), merge_key)
        value = item[merge_key]
        for i, existing in enumerate(merged):
            if isinstance(existing, dict) and merge_key in existing and same_scalar(existing[merge_key], value):
                merged[i] = merge_map(existing, item, meta, options)
                break
        else:
            merged.append(item)
    return merged
