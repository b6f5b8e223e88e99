"""Profile cold pages in-process: mean time, queries and where the time goes (not named
``profile.py``: run as a script it would shadow the standard library module cProfile uses).

    .venv/bin/python bench/profile_pages.py /news/ '/news/?page=2000' --runs 50 --profile

Each URL is asked for ``--runs`` times with Django's test client under ``bench/settings_cold.py``
(every cache off, as the ``_cold`` rounds of ``make bench``), after ``--warmup`` untimed requests.
Prints the mean and median milliseconds, the CPU time of this process alone (the Python side,
steadier than wall time on a busy machine), the queries of one request with their time, and with
``--profile`` the top functions of cProfile by cumulative and by own time. ``tail`` as a URL
stands for a random published article, a different one each request (``article_long_tail_cold``).

The database is ``DATABASE_URL`` (default: ``qxs_bench`` on 127.0.0.1). Pages are only read,
except that a search writes its row of the query log, as every search does.
Static files are collected once into ``DJANGO_STATIC_ROOT`` (default ``/tmp/qxs-profile-static``)
because production settings read the manifest.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "bench.settings_cold",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qxs_bench",
    "DJANGO_SECRET_KEY": "profile-only-not-a-secret",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "DJANGO_STATIC_ROOT": "/tmp/qxs-profile-static",
    "DJANGO_LOG_LEVEL": "ERROR",
}


def setup():
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("QXS_VARNISH_URLS", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def tail_urls(count=2000):
    from articles.models import Article

    published = Article.objects.published().filter(is_stub=False).order_by("?")[:count]
    return [article.get_absolute_url() for article in published]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print each query's SQL")
    args = parser.parse_args()
    setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    tail = None
    for url in args.urls:
        if url == "tail":
            tail = tail or tail_urls()

        def pick(url=url, tail=tail):
            return random.choice(tail) if url == "tail" else url

        for _ in range(args.warmup):
            client.get(pick())
        with CaptureQueriesContext(connection) as context:
            response = client.get(pick())
        # A copy: the next request empties the connection's log the context reads from.
        queries = list(context.captured_queries)
        if response.status_code != 200:
            print(f"{url}: status {response.status_code}")
            continue
        times, cpu_times = [], []
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.runs):
            chosen = pick()
            start, cpu_start = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            client.get(chosen)
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu_start) * 1000)
        sql_ms = sum(float(query["time"]) for query in queries) * 1000
        print(
            f"{url}: mean {statistics.mean(times):.1f} ms,"
            f" median {statistics.median(times):.1f} ms, this process's CPU"
            f" {statistics.mean(cpu_times):.1f} ms,"
            f" {len(queries)} queries ({sql_ms:.1f} ms), {len(response.content)} bytes"
        )
        for query in queries:
            text = query["sql"] if args.sql else query["sql"][:110]
            print(f"    {float(query['time']) * 1000:6.1f} ms  {text}")
        if profiler:
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
                print(out.getvalue())


if __name__ == "__main__":
    main()
