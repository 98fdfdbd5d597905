"""kctl set env: kubectl's ``set env`` (``kubectl/pkg/cmd/set/set_env.go``)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
from kctl.cli.options import AllInNamespace, DryRun, Namespace, Quiet, Recursive, Selector, WriteOutput
from kctl.cli.output import err, out
from kctl.cli.set_cmd.common import (
    ALL_AND_SELECTOR,
    LOCAL_AND_SERVER_DRY_RUN,
    LOCAL_RESOURCE_ERROR,
    RESOURCES_REQUIRED,
    Containers,
    Filenames,
    Local,
    PatchError,
    pod_spec_of,
    pop_overwrite,
    select_containers,
    update_pod_templates,
)

# -- set env -----------------------------------------------------------------------------------

#: ``--overwrite=false`` and the other pflag-style arguments reach ``pop_overwrite``.
CONTEXT_SETTINGS = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": ["-h", "--help"]}


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
