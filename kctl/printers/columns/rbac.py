"""RoleBinding / ClusterRoleBinding rows (printRoleBinding, rbac.SubjectsStrings).
Role and ClusterRole have no printer upstream: they use the default NAME / CREATED AT table."""

from __future__ import annotations

from datetime import datetime

from . import AGE, NAME, Column, register
from .common import age, name


def subjects_strings(subjects: list | None) -> tuple[list[str], list[str], list[str], list[str]]:
    users: list[str] = []
    groups: list[str] = []
    sas: list[str] = []
    others: list[str] = []
    for s in subjects or []:
        kind = s.get("kind")
        if kind == "ServiceAccount":
            sas.append(f"{s.get('namespace', '')}/{s.get('name', '')}")
        elif kind == "User":
            users.append(s.get("name", ""))
        elif kind == "Group":
            groups.append(s.get("name", ""))
        else:
            others.append(f"{kind}/{s.get('namespace', '')}/{s.get('name', '')}")
    return users, groups, sas, others


def role_binding_row(obj: dict, now: datetime) -> list:
    ref = obj.get("roleRef") or {}
    users, groups, sas, _ = subjects_strings(obj.get("subjects"))
    return [name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", age(obj, now),
            ", ".join(users), ", ".join(groups), ", ".join(sas)]


_COLUMNS = (NAME, Column("Role"), AGE, Column("Users", 1), Column("Groups", 1), Column("ServiceAccounts", 1))
register("rbac.authorization.k8s.io", "RoleBinding", _COLUMNS, role_binding_row)
register("rbac.authorization.k8s.io", "ClusterRoleBinding", _COLUMNS, role_binding_row)
