"""The matching engine is pure Python: its tests need neither a database nor Django's cache."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Overrides the project-wide fixture that clears Django's cache: nothing to clear here."""
    yield
