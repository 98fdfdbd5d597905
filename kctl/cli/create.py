"""kctl create: ``create -f`` and kubectl's common generators (k8s.io/kubectl/pkg/cmd/create).

Generated objects are built the way kubectl builds them client-side (Go struct field order,
``creationTimestamp: null``, empty ``status`` / ``strategy`` / ``resources``), so
``--dry-run=client -o yaml|json`` prints what kubectl prints; the API server then defaults
and validates them like any other object.
"""

from __future__ import annotations

import os

import typer

from kctl.cli.errors import CommandError
from kctl.cli.output import dry_run_suffix, err, out, report_pass

create_app = typer.Typer(
    help="Create a resource from a file or from stdin, or with a generator.",
    invoke_without_command=True,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
service_app = typer.Typer(help="Create a service using a specified subcommand.", no_args_is_help=True)
secret_app = typer.Typer(help="Create a secret using a specified subcommand.", no_args_is_help=True)
create_app.add_typer(service_app, name="service")
create_app.add_typer(service_app, name="svc", hidden=True)
create_app.add_typer(secret_app, name="secret")

_DRY_RUN_HELP = "none, client or server: show what would be created, store nothing."
_OUTPUT_HELP = "name, json or yaml."


# -- create -f ---------------------------------------------------------------------------------


@create_app.callback()
def create(
    ctx: typer.Context,
    filenames: list[str] = typer.Option(None, "--filename", "-f", help="Files or folders to create, or - for stdin."),
    recursive: bool = typer.Option(False, "--recursive", "-R", help="Process folders recursively."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace for objects that do not name one."),
    dry_run: str = typer.Option(None, "--dry-run", help=_DRY_RUN_HELP),
    output: str = typer.Option(None, "--output", "-o", help=_OUTPUT_HELP),
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    validate: str = typer.Option("strict", "--validate", help="strict, warn or ignore."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors (no control-plane report)."),
) -> None:
    """Create a resource from a file or from stdin.

    Examples:
      # Create the objects in web.yaml
      kctl create -f web.yaml

      # Create a deployment, and show it instead of storing it
      kctl create deployment web --image=nginx:1.25 --dry-run=client -o yaml
    """
    if ctx.invoked_subcommand is not None:
        return
    from kctl.api.errors import StatusError
    from kctl.cli.apply import dry_run_mode
    from kctl.cli.files import check_namespace, display_file, load, validate_mode

    mode = dry_run_mode(dry_run)
    _check_output(output)
    # The API server validates each object it creates (kctl.cli.files explains the split);
    # --dry-run=client sends nothing, so the documents' server-side rules run up front there.
    loaded = load(filenames or [], recursive, validate_mode(validate), server_rules=mode == "client", verb="create")
    failed = loaded.failed
    created: list[dict] = []

    def create_all(s) -> None:
        nonlocal failed
        for m in loaded.manifests:
            try:
                rt = (s.api if s else _NoAPI).resource_type(m.obj)
                ns = check_namespace(m, namespace, rt.namespaced)
                obj = _with_saved_config(m.obj, ns, rt.namespaced) if save_config else m.obj
                if s is not None:
                    obj = s.api.create(obj, dry_run=mode == "server", namespace=ns)
            except StatusError as e:
                # A refused document: its own problems (lint's FILE:LINE:COL report) come first.
                err(loaded.document_error(m)
                    or (e.render() if e.reason == "Invalid" else e.with_source("creating", display_file(m)).render()))
                failed = True
                continue
            except CommandError as e:
                err(loaded.document_error(m) or f"error: {e.message}")
                failed = True
                continue
            created.append(obj)
            _print_one(obj, mode, output, local=s is None)

    if mode == "client":
        create_all(None)
    else:
        from kctl.cli.session import write_session

        with write_session(ctx, dry_run=mode == "server") as s:
            create_all(s)
            if mode == "none":
                s.reconcile()
        if mode == "none":
            report_pass(s.reconciled, quiet)
    if failed:
        raise typer.Exit(1)


class _NoAPI:
    @staticmethod
    def resource_type(obj):
        from kctl.api.server.apiserver import APIServer

        return APIServer.resource_type(obj)


# -- generators ----------------------------------------------------------------------------------


@create_app.command("namespace")
def create_namespace(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME"),
    dry_run: str = typer.Option(None, "--dry-run", help=_DRY_RUN_HELP),
    output: str = typer.Option(None, "--output", "-o", help=_OUTPUT_HELP),
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Create a namespace with the specified name.

    Examples:
      kctl create namespace dev
    """
    obj = {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name, "creationTimestamp": None},
           "spec": {}, "status": {}}
    run_generator(ctx, obj, None, dry_run, output, save_config, quiet, error_prefix=None)


@create_app.command("ns", hidden=True)
def create_ns(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME"),
    dry_run: str = typer.Option(None, "--dry-run"),
    output: str = typer.Option(None, "--output", "-o"),
    save_config: bool = typer.Option(False, "--save-config"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Create a namespace with the specified name (alias of namespace)."""
    create_namespace(ctx, name, dry_run, output, save_config, quiet)


@create_app.command("deployment")
def create_deployment(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME"),
    images: list[str] = typer.Option(None, "--image", help="Image(s) to run (one container each)."),
    replicas: int = typer.Option(1, "--replicas", "-r", help="Number of replicas."),
    port: int = typer.Option(-1, "--port", help="The containerPort the first container exposes."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace to create it in."),
    dry_run: str = typer.Option(None, "--dry-run", help=_DRY_RUN_HELP),
    output: str = typer.Option(None, "--output", "-o", help=_OUTPUT_HELP),
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Create a deployment with the specified name.

    Examples:
      # Create a deployment named web that runs nginx with 3 replicas, exposing port 80
      kctl create deployment web --image=nginx:1.25 --replicas=3 --port=80
    """
    if not images:
        raise CommandError("required flag(s) \"image\" not set")
    obj = deployment_object(name, images, replicas, port, namespace)
    run_generator(ctx, obj, namespace, dry_run, output, save_config, quiet, error_prefix="failed to create deployment")


@create_app.command("deploy", hidden=True)
def create_deploy(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME"),
    images: list[str] = typer.Option(None, "--image"),
    replicas: int = typer.Option(1, "--replicas", "-r"),
    port: int = typer.Option(-1, "--port"),
    namespace: str = typer.Option(None, "--namespace", "-n"),
    dry_run: str = typer.Option(None, "--dry-run"),
    output: str = typer.Option(None, "--output", "-o"),
    save_config: bool = typer.Option(False, "--save-config"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Create a deployment (alias of deployment)."""
    create_deployment(ctx, name, images, replicas, port, namespace, dry_run, output, save_config, quiet)


@create_app.command("configmap")
def create_configmap(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME"),
    from_literal: list[str] = typer.Option(None, "--from-literal", help="key=value pairs."),
    from_file: list[str] = typer.Option(None, "--from-file", help="[key=]path: a file, or every file of a folder."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace to create it in."),
    dry_run: str = typer.Option(None, "--dry-run", help=_DRY_RUN_HELP),
    output: str = typer.Option(None, "--output", "-o", help=_OUTPUT_HELP),
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Create a config map from local files, directories or literal values.

    Examples:
      kctl create configmap app-config --from-literal=mode=prod --from-file=app.properties
    """
    data: dict[str, str] = {}
    binary: dict[str, str] = {}
    for key, value in _literal_sources(from_literal or []):
        _add_key(data, binary, key, value.encode(), "ConfigMap")
    for key, raw in _file_sources(from_file or []):
        _add_key(data, binary, key, raw, "ConfigMap")
    obj = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": _meta(name, namespace)}
    if data:
        obj["data"] = data
    if binary:
        obj["binaryData"] = binary
    run_generator(ctx, obj, namespace, dry_run, output, save_config, quiet, error_prefix="failed to create configmap")


@create_app.command("cm", hidden=True)
def create_cm(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME"),
    from_literal: list[str] = typer.Option(None, "--from-literal"),
    from_file: list[str] = typer.Option(None, "--from-file"),
    namespace: str = typer.Option(None, "--namespace", "-n"),
    dry_run: str = typer.Option(None, "--dry-run"),
    output: str = typer.Option(None, "--output", "-o"),
    save_config: bool = typer.Option(False, "--save-config"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Create a config map (alias of configmap)."""
    create_configmap(ctx, name, from_literal, from_file, namespace, dry_run, output, save_config, quiet)


@secret_app.command("generic")
def create_secret_generic(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME"),
    from_literal: list[str] = typer.Option(None, "--from-literal", help="key=value pairs."),
    from_file: list[str] = typer.Option(None, "--from-file", help="[key=]path: a file, or every file of a folder."),
    secret_type: str = typer.Option("", "--type", help="The Secret's type (the server defaults it to Opaque)."),
    namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace to create it in."),
    dry_run: str = typer.Option(None, "--dry-run", help=_DRY_RUN_HELP),
    output: str = typer.Option(None, "--output", "-o", help=_OUTPUT_HELP),
    save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
) -> None:
    """Create a secret from local files, directories or literal values.

    Examples:
      kctl create secret generic db --from-literal=user=admin --from-literal=password=s3cret
    """
    import base64

    data: dict[str, str] = {}
    for key, raw in [(k, v.encode()) for k, v in _literal_sources(from_literal or [])] + _file_sources(from_file or []):
        _check_key(key, "Secret")
        if key in data:
            raise CommandError(f"cannot add key {key}, another key by that name already exists")
        data[key] = base64.b64encode(raw).decode()
    obj = {"kind": "Secret", "apiVersion": "v1", "metadata": _meta(name, namespace)}
    if data:
        obj["data"] = data
    if secret_type:
        obj["type"] = secret_type
    run_generator(ctx, obj, namespace, dry_run, output, save_config, quiet, error_prefix="failed to create secret")


def _service_command(service_type: str):
    def command(
        ctx: typer.Context,
        name: str = typer.Argument(..., metavar="NAME"),
        tcp: list[str] = typer.Option(None, "--tcp", help="port[:targetPort] pairs."),
        cluster_ip: str = typer.Option("", "--clusterip", help="A ClusterIP, or None for a headless service."),
        node_port: int = typer.Option(0, "--node-port", help="The nodePort (NodePort services)."),
        namespace: str = typer.Option(None, "--namespace", "-n", help="Namespace to create it in."),
        dry_run: str = typer.Option(None, "--dry-run", help=_DRY_RUN_HELP),
        output: str = typer.Option(None, "--output", "-o", help=_OUTPUT_HELP),
        save_config: bool = typer.Option(False, "--save-config", help="Store the last-applied-configuration annotation."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    ) -> None:
        if not tcp and not (service_type == "ClusterIP" and cluster_ip == "None"):
            raise CommandError("at least one tcp port specifier must be provided")
        obj = service_object(name, service_type, tcp or [], cluster_ip, node_port, namespace)
        run_generator(ctx, obj, namespace, dry_run, output, save_config, quiet,
                      error_prefix=f"failed to create {service_type} service")

    command.__doc__ = f"""Create a {service_type} service with the specified name.

    Examples:
      kctl create service {service_type.lower()} web --tcp=80:8080
    """
    return command


service_app.command("clusterip")(_service_command("ClusterIP"))
service_app.command("nodeport")(_service_command("NodePort"))


# -- object builders (pure) -------------------------------------------------------------------


def _meta(name: str, namespace: str | None, labels: dict | None = None) -> dict:
    """ObjectMeta in Go field order: name, namespace, creationTimestamp, labels."""
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta["creationTimestamp"] = None
    if labels:
        meta["labels"] = labels
    return meta


def container_name(image: str) -> str:
    """create deployment's container name: the image's last path part without tag or
    digest; ``_`` and ``.`` become ``-`` plus a 5-character suffix (kubectl's is random,
    kctl's is derived from the image so that runs are reproducible)."""
    name = image.split("/")[-1].split(":")[0].split("@")[0]
    if "_" in name or "." in name:
        import hashlib

        name = name.replace("_", "-").replace(".", "-")
        digest = hashlib.sha256(image.encode()).digest()
        alphabet = "bcdfghjklmnpqrstvwxz2456789"
        name = f"{name}-" + "".join(alphabet[b % len(alphabet)] for b in digest[:5])
    return name


def deployment_object(name: str, images: list[str], replicas: int, port: int, namespace: str | None) -> dict:
    labels = {"app": name}
    containers = []
    for image in images:
        containers.append({"name": container_name(image), "image": image, "resources": {}})
    if port >= 0 and containers:
        first = containers[0]
        containers[0] = {"name": first["name"], "image": first["image"], "ports": [{"containerPort": port}],
                         "resources": {}}
    return {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": _meta(name, namespace, dict(labels)),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"creationTimestamp": None, "labels": dict(labels)}, "spec": {"containers": containers}},
            "strategy": {},
        },
        "status": {},
    }


def service_object(name: str, service_type: str, tcp: list[str], cluster_ip: str, node_port: int,
                   namespace: str | None) -> dict:
    """create service clusterip|nodeport: selector and label app=<name>, one port per --tcp."""
    ports = []
    for spec in tcp:
        port_text, _, target_text = spec.partition(":")
        try:
            port = int(port_text)
        except ValueError:
            raise CommandError(f'strconv.Atoi: parsing "{port_text}": invalid syntax') from None
        target: int | str = port
        if target_text:
            target = int(target_text) if target_text.isdigit() else target_text
        entry: dict = {"name": spec.replace(":", "-"), "protocol": "TCP", "port": port, "targetPort": target}
        if service_type == "NodePort" and node_port:
            entry["nodePort"] = node_port
        ports.append(entry)
    spec_obj: dict = {"ports": ports, "selector": {"app": name}}
    if cluster_ip:
        spec_obj["clusterIP"] = cluster_ip
    spec_obj["type"] = service_type
    return {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": _meta(name, namespace, {"app": name}),
        "spec": spec_obj,
        "status": {"loadBalancer": {}},
    }


def _literal_sources(items: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise CommandError(f"invalid literal source {item}, expected key=value")
        out.append((key, value))
    return out


def _file_sources(items: list[str]) -> list[tuple[str, bytes]]:
    """``[key=]path``: a file (key defaults to its name) or a folder (every regular file)."""
    out = []
    for item in items:
        key, sep, path = item.partition("=")
        if not sep:
            key, path = os.path.basename(item), item
        elif not key:
            raise CommandError(f"key name for file path {path} missing")
        if not os.path.exists(path):
            raise CommandError(f"error reading {path}: no such file or directory")
        if os.path.isdir(path):
            if sep:
                raise CommandError("cannot give a key name for a directory path")
            for entry in sorted(os.listdir(path)):
                full = os.path.join(path, entry)
                if os.path.isfile(full) and not os.path.islink(full):
                    with open(full, "rb") as f:
                        out.append((entry, f.read()))
            continue
        with open(path, "rb") as f:
            out.append((key, f.read()))
    return out


def _check_key(key: str, kind: str) -> None:
    from kctl.api.validation.names import is_config_map_key

    problems = is_config_map_key(key)
    if problems:
        article = "a " if kind == "ConfigMap" else ""
        raise CommandError(f'"{key}" is not {article}valid key name for a {kind}: {";".join(problems)}')


def _add_key(data: dict, binary: dict, key: str, raw: bytes, kind: str) -> None:
    import base64

    _check_key(key, kind)
    if key in data or key in binary:
        raise CommandError(f"cannot add key {key}, another key by that name already exists in Data for ConfigMap")
    try:
        data[key] = raw.decode("utf-8")
    except UnicodeDecodeError:
        binary[key] = base64.b64encode(raw).decode()


# -- running a generator ------------------------------------------------------------------------


def _check_output(output: str | None) -> None:
    if output not in (None, "name", "json", "yaml"):
        raise CommandError(
            f'unable to match a printer suitable for the output format "{output}", allowed formats are: json,name,yaml'
        )


def _with_saved_config(obj: dict, namespace: str | None, namespaced: bool) -> dict:
    from kctl.api.merge import LAST_APPLIED_CONFIG_ANNOTATION, last_applied

    value = last_applied(obj, namespace=namespace, namespaced=namespaced)
    obj = {**obj, "metadata": dict(obj.get("metadata") or {})}
    obj["metadata"]["annotations"] = {**(obj["metadata"].get("annotations") or {}), LAST_APPLIED_CONFIG_ANNOTATION: value}
    return obj


def _print_one(obj: dict, mode: str, output: str | None, *, local: bool) -> None:
    from kctl.printers.serialize import resource_name, to_json, to_yaml

    if output is None:
        suffix = dry_run_suffix(mode)
        out(f"{resource_name(obj)} created{suffix}")
    elif output == "name":
        out(resource_name(obj))
    elif output == "json":
        out(to_json(obj, sort_keys=not local))
    else:
        out(to_yaml(obj))


def run_generator(ctx, obj: dict, namespace: str | None, dry_run: str | None, output: str | None, save_config: bool,
                  quiet: bool, *, error_prefix: str | None) -> None:
    """Create one generated object (or only print it with --dry-run=client)."""
    from kctl.api.errors import StatusError
    from kctl.api.server.apiserver import APIServer
    from kctl.cli.apply import dry_run_mode

    mode = dry_run_mode(dry_run)
    _check_output(output)
    rt = APIServer.resource_type(obj)
    request_ns = (namespace or "default") if rt.namespaced else None
    if save_config:
        obj = _with_saved_config(obj, request_ns, rt.namespaced)
    if mode == "client":
        _print_one(obj, mode, output, local=True)
        return
    from kctl.cli.session import write_session

    try:
        with write_session(ctx, dry_run=mode == "server") as s:
            stored = s.api.create(obj, dry_run=mode == "server", namespace=request_ns)
            _print_one(stored, mode, output, local=False)
            if mode == "none":
                s.reconcile()
    except StatusError as e:
        if error_prefix is None or e.reason == "Invalid":
            raise
        raise CommandError(f"{error_prefix}: {e.message}") from None
    if mode == "none":
        report_pass(s.reconciled, quiet)


__all__ = ["create_app", "deployment_object", "service_object", "container_name", "run_generator"]
