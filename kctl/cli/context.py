"""State shared by every command: global flags, the output streams."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass


@dataclass
class Context:
    db: str | None = None


def global_options(ctx) -> Context:
    obj = getattr(ctx, "obj", None)
    while obj is None and ctx.parent is not None:
        ctx = ctx.parent
        obj = ctx.obj
    return obj or Context()


def color_enabled(stream=None) -> bool:
    """Colors only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())
