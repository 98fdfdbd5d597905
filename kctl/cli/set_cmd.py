"""kctl set: kubectl's ``set image|env|resources`` (``kubectl/pkg/cmd/set``).

Each subcommand changes the pod template of the objects it selects (through
``polymorphichelpers.UpdatePodSpecForObject``: pods, replication controllers, deployments,
daemon sets, replica sets, stateful sets, jobs and cron jobs), then writes only the objects
that changed: an object whose template comes out the same prints nothing, as kubectl skips
an empty (``{}``) patch. What upstream mirrors here:

- the objects are looked up first; a name that does not exist fails the whole command
  before anything is written (the builder's error comes out of ``Complete``);
- an object without a pod template is an error of its own
  (``error: services/web the object is not a pod or does not have a pod template: *v1.Service``),
  the others go on;
- errors are aggregated as ``cmdutil.CheckErr`` prints them: one error gets an ``error: ``
  prefix (unless it has one), several are printed one per line as they are;
- ``--local`` works on the ``-f`` files only, never asks the API server, and prints.

A write ends with the control-plane pass (``kctl.cli.dry_run``): ``set image`` on a
deployment shows its rolling update on stderr.
"""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.metadata_edit import resources_and_pairs
from kctl.cli.options import AllInNamespace, DryRun, Namespace, Quiet, Recursive, Selector, WriteOutput
from kctl.cli.output import err, out

