import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Also belongs in pyproject's [tool.pytest.ini_options] markers; registered here so
    # `-m "not slow"` works and no unknown-marker warning is printed meanwhile.
    config.addinivalue_line(
        "markers", "slow: runs real external tools (pre-commit); deselect with -m 'not slow'"
    )
