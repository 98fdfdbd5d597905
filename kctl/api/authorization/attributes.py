"""``authorizer.AttributesRecord``: what a request asks to do, as the authorizers see it."""

from __future__ import annotations

from dataclasses import dataclass

from kctl.api.authorization.user import UserInfo


@dataclass(frozen=True)
class Attributes:
    """A resource request (``resource_request``: verb, namespace, API group, resource,
    subresource, name) or a non-resource request (verb, path)."""

    user: UserInfo
    verb: str
    resource_request: bool = True
    namespace: str = ""
    api_group: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    path: str = ""


def resource_attributes(user: UserInfo, verb: str, *, namespace: str = "", api_group: str = "", resource: str = "",
                        subresource: str = "", name: str = "") -> Attributes:
    """A SubjectAccessReview's ``ResourceAttributes``."""
    return Attributes(user, verb, True, namespace, api_group, resource, subresource, name)


def non_resource_attributes(user: UserInfo, verb: str, path: str) -> Attributes:
    """A SubjectAccessReview's ``NonResourceAttributes``."""
    return Attributes(user, verb, False, path=path)
