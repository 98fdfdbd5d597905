"""Golden outputs of the read commands over one applied cluster (see conftest ``shop``).

Each golden file holds stdout, then, when there is any, ``--- stderr ---`` and the
stderr text, then ``--- exit N ---`` for a non-zero exit. ``UPDATE_GOLDEN=1`` rewrites
them; review every change by eye against kubectl's real layout.
"""

from __future__ import annotations

import pytest

from .conftest import assert_golden


def transcript(r) -> str:
    text = r.out
    if r.err:
        text += "--- stderr ---\n" + r.err
    if r.code:
        text += f"--- exit {r.code} ---\n"
    return text


CASES = {
    # one table per kind kctl simulates
    "get_pods": ["get", "pods"],
    "get_pods_wide": ["get", "pods", "-o", "wide"],
    "get_deployments": ["get", "deployments"],
    "get_deployments_wide": ["get", "deploy", "-o", "wide"],
    "get_replicasets": ["get", "rs", "-o", "wide"],
    "get_services": ["get", "services"],
    "get_services_wide": ["get", "svc", "-o", "wide"],
    "get_endpoints": ["get", "endpoints"],
    "get_endpointslices": ["get", "endpointslices", "-A"],
    "get_configmaps": ["get", "configmaps"],
    "get_secrets": ["get", "secrets"],
    "get_ingresses": ["get", "ingress"],
    "get_hpa": ["get", "hpa"],
    "get_nodes": ["get", "nodes"],
    "get_nodes_wide": ["get", "nodes", "-o", "wide"],
    "get_namespaces": ["get", "namespaces"],
    "get_events": ["get", "events", "-n", "data"],
    "get_events_wide": ["get", "events", "-n", "data", "-o", "wide"],
    "get_statefulsets": ["get", "statefulsets", "-n", "data", "-o", "wide"],
    "get_daemonsets": ["get", "ds", "-n", "kube-system", "-o", "wide"],
    "get_jobs": ["get", "jobs", "-n", "data", "-o", "wide"],
    "get_cronjobs": ["get", "cronjobs", "-n", "data", "-o", "wide"],
    "get_vpa": ["get", "vpa"],
    "get_nodegroups": ["get", "nodegroups"],
    # table options
    "get_pods_all_namespaces": ["get", "pods", "-A"],
    "get_pods_selector": ["get", "pods", "-A", "-l", "app in (db,web)", "--show-labels"],
    "get_pods_field_selector": ["get", "pods", "-A", "--field-selector", "spec.nodeName=node-1,status.phase=Running"],
    "get_pods_sort_by_node": ["get", "pods", "-A", "--sort-by", "{.spec.nodeName}", "-o", "wide"],
    "get_pods_label_columns": ["get", "pods", "-L", "app,tier", "-L", "pod-template-hash"],
    "get_pods_no_headers": ["get", "pods", "--no-headers"],
    "get_deploy_show_kind": ["get", "deploy", "--show-kind"],
    "get_several_types": ["get", "deploy,svc,cm"],
    "get_slash_forms": ["get", "deploy/web", "svc/web", "configmap/web-config"],
    "get_all": ["get", "all"],
    "get_all_namespaces": ["get", "all", "-A"],
    "get_sort_across_types": ["get", "deploy,svc", "--sort-by", ".metadata.name"],
    # output formats
    "get_deploy_yaml": ["get", "deployment", "web", "-o", "yaml"],
    "get_svc_json": ["get", "svc/web", "-o", "json"],
    "get_cm_list_yaml": ["get", "cm", "-l", "app=web", "-o", "yaml"],
    "get_empty_list_json": ["get", "pods", "-l", "app=nothing", "-o", "json"],
    "get_pods_name": ["get", "pods", "-A", "-o", "name"],
    "get_several_types_name": ["get", "deploy,svc,hpa,ing,vpa", "-o", "name"],
    "get_jsonpath": ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"],
    "get_jsonpath_range": ["get", "pods", "-A", "-o",
                           'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'],
    "get_jsonpath_single": ["get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}"],
    "get_jsonpath_as_json": ["get", "nodes", "-o", "jsonpath-as-json={.items[*].metadata.name}"],
    "get_custom_columns": ["get", "pods", "-A", "-o",
                           "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image"],
    "get_custom_columns_sorted": ["get", "pods", "-A", "--sort-by=.status.podIP", "--no-headers", "-o",
                                  "custom-columns=IP:.status.podIP,NAME:.metadata.name"],
    # not found, empty, errors
    "get_named_missing": ["get", "pods", "nope"],
    "get_named_some_missing": ["get", "deploy", "web", "nope", "gone"],
    "get_named_some_missing_yaml": ["get", "cm", "web-config", "nope", "-o", "name"],
    "get_named_missing_json": ["get", "deploy", "nope", "-o", "json"],
    "get_ignore_not_found": ["get", "deploy", "web", "nope", "--ignore-not-found"],
    "get_empty_namespace": ["get", "pods", "-n", "kube-public"],
    "get_empty_all_namespaces": ["get", "pods", "-A", "-l", "app=nothing"],
    "get_empty_cluster_scoped": ["get", "nodes", "-l", "nothing=here"],
    "get_unknown_type": ["get", "foos"],
    "get_no_type": ["get"],
    "get_bad_output": ["get", "pods", "-o", "bogus"],
    "get_bad_field_selector": ["get", "pods", "--field-selector", "spec.foo=x"],
    "get_bad_field_selector_deploy": ["get", "deploy,svc", "--field-selector", "status.replicas=1"],
    "get_bad_label_selector": ["get", "pods", "-l", "app=web,,"],
    "get_name_across_namespaces": ["get", "pods", "web", "-A"],
    "get_name_with_selector": ["get", "pods", "web", "-l", "app=web"],
    "get_mixed_arg_forms": ["get", "pods", "deploy/web"],
    "get_names_several_types": ["get", "deploy,svc", "web"],
    "get_sort_by_missing_field": ["get", "pods", "--sort-by", ".spec.nope"],
    "get_jsonpath_parse_error": ["get", "pods", "-o", "jsonpath={.items[*}"],
    # describe
    "describe_deployment": ["describe", "deployment", "web"],
    "describe_replicaset": ["describe", "rs"],
    "describe_pods_prefix": ["describe", "pods", "web"],
    "describe_service": ["describe", "svc/web"],
    "describe_service_lb": ["describe", "svc", "web-lb"],
    "describe_ingress": ["describe", "ingress", "web"],
    "describe_hpa": ["describe", "hpa", "web"],
    "describe_node": ["describe", "node", "node-1"],
    "describe_statefulset": ["describe", "sts", "db", "-n", "data"],
    "describe_daemonset": ["describe", "ds", "-n", "kube-system"],
    "describe_job": ["describe", "job", "migrate", "-n", "data"],
    "describe_cronjob": ["describe", "cj", "-n", "data"],
    "describe_namespace": ["describe", "ns", "data"],
    "describe_configmap_selector": ["describe", "cm", "-l", "app=web"],
    "describe_secret": ["describe", "secret", "web-tls"],
    "describe_nodegroup": ["describe", "ng", "workers"],
    "describe_vpa": ["describe", "vpa", "web"],
    "describe_missing": ["describe", "pods", "nope"],
    "describe_missing_slash": ["describe", "pod/web"],
    "describe_empty": ["describe", "pods", "-n", "kube-public"],
    # discovery, schemas, version
    "api_resources": ["api-resources"],
    "api_resources_wide": ["api-resources", "-o", "wide"],
    "api_resources_name_cluster_scoped": ["api-resources", "--namespaced=false", "-o", "name"],
    "api_resources_apps": ["api-resources", "--api-group=apps"],
    "api_resources_bad_output": ["api-resources", "-o", "json"],
    "explain_deployment": ["explain", "deployment"],
    "explain_field": ["explain", "pods.spec.containers.ports"],
    "explain_leaf": ["explain", "deploy.spec.replicas"],
    "explain_enum": ["explain", "vpa.spec.updatePolicy"],
    "explain_recursive": ["explain", "deployments.apps.spec.strategy", "--recursive"],
    "explain_hpa_v1": ["explain", "hpa.spec", "--api-version=autoscaling/v1"],
    "explain_unknown_field": ["explain", "deploy.spec.replica"],
    "explain_unknown_type": ["explain", "foos"],
    "events": ["events", "-n", "data"],
    "events_for": ["events", "--for", "pod/db-0", "-n", "data"],
    "events_none": ["events", "-n", "kube-public"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(shop, name):
    assert_golden(f"{name}.txt", transcript(shop(*CASES[name])))


FRESH_CASES = {
    "fresh_get_all_namespaces": ["get", "all", "-A"],
    "fresh_get_nodes": ["get", "nodes", "--show-labels"],
    "fresh_get_namespaces": ["get", "ns"],
    "fresh_get_service_yaml": ["get", "svc", "kubernetes", "-o", "yaml"],
    "fresh_describe_node": ["describe", "no", "node-2"],
    "fresh_get_pods": ["get", "pods"],
}


@pytest.mark.parametrize("name", sorted(FRESH_CASES))
def test_fresh_cluster_golden(fresh, name):
    assert_golden(f"{name}.txt", transcript(fresh(*FRESH_CASES[name])))
