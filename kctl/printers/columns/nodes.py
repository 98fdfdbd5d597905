"""Node rows: STATUS, ROLES, AGE, VERSION (+ INTERNAL-IP, EXTERNAL-IP, OS-IMAGE,
KERNEL-VERSION, CONTAINER-RUNTIME). Mirrors printNode/findNodeRoles upstream."""

from __future__ import annotations

from datetime import datetime

from . import AGE, NAME, Column, register
from .common import age, name

LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_LABEL_ROLE = "kubernetes.io/role"


def find_node_roles(node: dict) -> list[str]:
    roles = set()
    for k, v in ((node.get("metadata") or {}).get("labels") or {}).items():
        if k.startswith(LABEL_NODE_ROLE_PREFIX):
            role = k[len(LABEL_NODE_ROLE_PREFIX):]
            if role:
                roles.add(role)
        elif k == NODE_LABEL_ROLE and v:
            roles.add(v)
    return sorted(roles)


def node_status(node: dict) -> str:
    status: list[str] = []
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            status = ["Ready" if c.get("status") == "True" else "NotReady"]
    if not status:
        status = ["Unknown"]
    if (node.get("spec") or {}).get("unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _address(node: dict, addr_type: str) -> str:
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == addr_type:
            return a.get("address", "")
    return "<none>"


def node_row(node: dict, now: datetime) -> list:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return [
        name(node),
        node_status(node),
        ",".join(find_node_roles(node)) or "<none>",
        age(node, now),
        info.get("kubeletVersion", ""),
        _address(node, "InternalIP"),
        _address(node, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


register("", "Node",
         (NAME, Column("Status"), Column("Roles"), AGE, Column("Version"), Column("Internal-IP", 1),
          Column("External-IP", 1), Column("OS-Image", 1), Column("Kernel-Version", 1),
          Column("Container-Runtime", 1)),
         node_row)
