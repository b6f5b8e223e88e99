import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache and fragment store, so nothing cached in one test
    (whose rows are rolled back) leaks into the next."""
    from django.core.cache import cache

    from qxs.fragments import fragments

    cache.clear()
    fragments.clear()
    yield
    cache.clear()
    fragments.clear()
