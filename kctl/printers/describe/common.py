"""Building blocks shared by the describers (kubectl pkg/describe/describe.go helpers).

Names follow upstream: ``print_labels_multiline`` is ``printLabelsMultiline``,
``describe_events`` is ``DescribeEvents``, ``format_label_selector`` is
``metav1.FormatLabelSelector``, and so on. Times: timestamps print in RFC1123Z in the zone
of ``now`` (kubectl prints in the machine's local zone; kctl makes it an input), and ages
are ``HumanDuration(now - t)``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from kctl.printers.describe.tabwriter import PrefixWriter
from kctl.printers.duration import human_duration

LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4 = range(5)

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ANNOTATION_LEN = 140

# --- time -------------------------------------------------------------------------------

GO_ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"


def parse_time(value: object) -> datetime | None:
    """A metav1.Time / MicroTime as stored (RFC 3339 text, or a YAML-loaded datetime)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).replace("z", "Z"))
        except ValueError:
            return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _zone(now: datetime):
    return now.tzinfo if now.tzinfo is not None else UTC


def rfc1123z(value: object, now: datetime) -> str:
    """Go ``Time.Format(time.RFC1123Z)``; a missing time is Go's zero time."""
    dt = parse_time(value)
    if dt is None:
        return GO_ZERO_TIME
    dt = dt.astimezone(_zone(now))
    offset = dt.utcoffset() or timedelta(0)
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return dt.strftime("%a, %d %b %Y %H:%M:%S ") + f"{sign}{total // 60:02d}{total % 60:02d}"


def _aware(now: datetime) -> datetime:
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def translate_timestamp_since(value: object, now: datetime) -> str:
    """``translateTimestampSince``: ``<unknown>`` for a zero time, else HumanDuration."""
    dt = parse_time(value)
    if dt is None:
        return "<unknown>"
    return human_duration((_aware(now) - dt).total_seconds())


def duration_between(start: object, end: object) -> str:
    s, e = parse_time(start), parse_time(end)
    if s is None or e is None:
        return "<unknown>"
    return human_duration((e - s).total_seconds())


# --- small value formatters -------------------------------------------------------------


def go_bool(value: object) -> str:
    """Go ``%v`` of a bool."""
    return "true" if value else "false"


def print_bool(value: object) -> str:
    """kubectl ``printBool``: True / False."""
    return "True" if value else "False"


def print_bool_ptr(value: object) -> str:
    return "<unset>" if value is None else print_bool(value)


def string_or_none(s: object) -> str:
    return str(s) if s not in (None, "") else "<none>"


def intstr(value: object) -> str:
    """``IntOrString.String()`` (``<nil>`` for a nil pointer)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return go_bool(value)
    return str(value)


def go_float(f: float) -> str:
    """Go ``%v`` of a float64: shortest digits, exponent form when exp < -4 or >= 6."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if f == 0:
        return "0"
    from decimal import Decimal  # lazy: only the generic describer prints floats

    sign = "-" if f < 0 else ""
    _, digits_t, dexp = Decimal(repr(abs(f))).normalize().as_tuple()
    digits = "".join(map(str, digits_t))
    exp = len(digits) + dexp - 1
    if exp < -4 or exp >= 6:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if dexp >= 0:
        return sign + digits + "0" * dexp
    point = len(digits) + dexp
    if point > 0:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    return f"{sign}0.{'0' * -point}{digits}"


def go_value(value: object) -> str:
    """Go ``%v`` of a decoded JSON value (unstructured content)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return go_bool(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def go_string_list(values: list | None) -> str:
    """Go ``%v`` / ``%s`` of a ``[]string``: ``[a b]``."""
    return "[" + " ".join(str(v) for v in (values or [])) + "]"


def go_quote(s: str) -> str:
    """Go ``%q`` for ordinary strings."""
    out = ['"']
    for ch in s:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# --- labels, selectors ------------------------------------------------------------------


def format_labels(labels: dict | None) -> str:
    """``labels.FormatLabels``: sorted ``k=v`` joined by commas, ``<none>`` if empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def _requirement(key: str, op: str, values: list) -> str:
    vals = ",".join(sorted(str(v) for v in values))
    if op == "In":
        return f"{key} in ({vals})"
    if op == "NotIn":
        return f"{key} notin ({vals})"
    if op == "Exists":
        return key
    if op == "DoesNotExist":
        return f"!{key}"
    return f"{key}={vals}"


