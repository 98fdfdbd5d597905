"""Load profiles: usage over time per workload, for ``kctl simulate --load PROFILE``.

A profile is a YAML (or JSON) document::

    apiVersion: kctl.io/v1alpha1        # optional
    kind: LoadProfile                   # optional
    interpolation: linear               # default for every workload: step (default) | linear
    workloads:
    - target: deployment/web            # TYPE/NAME, as `kctl load` takes it
      namespace: shop                   # default: default
      perPod: false                     # total load split over the pods (default) or per pod
      spread: [0.8, 1, 1.2]             # optional multipliers over pods sorted by name
      interpolation: step               # overrides the document's
      points:                           # time offsets from the start of the simulation
      - {at: 0s,  cpu: 200m, memory: 256Mi}
      - {at: 5m,  cpu: 1200m}           # a point may set one resource only
      - {at: 20m, cpu: 300m}

Rules:

- ``at`` is a Go duration (``90s``, ``5m``, ``1h30m``) or a number of seconds.
- Each resource (cpu, memory) follows the points that set it, independently of the other.
- ``step``: the value of the last point at or before ``t``. ``linear``: the straight line
  between the points around ``t``, rounded half up to the millicore / byte.
- Before a resource's first point its first value holds; after its last point, its last value.
  A resource that no point sets stays idle (1m / 8Mi per container, see ``kctl.metrics.load``).
- Points may come in any order (they are sorted by ``at``; for equal ``at`` the later one wins
  under ``step`` and makes a jump under ``linear``).

``kctl simulate`` evaluates the profile at the start of every step (``t`` = 0, step, 2 x
step...) and writes each workload's ``kctl.io/load`` annotation when the value changed, so the
metrics-server reports it in that step's pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from kctl.metrics.load import Load, LoadError, check_quantity, cpu_quantity, memory_quantity, parse_spread

INTERPOLATIONS = ("step", "linear")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s)")
_UNITS = {"h": Fraction(3600), "m": Fraction(60), "s": Fraction(1), "ms": Fraction(1, 1000)}


class ProfileError(ValueError):
    """An invalid load profile; ``str()`` names the field (``workloads[0].points[1].cpu``)."""


def parse_offset(value: object, where: str) -> Fraction:
    """A point's ``at``: a Go duration or a number of seconds -> seconds (exact)."""
    if isinstance(value, bool):
        raise ProfileError(f"{where}: invalid duration {value!r}")
    if isinstance(value, int | float):
        seconds = Fraction(str(value))
    elif isinstance(value, str):
        text = value.strip()
        if text in ("0", ""):
            seconds = Fraction(0)
        else:
            pos, seconds = 0, Fraction(0)
            while pos < len(text):
                m = _DURATION.match(text, pos)
                if not m:
                    raise ProfileError(f'{where}: invalid duration "{value}"')
                seconds += Fraction(m.group(1)) * _UNITS[m.group(2)]
                pos = m.end()
    else:
        raise ProfileError(f"{where}: invalid duration {value!r}")
    if seconds < 0:
        raise ProfileError(f"{where}: must not be negative")
    return seconds


@dataclass(frozen=True)
class WorkloadProfile:
    resource: str  # the TYPE part of target, as written (deployment, sts, ...)
    name: str
    namespace: str
    interpolation: str
    per_pod: bool
    spread: tuple[Fraction, ...]
    #: (offset seconds, value) per resource, sorted by offset: cpu in millicores, memory in bytes.
    cpu: tuple[tuple[Fraction, int], ...]
    memory: tuple[tuple[Fraction, int], ...]

    @property
    def target(self) -> str:
        return f"{self.resource}/{self.name}"

    def load_at(self, t: float | Fraction) -> Load:
        t = Fraction(t)
        cpu = value_at(self.cpu, t, self.interpolation)
        mem = value_at(self.memory, t, self.interpolation)
        return Load(cpu=None if cpu is None else cpu_quantity(cpu),
                    memory=None if mem is None else memory_quantity(mem),
                    per_pod=self.per_pod, spread=self.spread)


@dataclass(frozen=True)
class LoadProfile:
    workloads: tuple[WorkloadProfile, ...]

    def loads_at(self, t: float | Fraction) -> list[tuple[WorkloadProfile, Load]]:
        return [(w, w.load_at(t)) for w in self.workloads]


