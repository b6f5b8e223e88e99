"""``make bench``: the readers' path under load, against PostgreSQL with 100,000 articles.

1. PostgreSQL database ``qxs_bench`` (``BENCH_DATABASE_URL``), created and migrated if missing,
   with the demo and ``BENCH_ARTICLES`` generated articles (``generate_content``, a command of the
   bench app, adds only what is absent), then ``VACUUM ANALYZE``d; and Redis on a port of its
   own when installed.
2. The stack of ``make stack`` (deploy/stack.py: nginx → Varnish → gunicorn, the configuration
   files docker-compose mounts) with ``bench/settings.py`` (production plus ``/bench/hello/``), and
   a second gunicorn with ``bench/settings_cold.py``: every cache off (Django's ``DummyCache``, so
   the app's page cache and every value it keeps miss; nothing in front).
3. wrk (installed with apt-get when missing), ``BENCH_DURATION`` seconds a round, asking for gzip
   as every browser does (``Accept-Encoding: gzip``; ``BENCH_ACCEPT_ENCODING`` to change it, empty
   for none):

   - ``hello``: the smallest view, straight to gunicorn (the ceiling of the app); measured
     again between the slices of each cold round, which is compared with the ``hello`` measured
     around its slices (``hello_rps``: see ``measure_between``): the VM's speed drifts;
   - ``static_file``: nginx serving a static file the size of the home page, in the same encoding
     (the home page's bytes, and beside them Varnish's gzipped copy of it, which nginx sends to a
     client asking for gzip as it sends every collected file's ``.gz``); measured just before
     the ``_varnish`` rounds, again (``static_file_again``) before the ``_stack`` rounds, and
     between the slices of each warm round, which is compared with the ``static_file``
     measured around its slices (``static_rps``);
   - ``<page>_cold``: each page from the cold gunicorn;
   - ``article_long_tail_cold``: a random published article from the whole archive, a different
     one for each request (``report.lua`` picks from a list of URLs);
   - ``<page>_varnish``: straight to Varnish, warm; ``<page>_stack``: through nginx then Varnish,
     warm (the readers' path); ``"cached": true`` when Varnish answered the check request ``HIT``;
   - ``after_publish_home`` / ``after_publish_news_list``: an article is saved (as an editor's
     publication: content generation bumped, purge queued) and its keys purged, then the first
     request to the page through the stack is timed (``BENCH_PUBLISHES`` times);
   - ``search_2char``, ``search_4char`` through the stack (never cached: every search is logged),
     each after one search of its own (timed apart: ``search_first_ms``), which computes the id
     list every worker then shares until content changes.
4. A table on stdout (each row as a ratio to ``hello``, the warm rounds also to ``static_file``:
   the ones measured around the row, else the row last before it) and ``var/bench.json``; the
   resident memory of the biggest gunicorn worker.

Environment: ``BENCH_DATABASE_URL``, ``BENCH_ARTICLES`` (100000), ``BENCH_DURATION`` (10),
``BENCH_SLICES`` (5: a cold or warm round is that many slices of ``BENCH_DURATION / BENCH_SLICES``
seconds, each followed by one of its reference),
``BENCH_CONNECTIONS`` (4), ``BENCH_WORKERS`` (3), ``BENCH_PORT`` (8200: nginx; Varnish, gunicorn,
Varnish's admin and the cold gunicorn take the next four), ``BENCH_REDIS_PORT`` (8210),
``BENCH_REDIS`` (0: no Redis), ``BENCH_PUBLISHES`` (20), ``BENCH_PAGES`` (comma-separated round
names, to measure only some), ``BENCH_ACCEPT_ENCODING`` (gzip).
"""

import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.stack import BEFORE_VARNISH, Stack, ensure_packages  # noqa: E402

VAR = ROOT / "var"
PYTHON = sys.executable
LUA = Path(__file__).with_name("report.lua")

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qxs_bench")
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
SLICES = max(1, int(os.environ.get("BENCH_SLICES", "5")))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8200"))
COLD_PORT = PORT + 4
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "8210"))
PUBLISHES = int(os.environ.get("BENCH_PUBLISHES", "20"))
# What every request of a round asks for, as a browser does.
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip")
READER = {"Accept-Encoding": ACCEPT_ENCODING} if ACCEPT_ENCODING else {}
LONG_TAIL_URLS = 20000
# The pages measured cold, warm in Varnish and warm through the stack.
PAGES = ("home", "article", "pairs", "meeting", "news_list", "news_list_page_2000")
PAGES += ("news_list_filtered",)
SEARCHES = ("search_2char", "search_4char")


