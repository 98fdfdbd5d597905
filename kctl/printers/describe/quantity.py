"""Quantities as describe prints them: ``Quantity.String()`` via kctl.api.quantity."""

from __future__ import annotations

from kctl.api.quantity import Quantity, QuantityError, parse_quantity

__all__ = ["ZERO", "Quantity", "QuantityError", "parse_quantity", "quantity_string"]

#: The zero value of a ResourceList lookup (``req[corev1.ResourceCPU]`` when absent).
ZERO = Quantity(0)


def quantity_string(raw: object) -> str:
    """Canonical text of a stored quantity (``1000m`` -> ``1``); malformed input as given."""
    try:
        return str(parse_quantity(raw))
    except QuantityError:
        return str(raw)
