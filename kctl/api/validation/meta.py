"""ObjectMeta, labels, annotations and label selectors.

Mirrors apimachinery ``pkg/api/validation/objectmeta.go`` (``ValidateObjectMeta``,
``ValidateAnnotations``, ``ValidateOwnerReferences``, ``ValidateFinalizers``),
``pkg/apis/meta/v1/validation`` (``ValidateLabels``, ``ValidateLabelSelector``)
and core's finalizer-name check. As upstream, label and annotation errors point
at the map itself (``metadata.labels``), not at the key.

Names and namespaces are checked as the API server sees them: a manifest with
``generateName`` and no name gets its name generated before validation, and the
namespace of a namespaced object comes from the request, so neither is reported
missing here.
"""

from __future__ import annotations

from collections.abc import Callable

from kctl.api import field as fe
from kctl.api.validation import names
from kctl.api.validation.util import GoJSON, as_dict, as_list, as_str, is_int, label_selector_value

TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10)  # 256 KiB
FINALIZER_ORPHAN_DEPENDENTS = "orphan"
FINALIZER_DELETE_DEPENDENTS = "foregroundDeletion"
_STANDARD_FINALIZERS = frozenset({"kubernetes", FINALIZER_ORPHAN_DEPENDENTS, FINALIZER_DELETE_DEPENDENTS})
_BANNED_OWNERS = frozenset({("", "v1", "Event")})

NameFunc = Callable[[str, bool], list[str]]


def validate_label_name(name: str, path: tuple) -> list[fe.FieldError]:
    """``ValidateLabelName``."""
    return [fe.invalid(path, name, m) for m in names.is_qualified_name(name)]


