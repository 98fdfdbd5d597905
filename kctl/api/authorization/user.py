"""Who makes a request: ``user.Info`` and the identities kctl acts as.

- Constants of ``k8s.io/apiserver/pkg/authentication/user`` (``system:masters``,
  ``system:authenticated``...).
- Service-account usernames and groups (``k8s.io/apiserver/pkg/authentication/serviceaccount``:
  ``MakeUsername``, ``SplitUsername``, ``MakeGroupNames``, ``MatchesUsername``).
- ``impersonate``: the identity the impersonation filter
  (``apiserver/pkg/endpoints/filters/impersonation.go``) builds from ``--as`` / ``--as-group``.
- ``DEFAULT_USER``: kctl's own identity, kubeadm's ``admin.conf`` client certificate
  (CN ``kubernetes-admin``, O ``system:masters``) plus the ``system:authenticated`` group the
  authenticator adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SYSTEM_PRIVILEGED_GROUP = "system:masters"
ALL_AUTHENTICATED = "system:authenticated"
ALL_UNAUTHENTICATED = "system:unauthenticated"
ANONYMOUS = "system:anonymous"

SERVICE_ACCOUNT_USERNAME_PREFIX = "system:serviceaccount:"
SERVICE_ACCOUNT_USERNAME_SEPARATOR = ":"
ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts"
SERVICE_ACCOUNT_GROUP_PREFIX = "system:serviceaccounts:"

#: kubeadm's admin.conf user (the kubeconfig AuthInfo name is the same).
DEFAULT_USERNAME = "kubernetes-admin"


@dataclass(frozen=True)
class UserInfo:
    """``user.DefaultInfo`` (name, uid, groups; no extra)."""

    name: str
    groups: tuple[str, ...] = field(default=())
    uid: str = ""


DEFAULT_USER = UserInfo(DEFAULT_USERNAME, (SYSTEM_PRIVILEGED_GROUP, ALL_AUTHENTICATED))


def make_username(namespace: str, name: str) -> str:
    """``serviceaccount.MakeUsername``: ``system:serviceaccount:NS:NAME``."""
    return SERVICE_ACCOUNT_USERNAME_PREFIX + namespace + SERVICE_ACCOUNT_USERNAME_SEPARATOR + name


def make_group_names(namespace: str) -> tuple[str, str]:
    """``serviceaccount.MakeGroupNames``: every service account's groups."""
    return ALL_SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNT_GROUP_PREFIX + namespace


def split_username(username: str) -> tuple[str, str] | None:
    """``serviceaccount.SplitUsername``: (namespace, name), or None when ``username`` is not a
    valid service-account username (namespace a DNS label, name a DNS subdomain)."""
    from kctl.api.validation.names import is_dns1123_label, is_dns1123_subdomain

    if not username.startswith(SERVICE_ACCOUNT_USERNAME_PREFIX):
        return None
    parts = username[len(SERVICE_ACCOUNT_USERNAME_PREFIX):].split(SERVICE_ACCOUNT_USERNAME_SEPARATOR)
    if len(parts) != 2:
        return None
    namespace, name = parts
    if is_dns1123_label(namespace) or is_dns1123_subdomain(name):
        return None
    return namespace, name


def matches_username(namespace: str, name: str, username: str) -> bool:
    """``serviceaccount.MatchesUsername``."""
    return username == make_username(namespace, name)


def impersonate(username: str, groups: list[str] | tuple[str, ...] = ()) -> UserInfo:
    """The user the impersonation filter builds from ``Impersonate-User`` / ``Impersonate-Group``.

    Groups given explicitly are the authority; a service-account username without groups gets
    ``system:serviceaccounts`` and ``system:serviceaccounts:NS``. A non-anonymous user gets
    ``system:authenticated`` unless ``system:authenticated`` or ``system:unauthenticated`` is
    among the groups; ``system:anonymous`` gets ``system:unauthenticated`` unless it is there."""
    result = list(groups)
    if not groups:
        sa = split_username(username)
        if sa is not None:
            result = list(make_group_names(sa[0]))
    if username != ANONYMOUS:
        if not any(g in (ALL_AUTHENTICATED, ALL_UNAUTHENTICATED) for g in result):
            result.append(ALL_AUTHENTICATED)
    elif ALL_UNAUTHENTICATED not in result:
        result.append(ALL_UNAUTHENTICATED)
    return UserInfo(username, tuple(result))
