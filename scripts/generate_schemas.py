#!/usr/bin/env python3
"""Generate kctl's committed API schemas (``schemas/``) from upstream Kubernetes v1.34.

Source: the wheel of ``kubernetes-validate==1.37.0`` from PyPI, which bundles
``kubernetes-json-schema/v1.34.0-local/_definitions.json``: every definition of the
Kubernetes v1.34.0 OpenAPI spec (``$defs`` keyed by the upstream definition name,
``x-kubernetes-group-version-kind``, ``x-kubernetes-list-type`` / ``-list-map-keys``,
``x-kubernetes-patch-merge-key`` / ``-patch-strategy``, ``x-kubernetes-map-type``,
formats, ``required``, ``additionalProperties`` maps). No PyPI package was found that
ships the raw upstream ``swagger.json`` / OpenAPI v3 documents for 1.34 (checked: the
``kubernetes`` client sdist, ``lightkube-models``, ``kubex-k8s-1-34``, ``kube-models``);
so field enums, which that source does not carry, are absent from the built-in schemas
(the server-side rules check those fields, as the real API server does).

The script is run by hand (``make schemas``), never at run time:

1. ``pip download --no-deps`` the wheel into a temporary directory and read the file;
2. keep the definitions reachable from every stable (non-alpha, non-beta) built-in kind;
3. convert each to kctl's compact dialect (OpenAPI v3 / CRD style: one ``type``,
   ``nullable`` never needed because built-ins treat ``null`` as absent, ``$ref`` by bare
   definition name, descriptions dropped, ``IntOrString`` as ``x-kubernetes-int-or-string``,
   ``Quantity`` as ``string|number``, free-form objects as
   ``x-kubernetes-preserve-unknown-fields``);
4. merge the hand-written definitions of ``schemas/handwritten/*.json`` (kinds kctl
   simulates that are not built in: VPA, metrics.k8s.io, kctl.io NodeGroup);
5. write one file per definition package (``schemas/defs/io.k8s.api.apps.v1.json``) and
   ``schemas/index.json`` mapping ``apiVersion/Kind`` to a definition name.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "kubernetes-validate==1.37.0"
MEMBER = "kubernetes_validate/kubernetes-json-schema/v1.34.0-local/_definitions.json"
KUBERNETES_VERSION = "v1.34.0"

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "schemas"
HANDWRITTEN = OUT / "handwritten"

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_UNSTABLE = re.compile(r"v\d+(alpha|beta)\d*$")
# Kinds that are request/response envelopes rather than stored resources.
_NOT_RESOURCES = {"WatchEvent", "DeleteOptions", "Status", "APIGroup", "APIGroupList", "APIResourceList", "APIVersions"}
_KEPT_EXTENSIONS = (
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-patch-merge-key",
    "x-kubernetes-patch-strategy",
    "x-kubernetes-map-type",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
)


def download(dest: Path) -> dict:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:", "-d", str(dest), PACKAGE],
        check=True,
    )
    (wheel,) = dest.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        return json.loads(zf.read(MEMBER))["$defs"]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _single_type(t):
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        return rest[0] if len(rest) == 1 else rest or None
    return t


def convert(node: dict, top: bool = False) -> dict:
    """One upstream JSON-Schema node -> kctl's compact dialect (no prose)."""
    if "$ref" in node:
        return {"$ref": _ref_name(node["$ref"])}
    out: dict = {}
    t = _single_type(node.get("type"))
    if t is not None:
        out["type"] = t
    for key in ("format", "enum", "required"):
        if key in node:
            out[key] = node[key]
    if "properties" in node:
        props = {}
        for name, sub in node["properties"].items():
            conv = convert(sub)
            if top and name in ("apiVersion", "kind"):
                conv.pop("enum", None)  # the index already selects the kind
            props[name] = conv
        out["properties"] = props
    ap = node.get("additionalProperties")
    if isinstance(ap, dict):
        out["additionalProperties"] = convert(ap)
    elif ap is True:
        out["additionalProperties"] = True
    if "items" in node and isinstance(node["items"], dict):
        out["items"] = convert(node["items"])
    for key in _KEPT_EXTENSIONS:
        if key in node:
            out[key] = node[key]
    if "x-kubernetes-group-version-kind" in node:
        out["x-kubernetes-group-version-kind"] = node["x-kubernetes-group-version-kind"]
    if out.get("type") == "object" and "properties" not in out and "additionalProperties" not in out:
        out["x-kubernetes-preserve-unknown-fields"] = True  # RawExtension, FieldsV1, empty structs
    if not out and top:
        out["x-kubernetes-preserve-unknown-fields"] = True  # JSON, JSONSchemaPropsOr*: any value
    return out


