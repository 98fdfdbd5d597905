"""kctl auth: kubectl's ``auth can-i`` and ``auth whoami`` (``kubectl/pkg/cmd/auth``).

``can-i`` asks the simulated API server what kubectl asks the real one: a
SelfSubjectAccessReview (``yes`` exit 0, ``no[ - reason]`` exit 1) or, with ``--list``, a
SelfSubjectRulesReview printed as kubectl prints it. The decision is the API server's
authorizer chain over the cluster's RBAC objects (:mod:`kctl.api.authorization`).

Who asks: kctl acts as kubeadm's ``kubernetes-admin`` (group ``system:masters``: allowed
everything). ``--as`` / ``--as-group`` impersonate another user, as kubectl's global flags do
(``--as=system:serviceaccount:NS:NAME`` for a service account).
"""

from __future__ import annotations

from typing import Annotated

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import err, out

_SETTINGS = {"help_option_names": ["-h", "--help"]}

#: ``cani.go``'s verb sets (warnings only: any verb may be asked about).
RESOURCE_VERBS = frozenset({"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use",
                            "bind", "impersonate", "*", "approve", "sign", "escalate", "attest"})
NON_RESOURCE_URL_VERBS = frozenset({"get", "put", "post", "head", "options", "delete", "patch", "*"})
#: Resources the server supports for ``impersonate`` that discovery does not list.
NON_STANDARD_RESOURCE_NAMES = frozenset({"users", "groups"})

TWO_ARGUMENTS = ("you must specify two arguments: verb resource or verb resource/resourceName.\n"
                 "See 'kctl auth can-i -h' for help and examples.")
LIST_NO_ARGUMENTS = "list option must be specified with no arguments"
LIST_CONFLICTS = "list option can't be specified with neither quiet, all-namespaces nor subresource options"
NO_HEADERS_WITHOUT_LIST = "--no-headers cannot be set without --list specified"
LIST_HEADERS = ("Resources", "Non-Resource URLs", "Resource Names", "Verbs")

auth_app = typer.Typer(
    help="Inspect authorization.",
    invoke_without_command=True,
    context_settings=_SETTINGS,
)

AsUser = Annotated[str, typer.Option("--as", help="Username to impersonate for the operation (a user or "
                                     "system:serviceaccount:NAMESPACE:NAME).")]
AsGroups = Annotated[list[str], typer.Option("--as-group", help="Group to impersonate for the operation (repeatable).")]


@auth_app.callback()
def auth(ctx: typer.Context) -> None:
    """Inspect authorization (``kctl auth`` alone prints this help)."""
    if ctx.invoked_subcommand is None:
        out(ctx.get_help())


def acting_user(as_user: str | None, as_groups: list[str] | None):
    """The identity of the request: kctl's admin, or the impersonated user. kubectl refuses
    groups without a user (client-go's kubeconfig validation)."""
    from kctl.api.authorization.user import DEFAULT_USER, DEFAULT_USERNAME, impersonate

    if not as_user:
        if as_groups:
            raise CommandError(f"invalid configuration: requesting uid, groups or user-extra for {DEFAULT_USERNAME} "
                               "without impersonating a user")
        return DEFAULT_USER
    return impersonate(as_user, as_groups or [])


def warn(message: str) -> None:
    err(f"Warning: {message}")


# -- can-i ---------------------------------------------------------------------------------------


def parse_resource_arg(arg: str) -> tuple[tuple[str, str, str] | None, tuple[str, str]]:
    """``schema.ParseResourceArg``: (resource, version, group) when the argument has two dots
    or more, and (resource, group) split at the first dot."""
    full = None
    if arg.count(".") >= 2:
        resource, version, group = arg.split(".", 2)
        full = (resource, version, group)
    resource, _, group = arg.partition(".")
    return full, (resource, group)


