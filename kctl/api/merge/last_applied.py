"""The ``kubectl.kubernetes.io/last-applied-configuration`` annotation.

Mirrors kubectl's ``pkg/util/apply.go``:

- ``GetModifiedConfiguration(obj, annotate, UnstructuredJSONScheme)``: the annotation
  is removed from the object's annotations, the object is encoded with
  ``json.NewEncoder(w).Encode`` (compact, keys sorted, HTML-safe escapes, trailing
  newline) and that text becomes the annotation value. Because the annotations are set
  back as a non-nil map, a manifest without annotations is stored with
  ``"annotations":{}``.
- The namespace is filled in beforehand by the resource builder (``SetNamespace``) for
  namespaced kinds whose manifest leaves it empty; cluster-scoped objects are untouched.
- ``GetOriginalConfiguration``: the annotation of the live object, or None.

``create --save-config`` and ``apply`` (create path) store the same text.
"""

from __future__ import annotations

import json
from typing import Any

from kctl.api.merge.errors import MergeError
from kctl.api.merge.gojson import encode, normalize

LAST_APPLIED_CONFIG_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"


def _is_namespaced(manifest: dict) -> bool:
    from kctl.api.registry import for_kind

    resource = for_kind(str(manifest.get("apiVersion", "")), str(manifest.get("kind", "")))
    return bool(resource and resource.namespaced)


def _prepared(manifest: dict, namespace: str | None, namespaced: bool | None) -> dict:
    obj = normalize(manifest)  # a deep copy, numbers as apimachinery decodes them
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        metadata = obj["metadata"] = {}
    if namespace is not None and not metadata.get("namespace"):
        if namespaced is None:
            namespaced = _is_namespaced(obj)
        if namespaced:
            metadata["namespace"] = namespace
    annotations = metadata.get("annotations")
    if not isinstance(annotations, dict) or not all(isinstance(v, str) for v in annotations.values()):
        # unstructured GetAnnotations() yields nil for a missing or non-string map
        annotations = {}
    annotations = dict(annotations)
    annotations.pop(LAST_APPLIED_CONFIG_ANNOTATION, None)
    metadata["annotations"] = annotations
    return obj


def last_applied(manifest: dict, *, namespace: str | None = None, namespaced: bool | None = None) -> str:
    """The annotation value kubectl stores for ``manifest``, trailing newline included.

    ``namespace`` is the effective namespace (``-n`` or the context's), filled in when the
    manifest has none and the kind is namespaced (``namespaced``: looked up in the
    registry when None; unknown kinds are left alone).
    """
    return encode(_prepared(manifest, namespace, namespaced))


def modified_configuration(
    manifest: dict, *, namespace: str | None = None, namespaced: bool | None = None, annotate: bool = True
) -> dict:
    """``GetModifiedConfiguration``: the object apply sends, with the annotation embedded
    when ``annotate`` (as a decoded dict, the form the three-way merge takes)."""
    obj = _prepared(manifest, namespace, namespaced)
    if annotate:
        obj["metadata"]["annotations"][LAST_APPLIED_CONFIG_ANNOTATION] = encode(obj)
    # ``_prepared`` made a fresh, normalized copy: already the decoded form of that text.
    return obj


def original_configuration(live: dict) -> dict | None:
    """``GetOriginalConfiguration``: the decoded annotation of a live object, or None."""
    metadata = live.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if not isinstance(annotations, dict):
        return None
    text = annotations.get(LAST_APPLIED_CONFIG_ANNOTATION)
    if not text:
        return None
    try:
        value: Any = json.loads(text)
    except ValueError:
        raise MergeError("invalid JSON document") from None
    if not isinstance(value, dict):
        raise MergeError("invalid JSON document")
    return value
