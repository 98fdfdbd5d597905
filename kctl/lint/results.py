"""What a lint run found, per resource: the data every report format renders."""

from __future__ import annotations

from dataclasses import dataclass, field

VALID = "statusValid"
INVALID = "statusInvalid"
ERROR = "statusError"
SKIPPED = "statusSkipped"


@dataclass
class Finding:
    """One problem in one resource: a field path (``spec.replicas``; empty for the whole
    document), the message (``Invalid value: -1: must be greater than or equal to 0``)
    and where it is in the file (1-based; None when unknown, e.g. stdin JSON)."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    #: Which check found it: "strict" (unknown/duplicate fields), "schema" or "server-side".
    rule: str = ""


@dataclass
class ResourceResult:
    filename: str
    kind: str = ""
    name: str = ""
    version: str = ""  # apiVersion, e.g. "apps/v1"
    status: str = VALID
    msg: str = ""  # kubeconform's one-line message for invalid/error
    findings: list[Finding] = field(default_factory=list)
    line: int | None = None  # where the document (or the List item) starts
    column: int | None = None

    @property
    def ok(self) -> bool:
        return self.status in (VALID, SKIPPED)


@dataclass
class Summary:
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    skipped: int = 0

    @classmethod
    def of(cls, results: list[ResourceResult]) -> Summary:
        s = cls()
        for r in results:
            if r.status == VALID:
                s.valid += 1
            elif r.status == INVALID:
                s.invalid += 1
            elif r.status == ERROR:
                s.errors += 1
            else:
                s.skipped += 1
        return s

    @property
    def total(self) -> int:
        return self.valid + self.invalid + self.errors + self.skipped
