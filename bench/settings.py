"""Production settings plus the benchmark's hello-world view (``bench/urls.py``).

Only ``bench/run.py`` starts the site with these; the public site never has ``/bench/hello/``.
"""

import os

from qxs.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# generate_content, which fills the benchmark database, is a command of the bench app.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
# The hello view is the ceiling: it goes through every middleware but never through the cache.
QXS_PAGE_CACHE_EXCLUDE = ("/bench/",)
# wrk sends every search from one address: the search flood limit would answer 429 after the
# first few and the benchmark would measure the 429 page instead of searching.
QXS_SEARCH_RATE_LIMIT = 0
# BENCH_PREPARED_STATEMENTS=0 measures the site without PostgreSQL prepared statements.
QXS_PREPARED_STATEMENTS = os.environ.get("BENCH_PREPARED_STATEMENTS", "1") != "0"