def validate_labels(labels: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateLabels``: keys are qualified names, values label values; errors at the map path."""
    if not isinstance(labels, dict):
        return []
    errs: list[fe.FieldError] = []
    for k, v in labels.items():
        if not isinstance(k, str):
            continue
        errs.extend(validate_label_name(k, path))
        if isinstance(v, str) and (msgs := names.is_valid_label_value(v)):
            errs.extend(fe.invalid(path, v, m) for m in msgs)
    return errs


def validate_annotations(annotations: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateAnnotations``: keys are qualified names (case-insensitive); total size <= 256 KiB."""
    if not isinstance(annotations, dict):
        return []
    errs: list[fe.FieldError] = []
    total = 0
    for k, v in annotations.items():
        if not isinstance(k, str):
            continue
        if msgs := names.is_qualified_name(k.lower()):
            errs.extend(fe.invalid(path, k, m) for m in msgs)
        total += len(k.encode()) + (len(v.encode()) if isinstance(v, str) else 0)
    if total > TOTAL_ANNOTATION_SIZE_LIMIT_B:
        errs.append(fe.too_long(path, "", TOTAL_ANNOTATION_SIZE_LIMIT_B))
    return errs


def _split_api_version(api_version: str) -> tuple[str, str]:
    """``schema.ParseGroupVersion``; an unparsable value yields an empty version."""
    if not api_version:
        return "", ""
    parts = api_version.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    return "", ""


def _owner_reference_value(ref: dict) -> GoJSON:
    out: dict = {}
    for key in ("apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"):
        if key in ref or key in ("apiVersion", "kind", "name", "uid"):
            out[key] = ref.get(key, "")
    return GoJSON(out)


def validate_owner_references(refs: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateOwnerReferences``."""
    errs: list[fe.FieldError] = []
    first_controller = ""
    for i, ref in enumerate(as_list(refs)):
        ref = as_dict(ref)
        p = (*path, i)
        api_version, kind = as_str(ref.get("apiVersion")), as_str(ref.get("kind"))
        group, version = _split_api_version(api_version)
        if not version:
            errs.append(fe.invalid((*p, "apiVersion"), api_version, "version must not be empty"))
        if not kind:
            errs.append(fe.invalid((*p, "kind"), kind, "must not be empty"))
        if not as_str(ref.get("name")):
            errs.append(fe.invalid((*p, "name"), as_str(ref.get("name")), "must not be empty"))
        if not as_str(ref.get("uid")):
            errs.append(fe.invalid((*p, "uid"), as_str(ref.get("uid")), "must not be empty"))
        if (group, version, kind) in _BANNED_OWNERS:
            gvk = f"{group}/{version}, Kind={kind}"
            errs.append(
                fe.invalid(p, _owner_reference_value(ref), f"{gvk} is disallowed from being an owner")
            )
        if ref.get("controller") is True:
            current = f"{kind}/{as_str(ref.get('name'))}"
            if first_controller:
                errs.append(
                    fe.invalid(
                        path,
                        GoJSON([_owner_reference_value(as_dict(r)).value for r in as_list(refs)]),
                        'Only one reference can have Controller set to true. Found "true" in references for '
                        f"{first_controller} and {current}",
                    )
                )
            else:
                first_controller = current
    return errs


def validate_finalizers(finalizers: object, path: tuple) -> list[fe.FieldError]:
    """``ValidateFinalizers`` plus core's ``validateKubeFinalizerName``."""
    errs: list[fe.FieldError] = []
    items = [f for f in as_list(finalizers) if isinstance(f, str)]
    for f in items:
        if msgs := names.is_qualified_name(f):
            errs.extend(fe.invalid(path, f, m) for m in msgs)
    if FINALIZER_ORPHAN_DEPENDENTS in items and FINALIZER_DELETE_DEPENDENTS in items:
        errs.append(
            fe.invalid(
                path,
                items,
                f"finalizer {FINALIZER_ORPHAN_DEPENDENTS} and {FINALIZER_DELETE_DEPENDENTS} cannot be both set",
            )
        )
    for i, f in enumerate(as_list(finalizers)):
        if not isinstance(f, str):
            continue
        p = (*path, i)
        if "/" not in f:
            if msgs := names.is_qualified_name(f):
                errs.extend(fe.invalid(p, f, m) for m in msgs)
            if f not in _STANDARD_FINALIZERS:
                errs.append(
                    fe.invalid(p, f, "name is neither a standard finalizer name nor is it fully qualified")
                )
        else:
            if msgs := names.is_qualified_name(f):
                errs.extend(fe.invalid(p, f, m) for m in msgs)
    return errs


def validate_object_meta(
    meta: object,
    namespaced: bool,
    name_fn: NameFunc,
    path: tuple = ("metadata",),
) -> list[fe.FieldError]:
    """``ValidateObjectMeta`` for a manifest as the API server sees it at create time."""
    meta = as_dict(meta)
    errs: list[fe.FieldError] = []
    generate_name = as_str(meta.get("generateName"))
    if generate_name:
        errs.extend(
            fe.invalid((*path, "generateName"), generate_name, m) for m in name_fn(generate_name, True)
        )
    name = as_str(meta.get("name"))
    if name:
        errs.extend(fe.invalid((*path, "name"), name, m) for m in name_fn(name, False))
    elif not generate_name:
        errs.append(fe.required((*path, "name"), "name or generateName is required"))
    namespace = as_str(meta.get("namespace"))
    if namespaced and namespace:
        errs.extend(
            fe.invalid((*path, "namespace"), namespace, m) for m in names.name_is_dns_label(namespace)
        )
    generation = meta.get("generation")
    if is_int(generation) and generation < 0:
        errs.append(fe.invalid((*path, "generation"), generation, "must be greater than or equal to 0"))
    errs.extend(validate_labels(meta.get("labels"), (*path, "labels")))
    errs.extend(validate_annotations(meta.get("annotations"), (*path, "annotations")))
    errs.extend(validate_owner_references(meta.get("ownerReferences"), (*path, "ownerReferences")))
    errs.extend(validate_finalizers(meta.get("finalizers"), (*path, "finalizers")))
    return errs


# -- label selectors ---------------------------------------------------------------------------

_SELECTOR_OPS = ("In", "NotIn", "Exists", "DoesNotExist")


def validate_label_selector_requirement(
    req: object, path: tuple, allow_invalid_values: bool = False
) -> list[fe.FieldError]:
    """``ValidateLabelSelectorRequirement``."""
    req = as_dict(req)
    errs: list[fe.FieldError] = []
    op = req.get("operator")
    values = as_list(req.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(
                fe.required((*path, "values"), "must be specified when `operator` is 'In' or 'NotIn'")
            )
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(
                fe.forbidden(
                    (*path, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
                )
            )
    else:
        errs.append(
            fe.invalid(
                (*path, "operator"), op if isinstance(op, str) else "", "not a valid selector operator"
            )
        )
    errs.extend(validate_label_name(as_str(req.get("key")), (*path, "key")))
    if not allow_invalid_values:
        for i, v in enumerate(values):
            if isinstance(v, str) and (msgs := names.is_valid_label_value(v)):
                errs.extend(fe.invalid((*path, "values", i), v, m) for m in msgs)
    return errs


def validate_label_selector(
    selector: object, path: tuple, allow_invalid_values: bool = False
) -> list[fe.FieldError]:
    """``ValidateLabelSelector`` (a missing selector is valid here; callers decide if it is required)."""
    if not isinstance(selector, dict):
        return []
    errs = validate_labels(selector.get("matchLabels"), (*path, "matchLabels"))
    for i, req in enumerate(as_list(selector.get("matchExpressions"))):
        errs.extend(
            validate_label_selector_requirement(req, (*path, "matchExpressions", i), allow_invalid_values)
        )
    return errs


class Selector:
    """A parsed ``metav1.LabelSelector`` (``LabelSelectorAsSelector``) that can match label sets."""

    __slots__ = ("labels", "exprs", "nothing")

    def __init__(self, labels: dict, exprs: list, nothing: bool = False) -> None:
        self.labels, self.exprs, self.nothing = labels, exprs, nothing

    def empty(self) -> bool:
        return not self.nothing and not self.labels and not self.exprs

    def matches(self, labels: object) -> bool:
        if self.nothing:
            return False
        labels = labels if isinstance(labels, dict) else {}
        for k, v in self.labels.items():
            if labels.get(k) != v:
                return False
        for key, op, values in self.exprs:
            if op == "In":
                if key not in labels or labels[key] not in values:
                    return False
            elif op == "NotIn":
                if key in labels and labels[key] in values:
                    return False
            elif op == "Exists":
                if key not in labels:
                    return False
            elif op == "DoesNotExist" and key in labels:
                return False
        return True


def label_selector_as_selector(selector: object) -> Selector | None:
    """``metav1.LabelSelectorAsSelector``: None when the selector is invalid."""
    if selector is None:
        return Selector({}, [], nothing=True)
    if not isinstance(selector, dict):
        return None
    match_labels = as_dict(selector.get("matchLabels"))
    exprs = as_list(selector.get("matchExpressions"))
    for k, v in match_labels.items():
        if (
            not isinstance(k, str)
            or not isinstance(v, str)
            or names.is_qualified_name(k)
            or names.is_valid_label_value(v)
        ):
            return None
    parsed = []
    for e in exprs:
        e = as_dict(e)
        op, key, values = e.get("operator"), e.get("key"), as_list(e.get("values"))
        if op not in _SELECTOR_OPS or not isinstance(key, str) or names.is_qualified_name(key):
            return None
        if op in ("In", "NotIn"):
            if not values:
                return None
        elif values:
            return None
        for v in values:
            if not isinstance(v, str) or names.is_valid_label_value(v):
                return None
        parsed.append((key, op, frozenset(values)))
    return Selector(dict(match_labels), parsed)


__all__ = [
    "Selector",
    "TOTAL_ANNOTATION_SIZE_LIMIT_B",
    "label_selector_as_selector",
    "label_selector_value",
    "validate_annotations",
    "validate_finalizers",
    "validate_label_name",
    "validate_label_selector",
    "validate_label_selector_requirement",
    "validate_labels",
    "validate_object_meta",
    "validate_owner_references",
]