def resource_for(arg: str):
    """``CanIOptions.resourceFor``: (group, resource, resource type or None), warning about a
    type the server does not have."""
    from kctl.api.registry import UnknownResourceType, resolve

    if arg == "*":
        return "", "*", None
    lowered = arg.lower()
    full, (resource, group) = parse_resource_arg(lowered)
    attempts = []
    if full is not None:  # resource.version.group: that exact version of the group
        attempts.append((lowered, full[2]))
    attempts.append((f"{resource}.{group}" if group else resource, group or None))
    for spelling, wanted_group in attempts:
        try:
            rt = resolve(spelling)
        except UnknownResourceType:
            continue
        if wanted_group is None or rt.group == wanted_group:
            return rt.group, rt.name, rt
    group_resource = f"{resource}.{group}" if group else resource
    if group_resource not in NON_STANDARD_RESOURCE_NAMES:
        if group:
            warn(f"the server doesn't have a resource type '{resource}' in group '{group}'")
        else:
            warn(f"the server doesn't have a resource type '{resource}'")
    return "", arg, None


@auth_app.command("can-i", context_settings=_SETTINGS)
def can_i(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="VERB [TYPE | TYPE/NAME | NONRESOURCEURL]"),
    namespace: Annotated[str, typer.Option("--namespace", "-n", help="The namespace to check in (default: default).")] = None,
    all_namespaces: Annotated[bool, typer.Option("--all-namespaces", "-A",
                                                 help="If true, check the specified action in all namespaces.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="If true, suppress output and just return the exit code.")] = False,
    subresource: Annotated[str, typer.Option("--subresource", help="SubResource such as pod/log or deployment/scale")] = "",
    list_: Annotated[bool, typer.Option("--list", help="If true, prints all allowed actions.")] = False,
    no_headers: Annotated[bool, typer.Option("--no-headers", help="If true, prints allowed actions without headers")] = False,
    as_user: AsUser = None,
    as_groups: AsGroups = None,
) -> None:
    """Check whether an action is allowed.

    VERB is a logical Kubernetes API verb like 'get', 'list', 'watch', 'delete', etc.
    TYPE is a Kubernetes resource. Shortcuts and groups will be resolved.
    NONRESOURCEURL is a partial URL that starts with "/".
    NAME is the name of a particular Kubernetes resource.
    This command pairs nicely with impersonation. See --as.

    Examples:
      # Check to see if I can create pods in any namespace
      kctl auth can-i create pods --all-namespaces

      # Check to see if service account "foo" of namespace "dev" can list pods in the namespace "prod"
      kctl auth can-i list pods --as=system:serviceaccount:dev:foo -n prod

      # Check to see if I can read pod logs
      kctl auth can-i get pods --subresource=log

      # Check to see if I can access the URL /logs/
      kctl auth can-i get /logs/

      # List all allowed actions in namespace "foo"
      kctl auth can-i --list --namespace=foo
    """
    args = list(args or [])
    verb = url = name = ""
    group = resource = ""
    rt = None
    if list_:
        if args:
            raise CommandError(LIST_NO_ARGUMENTS)
    elif len(args) != 2:
        raise CommandError(TWO_ARGUMENTS)
    user = acting_user(as_user, as_groups)
    if not list_:
        verb = args[0]
        if args[1].startswith("/"):
            url = args[1]
        else:
            type_arg, _, name = args[1].partition("/")
            group, resource, rt = resource_for(type_arg)
    ns = "" if all_namespaces else (namespace or "default")
    _validate(list_, quiet, all_namespaces, subresource, no_headers, verb, url, name, resource, group, rt)
    from kctl.api.authorization.policy import policy_from_api
    from kctl.cli.session import read_session

    with read_session(ctx) as s:
        policy = policy_from_api(s.api)
    if list_:
        _print_rules(policy, user, ns, no_headers)
        return
    from kctl.api.authorization.attributes import non_resource_attributes, resource_attributes
    from kctl.api.authorization.authorizer import authorize

    if url:
        attrs = non_resource_attributes(user, verb, url)
    else:
        attrs = resource_attributes(user, verb, namespace=ns, api_group=group, resource=resource,
                                    subresource=subresource, name=name)
    decision = authorize(policy, attrs)
    if decision.allowed:
        if not quiet:
            out("yes")
        return
    if not quiet:
        out("no" + (f" - {decision.reason}" if decision.reason else ""))
    raise typer.Exit(1)


def _validate(list_, quiet, all_namespaces, subresource, no_headers, verb, url, name, resource, group, rt) -> None:
    """``CanIOptions.Validate``: conflicting options are errors; a cluster-scoped resource asked
    about in a namespace and an unknown verb are warnings."""
    if list_:
        if quiet or all_namespaces or subresource:
            raise CommandError(LIST_CONFLICTS)
        return
    if url:
        if subresource:
            raise CommandError("--subresource can not be used with NonResourceURL")
        if resource or name:
            raise CommandError("NonResourceURL and ResourceName can not specified together")
        if verb not in NON_RESOURCE_URL_VERBS:
            warn(f"verb '{verb}' is not a known verb")
    elif resource and not all_namespaces:
        if rt is not None and not rt.namespaced:
            if group:
                warn(f"resource '{resource}' is not namespace scoped in group '{group}'")
            else:
                warn(f"resource '{resource}' is not namespace scoped")
        if verb not in RESOURCE_VERBS:
            warn(f"verb '{verb}' is not a known verb")
    if no_headers:
        raise CommandError(NO_HEADERS_WITHOUT_LIST)


def access_table(status, no_headers: bool = False) -> str:
    """``printStatus``: the SelfSubjectRulesReview rules broken down, compacted, sorted and
    tabulated as kubectl prints them."""
    from kctl.api.authorization.compact import (
        breakdown_rule,
        combine_resource_group,
        compact_rules,
        go_list,
        sort_rules,
    )
    from kctl.printers.tabwriter import format_lines

    broken = []
    for rule in [*status.resource_rules, *status.non_resource_rules]:
        broken.extend(breakdown_rule(rule))
    rules = sort_rules(compact_rules(broken))
    lines = [] if no_headers else ["\t".join(LIST_HEADERS)]
    for r in rules:
        lines.append("\t".join([combine_resource_group(r.get("resources") or [], r.get("apiGroups") or []),
                                go_list(r.get("nonResourceURLs") or []), go_list(r.get("resourceNames") or []),
                                go_list(r.get("verbs") or [])]))
    return format_lines(lines) if lines else ""


def _print_rules(policy, user, namespace: str, no_headers: bool) -> None:
    from kctl.api.authorization.authorizer import rules_for

    status = rules_for(policy, user, namespace)
    if status.incomplete:
        warn(f"the list may be incomplete: {status.evaluation_error}")
    text = access_table(status, no_headers)
    if text:
        import sys

        sys.stdout.write(text)


# -- whoami --------------------------------------------------------------------------------------


def self_subject_review(user) -> dict:
    """The SelfSubjectReview (authentication.k8s.io/v1) the API server returns: the
    requesting user's attributes."""
    info: dict = {"username": user.name}
    if user.uid:
        info["uid"] = user.uid
    if user.groups:
        info["groups"] = list(user.groups)
    return {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"creationTimestamp": None}, "status": {"userInfo": info}}