def value_at(points: tuple[tuple[Fraction, int], ...], t: Fraction, interpolation: str) -> int | None:
    """The value of a resource at ``t`` (see the module docstring); None without points."""
    if not points:
        return None
    if t < points[0][0]:
        return points[0][1]
    if t >= points[-1][0]:
        return points[-1][1]
    # the last point at or before t (the later of equal offsets), and the one after it (> t)
    before = max(i for i, (at, _) in enumerate(points) if at <= t)
    at0, v0 = points[before]
    at1, v1 = points[before + 1]
    if interpolation == "step":
        return v0
    value = v0 + (v1 - v0) * (t - at0) / (at1 - at0)
    return int(value + Fraction(1, 2))


def parse_profile(doc: object) -> LoadProfile:
    """A loaded YAML document -> LoadProfile; ProfileError naming the bad field."""
    if not isinstance(doc, dict):
        raise ProfileError("a load profile must be a mapping with a 'workloads' list")
    kind = doc.get("kind")
    if kind is not None and kind != "LoadProfile":
        raise ProfileError(f'kind: expected "LoadProfile", got "{kind}"')
    default_interp = doc.get("interpolation", "step")
    if default_interp not in INTERPOLATIONS:
        raise ProfileError(f'interpolation: supported values: "step", "linear" (got "{default_interp}")')
    workloads = doc.get("workloads")
    if not isinstance(workloads, list):
        raise ProfileError("workloads: required (a list)")
    out = []
    seen = set()
    for i, w in enumerate(workloads):
        where = f"workloads[{i}]"
        if not isinstance(w, dict):
            raise ProfileError(f"{where}: must be a mapping")
        target = w.get("target")
        if not isinstance(target, str) or "/" not in target or not all(target.split("/", 1)):
            raise ProfileError(f"{where}.target: required, as TYPE/NAME (e.g. deployment/web)")
        resource, name = target.split("/", 1)
        namespace = w.get("namespace") or "default"
        if (resource, name, namespace) in seen:
            raise ProfileError(f"{where}.target: {target} in namespace {namespace} is listed twice")
        seen.add((resource, name, namespace))
        interp = w.get("interpolation", default_interp)
        if interp not in INTERPOLATIONS:
            raise ProfileError(f'{where}.interpolation: supported values: "step", "linear" (got "{interp}")')
        spread_raw = w.get("spread") or []
        if not isinstance(spread_raw, list):
            raise ProfileError(f"{where}.spread: must be a list of numbers")
        try:
            spread = parse_spread(",".join(str(x) for x in spread_raw))
        except LoadError as e:
            raise ProfileError(f"{where}.spread: {e}") from None
        points = w.get("points")
        if not isinstance(points, list) or not points:
            raise ProfileError(f"{where}.points: required (a non-empty list)")
        cpu, mem = [], []
        for j, p in enumerate(points):
            pwhere = f"{where}.points[{j}]"
            if not isinstance(p, dict):
                raise ProfileError(f"{pwhere}: must be a mapping")
            if "at" not in p:
                raise ProfileError(f"{pwhere}.at: required")
            at = parse_offset(p["at"], f"{pwhere}.at")
            unknown = sorted(set(p) - {"at", "cpu", "memory"})
            if unknown:
                raise ProfileError(f'{pwhere}: unknown field "{unknown[0]}"')
            try:
                if p.get("cpu") is not None:
                    cpu.append((at, _milli(check_quantity(str(p["cpu"]), "cpu"))))
                if p.get("memory") is not None:
                    mem.append((at, _bytes(check_quantity(str(p["memory"]), "memory"))))
            except LoadError as e:
                raise ProfileError(f"{pwhere}: {e}") from None
        out.append(WorkloadProfile(resource, name, namespace, interp, bool(w.get("perPod")), spread,
                                   tuple(sorted(cpu, key=lambda x: x[0])), tuple(sorted(mem, key=lambda x: x[0]))))
    return LoadProfile(tuple(out))


def _milli(text: str) -> int:
    from kctl.api.quantity import Quantity

    return Quantity(text).milli_value()


def _bytes(text: str) -> int:
    from kctl.api.quantity import Quantity

    return Quantity(text).value()


def load_profile_file(path: str) -> LoadProfile:
    """Read and parse a profile file (``-`` is stdin)."""
    import sys

    import yaml

    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
    except OSError as e:
        raise ProfileError(f"cannot read {path}: {e.strerror}") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ProfileError(f"{path}: invalid YAML: {e}") from None
    return parse_profile(doc)