def selector_string(selector: dict | None) -> str:
    """``LabelSelectorAsSelector(sel).String()``: requirements sorted by key."""
    if not selector:
        return ""
    reqs: list[tuple[str, str]] = []
    for k, v in (selector.get("matchLabels") or {}).items():
        reqs.append((k, f"{k}={v}"))
    for expr in selector.get("matchExpressions") or []:
        key = expr.get("key", "")
        reqs.append((key, _requirement(key, expr.get("operator", ""), expr.get("values") or [])))
    reqs.sort(key=lambda r: r[0])
    return ",".join(r[1] for r in reqs)


def format_label_selector(selector: dict | None) -> str:
    """``metav1.FormatLabelSelector``: like ``selector_string`` but ``<none>`` when empty."""
    return selector_string(selector) or "<none>"


def _print_multiline(w: PrefixWriter, title: str, lines: list[str], initial_indent: str, inner_indent: str) -> None:
    """The layout the ``print*MultilineWithIndent`` helpers share: ``title:`` then one item a
    line, each further line indented to the first item's column; ``<none>`` when empty."""
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    if not lines:
        w.write_line("<none>")
        return
    for i, line in enumerate(lines):
        if i:
            w.write(LEVEL_0, initial_indent)
            w.write(LEVEL_0, inner_indent)
        w.write(LEVEL_0, line + "\n")


def print_labels_multiline(
    w: PrefixWriter, title: str, labels: dict | None, initial_indent: str = "", inner_indent: str = "\t"
) -> None:
    """``printLabelsMultilineWithIndent``: one sorted ``k=v`` per line, aligned."""
    lines = [f"{key}={labels[key]}" for key in sorted(labels or {})]
    _print_multiline(w, title, lines, initial_indent, inner_indent)


def _shorten(s: str, max_length: int) -> str:
    return s[:max_length] + "..." if len(s) > max_length else s


