"""Settings: ``base`` is shared; ``dev``, ``test`` and ``prod`` add to it."""
