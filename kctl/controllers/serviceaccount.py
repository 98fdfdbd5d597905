"""The ServiceAccount controller and the root-CA publisher: every active namespace gets
a ``default`` ServiceAccount and the ``kube-root-ca.crt`` ConfigMap."""

from __future__ import annotations

from kctl.controllers.base import Plan


class ServiceAccountController:
    name = "serviceaccount-controller"

    def sync(self, cluster, now):
        from kctl.api.cluster import root_ca_configmap

        plan = Plan()
        for ns in cluster.list("namespaces"):
            meta = ns.get("metadata") or {}
            if meta.get("deletionTimestamp") or (ns.get("status") or {}).get("phase") == "Terminating":
                continue
            name = meta.get("name")
            if cluster.get("serviceaccounts", name, "default") is None:
                plan.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": name}})
            if cluster.get("configmaps", name, "kube-root-ca.crt") is None:
                plan.create(root_ca_configmap(name))
        return plan.actions
