"""A YAML loader with the API machinery's semantics and guards against hostile input.

Kubernetes reads YAML through sigs.k8s.io/yaml (go-yaml, YAML 1.1 scalars, then JSON):
kctl follows it with libyaml's C parser (PyYAML), which is fast, and:

- timestamps and sexagesimal numbers stay strings (Go decodes them into JSON strings);
- map keys become strings (JSON objects only have string keys);
- nesting is bounded by libyaml itself (1000 levels).

Nodes keep their source marks, so any field path can be resolved back to a line and
column: only when something is wrong, and without parsing twice.
"""

from __future__ import annotations

import re

import yaml

try:  # the C parser: a 4x faster parse than the pure-Python one
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader

#: Expanded size limit for documents that use aliases (nodes visited when expanded).
MAX_ALIAS_EXPANSION = 1_000_000

_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


class ManifestLoader(_BaseLoader):
    """libyaml parser + safe constructor, with kubectl's scalar rules (duplicate keys and alias bombs
    are caught by ``fastload``, which reads every document first)."""

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        self.flatten_mapping(node)
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                key = _json_key(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _json_key(key) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _configure_resolvers() -> None:
    resolvers: dict = {}
    drop = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
    for first, entries in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in entries if tag not in drop]
        if kept:
            resolvers[first] = kept
    ManifestLoader.yaml_implicit_resolvers = resolvers
    ManifestLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
    ManifestLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
    # Timestamps are plain strings in Kubernetes objects.
    ManifestLoader.add_constructor("tag:yaml.org,2002:timestamp", ManifestLoader.construct_yaml_str)


_configure_resolvers()