set_app = typer.Typer(
    help="Configure application resources.\n\nThese commands help you make changes to existing application resources.",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: ``resource.LocalResourceError``.
LOCAL_RESOURCE_ERROR = (
    "error: you must specify resources by --filename when --local is set.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'"
)
LOCAL_AND_SERVER_DRY_RUN = "cannot specify --local and --dry-run=server - did you mean --dry-run=client?"
ALL_AND_SELECTOR = "cannot set --all and --selector at the same time"
RESOURCES_REQUIRED = "one or more resources must be specified as <resource> <name> or <resource>/<name>"

#: Kinds whose pod spec is ``spec.template.spec`` (``UpdatePodSpecForObject``).
_TEMPLATED = {"ReplicationController", "Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job"}

Filenames = typer.Option(None, "--filename", "-f", help="Files identifying the resources to update.")
Local = typer.Option(False, "--local", help="Work on the -f files only, without contacting the API server; print.")
Containers = typer.Option("*", "--containers", "-c", help="The names of the containers to change (wildcards allowed).")


@set_app.callback()
def set_(ctx: typer.Context) -> None:
    """Configure application resources (``kctl set`` alone prints this help)."""
    if ctx.invoked_subcommand is None:
        out(ctx.get_help())


class PatchError(Exception):
    """The object cannot take the change (kubectl's ``patch.Err``)."""


# -- pure helpers ------------------------------------------------------------------------------


def pod_spec_of(obj: dict) -> dict:
    """``UpdatePodSpecForObject``: the object's pod spec (created along the path if absent);
    PatchError for a kind without one (``%T`` of the Go type, as upstream prints it)."""
    kind = obj.get("kind", "")
    if kind == "Pod":
        return obj.setdefault("spec", {})
    if kind in _TEMPLATED:
        return obj.setdefault("spec", {}).setdefault("template", {}).setdefault("spec", {})
    if kind == "CronJob":
        job = obj.setdefault("spec", {}).setdefault("jobTemplate", {}).setdefault("spec", {})
        return job.setdefault("template", {}).setdefault("spec", {})
    version = str(obj.get("apiVersion", "")).rpartition("/")[2] or "v1"
    raise PatchError(f"the object is not a pod or does not have a pod template: *{version}.{kind}")


def select_string(s: str, spec: str) -> bool:
    """``selectString``: ``spec`` with a non-greedy ``*`` wildcard (upstream's algorithm,
    quirks included)."""
    if spec == "*":
        return True
    if "*" not in spec:
        return s == spec
    pos = 0
    parts = spec.split("*")
    for i, part in enumerate(parts):
        if not part:
            continue
        found = s[pos:].find(part)
        if found < pos or (i == 0 and pos != 0) or (i == len(parts) - 1 and len(s) != len(part) + found):
            return False
        pos = found
    return True


def select_containers(spec: dict, selector: str) -> list[dict]:
    """The selected containers, then the selected init containers (as ``set env`` and
    ``set resources`` visit them)."""
    containers = [c for c in spec.get("containers") or [] if select_string(c.get("name", ""), selector)]
    inits = [c for c in spec.get("initContainers") or [] if select_string(c.get("name", ""), selector)]
    return containers + inits


def parse_pairs(pairs: list[str], pair_type: str) -> dict[str, str]:
    """``cmdutil.ParsePairs`` without removals (``set image``); insertion order kept."""
    parsed: dict[str, str] = {}
    invalid = []
    for pair in pairs:
        if "=" in pair and not pair.startswith("="):
            key, _, value = pair.partition("=")
            parsed[key] = value
        else:
            invalid.append(pair)
    if invalid:
        raise CommandError(f"invalid {pair_type} format: {', '.join(invalid)}")
    return parsed


def set_image(containers: list[dict], name: str, image: str) -> bool:
    found = False
    for c in containers:
        if c.get("name") == name or name == "*":
            found = True
            c["image"] = image
    return found


def parse_resource_list(spec: str) -> dict[str, str]:
    """``populateResourceListV1``: ``cpu=100m,memory=256Mi``."""
    from kctl.api.quantity import QuantityError, parse_quantity

    result: dict[str, str] = {}
    if not spec:
        return result
    for statement in spec.split(","):
        parts = statement.split("=")
        if len(parts) != 2:
            raise CommandError(f"Invalid argument syntax {statement}, expected <resource>=<value>")
        try:
            result[parts[0]] = str(parse_quantity(parts[1]))
        except QuantityError as e:
            raise CommandError(str(e)) from None
    return result


def parse_bool(text: str, flag: str) -> bool:
    """A pflag boolean's value (``strconv.ParseBool``)."""
    if text in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    if text in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    raise CommandError(f'invalid argument "{text}" for "--{flag}" flag: strconv.ParseBool: parsing "{text}": '
                       "invalid syntax", exit_code=1)


def pop_overwrite(args: list[str]) -> tuple[list[str], bool]:
    """``set env``'s ``--overwrite`` (a pflag boolean, true by default: ``--overwrite=false``
    refuses to change a variable's value) taken out of the arguments; any other option there
    is click's usual unknown-option error."""
    from kctl.cli.errors import click_exceptions

    value, rest = True, []
    for a in args:
        name, eq, text = a.partition("=")
        if name == "--overwrite":
            value = parse_bool(text, "overwrite") if eq else True
        elif a.startswith("-") and a != "-":
            raise click_exceptions().NoSuchOption(name)
        else:
            rest.append(a)
    return rest, value


def render_errors(errors: list[str]) -> str:
    """``cmdutil.CheckErr`` of an aggregate: one error gets ``error: `` (unless it has a
    prefix of its own), several print as they are, one per line."""
    if len(errors) == 1:
        text = errors[0].rstrip("\n")
        return text if text.startswith(("error: ", "Error from server")) else f"error: {text}"
    return "\n".join(e.rstrip("\n") for e in errors)


def _fail(errors: list[str]) -> None:
    if errors:
        err(render_errors(errors))
        raise typer.Exit(1)


# -- the shared run: select, mutate, write what changed ----------------------------------------


class _LocalObject:
    """A ``-f`` document under ``--local``, read like a ``Target`` (its resource type is
    looked up only when asked for)."""

    def __init__(self, obj: dict):
        self.obj = obj
        self.name = (obj.get("metadata") or {}).get("name", "")

    @property
    def rt(self):
        from kctl.api.server.apiserver import APIServer

        return APIServer.resource_type(self.obj)


def visit_objects(ctx, *, args: list[str], filenames, recursive: bool, namespace: str | None,
                  selector: str | None, all_: bool, local: bool, mode: str, output: str | None,
                  quiet: bool, visit, missing_first: bool = True) -> None:
    """The flow every ``set`` subcommand shares: select the objects (``-f``, ``TYPE NAME``,
    ``-l``, ``--all``; ``--local``: the ``-f`` documents only), call ``visit(target, api,
    printer)`` on each (``api`` is None under ``--local``), then flush the printer.

    ``missing_first``: a named object that does not exist fails the command before any is
    visited (the builder's error out of ``Complete``); otherwise ``visit`` meets it
    (``target.obj`` None) in turn, as a ``Visit`` that stops at its first error does."""
    from kctl.cli.resource_builder import load_filenames
    from kctl.cli.results import OperationPrinter

    loaded = load_filenames(filenames, recursive)
    printer = OperationPrinter(output, mode)
    if local:
        for m in loaded.manifests if loaded else []:
            visit(_LocalObject(m.obj), None, printer)
        printer.flush()
        return

    from kctl.cli.dry_run import dry_run_session
    from kctl.cli.resource_builder import select_targets
    from kctl.cli.targets import not_found_text

    with dry_run_session(ctx, mode, quiet) as s:
        targets = select_targets(s.api, loaded, args, namespace, selector=selector, all_=all_, require_names=True)
        missing = [not_found_text(t.rt, t.name) for t in targets if t.obj is None]
        if missing and missing_first:
            raise CommandError("\n".join(missing))
        for t in targets:
            visit(t, s.api, printer)
        printer.flush()


def write(api, obj: dict, mode: str) -> dict:
    """Send the update (``--dry-run=server``: not stored); the object as it would be stored.
    Under ``--local`` (no ``api``) and ``--dry-run=client`` nothing is sent."""
    if api is None or mode == "client":
        return obj
    return api.update(obj, dry_run=mode == "server")


def update_pod_templates(ctx, *, operation: str, write_failure: str, mutate, **select) -> None:
    """``visit_objects`` for image, env and resources: call ``mutate(obj, errors)`` on a copy
    of each object (it changes the pod spec in place, appends aggregate errors or raises
    PatchError), and write and print each object that changed; the errors come out last.

    ``write_failure`` prefixes an API error of the write, as each kubectl subcommand words
    it (``failed to patch image update to pod template: ``)."""
    from kctl.api.errors import StatusError
    from kctl.api.server.apiserver import deep_copy

    errors: list[str] = []

    def visit(t, api, printer) -> None:
        obj = deep_copy(t.obj)
        try:
            mutate(obj, errors)
        except PatchError as e:
            errors.append(f"error: {t.rt.group_resource}/{t.name} {e}\n")
            return
        if obj == t.obj:
            return  # an empty patch: nothing sent, nothing printed
        try:
            stored = write(api, obj, select["mode"])
        except StatusError as e:
            errors.append(f"{write_failure}{e.message}")
            return
        printer.print(stored, operation)

    visit_objects(ctx, visit=visit, **select)
    _fail(errors)


def _check_common(mode: str, local: bool, all_: bool, selector: str | None, output: str | None) -> None:
    from kctl.cli.create import _check_output

    _check_output(output)
    if local and mode == "server":
        raise CommandError(LOCAL_AND_SERVER_DRY_RUN)
    if all_ and selector:
        raise CommandError(ALL_AND_SELECTOR)


# -- set image ---------------------------------------------------------------------------------


@set_app.command("image")
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


# -- set env -----------------------------------------------------------------------------------


def split_environment_from_resources(args: list[str]) -> tuple[list[str], list[str]] | None:
    """``envutil.SplitEnvironmentFromResources``: None when a resource follows an env arg."""
    resources: list[str] = []
    env_args: list[str] = []
    for s in args:
        is_env = ("=" in s and s.index("=") > 0) or s.endswith("-")
        if is_env:
            env_args.append(s)
        elif env_args:
            return None
        else:
            resources.append(s)
    return resources, env_args


def parse_env(specs: list[str], stdin_text: str | None = None) -> tuple[list[dict], list[str]]:
    """``envutil.ParseEnv``: (variables to set, names to remove)."""
    from kctl.api.validation.names import is_env_var_name

    env: list[dict] = []
    names: set[str] = set()
    remove: list[str] = []
    for spec in specs:
        if spec == "-":
            if stdin_text is None:
                raise CommandError("when '-' is used, STDIN must be open")
            for line in stdin_text.splitlines():
                line = line.split("#", 1)[0]
                if "=" in line:
                    key, _, value = line.partition("=")
                    env.append({"name": key, "value": value})
        elif "=" in spec:
            key, _, value = spec.partition("=")
            problems = is_env_var_name(key)
            if problems:
                raise CommandError(f'"{key}" is not a valid key name: {";".join(problems)}')
            names.add(key)
            env.append({"name": key, "value": value})
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise CommandError(f"unknown environment variable: {spec}")
    if any(r in names for r in remove):
        raise CommandError("can not both modify and remove the same environment variable in the same command")
    return env, remove


def update_env(existing: list[dict], env: list[dict], remove: list[str]) -> list[dict]:
    """``updateEnv``: replace in place, drop the removed, append the new."""
    by_name = {}
    for e in env:
        by_name.setdefault(e["name"], e)
    covered = set(remove)
    result = []
    for e in existing:
        name = e.get("name")
        if name in covered:
            continue
        if name in by_name:
            covered.add(name)
            result.append(dict(by_name[name]))
            continue
        result.append(e)
    for e in env:
        if e["name"] in covered:
            continue
        covered.add(e["name"])
        result.append(dict(e))
    return result


def key_to_env_name(key: str) -> str:
    """``keyToEnvName``: upper case, every character outside ``[A-Za-z0-9_]`` becomes ``_``."""
    import re

    return re.sub(r"[^A-Za-z0-9_]", "_", key).upper()


def env_var_ref_string(source: dict) -> str:
    """``envutil.GetEnvVarRefString``."""
    if source.get("configMapKeyRef"):
        ref = source["configMapKeyRef"]
        return f"configmap {ref.get('name', '')}, key {ref.get('key', '')}"
    if source.get("secretKeyRef"):
        ref = source["secretKeyRef"]
        return f"secret {ref.get('name', '')}, key {ref.get('key', '')}"
    if source.get("fieldRef"):
        return f"field path {source['fieldRef'].get('fieldPath', '')}"
    if source.get("resourceFieldRef"):
        ref = source["resourceFieldRef"]
        prefix = f"{ref['containerName']}/" if ref.get("containerName") else ""
        return f"resource {prefix}{ref.get('resource', '')}"
    return "invalid valueFrom"


def _env_from(api, source: str, namespace: str | None, keys: list[str]) -> list[dict]:
    """``--from=configmap/NAME|secret/NAME``: one variable per data key (sorted by key)."""
    from kctl.cli.targets import find_targets, not_found_text

    env = []
    for t in find_targets(api, [source], namespace=namespace, require_names=True):
        if t.obj is None:
            raise CommandError(not_found_text(t.rt, t.name))
        kind = t.obj.get("kind")
        if kind not in ("Secret", "ConfigMap"):
            raise CommandError("unsupported resource specified in --from")
        ref = "secretKeyRef" if kind == "Secret" else "configMapKeyRef"
        for key in sorted(t.obj.get("data") or {}):
            if not keys or key in keys:
                env.append({"name": key_to_env_name(key),
                            "valueFrom": {ref: {"name": t.name, "key": key}}})
    return env


@set_app.command("env", context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                          "help_option_names": ["-h", "--help"]})
def env(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [--overwrite=false]"),
    filenames: list[str] = Filenames,
    recursive: Recursive = False,
    namespace: Namespace = None,
    selector: Selector = None,
    all_: AllInNamespace = False,
    containers: str = Containers,
    env_params: list[str] = typer.Option(None, "--env", "-e", help="A KEY=VALUE pair to set in each container."),
    from_: str = typer.Option("", "--from", help="A configmap or secret whose keys become variables."),
    prefix: str = typer.Option("", "--prefix", help="Prefix to add to the variable names."),
    keys: str = typer.Option("", "--keys", help="Comma-separated keys to import from --from."),
    list_: bool = typer.Option(False, "--list", help="Print the environment (after the changes) instead of writing."),
    local: bool = Local,
    dry_run: DryRun = None,
    output: WriteOutput = None,
    quiet: Quiet = False,
) -> None:
    """Update environment variables on a pod template.

    List environment variable definitions in one or more pods, pod templates. Add, update,
    or remove container environment variable definitions in one or more pod templates
    (within replication controllers or deployment configurations). KEY=VALUE sets, KEY-
    removes, '-' reads KEY=VALUE lines from stdin.

    Examples:
      # Update deployment 'registry' with a new environment variable
      kctl set env deployment/registry STORAGE_DIR=/local

      # List the environment variables defined on a deployment 'sample-build'
      kctl set env deployment/sample-build --list

      # Import environment from a config map with a prefix
      kctl set env --from=configmap/myconfigmap --prefix=MYSQL_ deployment/myapp

      # Remove the environment variable ENV from container 'c1' in all deployment configs
      kctl set env deployments --all --containers="c1" ENV-
    """
    import sys

    from kctl.cli.apply import dry_run_mode

    if all_ and selector:
        raise CommandError(ALL_AND_SELECTOR)
    args, overwrite_ = pop_overwrite(list(args or []))
    split = split_environment_from_resources(args)
    if split is None:
        raise CommandError(f"all resources must be specified before environment changes: {' '.join(args)}")
    resources, env_args = split
    mode = dry_run_mode(dry_run)
    from kctl.cli.create import _check_output

    _check_output(output)
    if local and mode == "server":
        raise CommandError(LOCAL_AND_SERVER_DRY_RUN)
    if not filenames and not resources:
        raise CommandError(RESOURCES_REQUIRED)
    if list_ and output:
        raise CommandError("--list and --output may not be specified together")
    key_list = [k for k in keys.split(",") if k] if keys else []
    if key_list and not from_:
        raise CommandError("when specifying --keys, a configmap or secret must be provided with --from")
    specs = list(env_params or []) + env_args
    stdin_text = sys.stdin.read() if "-" in specs else None
    new_env, remove = parse_env(specs, stdin_text)
    if local and resources:
        raise CommandError(LOCAL_RESOURCE_ERROR)

    from_env: list[dict] = []
    if from_ and not local:
        from kctl.cli.session import read_session

        with read_session(ctx) as s:
            from_env = _env_from(s.api, from_, namespace, key_list)
    all_env = new_env + from_env
    if prefix:
        all_env = [{**e, "name": f"{prefix}{e['name']}"} for e in all_env]

    listing: list[str] = []

    def mutate(obj: dict, errors: list[str]) -> None:
        spec = pod_spec_of(obj)
        selected = select_containers(spec, containers)
        meta = obj.get("metadata") or {}
        if not selected:
            err(f'warning: {obj.get("kind", "")}/{meta.get("name", "")} does not have any containers matching '
                f'"{containers}"')
            return
        for c in selected:
            if not overwrite_:
                for e in all_env:
                    current = next((x for x in c.get("env") or [] if x.get("name") == e["name"]), None)
                    if current is not None and current.get("value", "") != e.get("value", ""):
                        raise PatchError(f"'{current['name']}' already has a value ({current.get('value', '')}), "
                                         "and --overwrite is false")
            updated = update_env(c.get("env") or [], all_env, remove)
            if updated:
                c["env"] = updated
            else:
                c.pop("env", None)  # an empty list is omitted (omitempty)
            if list_:
                listing.append(f"# {obj.get('kind', '')} {meta.get('name', '')}, container {c.get('name', '')}")
                for e in updated:
                    if e.get("valueFrom") is None:
                        listing.append(f"{e.get('name', '')}={e.get('value', '')}")
                    else:
                        listing.append(f"# {e.get('name', '')} from {env_var_ref_string(e['valueFrom'])}")

    if list_:
        _list_env(ctx, resources, filenames, recursive, namespace, selector, all_, local, mutate, listing)
        return
    update_pod_templates(ctx, args=resources, filenames=filenames, recursive=recursive, namespace=namespace,
                         selector=selector, all_=all_, local=local, mode=mode, output=output, quiet=quiet,
                         operation="env updated", write_failure="failed to patch env update to pod template: ", mutate=mutate)