def print_annotations_multiline(w: PrefixWriter, title: str, annotations: dict | None) -> None:
    """``printAnnotationsMultiline``: sorted ``k: v``; last-applied hidden; long values wrapped."""
    w.write(LEVEL_0, f"{title}:\t")
    keys = sorted(k for k in (annotations or {}) if k != LAST_APPLIED)
    if not keys:
        w.write_line("<none>")
        return
    indent = "\t"
    for i, key in enumerate(keys):
        if i:
            w.write(LEVEL_0, indent)
        value = str(annotations[key])
        if value.endswith("\n"):
            value = value[:-1]
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(LEVEL_0, f"{key}:\n")
            for s in value.split("\n"):
                w.write(LEVEL_0, f"{indent}  {_shorten(s, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(LEVEL_0, f"{key}: {value}\n")


def taint_string(t: dict) -> str:
    """``Taint.ToString()``."""
    key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def print_taints_multiline(
    w: PrefixWriter, title: str, taints: list | None, initial_indent: str = "", inner_indent: str = "\t"
) -> None:
    """``printTaintsMultilineWithIndent``: sorted by effect then key."""
    ordered = sorted(taints or [], key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    _print_multiline(w, title, [taint_string(t) for t in ordered], initial_indent, inner_indent)


def toleration_string(t: dict) -> str:
    """One toleration as ``printTolerationsMultilineWithIndent`` writes it:
    ``key=value:Effect``, ``op=Exists``, `` for 300s``."""
    key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
    s = key
    if value:
        s += f"={value}"
    if effect:
        s += f":{effect}"
    if t.get("operator") == "Exists" and not value:
        s += " op=Exists" if (key or effect) else "op=Exists"
    if t.get("tolerationSeconds") is not None:
        s += f" for {t['tolerationSeconds']}s"
    return s


def print_tolerations_multiline(
    w: PrefixWriter, title: str, tolerations: list | None, initial_indent: str = "", inner_indent: str = "\t"
) -> None:
    """``printTolerationsMultilineWithIndent``: sorted by key, ``key=value:Effect op=Exists for 300s``."""
    ordered = sorted(tolerations or [], key=lambda t: t.get("key", ""))
    _print_multiline(w, title, [toleration_string(t) for t in ordered], initial_indent, inner_indent)


def write_conditions(w: PrefixWriter, conditions: list | None, now: datetime) -> None:
    """The ``Conditions:`` table of Type, Status, LastTransitionTime, Reason and Message
    (``describeNamespace``, the VPA and node-group describers); nothing when there are none."""
    if not conditions:
        return
    w.write(LEVEL_0, "Conditions:\n")
    w.write(LEVEL_1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
    w.write(LEVEL_1, "----\t------\t------------------\t------\t-------\n")
    for c in conditions:
        w.write(
            LEVEL_1,
            f"{c.get('type', '')}\t{c.get('status', '')}\t{rfc1123z(c.get('lastTransitionTime'), now)}\t"
            f"{c.get('reason', '')}\t{c.get('message', '')}\n",
        )


def controller_of(obj: dict) -> dict | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def print_controller(obj: dict) -> str:
    """``printController``: ``Kind/name`` of the controlling owner, or empty."""
    ref = controller_of(obj)
    return f"{ref.get('kind', '')}/{ref.get('name', '')}" if ref else ""


# --- events ---------------------------------------------------------------------------


def _event_matches(obj: dict, event: dict) -> bool:
    meta = obj.get("metadata") or {}
    inv = event.get("involvedObject") or event.get("regarding") or {}
    if inv.get("name") != meta.get("name"):
        return False
    kind = obj.get("kind")
    # The Pod describer clears the reference's kind; all others match it.
    if kind != "Pod" and inv.get("kind") and inv.get("kind") != kind:
        return False
    if meta.get("namespace") and inv.get("namespace", meta.get("namespace")) != meta.get("namespace"):
        return False
    uid, inv_uid = meta.get("uid"), inv.get("uid")
    # Node events carry either the node's UID (controllers) or its name (kubelet).
    return not (uid and inv_uid and inv_uid not in (uid, meta.get("name") if kind == "Node" else uid))


def events_for(obj: dict, events: list[dict]) -> list[dict]:
    """The events ``searchEvents`` would find for ``obj`` (by involvedObject)."""
    return [e for e in events if _event_matches(obj, e)]


def describe_events(obj: dict, events: list[dict] | None, w: PrefixWriter, now: datetime) -> None:
    """``DescribeEvents``: ``Events:  <none>`` or the Type/Reason/Age/From/Message table.

    ``events=None`` means events were not requested (``--show-events=false``): no block.
    """
    if events is None:
        return
    items = events_for(obj, events)
    if not items:
        w.write(LEVEL_0, "Events:\t<none>\n")
        return
    epoch = datetime.min.replace(tzinfo=UTC)
    items = sorted(items, key=lambda e: parse_time(e.get("lastTimestamp")) or epoch)
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n")
    for e in items:
        if parse_time(e.get("eventTime")) is not None:
            first = translate_timestamp_since(e.get("eventTime"), now)
        else:
            first = translate_timestamp_since(e.get("firstTimestamp"), now)
        series = e.get("series")
        count = e.get("count") or 0
        if series:
            last = translate_timestamp_since(series.get("lastObservedTime"), now)
            interval = f"{last} (x{series.get('count', 0)} over {first})"
        elif count > 1:
            last = translate_timestamp_since(e.get("lastTimestamp"), now)
            interval = f"{last} (x{count} over {first})"
        else:
            interval = first
        source = (e.get("source") or {}).get("component") or e.get("reportingController") or ""
        message = str(e.get("message") or "").strip()
        w.write(LEVEL_1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t{message}\n")


# --- object metadata -------------------------------------------------------------------


def meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def write_name_namespace(w: PrefixWriter, obj: dict) -> None:
    m = meta(obj)
    w.write(LEVEL_0, f"Name:\t{m.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{m.get('namespace', '')}\n")


def write_labels_annotations(w: PrefixWriter, obj: dict) -> None:
    m = meta(obj)
    print_labels_multiline(w, "Labels", m.get("labels"))
    print_annotations_multiline(w, "Annotations", m.get("annotations"))
