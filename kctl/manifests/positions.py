"""Field path -> source position, by walking the YAML node tree of one document."""

from __future__ import annotations

import yaml


def node_at(root: yaml.Node, path: tuple, at_key: bool = False) -> yaml.Node:
    """The node a field path points at, or the deepest existing ancestor.

    ``at_key`` points at the mapping key of the last step (for unknown or duplicate
    fields, whose problem is the key itself)."""
    node = root
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = None
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                    match = (key_node, value_node)  # the last duplicate wins, as in the data
            if match is None:
                return node
            node = match[0] if (last and at_key) else match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return node
            node = node.value[part]
        else:
            return node
    return node


def position(root: yaml.Node, path: tuple, at_key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of the node a path points at."""
    mark = node_at(root, path, at_key).start_mark
    return mark.line + 1, mark.column + 1