def _list_env(ctx, resources, filenames, recursive, namespace, selector, all_, local, mutate, listing) -> None:
    """``set env --list``: the environment each selected container would have; nothing is written."""
    from kctl.cli.resource_builder import load_filenames

    loaded = load_filenames(filenames, recursive)
    errors: list[str] = []
    if local:
        objects = [m.obj for m in (loaded.manifests if loaded else [])]
    else:
        from kctl.cli.resource_builder import select_targets
        from kctl.cli.session import read_session
        from kctl.cli.targets import not_found_text

        with read_session(ctx) as s:
            targets = select_targets(s.api, loaded, resources, namespace, selector=selector, all_=all_,
                                     require_names=True)
        missing = [not_found_text(t.rt, t.name) for t in targets if t.obj is None]
        if missing:
            raise CommandError("\n".join(missing))
        objects = [t.obj for t in targets]
    import copy

    for obj in objects:
        try:
            mutate(copy.deepcopy(obj), errors)
        except PatchError:
            continue
    if listing:
        out("\n".join(listing))


# -- set resources -----------------------------------------------------------------------------


@set_app.command("resources")
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


# -- set selector ------------------------------------------------------------------------------


def parse_to_label_selector(text: str) -> tuple[dict[str, str], list[dict]]:
    """``metav1.ParseToLabelSelector``: (matchLabels, matchExpressions)."""
    from kctl.api import labels

    try:
        selector = labels.parse(text)
    except labels.LabelSelectorError as e:
        raise CommandError(str(e)) from None
    match_labels: dict[str, str] = {}
    expressions: list[dict] = []
    operators = {labels.IN: "In", labels.NOT_IN: "NotIn", labels.NOT_EQUALS: "NotIn",
                 labels.EXISTS: "Exists", labels.DOES_NOT_EXIST: "DoesNotExist"}
    for r in selector.requirements:
        if r.operator in (labels.EQUALS, labels.DOUBLE_EQUALS):
            match_labels[r.key] = r.values[0]
        elif r.operator in operators:
            expressions.append({"key": r.key, "operator": operators[r.operator], "values": list(r.values)})
        else:
            raise CommandError(f'"{r.operator}" isn\'t supported in label selectors')
    return match_labels, expressions


