"""The RBAC objects an authorization decision reads: the listers of
``plugin/pkg/auth/authorizer/rbac`` (``RoleGetter``, ``RoleBindingLister``,
``ClusterRoleGetter``, ``ClusterRoleBindingLister``) over one snapshot.

Stored objects win over the bootstrap defaults of the same name
(:mod:`kctl.api.authorization.bootstrap`). Bindings are visited in name order (upstream's
informer caches have no order; name order keeps kctl's answers reproducible).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name") or ""


def _namespace(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("namespace") or ""


@dataclass
class Policy:
    """Roles by (namespace, name), RoleBindings by namespace, ClusterRoles by name,
    ClusterRoleBindings in name order."""

    roles: dict[tuple[str, str], dict] = field(default_factory=dict)
    role_bindings: dict[str, list[dict]] = field(default_factory=dict)
    cluster_roles: dict[str, dict] = field(default_factory=dict)
    cluster_role_bindings: list[dict] = field(default_factory=list)

    def get_role(self, namespace: str, name: str) -> dict | None:
        return self.roles.get((namespace, name))

    def list_role_bindings(self, namespace: str) -> list[dict]:
        return self.role_bindings.get(namespace, [])

    def get_cluster_role(self, name: str) -> dict | None:
        return self.cluster_roles.get(name)

    def list_cluster_role_bindings(self) -> list[dict]:
        return self.cluster_role_bindings


def build_policy(roles: Iterable[dict] = (), role_bindings: Iterable[dict] = (), cluster_roles: Iterable[dict] = (),
                 cluster_role_bindings: Iterable[dict] = (), *, defaults: bool = True) -> Policy:
    """A Policy from objects; ``defaults`` adds the bootstrap ClusterRoles/Bindings not overridden."""
    policy = Policy()
    for r in roles:
        policy.roles[(_namespace(r), _name(r))] = r
    for rb in sorted(role_bindings, key=lambda o: (_namespace(o), _name(o))):
        policy.role_bindings.setdefault(_namespace(rb), []).append(rb)
    crs: dict[str, dict] = {}
    crbs: dict[str, dict] = {}
    if defaults:
        from kctl.api.authorization import bootstrap

        crs.update((_name(o), o) for o in bootstrap.cluster_roles())
        crbs.update((_name(o), o) for o in bootstrap.cluster_role_bindings())
    crs.update((_name(o), o) for o in cluster_roles)
    crbs.update((_name(o), o) for o in cluster_role_bindings)
    policy.cluster_roles = crs
    policy.cluster_role_bindings = [crbs[n] for n in sorted(crbs)]
    return policy


def policy_from_api(api) -> Policy:
    """The policy of the cluster behind an API server (every namespace)."""
    return build_policy(api.list("roles"), api.list("rolebindings"), api.list("clusterroles"),
                        api.list("clusterrolebindings"))
