"""kctl set resources: kubectl's ``set resources`` (``kubectl/pkg/cmd/set/set_resources.go``)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import AllInNamespace, DryRun, Namespace, Quiet, Recursive, Selector, WriteOutput
from kctl.cli.set_cmd.common import (
    LOCAL_RESOURCE_ERROR,
    Containers,
    Filenames,
    Local,
    _check_common,
    parse_resource_list,
    pod_spec_of,
    select_containers,
    update_pod_templates,
)

# -- set resources -----------------------------------------------------------------------------


def resources(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(-f FILENAME | TYPE NAME)"),
    filenames: list[str] = Filenames,
    recursive: Recursive = False,
    namespace: Namespace = None,
    selector: Selector = None,
    all_: AllInNamespace = False,
    containers: str = Containers,
    limits: str = typer.Option("", "--limits", help="The resource limits, e.g. 'cpu=200m,memory=512Mi'."),
    requests: str = typer.Option("", "--requests", help="The resource requests, e.g. 'cpu=100m,memory=256Mi'."),
    local: bool = Local,
    dry_run: DryRun = None,
    output: WriteOutput = None,
    quiet: Quiet = False,
) -> None:
    """Update resource requests/limits on objects with pod templates.

    Specify compute resource requirements (CPU, memory) for any resource that defines a pod
    template. If a pod is successfully scheduled, it is guaranteed the amount of resource
    requested, but may burst up to its specified limits.

    Examples:
      # Set a deployment's nginx container cpu limits to "200m" and memory to "512Mi"
      kctl set resources deployment nginx -c=nginx --limits=cpu=200m,memory=512Mi

      # Set the resource request and limits for all containers in nginx
      kctl set resources deployment nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi

      # Remove the resource requests for resources on containers in nginx
      kctl set resources deployment nginx --limits=cpu=0,memory=0 --requests=cpu=0,memory=0

      # Print the result (in yaml format) of updating nginx container limits from a local, without hitting the server
      kctl set resources -f path/to/file.yaml --limits=cpu=200m,memory=512Mi --local -o yaml
    """
    from kctl.cli.apply import dry_run_mode

    mode = dry_run_mode(dry_run)
    resource_args = list(args or [])
    if local and resource_args:
        raise CommandError(LOCAL_RESOURCE_ERROR)
    _check_common(mode, local, all_, selector, output)
    if not limits and not requests:
        raise CommandError("you must specify an update to requests or limits (in the form of --requests/--limits)")
    new_limits = parse_resource_list(limits)
    new_requests = parse_resource_list(requests)

    def mutate(obj: dict, errors: list[str]) -> None:
        spec = pod_spec_of(obj)
        selected = select_containers(spec, containers)
        if not selected:
            errors.append(f"error: unable to find container named {containers}")
            return
        for c in selected:
            res = c.setdefault("resources", {})
            if new_limits:
                res["limits"] = {**(res.get("limits") or {}), **new_limits}
            if new_requests:
                res["requests"] = {**(res.get("requests") or {}), **new_requests}

    update_pod_templates(ctx, args=resource_args, filenames=filenames, recursive=recursive, namespace=namespace,
                         selector=selector, all_=all_, local=local, mode=mode, output=output, quiet=quiet,
                         operation="resource requirements updated", write_failure="failed to patch resources update to pod template ", mutate=mutate)
