"""The HPA controller's memory, kept on the HPA object.

Upstream keeps each HPA's recent recommendations and scale events in the controller's memory
(``HorizontalController.recommendations``, ``scaleUpEvents``, ``scaleDownEvents``). A kctl
control-plane pass is a separate process, so they are persisted as annotations on the HPA,
written with its status (the status subresource lets annotations through):

- ``kctl.io/recommendations``: ``[[replicas, "2025-05-01T12:00:00Z"], ...]``, in upstream's
  slice order (new samples replace the last outdated one, or are appended);
- ``kctl.io/scale-events``: ``{"up": [[change, time], ...], "down": [[change, time], ...]}``
  (only kept when ``spec.behavior`` is set, as upstream).

Deleting the HPA forgets them, as upstream drops its keys on delete. Compact JSON, no spaces.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kctl.controllers.podautoscaler.behavior import Recommendation, ScaleEvent

RECOMMENDATIONS_ANNOTATION = "kctl.io/recommendations"
SCALE_EVENTS_ANNOTATION = "kctl.io/scale-events"


@dataclass
class History:
    recommendations: list[Recommendation] = field(default_factory=list)
    scale_up_events: list[ScaleEvent] = field(default_factory=list)
    scale_down_events: list[ScaleEvent] = field(default_factory=list)
    #: False until the first sync recorded the initial recommendation.
    known: bool = False


def _pairs(value: object) -> list[tuple[int, object]]:
    if not isinstance(value, list):
        return []
    return [(int(v[0]), v[1]) for v in value if isinstance(v, list) and len(v) == 2 and isinstance(v[0], int)]


def load(hpa: dict) -> History:
    from kctl.controllers.podautoscaler.values import parse_time

    annotations = (hpa.get("metadata") or {}).get("annotations") or {}
    history = History()

    def times(items):
        out = []
        for n, t in items:
            try:
                out.append((n, parse_time(t)))
            except (TypeError, ValueError):
                continue
        return out

    raw = annotations.get(RECOMMENDATIONS_ANNOTATION)
    if raw is not None:
        try:
            history.recommendations = [Recommendation(n, t) for n, t in times(_pairs(json.loads(raw)))]
            history.known = True
        except (ValueError, TypeError):
            pass
    raw = annotations.get(SCALE_EVENTS_ANNOTATION)
    if raw is not None:
        try:
            doc = json.loads(raw)
            if isinstance(doc, dict):
                history.scale_up_events = [ScaleEvent(n, t) for n, t in times(_pairs(doc.get("up")))]
                history.scale_down_events = [ScaleEvent(n, t) for n, t in times(_pairs(doc.get("down")))]
        except (ValueError, TypeError):
            pass
    return history


def dump(history: History, annotations: dict | None) -> dict:
    """``annotations`` with the history written in (a new dict)."""
    from kctl.controllers.podautoscaler.values import format_time

    out = dict(annotations or {})
    out[RECOMMENDATIONS_ANNOTATION] = json.dumps(
        [[r.replicas, format_time(r.timestamp)] for r in history.recommendations], separators=(",", ":"))
    if history.scale_up_events or history.scale_down_events:
        out[SCALE_EVENTS_ANNOTATION] = json.dumps(
            {"up": [[e.change, format_time(e.timestamp)] for e in history.scale_up_events],
             "down": [[e.change, format_time(e.timestamp)] for e in history.scale_down_events]},
            separators=(",", ":"))
    else:
        out.pop(SCALE_EVENTS_ANNOTATION, None)
    return out
