"""Printers for ``kubectl get``: pure functions from API objects to text.

- ``table``: human-readable tables (``print_table``, ``print_tables``, ``no_resources_message``)
- ``columns``: per-kind column definitions and row functions (server-side printing)
- ``tabwriter``: Go text/tabwriter as kubectl configures it
- ``duration``: HumanDuration and RFC 3339 helpers
- ``serialize``: ``-o json|yaml|name`` and the List wrapper; ``goyaml``: go-yaml v2 compatible YAML

Nothing is imported here so that importing one printer stays cheap.
"""