def step(message):
    print(f"==> {message}", flush=True)


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


def analyze():
    """``VACUUM ANALYZE`` the whole database, as autovacuum would have: a freshly generated one
    has no statistics yet (the planner's guesses for 100,000 articles picked bad plans), and the
    saves of earlier runs (``after_publish``) left dead row versions, which stay where
    autovacuum is off (as on the machines this ran on: ``SHOW autovacuum`` is ``off``)."""
    import psycopg2

    connection = psycopg2.connect(DATABASE_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


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


def bench_stack(redis_url):
    environ = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "STACK_PORT": str(PORT),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    environ.pop("REDIS_URL", None)
    environ.pop("DJANGO_ADMIN_URL", None)
    if redis_url:
        environ["REDIS_URL"] = redis_url
    return Stack(environ, var_dir=VAR / "bench", settings="bench.settings", workers=WORKERS)


def start_cold_gunicorn(stack):
    """The same site with every cache off (bench/settings_cold.py), nothing in front."""
    if not port_is_free(COLD_PORT):
        raise SystemExit(f"port {COLD_PORT} is in use: stop what runs there or set BENCH_PORT")
    env = {**stack.process_environment(), "DJANGO_SETTINGS_MODULE": "bench.settings_cold"}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "qxs.wsgi:application",
            *("--bind", f"127.0.0.1:{COLD_PORT}", "--workers", str(WORKERS)),
            *("--worker-class", "sync", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(150):
            if process.poll() is not None:
                raise SystemExit("the cold gunicorn exited while starting")
            try:
                url = f"http://127.0.0.1:{COLD_PORT}/bench/hello/"
                urllib.request.urlopen(url, timeout=10).read()
                return process
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise SystemExit("the cold gunicorn did not answer on /bench/hello/")
    except BaseException:
        process.terminate()
        process.wait(timeout=30)
        raise


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def pick_urls(stack):
    """The measured pages and the long-tail list, from the benchmark database."""
    code = (
        "import json\n"
        "from articles.models import Article\n"
        "from articles.views import ArticleListView\n"
        "from partnerships.models import Meeting\n"
        "published = Article.objects.published().filter(is_stub=False)\n"
        "pages = -(-Article.objects.published().count() // ArticleListView.paginate_by)\n"
        f"tail = [a.get_absolute_url() for a in published.order_by('?')[:{LONG_TAIL_URLS}]]\n"
        "print(json.dumps({'article': published[100].get_absolute_url(),\n"
        "    'meeting': Meeting.objects.order_by('pk').first().get_absolute_url(),\n"
        "    'page': min(2000, pages), 'total': Article.objects.count(), 'tail': tail}))"
    )
    output = stack.manage("shell", "-c", code, capture_output=True, text=True).stdout
    data = json.loads(output.strip().splitlines()[-1])
    quote = urllib.parse.quote
    pages = {
        "home": "/",
        "article": data["article"],
        "pairs": "/pairs/",
        "meeting": data["meeting"],
        "news_list": "/news/",
        # Page 2000, or the last page of a smaller archive (BENCH_ARTICLES below 40,000).
        "news_list_page_2000": f"/news/?page={data['page']}",
        "news_list_filtered": f"/news/?column=quality-cities&tag={quote('质量兴市')}",
        "search_2char": f"/search/?q={quote('质量')}",
        "search_4char": f"/search/?q={quote('质量兴市')}",
    }
    return pages, data["tail"], data["total"]


def run_wrk(url, headers=None, url_list=None, duration=None):
    """wrk's numbers for ``url`` (or, with ``url_list``, a random path of that file per
    request, against ``url``'s server), over ``duration`` seconds (``BENCH_DURATION``)."""
    seconds = duration or DURATION
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(LUA)]
    for name, value in {**READER, **(headers or {})}.items():
        command += ["-H", f"{name}: {value}"]
    env = {**os.environ, "BENCH_URL_LIST": str(url_list)} if url_list else None
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, env=env
    ).stdout
    match = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk printed no result for {url}:\n{output}")
    data = json.loads(match.group(1))
    return {
        "rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "errors": data["errors"],
    }


