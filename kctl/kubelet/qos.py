"""Pod QoS class (``pkg/apis/core/v1/helper/qos/qos.go`` ComputePodQOS) and the quantity
arithmetic it needs.

- Only ``cpu`` and ``memory`` count; zero quantities are ignored (upstream counts only
  quantities that compare > 0).
- BestEffort: no container (init or app) has a cpu/memory request or limit.
- Guaranteed: every container (init included) has positive cpu and memory limits, and the
  pod-wide sums of requests equal the sums of limits for each resource (a limit without a
  request counts as request = limit, as the API server defaults it).
- Burstable: anything else.
"""

from __future__ import annotations

import re
from fractions import Fraction

COMPUTE_RESOURCES = ("cpu", "memory")

_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$")


#: Parsed quantity strings (Fractions are immutable; a cluster uses few distinct quantities).
_PARSED: dict[str, Fraction] = {}
_PARSED_MAX = 4096


def quantity_value(raw: object) -> Fraction:
    """The exact value of a resource.Quantity string (``500m`` -> 1/2, ``1Gi`` -> 2**30).

    A local stand-in until ``kctl.api.quantity`` is shared; raises ValueError on bad input."""
    if isinstance(raw, int | float):
        return Fraction(raw)
    if type(raw) is str:
        value = _PARSED.get(raw)
        if value is None:
            value = _parse(raw)
            if len(_PARSED) < _PARSED_MAX:
                _PARSED[raw] = value
        return value
    return _parse(raw)


def _parse(raw: object) -> Fraction:
    m = _QUANTITY.match(str(raw).strip())
    if not m:
        raise ValueError(f"quantities must match the regular expression: {raw!r}")
    number = Fraction(m.group(1))
    if m.group(2):
        return number * Fraction(10) ** int(m.group(2)[1:])
    suffix = m.group(3) or ""
    if suffix in _BINARY:
        return number * 1024 ** _BINARY[suffix]
    return number * Fraction(10) ** _DECIMAL[suffix]


def _positive(rl: dict | None) -> dict[str, Fraction]:
    out = {}
    for name in COMPUTE_RESOURCES:
        if rl and name in rl:
            value = quantity_value(rl[name])
            if value > 0:
                out[name] = value
    return out


def _defaulted_requests(res: dict) -> dict:
    """API defaulting (SetDefaults_ResourceList): a limit without a request sets the request."""
    requests = dict(res.get("requests") or {})
    for name, value in (res.get("limits") or {}).items():
        requests.setdefault(name, value)
    return requests


def get_pod_qos(pod: dict) -> str:
    spec = pod.get("spec") or {}
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        res = c.get("resources") or {}
        for name, value in _positive(_defaulted_requests(res)).items():
            requests[name] = requests.get(name, 0) + value
        c_limits = _positive(res.get("limits"))
        for name, value in c_limits.items():
            limits[name] = limits.get(name, 0) + value
        if not set(COMPUTE_RESOURCES) <= set(c_limits):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if (guaranteed and all(name in limits and limits[name] == req for name, req in requests.items())
            and len(requests) == len(limits)):
        return "Guaranteed"
    return "Burstable"
