"""What a write verb prints for each object it changed (scale, patch, label, annotate,
rollout pause/resume/restart), as kubectl's ``PrintFlags`` with an operation does:

- no ``-o``: the ``NamePrinter`` with the operation, ``deployment.apps/web scaled`` (plus
  `` (dry run)`` / `` (server dry run)``);
- ``-o name``: the name alone, ``deployment.apps/web``;
- ``-o json|yaml``: the objects, printed together once the verb is done (a single object
  as itself, several as a ``List``).
"""

from __future__ import annotations

from kctl.cli.output import dry_run_suffix, out


class OperationPrinter:
    """Collects or prints each changed object; ``flush()`` prints the collected json/yaml."""

    def __init__(self, output: str | None, mode: str = "none"):
        self.output = output
        self.suffix = dry_run_suffix(mode)
        self.collected: list[dict] = []

    def print(self, obj: dict, operation: str) -> None:
        from kctl.printers.serialize import resource_name

        if self.output in ("json", "yaml"):
            self.collected.append(obj)
        elif self.output == "name":
            out(resource_name(obj))
        else:
            out(f"{resource_name(obj)} {operation}{self.suffix}")

    def flush(self) -> None:
        if self.collected:
            from kctl.printers.serialize import format_objects

            out(format_objects(self.collected, self.output, single=len(self.collected) == 1))


__all__ = ["OperationPrinter"]