def is_varnish_hit(url):
    """Ask twice, as the round will; True when Varnish answered the second time from its cache."""
    fetch(url, READER)
    _status, headers, _body = fetch(url, READER)
    return headers.get("X-Cache") == "HIT"


def after_publish(stack, pages):
    """Save an article as an editor publishing would (in this process, with the stack's
    settings), purge the keys a publication touches, then time the first request to each page
    through the stack. Rows in wrk's shape: rps is 1 / the mean time of that first request;
    ``cached`` is true if any of those first requests was a Varnish hit (the purge missed)."""
    os.environ.update(stack.site_environment())
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from articles.models import Article
    from qxs import surrogate

    article = Article.objects.published().filter(is_stub=False).order_by("-published_at").first()
    timings = {name: [] for name in pages}
    errors = dict.fromkeys(pages, 0)
    hits = dict.fromkeys(pages, 0)
    for number in range(PUBLISHES):
        for path in pages.values():
            fetch(stack.url + path, READER)  # in the cache before the publication
        article.summary = f"基准测试发布 {number}"
        article.save()
        keys = " ".join([surrogate.NEWS, surrogate.HOME, surrogate.article(article.pk)])
        request = urllib.request.Request(
            stack.varnish_url + "/", method="PURGE", headers={"xkey-purge": keys}
        )
        urllib.request.urlopen(request, timeout=10).read()
        for name, path in pages.items():
            started = time.perf_counter()
            status, headers, _body = fetch(stack.url + path, READER)
            timings[name].append(time.perf_counter() - started)
            errors[name] += status != 200
            # A hit means the purge did not reach the page: reported, never hidden.
            hits[name] += headers.get("X-Cache") == "HIT"
    rows = {}
    for name, values in timings.items():
        values.sort()
        rows[f"after_publish_{name}"] = {
            "rps": round(1 / statistics.mean(values), 1),
            "p50_ms": round(statistics.median(values) * 1000, 2),
            "p99_ms": round(values[min(len(values) - 1, int(len(values) * 0.99))] * 1000, 2),
            "errors": errors[name],
            "cached": hits[name] > 0,
        }
        if hits[name]:
            print(f"    warning: {hits[name]} of {len(values)} first requests to {name} were hits")
    return rows


def worker_rss_mb(master_pid):
    """Resident memory of the biggest gunicorn worker (children of the master), in MB."""
    output = subprocess.run(
        ["ps", "--ppid", str(master_pid), "-o", "rss="], capture_output=True, text=True
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
    versions = []
    for command in (["nginx", "-v"], ["varnishd", "-V"]):
        try:
            text = subprocess.run(command, capture_output=True, text=True).stderr
            versions.append(text.splitlines()[0].strip())
        except (OSError, IndexError):
            pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}){memory}; "
        f"Python {platform.python_version()}, gunicorn {WORKERS} sync workers, "
        f"PostgreSQL {postgres_version}, {cache}, {'; '.join(versions)}; "
        f"wrk 1 thread, {CONNECTIONS} connections, {DURATION} s per round "
        f"(cold and warm ones in {SLICES} slices between references), "
        f"Accept-Encoding: {ACCEPT_ENCODING or '(none)'}"
    )


def print_table(result):
    """Ratios to ``hello``, and for the warm rounds to ``static_file``: to the one measured
    around the row (``hello_rps``, ``static_rps``: see ``measure_between``; shown in the last
    column) when it has one, else to the ``hello`` or ``static_file`` row last before it."""
    print()
    print(f"{'round':30} {'cached':>6} {'req/s':>9} {'÷hello':>7} {'÷static':>8}", end="")
    print(f" {'p50 ms':>8} {'p99 ms':>8} {'err':>5} {'around':>8}")
    hello_rps = static_rps = 0
    for name, row in result["pages"].items():
        if name.startswith("hello"):
            hello_rps = row["rps"]
        if name.startswith("static_file"):
            static_rps = row["rps"]
        hello = row.get("hello_rps") or hello_rps
        ratio = row["rps"] / hello if hello else 0
        static = row.get("static_rps") or static_rps
        warm = name.endswith(("_varnish", "_stack"))
        static_ratio = f"{row['rps'] / static:8.2f}" if warm and static else f"{'':8}"
        around = row.get("static_rps") or row.get("hello_rps")
        print(
            f"{name:30} {'yes' if row['cached'] else 'no':>6} {row['rps']:9.1f} {ratio:7.2f} "
            f"{static_ratio} {row['p50_ms']:8.2f} {row['p99_ms']:8.2f} {row['errors']:5d}"
            + (f" {around:8.1f}" if around else "")
        )


