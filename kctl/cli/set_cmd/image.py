"""kctl set image: kubectl's ``set image`` (``kubectl/pkg/cmd/set/set_image.go``)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.metadata_edit import resources_and_pairs
from kctl.cli.options import AllInNamespace, DryRun, Namespace, Quiet, Recursive, Selector, WriteOutput
from kctl.cli.set_cmd.common import (
    ALL_AND_SELECTOR,
    LOCAL_AND_SERVER_DRY_RUN,
    LOCAL_RESOURCE_ERROR,
    RESOURCES_REQUIRED,
    Filenames,
    Local,
    _fail,
    parse_pairs,
    pod_spec_of,
    set_image,
    update_pod_templates,
)

# -- set image ---------------------------------------------------------------------------------


def image(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ..."),
    filenames: list[str] = Filenames,
    recursive: Recursive = False,
    namespace: Namespace = None,
    selector: Selector = None,
    all_: AllInNamespace = False,
    local: bool = Local,
    dry_run: DryRun = None,
    output: WriteOutput = None,
    quiet: Quiet = False,
) -> None:
    """Update existing container image(s) of resources.

    Possible resources include (case insensitive): pod (po), replicationcontroller (rc),
    deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs).

    Examples:
      # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'
      kctl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1

      # Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'
      kctl set image deployments,rc nginx=nginx:1.9.1 --all

      # Update image of all containers of daemonset abc to 'nginx:1.9.1'
      kctl set image daemonset abc *=nginx:1.9.1

      # Print result (in yaml format) of updating nginx container image from local file, without hitting the server
      kctl set image -f path/to/file.yaml nginx=nginx:1.9.1 --local -o yaml
    """
    from kctl.cli.apply import dry_run_mode

    mode = dry_run_mode(dry_run)
    resources, pairs = resources_and_pairs(list(args or []), "image")
    images = parse_pairs(pairs, "image")
    if local and resources:
        raise CommandError(LOCAL_RESOURCE_ERROR)
    _check_output_and_validate_image(mode, local, all_, selector, output, resources, filenames, images)

    def mutate(obj: dict, errors: list[str]) -> None:
        spec = pod_spec_of(obj)
        for name, image_ in images.items():
            found_init = set_image(spec.get("initContainers") or [], name, image_)
            found = set_image(spec.get("containers") or [], name, image_)
            if not (found or found_init):
                errors.append(f'error: unable to find container named "{name}"')

    update_pod_templates(ctx, args=resources, filenames=filenames, recursive=recursive, namespace=namespace,
                         selector=selector, all_=all_, local=local, mode=mode, output=output, quiet=quiet,
                         operation="image updated", write_failure="failed to patch image update to pod template: ", mutate=mutate)


def _check_output_and_validate_image(mode, local, all_, selector, output, resources, filenames, images) -> None:
    """``SetImageOptions.Validate``: every problem, aggregated."""
    from kctl.cli.create import _check_output

    _check_output(output)
    problems = []
    if all_ and selector:
        problems.append(ALL_AND_SELECTOR)
    if not resources and not filenames:
        problems.append(RESOURCES_REQUIRED)
    if not images:
        problems.append("at least one image update is required")
    elif len(images) > 1 and "*" in images:
        problems.append("all containers are already specified by *, but saw more than one container_name=container_image "
                        "pairs")
    if local and mode == "server":
        problems.append(LOCAL_AND_SERVER_DRY_RUN)
    _fail(problems)
