"""Shim: the per-process fragment store is gone (issue 14). It keeps nothing.

Kept only until the render branch removes its last users (``{% fragment %}`` in
``portal/templatetags/qxs_tags.py`` and ``tests/conftest.py``); then delete this module.
"""


class _NothingKept:
    def get(self, key, generation=None):
        return None

    def put(self, key, value, generation=None, expires=None, weight=None):
        pass

    def clear(self):
        pass

    def __len__(self):
        return 0


fragments = _NothingKept()
