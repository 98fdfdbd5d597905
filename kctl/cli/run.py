"""kctl run: kubectl's ``run`` (``kubectl/pkg/cmd/run``, kubectl 1.34): create a bare Pod
with one container named after the pod, and with ``--expose`` a ClusterIP Service for it.

Mirrored: the pod's labels default to ``run=NAME`` (and the service's selector is the pod's
labels, its labels only the ones given with ``-l``); extra arguments become the container's
``args`` (``--command``: its ``command``); ``--port`` adds one container port; the flag
checks and their wording (``NAME is required for run``, ``--port must be set when exposing a
service``, ``invalid image name "X": invalid reference format``...).

Not mirrored: kctl runs no containers, so nothing can be attached to. ``-i``, ``--attach``
and ``--rm`` (after kubectl's own checks of them) fail with one line saying so, before
anything is created.
"""

from __future__ import annotations

import re

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import DryRun, ObjectNamespace, Quiet, WriteOutput

RESTART_POLICIES = ("Always", "OnFailure", "Never")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
NO_ATTACH = ("kctl cannot attach to a container: the simulated cluster runs no processes "
             "(drop -i/--stdin, -t/--tty, --attach and --rm)")

# distribution/reference's grammar (ReferenceRegexp): name[:tag][@digest].
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|{_IPV6})(?::[0-9]+)?"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}"
REFERENCE_RE = re.compile(rf"^{_NAME}(?::{_TAG})?(?:@{_DIGEST})?$")


def is_image_reference(image: str) -> bool:
    """``reference.ReferenceRegexp.MatchString``."""
    return REFERENCE_RE.match(image) is not None


def parse_labels(text: str) -> dict[str, str] | None:
    """run's ``parseLabels``: ``k=v,k2=v2`` (None when empty); the same parser, and wording,
    as expose's."""
    if not text:
        return None
    from kctl.cli.expose import ExposeError
    from kctl.cli.expose import parse_labels as parse_label_spec

    try:
        return parse_label_spec(text)
    except ExposeError as e:
        raise CommandError(str(e)) from None


def parse_envs(items: list[str]) -> list[dict]:
    """run's ``parseEnvs``: ``NAME=VALUE`` with a valid variable name."""
    from kctl.api.validation.names import is_env_var_name

    envs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or is_env_var_name(name):
            raise CommandError(f"invalid env: {item}")
        envs.append({"name": name, "value": value})
    return envs


def parse_annotations(items: list[str]) -> dict[str, str] | None:
    """``cmdutil.ParsePairs(..., "annotations", false)`` (None when empty)."""
    from kctl.cli.set_cmd import parse_pairs

    return parse_pairs(items, "annotations") or None


def pod_object(name: str, image: str, *, labels: dict, annotations: dict | None, envs: list[dict], port: str,
               restart: str, pull_policy: str, privileged: bool, arguments: list[str], command: bool,
               namespace: str | None) -> dict:
    """``RunOptions.createPod`` in Go field order (as ``--dry-run=client`` prints it)."""
    container: dict = {"name": name, "image": image}
    if arguments:
        container["command" if command else "args"] = list(arguments)
    if port:
        container["ports"] = [{"containerPort": int(port)}]
    if envs:
        container["env"] = envs
    container["resources"] = {}
    if pull_policy:
        container["imagePullPolicy"] = pull_policy
    if privileged:
        container["securityContext"] = {"privileged": True}
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta["creationTimestamp"] = None
    meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    return {"kind": "Pod", "apiVersion": "v1", "metadata": meta,
            "spec": {"containers": [container], "restartPolicy": restart, "dnsPolicy": "ClusterFirst"},
            "status": {}}


def service_object(name: str, port: str, *, selector: dict, labels: dict | None, namespace: str | None) -> dict:
    """``RunOptions.createService``: one TCP port, the pod's labels as selector."""
    from kctl.cli.create import _meta

    number = int(port)
    return {"kind": "Service", "apiVersion": "v1", "metadata": _meta(name, namespace, labels),
            "spec": {"ports": [{"protocol": "TCP", "port": number, "targetPort": number}], "selector": selector},
            "status": {"loadBalancer": {}}}


