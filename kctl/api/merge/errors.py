"""Errors of the merge package, with apimachinery's ``mergepatch`` wording."""

from __future__ import annotations


class MergeError(ValueError):
    """A patch or document the strategic merge code cannot process."""


class PreconditionFailed(MergeError):
    """The patch would change ``apiVersion``, ``kind`` or ``metadata.name``.

    kubectl's ``Patcher`` reports it as this fixed sentence.
    """

    def __init__(self, message: str = "At least one of apiVersion, kind and name was changed"):
        super().__init__(message)


def no_merge_key(item: object, merge_key: str) -> MergeError:
    return MergeError(f"map: {item} does not contain declared merge key: {merge_key}")