def wanted(name):
    names = os.environ.get("BENCH_PAGES")
    return not names or name in names.split(",")


def measure(result, name, url, **kwargs):
    """A round of its own (a reference, a search), its row ``cached: false``: only the warm
    rounds (``measure_between``) ask Varnish whether it had their page."""
    if not wanted(name):
        return
    step(name)
    result["pages"][name] = {**run_wrk(url, **kwargs), "cached": False}


def measure_between(result, rounds, reference, reference_url, before=None, warm=False):
    """Each of ``rounds`` (``(name, url, run_wrk()'s options)``; with ``warm``, ``cached`` is
    whether Varnish answers the round's URL from its cache, asked just before the round) in
    ``SLICES`` slices of ``DURATION / SLICES`` seconds, each followed by a slice of its
    reference, ``hello`` or ``static_file``: reference, page, reference, page, …, reference.

    The row's ``rps`` is the mean of its slices (``slices_rps``), its p50 their median, its p99
    the highest of theirs and its errors their sum. Its ``hello_rps`` or ``static_rps`` is the
    mean, over its slices, of the reference just before and just after each; its ratio is
    computed against that. The last reference slice of a round is the first of the next;
    ``before`` is the req/s of the reference measured just before the first round (measured
    first when None).

    Why slices: this VM's speed drifts by a quarter within minutes (``hello`` 2,220 then 1,512
    req/s 90 s apart in one run) and moves by a third within seconds (the cold home page at 184
    then 127 req/s in two 5-second rounds a moment apart). Against the references measured
    seconds around each slice, the home page's ratio moved less from one try to the next than
    as one 10-second round between two 10-second references: 0.100-0.116 (standard deviation
    0.006) against 0.097-0.119 (0.010), five tries each (docs/performance.md). The rows keep
    their fields in ``var/bench.json``; ``slices_rps`` and ``<reference>_slices_rps`` are added."""
    seconds = max(1, DURATION // SLICES)
    for name, url, options in rounds:
        if not wanted(name):
            continue
        step(name)
        if before is None:
            before = run_wrk(reference_url, duration=seconds)["rps"]
        cached = is_varnish_hit(url) if warm else False
        slices, references = [], [before]
        for _ in range(SLICES):
            slices.append(run_wrk(url, duration=seconds, **options))
            references.append(run_wrk(reference_url, duration=seconds)["rps"])
        around = [(first + second) / 2 for first, second in itertools.pairwise(references)]
        result["pages"][name] = {
            "rps": round(statistics.mean(row["rps"] for row in slices), 1),
            "p50_ms": statistics.median(row["p50_ms"] for row in slices),
            "p99_ms": max(row["p99_ms"] for row in slices),
            "errors": sum(row["errors"] for row in slices),
            "cached": cached,
            f"{reference}_rps": round(statistics.mean(around), 1),
            "slices_rps": [row["rps"] for row in slices],
            f"{reference}_slices_rps": references,
        }
        before = references[-1]


def reference_rps(result, name):
    """The req/s of the reference row ``name`` when this run measured it, else None."""
    return result["pages"].get(name, {}).get("rps")


def main():
    # A SIGTERM (e.g. from `timeout`) unwinds normally, so every process is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_wrk()
    ensure_packages()
    postgres_version = ensure_database()
    redis, redis_url = start_redis()
    stack = bench_stack(redis_url)
    cold = None
    try:
        stack.check_ports()
        if not port_is_free(COLD_PORT):
            raise SystemExit(f"port {COLD_PORT} is in use: stop what runs there or set BENCH_PORT")
        stack.write_configs()
        # nginx's access log of the benchmark stack is for the run at hand: a full run writes
        # millions of lines (hundreds of MB), which would pile up run after run.
        (stack.dir / "nginx-access.log").unlink(missing_ok=True)
        stack.prepare_site(demo=True)
        step(f"generate_content --articles {ARTICLES} (only what is absent)")
        stack.manage(
            "generate_content", "--articles", str(ARTICLES), "--seed", "1", environ=BEFORE_VARNISH
        )
        step("VACUUM ANALYZE")
        analyze()
        pages, tail, total = pick_urls(stack)
        tail_file = stack.dir / "long-tail-urls.txt"
        tail_file.write_text("\n".join(tail) + "\n")

        stack.launch()
        cold = start_cold_gunicorn(stack)
        cold_url = f"http://127.0.0.1:{COLD_PORT}"
        for name, path in pages.items():
            status, _headers, _body = fetch(cold_url + path)
            print(f"    {name:22} {status} {path}")
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        # A static file the size of the home page, served by nginx from the collected files;
        # beside it, as collectstatic does for every file, its .gz: Varnish's own gzipped copy.
        _status, _headers, home = fetch(cold_url + "/")
        _status, headers, home_gzip = fetch(stack.varnish_url + "/", {"Accept-Encoding": "gzip"})
        if headers.get("Content-Encoding") != "gzip":
            raise SystemExit("Varnish did not store the home page gzipped (default.vcl)")
        (stack.static_root / "bench").mkdir(exist_ok=True)
        (stack.static_root / "bench" / "home-size.html").write_bytes(home)
        (stack.static_root / "bench" / "home-size.html.gz").write_bytes(home_gzip)
        print(f"    home page: {len(home)} bytes, {len(home_gzip)} gzipped")

        result = {"machine": machine(redis_url, postgres_version), "articles": total, "pages": {}}
        # Others' load skews every ratio: the 1-minute load average before and after the rounds.
        result["load_average"] = {"start": os.getloadavg()[0]}
        step("hello (warming the workers first)")
        hello_url = stack.gunicorn_url + "/bench/hello/"
        run_wrk(hello_url)
        measure(result, "hello", hello_url)
        rounds = [(f"{name}_cold", cold_url + pages[name], {}) for name in PAGES]
        rounds.append(("article_long_tail_cold", cold_url + "/", {"url_list": tail_file}))
        measure_between(result, rounds, "hello", hello_url, reference_rps(result, "hello"))

        measure(result, "hello_again", hello_url)
        static_url = stack.url + "/static/bench/home-size.html"
        measure(result, "static_file", static_url)
        rounds = [(f"{name}_varnish", stack.varnish_url + pages[name], {}) for name in PAGES]
        before = reference_rps(result, "static_file")
        measure_between(result, rounds, "static", static_url, before, warm=True)
        # The reference again, next to the rounds it is compared with (as hello_again).
        measure(result, "static_file_again", static_url)
        rounds = [(f"{name}_stack", stack.url + pages[name], {}) for name in PAGES]
        before = reference_rps(result, "static_file_again")
        measure_between(result, rounds, "static", static_url, before, warm=True)
        # Each search once before its round: its id list is computed by the first search after
        # a content change and then shared by every worker (qxs.cache.cached_for_generation),
        # so the round measures searches as readers meet them between changes; that first
        # search is timed apart (``search_first_ms``).
        for name in SEARCHES:
            if wanted(name):
                started = time.perf_counter()
                fetch(stack.url + pages[name], READER)
                first_ms = round((time.perf_counter() - started) * 1000, 1)
                result.setdefault("search_first_ms", {})[name] = first_ms
            measure(result, name, stack.url + pages[name])
        if wanted("after_publish"):
            step(f"after_publish ({PUBLISHES} publications)")
            result["pages"].update(
                after_publish(stack, {"home": pages["home"], "news_list": pages["news_list"]})
            )
        gunicorn_pid = stack.running().get("gunicorn")
        rss = max(
            filter(
                None,
                [worker_rss_mb(gunicorn_pid) if gunicorn_pid else None, worker_rss_mb(cold.pid)],
            ),
            default=None,
        )
        result["worker_rss_mb"] = rss
        result["load_average"]["end"] = os.getloadavg()[0]
    finally:
        if cold is not None:
            cold.send_signal(signal.SIGTERM)
            cold.wait(timeout=30)
        stack.stop(quiet=True)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)

    VAR.mkdir(exist_ok=True)
    (VAR / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"\n{result['machine']}")
    load = result["load_average"]
    print(f"{result['articles']} articles; 1-minute load average ", end="")
    print(f"{load['start']:.2f} before the rounds, {load['end']:.2f} after")
    print_table(result)
    for name, first_ms in result.get("search_first_ms", {}).items():
        print(f"{name}: the first search (its id list computed) {first_ms} ms")
    print(f"biggest worker's resident memory after the run: {rss} MB")
    print(f"\nwritten to {VAR / 'bench.json'}")


if __name__ == "__main__":
    main()
