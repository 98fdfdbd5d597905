"""kubectl's client-side apply merge as pure functions.

- ``last_applied`` / ``modified_configuration`` / ``original_configuration``: the
  ``kubectl.kubernetes.io/last-applied-configuration`` annotation (kubectl pkg/util/apply.go);
- ``three_way_merge`` / ``client_side_apply``: the patch ``kubectl apply`` sends and the
  object the server stores (strategic merge patch for built-in kinds, JSON merge patch
  for custom resources);
- ``strategic_merge`` / ``create_two_way_merge_patch``: apply or build a strategic merge
  patch (``kubectl patch``, ``label``, ``annotate``, ``scale``);
- ``json_merge_patch`` / ``create_merge_patch``: RFC 7386;
- ``patch_meta_for`` / ``PatchMeta``: merge keys and strategies, from the static table or
  from OpenAPI definitions.
"""

from __future__ import annotations

from kctl.api.merge.apply import ApplyOutcome, client_side_apply, three_way_merge
from kctl.api.merge.builtin_types import patch_meta_for, uses_strategic_merge
from kctl.api.merge.errors import MergeError, PreconditionFailed
from kctl.api.merge.jsonmerge import create_merge_patch, create_three_way_json_merge_patch, json_merge_patch
from kctl.api.merge.last_applied import (
    LAST_APPLIED_CONFIG_ANNOTATION,
    last_applied,
    modified_configuration,
    original_configuration,
)
from kctl.api.merge.patchmeta import FieldMeta, PatchMeta
from kctl.api.merge.strategic import (
    create_three_way_merge_patch,
    create_two_way_merge_patch,
    strategic_merge,
)

__all__ = [
    "LAST_APPLIED_CONFIG_ANNOTATION",
    "ApplyOutcome",
    "FieldMeta",
    "MergeError",
    "PatchMeta",
    "PreconditionFailed",
    "client_side_apply",
    "create_merge_patch",
    "create_three_way_json_merge_patch",
    "create_three_way_merge_patch",
    "create_two_way_merge_patch",
    "json_merge_patch",
    "last_applied",
    "modified_configuration",
    "original_configuration",
    "patch_meta_for",
    "strategic_merge",
    "three_way_merge",
    "uses_strategic_merge",
]
