"""API errors: apimachinery's ``StatusError`` (k8s.io/apimachinery/pkg/api/errors) and how
kubectl prints them (k8s.io/kubectl/pkg/cmd/util/helpers.go ``checkErr``).

Every error has a ``reason`` (``NotFound``, ``AlreadyExists``, ``Conflict``, ``Invalid``,
``BadRequest``, ...), an HTTP ``code``, the server's ``message`` and, for Invalid, the field
errors. ``str(err)`` is the server's message; ``err.render()`` is the line kubectl prints:

- ``Error from server (NotFound): deployments.apps "web" not found``
- ``The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0``
  (several causes: a trailing space after ``invalid:`` then ``* <cause>`` lines, duplicates once)

kubectl exits 1 for all of them (``exit_code``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kctl.api.field import FieldError

#: registry/generic's message for a stale resourceVersion (storage.ErrCodeResourceVersionConflicts).
OPTIMISTIC_LOCK_ERROR_MSG = "the object has been modified; please apply your changes to the latest version and try again"

_CODES = {
    "BadRequest": 400,
    "Unauthorized": 401,
    "Forbidden": 403,
    "NotFound": 404,
    "MethodNotAllowed": 405,
    "NotAcceptable": 406,
    "AlreadyExists": 409,
    "Conflict": 409,
    "Gone": 410,
    "Expired": 410,
    "RequestEntityTooLarge": 413,
    "UnsupportedMediaType": 415,
    "Invalid": 422,
    "TooManyRequests": 429,
    "InternalError": 500,
    "ServiceUnavailable": 503,
    "Timeout": 504,
}


def group_resource(resource: Any) -> str:
    """``deployments.apps`` / ``pods`` from a ResourceType or an already formatted string."""
    return resource if isinstance(resource, str) else resource.group_resource


@dataclass
class StatusError(Exception):
    """A metav1.Status failure returned by the API server."""

    reason: str
    message: str
    code: int = 0
    #: Status details: the object's name, group, kind and (Invalid) field errors.
    name: str = ""
    group: str = ""
    kind: str = ""
    causes: tuple[FieldError, ...] = field(default=())
    exit_code: int = 1

    def __post_init__(self) -> None:
        if not self.code:
            self.code = _CODES.get(self.reason, 500)
        Exception.__init__(self, self.message)

    def __str__(self) -> str:
        return self.message

    def __hash__(self) -> int:
        return id(self)

    def render(self) -> str:
        """The error as kubectl prints it on stderr (without the final newline)."""
        if self.reason == "Invalid" and (self.kind or self.name):
            head = f'The {self.kind} "{self.name}" is invalid'
            causes = _dedup(str(c) for c in self.causes)
            if not causes:
                return f"{head}: {self.message}" if self.message else head
            if len(causes) == 1:
                return f"{head}: {causes[0]}"
            return f"{head}: \n" + "\n".join(f"* {c}" for c in causes)
        if self.reason:
            return f"Error from server ({self.reason}): {self.message}"
        return f"Error from server: {self.message}"

    def with_source(self, verb: str, source: str) -> StatusError:
        """kubectl's AddSourceToErr: ``error when creating "web.yaml": <message>``."""
        if not source:
            return self
        return replace(self, message=f'error when {verb} "{source}": {self.message}')

    def status(self) -> dict:
        """The metav1.Status object (``-o json`` of a failure, server responses)."""
        details: dict[str, Any] = {}
        if self.name:
            details["name"] = self.name
        if self.group:
            details["group"] = self.group
        if self.kind:
            details["kind"] = self.kind
        if self.causes:
            details["causes"] = [
                {"reason": _cause_type(c), "message": c.body(), "field": c.field}
                for c in self.causes
            ]
        out: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if details:
            out["details"] = details
        out["code"] = self.code
        return out


def _cause_type(err: FieldError) -> str:
    # metav1.CauseType values: FieldValueRequired, FieldValueInvalid, ...
    return {
        "Required value": "FieldValueRequired",
        "Invalid value": "FieldValueInvalid",
        "Unsupported value": "FieldValueNotSupported",
        "Duplicate value": "FieldValueDuplicate",
        "Not found": "FieldValueNotFound",
        "Forbidden": "FieldValueForbidden",
        "Too long": "FieldValueTooLong",
        "Too many": "FieldValueTooMany",
        "Internal error": "InternalError",
    }.get(err.type, "FieldValueInvalid")


def _dedup(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _split(resource: Any) -> tuple[str, str]:
    """(group_resource, group) of a ResourceType or a ``plural.group`` string."""
    if isinstance(resource, str):
        _, _, grp = resource.partition(".")
        return resource, grp
    return resource.group_resource, resource.group


# -- constructors, named as in apimachinery/pkg/api/errors -------------------------------------


def new_not_found(resource: Any, name: str) -> StatusError:
    gr, grp = _split(resource)
    return StatusError("NotFound", f'{gr} "{name}" not found', name=name, group=grp, kind=gr.split(".")[0])


def new_already_exists(resource: Any, name: str) -> StatusError:
    gr, grp = _split(resource)
    return StatusError("AlreadyExists", f'{gr} "{name}" already exists', name=name, group=grp, kind=gr.split(".")[0])


def new_conflict(resource: Any, name: str, detail: str = OPTIMISTIC_LOCK_ERROR_MSG) -> StatusError:
    gr, grp = _split(resource)
    return StatusError(
        "Conflict", f'Operation cannot be fulfilled on {gr} "{name}": {detail}', name=name, group=grp, kind=gr.split(".")[0]
    )


def new_invalid(kind: str, group: str, name: str, errors: Iterable[FieldError]) -> StatusError:
    """``<Kind>.<group> "<name>" is invalid: <aggregate>``; kubectl prints the causes."""
    causes = tuple(errors)
    qualified = f"{kind}.{group}" if group else kind
    texts = _dedup(str(c) for c in causes)
    aggregate = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    return StatusError("Invalid", f'{qualified} "{name}" is invalid: {aggregate}', name=name, group=group, kind=kind, causes=causes)


def new_bad_request(message: str) -> StatusError:
    return StatusError("BadRequest", message)


def new_forbidden(resource: Any, name: str, detail: str) -> StatusError:
    gr, grp = _split(resource)
    message = f'{gr} "{name}" is forbidden: {detail}' if name else f"{gr} is forbidden: {detail}"
    return StatusError("Forbidden", message, name=name, group=grp, kind=gr.split(".")[0])


def new_method_not_supported(resource: Any, action: str) -> StatusError:
    gr, grp = _split(resource)
    return StatusError("MethodNotAllowed", f'{action} is not supported on resources of kind "{gr}"', group=grp)


def new_internal_error(detail: str) -> StatusError:
    return StatusError("InternalError", f"Internal error occurred: {detail}")


def new_namespace_not_found(namespace: str) -> StatusError:
    return new_not_found("namespaces", namespace)
