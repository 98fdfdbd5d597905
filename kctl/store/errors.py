"""Storage-layer errors (k8s.io/apiserver/pkg/storage/errors.go). The API server turns
them into API status errors (NotFound, AlreadyExists, Conflict)."""

from __future__ import annotations


class StorageError(Exception):
    def __init__(self, key: tuple, message: str = ""):
        super().__init__(message or f"{self.__class__.__name__}: {'/'.join(str(k) for k in key)}")
        self.key = key


class KeyExists(StorageError):
    """storage.ErrCodeKeyExists: create of a key that is already there."""


class KeyNotFound(StorageError):
    """storage.ErrCodeKeyNotFound."""


class ResourceVersionConflict(StorageError):
    """storage.ErrCodeResourceVersionConflicts: a precondition on resourceVersion failed."""


class ReadOnlyTransaction(RuntimeError):
    """A write through a snapshot (read-only) transaction: a programming error."""
