"""``make bench``: the public pages under load, against PostgreSQL with 100,000 articles.

1. PostgreSQL database ``qxs_bench`` (``BENCH_DATABASE_URL``), created and migrated if missing,
   with the demo and 100,000 generated articles (``generate_content`` adds only what is absent).
2. ``collectstatic``, then gunicorn with the production settings (``bench/settings.py`` adds only
   ``/bench/hello/``), ``BENCH_WORKERS`` sync workers (3 by default, for 2 cores), and Redis as the
   cache when ``redis-server`` is installed (started on a port of its own, emptied first).
3. wrk (installed with apt-get when missing), 10 s a page: hello, then every page uncached (the
   requests carry ``X-Bench-No-Cache``, which only the benchmark settings honour: the page cache
   neither serves nor stores them; fragments and values kept per content generation are used as
   on any request), then the list and article pages *after a change* (``X-Bench-Fresh-Generation``
   also gives each request a content generation of its own, so everything kept per generation is
   computed as on the first request after a publication), then hello again and the pages warm
   from the page cache (each round is compared with the hello measured just before it).
4. A table on stdout and ``var/bench.json``; a worker's resident memory after the run.

Environment: ``BENCH_DATABASE_URL``, ``BENCH_ARTICLES`` (100000), ``BENCH_DURATION`` (10),
``BENCH_CONNECTIONS`` (4), ``BENCH_WORKERS`` (3), ``BENCH_PORT`` (8200), ``BENCH_REDIS_PORT``
(8210), ``BENCH_REDIS`` (0: use the local-memory cache even when Redis is installed),
``BENCH_PAGES`` (comma-separated names, to measure only some).
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
LUA = Path(__file__).with_name("report.lua")

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qxs_bench")
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8200"))
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "8210"))
BASE = f"http://127.0.0.1:{PORT}"
NO_CACHE = {"X-Bench-No-Cache": "1"}
AFTER_CHANGE = {**NO_CACHE, "X-Bench-Fresh-Generation": "1"}
# Measured a third time as on the first request after a publication (``AFTER_CHANGE``).
AFTER_CHANGE_PAGES = ("home", "news_list", "news_list_page_2000", "news_list_filtered", "article")
# hello is measured again just before the cached round: on a shared machine the ceiling drifts
# over the minutes a run takes, and each round is compared with the hello nearest to it.
HELLO_AGAIN = "hello_before_cached"


def site_environment(redis_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=DATABASE_URL,
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(VAR / "bench" / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def step(message):
    print(f"==> {message}", flush=True)


def manage(env, *args, **kwargs):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, **kwargs
    )


def ensure_wrk():
    if shutil.which("wrk"):
        return
    step("installing wrk (apt-get install -y wrk)")
    # A new machine may have no package lists yet: without them apt-get finds no wrk.
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)


def ensure_database():
    """Create the database when it does not exist; return the server's version."""
    import psycopg2

    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            step(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    connection.close()
    return version


def start_redis():
    if os.environ.get("BENCH_REDIS", "1") == "0" or not shutil.which("redis-server"):
        return None, None
    if not port_is_free(REDIS_PORT):
        raise SystemExit(
            f"port {REDIS_PORT} is in use: stop what runs there or set BENCH_REDIS_PORT"
        )
    process = subprocess.Popen(
        [
            "redis-server",
            *("--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""),
            *("--appendonly", "no", "--maxmemory", "512mb", "--maxmemory-policy", "allkeys-lru"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{REDIS_PORT}/0"


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def start_gunicorn(env):
    if not port_is_free(PORT):
        raise SystemExit(f"port {PORT} is in use: stop what runs there or set BENCH_PORT")
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "qxs.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited while starting")
        try:
            urllib.request.urlopen(f"{BASE}/bench/hello/", timeout=2).read()
            return process
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer on /bench/hello/")


def fetch(path, headers=None):
    request = urllib.request.Request(BASE + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def pick_urls(env):
    """The measured pages; the article and filter values come from the benchmark database."""
    code = (
        "from articles.models import Article;"
        "a = Article.objects.published().filter(is_stub=False)[100];"
        "print(a.get_absolute_url());"
        "print(Article.objects.count())"
    )
    output = manage(env, "shell", "-c", code, capture_output=True).stdout.split()
    article_url, total = output[-2], int(output[-1])
    quote = urllib.parse.quote
    pages = {
        "home": "/",
        "news_list": "/news/",
        "news_list_page_2000": "/news/?page=2000",
        "news_list_filtered": f"/news/?column=quality-cities&tag={quote('质量兴市')}",
        "article": article_url,
        "search_2char": f"/search/?q={quote('质量')}",
        "search_4char": f"/search/?q={quote('质量兴市')}",
        "pairs": "/pairs/",
    }
    wanted = os.environ.get("BENCH_PAGES")
    if wanted:
        names = set(wanted.split(","))
        pages = {name: url for name, url in pages.items() if name in names}
    return pages, total


def run_wrk(path, headers=None):
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "-s", str(LUA)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, BASE + path], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk printed no result for {path}:\n{output}")
    data = json.loads(match.group(1))
    return {
        "rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "errors": data["errors"],
    }


def worker_rss_mb(master):
    """Resident memory of the biggest gunicorn worker (children of the master), in MB."""
    output = subprocess.run(
        ["ps", "--ppid", str(master.pid), "-o", "rss="], capture_output=True, text=True
    ).stdout
    sizes = [int(value) for value in output.split()]
    return round(max(sizes) / 1024, 1) if sizes else None


def machine(redis_url, postgres_version):
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    cache = "Redis" if redis_url else "local-memory cache"
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}){memory}; "
        f"Python {platform.python_version()}, gunicorn {WORKERS} sync workers, "
        f"PostgreSQL {postgres_version}, "
        f"{cache}; wrk 1 thread, {CONNECTIONS} connections, {DURATION} s per page"
    )


def print_table(result):
    """Each row's ratio is to the hello measured last before it (see ``HELLO_AGAIN``)."""
    print()
    print(f"{'page':34} {'cached':>6} {'req/s':>9} {'÷hello':>7}", end="")
    print(f" {'p50 ms':>8} {'p99 ms':>8} {'err':>5}")
    hello_rps = 0
    for name, row in result["pages"].items():
        if name.startswith("hello"):
            hello_rps = row["rps"]
        ratio = row["rps"] / hello_rps if hello_rps else 0
        print(
            f"{name:34} {'yes' if row['cached'] else 'no':>6} {row['rps']:9.1f} {ratio:7.2f} "
            f"{row['p50_ms']:8.2f} {row['p99_ms']:8.2f} {row['errors']:5d}"
        )


def main():
    # A SIGTERM (e.g. from `timeout`) unwinds normally, so gunicorn and Redis are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_wrk()
    postgres_version = ensure_database()
    redis, redis_url = start_redis()
    env = site_environment(redis_url)
    gunicorn = None
    try:
        step("migrate, demo content")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "-v0")
        step(f"generate_content --articles {ARTICLES} (only what is absent)")
        manage(env, "generate_content", "--articles", str(ARTICLES), "--seed", "1")
        step("collectstatic")
        manage(env, "collectstatic", "--noinput", "-v0")
        pages, total = pick_urls(env)

        step(f"gunicorn on {BASE} with {WORKERS} workers")
        gunicorn = start_gunicorn(env)
        for name, path in pages.items():
            status, _headers, _body = fetch(path, NO_CACHE)
            print(f"    {name:22} {status} {path}")
            if status != 200:
                raise SystemExit(f"{path} answered {status}")

        result = {"machine": machine(redis_url, postgres_version), "articles": total, "pages": {}}
        step("hello")
        run_wrk("/bench/hello/")  # warm the workers
        result["pages"]["hello"] = {**run_wrk("/bench/hello/"), "cached": False}
        step("uncached pages")
        for name, path in pages.items():
            result["pages"][name] = {**run_wrk(path, NO_CACHE), "cached": False}
        step("the same pages after a change (every value kept per content generation cold)")
        for name, path in pages.items():
            if name in AFTER_CHANGE_PAGES:
                row = run_wrk(path, AFTER_CHANGE)
                result["pages"][f"{name}_after_change"] = {**row, "cached": False}
        step("hello again, then the same pages warm from the cache")
        result["pages"][HELLO_AGAIN] = {**run_wrk("/bench/hello/"), "cached": False}
        for name, path in pages.items():
            fetch(path)
            _status, headers, _body = fetch(path)
            cached = headers.get("X-Cache") == "hit"
            result["pages"][f"{name}_cached"] = {**run_wrk(path), "cached": cached}
        rss = worker_rss_mb(gunicorn)
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)

    VAR.mkdir(exist_ok=True)
    (VAR / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print_table(result)
    print(f"biggest worker's resident memory after the run: {rss} MB")
    print(f"\nwritten to {VAR / 'bench.json'}")


if __name__ == "__main__":
    main()
