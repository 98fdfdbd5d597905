"""What every ``kctl set`` subcommand shares: the ``set`` group, the flags, the pod-template
helpers, the error aggregation and the select -> change -> write flow (``visit_objects``)."""

from __future__ import annotations

import typer

from kctl.cli.errors import CommandError
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