def run(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="NAME [-- COMMAND] [args...]"),
    image: str = typer.Option(None, "--image", help="The image for the container to run."),
    labels: str = typer.Option("", "--labels", "-l", help="Comma-separated labels of the pod (default: run=NAME)."),
    env: list[str] = typer.Option(None, "--env", help="Environment variables to set in the container."),
    port: str = typer.Option("", "--port", help="The port that this container exposes."),
    expose: bool = typer.Option(False, "--expose", help="Also create a ClusterIP service for the pod (needs --port)."),
    restart: str = typer.Option("Always", "--restart", help="The restart policy: Always, OnFailure or Never."),
    command: bool = typer.Option(False, "--command", help="Use the extra arguments as the container's command "
                                                          "instead of its args."),
    annotations: list[str] = typer.Option(None, "--annotations", help="Annotations to apply to the pod."),
    image_pull_policy: str = typer.Option("", "--image-pull-policy", help="Always, IfNotPresent or Never."),
    privileged: bool = typer.Option(False, "--privileged", help="Run the container in privileged mode."),
    stdin: bool = typer.Option(False, "--stdin", "-i", help="Not supported: kctl runs no containers."),
    tty: bool = typer.Option(False, "--tty", "-t", help="Not supported: kctl runs no containers."),
    attach: bool = typer.Option(False, "--attach", help="Not supported: kctl runs no containers."),
    rm: bool = typer.Option(False, "--rm", help="Not supported: kctl runs no containers."),
    namespace: ObjectNamespace = None,
    dry_run: DryRun = None,
    output: WriteOutput = None,
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    quiet: Quiet = False,
) -> None:
    """Create and run a particular image in a pod.

    The pod runs one container, named after the pod. Arguments after the name (after --)
    become the container's args, or its command with --command. kctl runs no processes:
    the simulated kubelet starts the container, and there is nothing to attach to.

    Examples:
      # Start a nginx pod
      kctl run nginx --image=nginx

      # Start a hazelcast pod and let the container expose port 5701
      kctl run hazelcast --image=hazelcast/hazelcast --port=5701

      # Start a pod and a ClusterIP service for it
      kctl run web --image=nginx --port=80 --expose

      # Start a busybox pod with a command instead of the image's default
      kctl run tmp --image=busybox --restart=Never --command -- sleep 3600
    """
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output

    if image is None:
        raise CommandError('required flag(s) "image" not set')
    annotation_map = parse_annotations(list(annotations or []))
    label_map = parse_labels(labels)
    envs = parse_envs(list(env or []))
    if restart not in RESTART_POLICIES:
        raise CommandError(f"invalid restart policy: {restart}, valid values are: Always, OnFailure, Never")
    if image_pull_policy and image_pull_policy not in PULL_POLICIES:
        raise CommandError(f"invalid image pull policy: {image_pull_policy}")
    attach = attach or stdin
    mode = dry_run_mode(dry_run)
    _check_output(output)
    args = list(args or [])
    if not args:
        raise CommandError("NAME is required for run")
    if not image:
        raise CommandError("--image is required")
    if not is_image_reference(image):
        raise CommandError(f'invalid image name "{image}": invalid reference format')
    if tty and not stdin:
        raise CommandError("-i/--stdin is required for containers with -t/--tty=true")
    if expose and not port:
        raise CommandError("--port must be set when exposing a service")
    if port and not re.fullmatch(r"[+-]?[0-9]+", port):
        raise CommandError("--port must be a number")
    if not attach and rm:
        raise CommandError("--rm should only be used for attached containers")
    if attach and mode != "none":
        raise CommandError("--dry-run=[server|client] can't be used with attached containers options "
                           "(--attach, --stdin, or --tty)")
    if attach:
        raise CommandError(NO_ATTACH)

    name, arguments = args[0], args[1:]
    pod_labels = label_map or {"run": name}
    client_ns = namespace if mode == "client" else None
    objects = [pod_object(name, image, labels=pod_labels, annotations=annotation_map, envs=envs, port=port,
                          restart=restart, pull_policy=image_pull_policy, privileged=privileged,
                          arguments=arguments, command=command, namespace=client_ns)]
    if expose:
        objects.append(service_object(name, port, selector=dict(pod_labels), labels=label_map, namespace=client_ns))
    if mode == "client":
        _print_created(objects, mode, output, local=True)
        return
    _create(ctx, objects, namespace or "default", mode, output, save_config, quiet)


def _create(ctx, objects: list[dict], namespace: str, mode: str, output: str | None, save_config: bool,
            quiet: bool) -> None:
    """Create the pod (its failure ends the command), then the service (its failure is
    reported after the pod is printed, as kubectl aggregates it)."""
    from kctl.api.errors import StatusError
    from kctl.cli.create import _with_saved_config
    from kctl.cli.output import err, report_pass
    from kctl.cli.session import write_session

    created: list[dict] = []
    failures: list[str] = []
    with write_session(ctx, dry_run=mode == "server") as s:
        for i, obj in enumerate(objects):
            if save_config:
                obj = _with_saved_config(obj, namespace, True)
            try:
                created.append(s.api.create(obj, dry_run=mode == "server", namespace=namespace))
            except StatusError as e:
                if i == 0:
                    raise
                failures.append(e.render())
        _print_created(created, mode, output, local=False)
        if mode == "none":
            s.reconcile()
    if mode == "none":
        report_pass(s.reconciled, quiet)
    for f in failures:
        err(f)
    if failures:
        raise typer.Exit(1)


def _print_created(objects: list[dict], mode: str, output: str | None, *, local: bool) -> None:
    """``PrintFlags("created")`` per object; YAML documents after the first start with ``---``."""
    from kctl.cli.create import _print_one
    from kctl.cli.output import out

    for i, obj in enumerate(objects):
        if output == "yaml" and i:
            out("---")
        _print_one(obj, mode, output, local=local)


__all__ = ["run", "pod_object", "service_object", "is_image_reference", "parse_envs", "parse_labels"]
