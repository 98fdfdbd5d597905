"""Field selectors, as k8s.io/apimachinery/pkg/fields and the API server's field-label rules do them.

Mirrors upstream (1.34):

- ``parse_field_selector`` is ``fields.ParseSelector``: terms split on unescaped commas and
  sorted; each term split at the first ``!=``, ``==`` or ``=``; values unescaped (``\\\\``,
  ``\\,``, ``\\=``); errors ``invalid selector: '<sel>'; can't understand '<term>'`` and
  ``invalid field selector: ...``. ``==`` is the same term as ``=`` (it prints as ``=``).
- ``convert_field_selector`` is the server's ``Scheme.ConvertFieldLabel`` step: kinds with a
  registered conversion reject other labels with their own message (core kinds:
  ``field label not supported: <label>``); every other kind falls back to
  ``DefaultMetaV1FieldSelectorConversion``: ``"<label>" is not a known field selector: only
  "metadata.name", "metadata.namespace"``. That fallback applies to apps/v1 ReplicaSets too:
  upstream 1.34 lists ``status.replicas`` as selectable but never registered the label for
  apps/v1, so the server rejects it (kubernetes/kubernetes#135136). The API server wraps the
  message as a BadRequest; that is the caller's job.
- ``selectable_fields`` is each registry strategy's ``ToSelectableFields``: the string values
  terms compare against. A label the conversion accepts but the set lacks (pods'
  ``status.podIPs``) reads as ``""``, as ``fields.Set.Get`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


class FieldSelectorError(ValueError):
    """A selector that does not parse, or a label the kind does not support."""


EQUALS = "="
DOUBLE_EQUALS = "=="
NOT_EQUALS = "!="
_TERM_OPERATORS = (NOT_EQUALS, DOUBLE_EQUALS, EQUALS)


def escape_value(value: str) -> str:
    """``fields.EscapeValue``."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def unescape_value(value: str) -> str:
    """``fields.UnescapeValue``; raises ``FieldSelectorError`` like upstream."""
    if not any(c in value for c in "\\,="):
        return value
    out = []
    in_slash = False
    for c in value:
        if in_slash:
            if c in "\\,=":
                out.append(c)
            else:
                raise FieldSelectorError(f"invalid field selector: invalid escape sequence: \\{c}")
            in_slash = False
            continue
        if c == "\\":
            in_slash = True
        elif c in ",=":
            raise FieldSelectorError(f"invalid field selector: unescaped character in value: {c}")
        else:
            out.append(c)
    if in_slash:
        raise FieldSelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


class FieldRequirement:
    """``hasTerm`` (``=``/``==``) or ``notHasTerm`` (``!=``)."""

    __slots__ = ("field", "operator", "value")

    def __init__(self, field: str, operator: str, value: str):
        self.field = field
        self.operator = NOT_EQUALS if operator == NOT_EQUALS else EQUALS
        self.value = value

    def matches(self, fields: Mapping[str, str]) -> bool:
        actual = fields.get(self.field, "")
        return actual != self.value if self.operator == NOT_EQUALS else actual == self.value

    def __str__(self) -> str:
        return f"{self.field}{self.operator}{escape_value(self.value)}"

    def __repr__(self) -> str:
        return f"FieldRequirement({self.field!r}, {self.operator!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldRequirement) and (self.field, self.operator, self.value) == (
            other.field,
            other.operator,
            other.value,
        )

    def __hash__(self) -> int:
        return hash((self.field, self.operator, self.value))


class FieldSelector:
    """A conjunction of field terms (``fields.andTerm``)."""

    __slots__ = ("requirements",)

    def __init__(self, requirements: Iterable[FieldRequirement] = ()):
        self.requirements = tuple(requirements)

    def empty(self) -> bool:
        return not self.requirements

    def matches_fields(self, fields: Mapping[str, str]) -> bool:
        """``Selector.Matches(fields.Set)``."""
        return all(r.matches(fields) for r in self.requirements)

    def matches(self, obj: Mapping[str, Any]) -> bool:
        """Evaluate against an object through its kind's ``selectable_fields``."""
        if not self.requirements:
            return True
        return self.matches_fields(selectable_fields(obj))

    def requires_exact_match(self, field: str) -> tuple[str, bool]:
        for r in self.requirements:
            if r.field == field and r.operator == EQUALS:
                return r.value, True
        return "", False

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return f"FieldSelector({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldSelector) and self.requirements == other.requirements

    def __hash__(self) -> int:
        return hash(self.requirements)