def whoami_table(user) -> str:
    """``printTableSelfSubjectAccessReview``."""
    from kctl.api.authorization.compact import go_list
    from kctl.printers.tabwriter import format_lines

    lines = ["ATTRIBUTE\tVALUE"]
    if user.name:
        lines.append(f"Username\t{user.name}")
    if user.uid:
        lines.append(f"UID\t{user.uid}")
    if user.groups:
        lines.append(f"Groups\t{go_list(user.groups)}")
    return format_lines(lines)


@auth_app.command("whoami", context_settings=_SETTINGS)
def whoami(
    output: Annotated[str, typer.Option("--output", "-o", help="Output format: json or yaml (default: a table).")] = "",
    as_user: AsUser = None,
    as_groups: AsGroups = None,
) -> None:
    """Check self subject attributes (username, groups), honouring --as/--as-group.

    Examples:
      # Get your subject attributes
      kctl auth whoami

      # Get your subject attributes in JSON format
      kctl auth whoami -o json
    """
    if output not in ("", "json", "yaml"):
        raise CommandError(f'unable to match a printer suitable for the output format "{output}", '
                           "allowed formats are: json,yaml")
    user = acting_user(as_user, as_groups)
    if not output:
        import sys

        sys.stdout.write(whoami_table(user))
        return
    from kctl.printers.serialize import to_json, to_yaml

    review = self_subject_review(user)
    out(to_json(review, sort_keys=False) if output == "json" else to_yaml(review))
