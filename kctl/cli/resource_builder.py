"""Which objects a verb acts on, as kubectl's ``resource.Builder`` picks them: the objects of
the ``-f`` manifests (``FilenameParam``), else the ones the arguments name or select
(``ResourceTypeOrNameArgs`` with ``-l`` / ``--field-selector`` / ``--all``).

The files are read before the command opens its session (a file error comes first, as in
kubectl, whose builder reads them before it talks to the server).
"""

from __future__ import annotations


def load_filenames(filenames: list[str] | None, recursive: bool = False, *, partial: bool = False):
    """The ``-f`` files' manifests (``kctl.cli.files.Loaded``), or None without ``-f``.

    A document that could not be read has had its error printed; unless the caller goes on
    past it (``partial``: it exits 1 at the end itself), the command stops there, exit 1,
    before anything is written."""
    if not filenames:
        return None
    from kctl.cli.files import load

    loaded = load(filenames, recursive, "ignore")
    if loaded.failed and not partial:
        import typer

        raise typer.Exit(1)
    return loaded


def select_targets(api, loaded, args: list[str] | None, namespace: str | None, **find) -> list:
    """The targets of the loaded manifests, else ``find_targets(api, args, namespace=..., **find)``."""
    from kctl.cli.targets import find_targets, targets_from_manifests

    if loaded is not None:
        return targets_from_manifests(api, loaded.manifests, namespace)
    return find_targets(api, args or [], namespace=namespace, **find)


__all__ = ["load_filenames", "select_targets"]