EVERYTHING = FieldSelector()


def _split_terms(selector: str) -> list[str]:
    if not selector:
        return []
    terms = []
    start = 0
    in_slash = False
    for i, c in enumerate(selector):
        if in_slash:
            in_slash = False
        elif c == "\\":
            in_slash = True
        elif c == ",":
            terms.append(selector[start:i])
            start = i + 1
    terms.append(selector[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    for i in range(len(term)):
        for op in _TERM_OPERATORS:
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op) :]
    return None


def parse_field_selector(selector: str) -> FieldSelector:
    """``fields.ParseSelector``: syntax only (no per-kind check)."""
    # Go sorts the raw terms by bytes; for str that is code-point order.
    parts = sorted(_split_terms(selector))
    requirements = []
    for part in parts:
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise FieldSelectorError(f"invalid selector: '{selector}'; can't understand '{part}'")
        lhs, op, rhs = split
        requirements.append(FieldRequirement(lhs, op, unescape_value(rhs)))
    return FieldSelector(requirements)


# --- per-kind field labels (Scheme.AddFieldLabelConversionFunc) ------------------------

_META = ("metadata.name", "metadata.namespace")

_POD_LABELS = frozenset(
    _META
    + (
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.podIPs",
        "status.nominatedNodeName",
    )
)
_EVENT_LABELS = frozenset(
    _META
    + (
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "source",
        "type",
    )
)


def _core_rejection(label: str) -> str:
    return f"field label not supported: {label}"


#: (apiVersion, kind) -> (accepted labels, renamed labels, rejection message)
_CONVERSIONS: dict[tuple[str, str], tuple[frozenset[str], dict[str, str], Callable[[str], str]]] = {
    ("v1", "Pod"): (_POD_LABELS, {"spec.host": "spec.nodeName"}, _core_rejection),
    ("v1", "Node"): (frozenset({"metadata.name", "spec.unschedulable"}), {}, _core_rejection),
    ("v1", "ReplicationController"): (frozenset(_META + ("status.replicas",)), {}, _core_rejection),
    ("v1", "Event"): (_EVENT_LABELS, {}, _core_rejection),
    ("v1", "Namespace"): (frozenset({"status.phase", "metadata.name"}), {}, _core_rejection),
    ("v1", "Secret"): (frozenset(_META + ("type",)), {}, _core_rejection),
    ("v1", "Service"): (frozenset(_META + ("spec.clusterIP", "spec.type")), {}, _core_rejection),
    ("batch/v1", "Job"): (
        frozenset(_META + ("status.successful",)),
        {},
        lambda label: f'field label "{label}" not supported for batchv1.Job',
    ),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"): (
        frozenset({"metadata.name", "spec.signerName"}),
        {},
        _core_rejection,
    ),
    # events.k8s.io/v1 registers a conversion for Event as well; kctl assumes the core label
    # set for it (the events API is served from the same storage). *(unverified)*
    ("events.k8s.io/v1", "Event"): (_EVENT_LABELS, {}, _core_rejection),
}


def _default_rejection(label: str) -> str:
    return f'"{label}" is not a known field selector: only "metadata.name", "metadata.namespace"'


def supported_field_labels(api_version: str, kind: str) -> frozenset[str]:
    """The labels the server accepts for the kind (renamed aliases such as ``spec.host`` aside)."""
    conv = _CONVERSIONS.get((api_version, kind))
    return conv[0] if conv else frozenset(_META)


def convert_field_label(api_version: str, kind: str, label: str) -> str:
    """``Scheme.ConvertFieldLabel``: the internal label name, or ``FieldSelectorError``."""
    conv = _CONVERSIONS.get((api_version, kind))
    if conv is None:
        if label in _META:
            return label
        raise FieldSelectorError(_default_rejection(label))
    accepted, renamed, reject = conv
    if label in accepted:
        return label
    if label in renamed:
        return renamed[label]
    raise FieldSelectorError(reject(label))


def convert_field_selector(selector: FieldSelector, api_version: str, kind: str) -> FieldSelector:
    """``selector.Transform(ConvertFieldLabel)``; the first unsupported label raises."""
    out = [
        FieldRequirement(convert_field_label(api_version, kind, r.field), r.operator, r.value)
        for r in selector.requirements
    ]
    return FieldSelector(out)


def parse_and_convert(selector: str, api_version: str, kind: str) -> FieldSelector:
    """What the API server does with ``?fieldSelector=``: parse, then check labels for the kind."""
    return convert_field_selector(parse_field_selector(selector), api_version, kind)


