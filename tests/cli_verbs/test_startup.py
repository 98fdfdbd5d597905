"""The new verbs keep kctl's start-up cheap: registering them imports none of the heavy
libraries (they are imported inside the commands)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("verb", ["set", "expose", "run"])
def test_registering_the_verb_imports_no_heavy_library(verb):
    heavy = ("rich", "sqlalchemy", "yaml", "ruamel", "jsonschema")
    code = (f"import sys; from kctl.cli import build_app; build_app(only={verb!r}); "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
