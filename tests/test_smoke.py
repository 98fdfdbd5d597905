import subprocess
import sys


def test_module_entry_point_prints_help():
    out = subprocess.run([sys.executable, "-m", "kctl", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "lint" in out.stdout