@set_app.command("selector")
def selector_(
    ctx: typer.Context,
    args: list[str] = typer.Argument(None, metavar="(-f FILENAME | TYPE NAME) EXPRESSIONS"),
    filenames: list[str] = Filenames,
    recursive: Recursive = False,
    namespace: Namespace = None,
    selector: Selector = None,
    all_: AllInNamespace = False,
    local: bool = Local,
    resource_version: str = typer.Option("", "--resource-version", help="Precondition: the current resourceVersion "
                                                                        "(a single object only)."),
    dry_run: DryRun = None,
    output: WriteOutput = None,
    quiet: Quiet = False,
) -> None:
    """Set the selector on a resource.

    The new selector replaces the old one. Only Services take a selector this way, and only
    an equality-based one.

    Examples:
      # Point the service web at the pods labeled app=web,track=canary
      kctl set selector service web 'app=web,track=canary'
    """
    from kctl.api.server.apiserver import deep_copy
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.create import _check_output

    mode = dry_run_mode(dry_run)
    _check_output(output)
    args = list(args or [])
    resources_, expression = args[:-1], (args[-1] if args else None)
    match_labels, expressions = parse_to_label_selector(expression) if expression is not None else ({}, [])
    if expression is None:
        raise CommandError("one selector is required")
    if local and resources_:
        raise CommandError(LOCAL_RESOURCE_ERROR)

    def updated(obj: dict) -> dict:
        if obj.get("kind") != "Service":
            raise CommandError("setting a selector is only supported for Services")
        if expressions:
            text = " ".join(f"{{{e['key']} {e['operator']} [{' '.join(e['values'])}]}}" for e in expressions)
            raise CommandError(f"match expression [{text}] not supported on this object")
        obj = deep_copy(obj)
        spec = obj.setdefault("spec", {})
        if match_labels:
            spec["selector"] = dict(match_labels)
        else:
            spec.pop("selector", None)
        return obj

    def visit(t, api, printer) -> None:  # upstream's Visit: the first error ends the command
        from kctl.api.errors import StatusError, new_conflict
        from kctl.cli.targets import not_found_text

        if t.obj is None:
            raise CommandError(not_found_text(t.rt, t.name))
        obj = updated(t.obj)
        if api is not None and resource_version and resource_version != t.obj["metadata"].get("resourceVersion"):
            raise new_conflict(t.rt, t.name)
        try:
            stored = write(api, obj, mode)
        except StatusError:
            printer.flush()
            raise
        printer.print(stored, "selector updated")

    visit_objects(ctx, args=resources_, filenames=filenames, recursive=recursive, namespace=namespace,
                  selector=selector, all_=all_, local=local, mode=mode, output=output, quiet=quiet, visit=visit,
                  missing_first=False)


__all__ = [
    "set_app", "pod_spec_of", "select_string", "select_containers", "resources_and_pairs", "parse_pairs",
    "parse_env", "update_env", "split_environment_from_resources", "parse_resource_list", "render_errors",
    "update_pod_templates", "visit_objects", "write", "PatchError", "parse_to_label_selector",
]