def convert_definition(name: str, node: dict) -> dict:
    if name == INT_OR_STRING:
        return {"x-kubernetes-int-or-string": True}
    if name == QUANTITY:
        return {"type": ["string", "number"], "format": "quantity"}
    return convert(node, top=True)


def stable_kinds(defs: dict) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for name, node in defs.items():
        for gvk in node.get("x-kubernetes-group-version-kind", ()):
            group, version, kind = gvk["group"], gvk["version"], gvk["kind"]
            if _UNSTABLE.search(version) or kind.endswith("List") or kind in _NOT_RESOURCES:
                continue
            api_version = f"{group}/{version}" if group else version
            kinds[f"{api_version}/{kind}"] = name
    return kinds


def reachable(defs: dict, roots) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(_refs(defs[name]))
    return seen


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield _ref_name(v)
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def load_handwritten() -> dict[str, dict]:
    """``schemas/handwritten/<package>.json``: ``{ShortName: node}`` in the compact dialect."""
    out: dict[str, dict] = {}
    for path in sorted(HANDWRITTEN.glob("*.json")):
        package = path.stem
        for short, node in json.loads(path.read_text()).items():
            out[f"{package}.{short}"] = node
    return out


def build(defs: dict) -> tuple[dict, dict[str, dict]]:
    kinds = stable_kinds(defs)
    extra = load_handwritten()
    upstream_refs = {r for node in extra.values() for r in _refs(node)} - extra.keys()
    names = reachable(defs, [*kinds.values(), *upstream_refs])
    converted = {name: convert_definition(name, defs[name]) for name in names}
    converted.update(extra)
    for name, node in extra.items():
        for gvk in node.get("x-kubernetes-group-version-kind", ()):
            av = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            kinds[f"{av}/{gvk['kind']}"] = name
    missing = {r for node in converted.values() for r in _refs(node)} - converted.keys()
    if missing:
        raise SystemExit(f"unresolved references: {sorted(missing)}")
    files: dict[str, dict] = {}
    for name in sorted(converted):
        package, _, short = name.rpartition(".")
        files.setdefault(package, {})[short] = converted[name]
    index = {
        "kubernetesVersion": KUBERNETES_VERSION,
        "source": f"{PACKAGE}: {MEMBER}",
        "kinds": dict(sorted(kinds.items())),
    }
    return index, files


def write(index: dict, files: dict[str, dict]) -> None:
    defs_dir = OUT / "defs"
    if defs_dir.exists():
        shutil.rmtree(defs_dir)
    defs_dir.mkdir(parents=True)
    for package, content in files.items():
        (defs_dir / f"{package}.json").write_text(json.dumps(content, separators=(",", ":"), sort_keys=True) + "\n")
    (OUT / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--definitions", type=Path, help="use this _definitions.json instead of downloading")
    args = parser.parse_args(argv)
    if args.definitions:
        defs = json.loads(args.definitions.read_text())["$defs"]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            defs = download(Path(tmp))
    index, files = build(defs)
    write(index, files)
    size = sum(p.stat().st_size for p in (OUT / "defs").glob("*.json"))
    print(f"{len(index['kinds'])} kinds, {sum(len(f) for f in files.values())} definitions, "
          f"{len(files)} files, {size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