# --- selectable fields (registry strategies' ToSelectableFields) -----------------------


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _go_bool(value: Any) -> str:
    return "true" if value else "false"


def _go_int(value: Any) -> str:
    return str(int(value or 0))


def _meta(obj: Mapping[str, Any], namespaced: bool = True) -> dict[str, str]:
    meta = obj.get("metadata") or {}
    out = {"metadata.name": _s(meta.get("name"))}
    if namespaced:
        out["metadata.namespace"] = _s(meta.get("namespace"))
    return out


def _pod_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    pod_ips = status.get("podIPs") or []
    first_ip = pod_ips[0].get("ip", "") if pod_ips and isinstance(pod_ips[0], Mapping) else ""
    out = _meta(obj)
    out.update(
        {
            "spec.nodeName": _s(spec.get("nodeName")),
            "spec.restartPolicy": _s(spec.get("restartPolicy")),
            "spec.schedulerName": _s(spec.get("schedulerName")),
            "spec.serviceAccountName": _s(spec.get("serviceAccountName")),
            "spec.hostNetwork": _go_bool(spec.get("hostNetwork")),
            "status.phase": _s(status.get("phase")),
            # The internal pod keeps only podIPs; status.podIP is podIPs[0].
            "status.podIP": _s(first_ip or status.get("podIP")),
            "status.nominatedNodeName": _s(status.get("nominatedNodeName")),
        }
    )
    return out


def _node_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    out = _meta(obj, namespaced=False)
    out["spec.unschedulable"] = _go_bool((obj.get("spec") or {}).get("unschedulable"))
    return out


def _namespace_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    out = _meta(obj, namespaced=False)
    out["status.phase"] = _s((obj.get("status") or {}).get("phase"))
    out["name"] = _s((obj.get("metadata") or {}).get("name"))  # upstream's kept-for-compat key
    return out


def _secret_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    out = _meta(obj)
    out["type"] = _s(obj.get("type"))
    return out


def _service_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    spec = obj.get("spec") or {}
    out = _meta(obj)
    out["spec.clusterIP"] = _s(spec.get("clusterIP"))
    out["spec.type"] = _s(spec.get("type"))
    return out


def _replicas_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    out = _meta(obj)
    out["status.replicas"] = _go_int((obj.get("status") or {}).get("replicas"))
    return out


def _job_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    out = _meta(obj)
    out["status.successful"] = _go_int((obj.get("status") or {}).get("succeeded"))
    return out


def _event_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    involved = obj.get("involvedObject") or {}
    source = _s((obj.get("source") or {}).get("component")) or _s(obj.get("reportingComponent"))
    out = _meta(obj)
    out.update(
        {
            "involvedObject.kind": _s(involved.get("kind")),
            "involvedObject.namespace": _s(involved.get("namespace")),
            "involvedObject.name": _s(involved.get("name")),
            "involvedObject.uid": _s(involved.get("uid")),
            "involvedObject.apiVersion": _s(involved.get("apiVersion")),
            "involvedObject.resourceVersion": _s(involved.get("resourceVersion")),
            "involvedObject.fieldPath": _s(involved.get("fieldPath")),
            "reason": _s(obj.get("reason")),
            "reportingComponent": _s(obj.get("reportingComponent")),
            "source": source,
            "type": _s(obj.get("type")),
        }
    )
    return out


def _csr_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    out = _meta(obj, namespaced=False)
    out["spec.signerName"] = _s((obj.get("spec") or {}).get("signerName"))
    return out


_SELECTABLE: dict[str, Callable[[Mapping[str, Any]], dict[str, str]]] = {
    "Pod": _pod_fields,
    "Node": _node_fields,
    "Namespace": _namespace_fields,
    "Secret": _secret_fields,
    "Service": _service_fields,
    "ReplicationController": _replicas_fields,
    "ReplicaSet": _replicas_fields,
    "Job": _job_fields,
    "Event": _event_fields,
    "CertificateSigningRequest": _csr_fields,
}


def selectable_fields(obj: Mapping[str, Any]) -> dict[str, str]:
    """The field set a stored object exposes to field selectors (keyed by ``kind``).

    Kinds without a specific set expose ``metadata.name`` and ``metadata.namespace``.
    """
    fn = _SELECTABLE.get(obj.get("kind", ""))
    return fn(obj) if fn else _meta(obj)
