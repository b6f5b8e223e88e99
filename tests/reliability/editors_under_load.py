"""Editors keep saving articles while the public site is under load: no error, no lost save.

    .venv/bin/python tests/reliability/editors_under_load.py

Uses the benchmark's database and cold settings (``bench/settings_cold.py``: PostgreSQL
``qxs_bench``, production settings with every cache off): migrates and loads the demo if needed,
starts gunicorn with ``LOAD_WORKERS`` workers (3) on ``LOAD_PORT`` (8300) and Redis on
``LOAD_REDIS_PORT`` (8301), then for ``LOAD_SECONDS`` (20) runs wrk on uncached public pages
(news list, an article, search) while ``LOAD_EDITORS`` editors (4) save their own article again
and again through the admin's change form, and two more editors save one shared article at the
same time. With ``--url URL`` it uses a server already running instead.

Checks, after the load: every save answered 302 (its own article) or, on the shared article, 302 or
the conflict form (never a 5xx, never a silent overwrite); each article's version rose by exactly
its accepted saves and holds the last one. Writes ``var/editors_under_load.json``; exits 1 on any
error or lost save.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SECONDS = int(os.environ.get("LOAD_SECONDS", "20"))
EDITORS = int(os.environ.get("LOAD_EDITORS", "4"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))
PORT = int(os.environ.get("LOAD_PORT", "8300"))
REDIS_PORT = int(os.environ.get("LOAD_REDIS_PORT", "8301"))
CONFLICT = "没有保存"


def log(message):
    print(f"==> {message}", flush=True)


class Editor(threading.Thread):
    """Saves ``article`` again and again until ``stop`` is set, recording every answer."""

    def __init__(self, name, base_url, session_key, article, stop):
        super().__init__(name=name)
        from tests.reliability.servers import Browser

        self.browser = Browser(base_url, session_key)
        self.article = article
        self.stop = stop
        self.change_url = f"/{os.environ.get('DJANGO_ADMIN_URL', 'admin/').strip('/')}"
        self.change_url += f"/articles/article/{article.pk}/change/"
        self.accepted = []  # summaries saved, in order
        self.conflicts = 0
        self.errors = []
        self.latencies = []

    def run(self):
        count = 0
        while not self.stop.is_set():
            count += 1
            summary = f"{self.name} 第{count}次保存"
            try:
                status, page = self.browser.get(self.change_url)
                if status != 200:
                    self.errors.append(f"open: {status}")
                    continue
                from lxml import html as lxml_html

                form = lxml_html.document_fromstring(page).get_element_by_id("article_form")
                values = [(k, summary if k == "summary" else v) for k, v in form.form_values()]
                started = time.monotonic()
                status, page = self.browser.request(self.change_url, [*values, ("_continue", "1")])
                self.latencies.append((time.monotonic() - started) * 1000)
            except Exception as exc:  # a timeout or a reset connection is an error to report
                self.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if status == 302:
                self.accepted.append(summary)
            elif status == 200 and CONFLICT in page:
                self.conflicts += 1
            else:
                errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
                self.errors.append(f"save: {status} {errors[:2]}")


def site_environment(bench, redis_url):
    """The environment of the site under load: ``bench/settings_cold.py`` (production settings,
    every cache off) on the benchmark's database (``BENCH_DATABASE_URL``)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings_cold",
        DATABASE_URL=bench.DATABASE_URL,
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "load-test-secret-key-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(ROOT / "var" / "load" / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True)


def start_site(env):
    from tests.reliability.servers import GunicornServer

    server = GunicornServer(env, port=PORT, workers=WORKERS)
    return server.__enter__()


def run_wrk(base_url, paths, seconds):
    """wrk on each path in turn (uncached), as a background process; returns the processes."""
    lua = ROOT / "var" / "editors_under_load.lua"
    lua.parent.mkdir(exist_ok=True)
    lua.write_text(
        "local paths = {"
        + ", ".join(json.dumps(urllib.parse.quote(path, safe="/?=&")) for path in paths)
        + "}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("WRK %d %d %d %d %.2f %.2f\\n", summary.requests,\n'
        "    summary.errors.status, summary.errors.connect + summary.errors.read +\n"
        "    summary.errors.write + summary.errors.timeout, summary.duration,\n"
        "    latency:percentile(99) / 1000, latency.max / 1000))\n"
        "end\n"
    )
    # A reader's request fails when it gets an error status, a reset or no answer within 10 s
    # (wrk's own default, 2 s, counted a wait in the queue as an error: six editors saving
    # without pause keep the three workers busy, and on a slow machine a page waited 2-3 s).
    return subprocess.Popen(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua), base_url],
        stdout=subprocess.PIPE,
        text=True,
    )


def main():
    attach = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--url" else None
    from bench import run as bench

    bench.ensure_wrk()  # apt-get install -y wrk when missing

    redis = None
    redis_url = None
    if not attach and shutil.which("redis-server"):
        redis = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    # The benchmark's cold settings: production with every cache off, so wrk's pages are rendered
    # from the database on every request while the editors save.
    env = site_environment(bench, redis_url)
    os.environ.update(env)
    server = None
    try:
        if not attach:
            bench.ensure_database()
            log("migrate, demo, collectstatic")
            for args in (["migrate", "--noinput", "-v0"], ["load_demo", "-v0"]):
                manage(env, *args)
            manage(env, "collectstatic", "--noinput", "-v0")

        import django

        django.setup()
        from django.contrib.auth import get_user_model

        from articles.models import Article, Column
        from tests.reliability.servers import staff_session

        user, _ = get_user_model().objects.get_or_create(
            username="load-editor", defaults={"is_staff": True, "is_superuser": True}
        )
        column = Column.objects.order_by("pk").first()
        articles = [
            Article.objects.create(title=f"压力下的编辑 {n}", column=column, body="<p>正文</p>")
            for n in range(EDITORS + 1)
        ]
        shared = articles[-1]
        start_versions = {article.pk: article.version for article in articles}

        base_url = attach
        if not attach:
            log(f"gunicorn on 127.0.0.1:{PORT}, {WORKERS} workers, Redis: {redis_url}")
            server = start_site(env)
            base_url = server.url
        published = Article.objects.published().filter(is_stub=False).order_by("-pk").first()
        paths = ["/news/", published.get_absolute_url(), "/search/?q=质量兴市", "/"]

        log(f"{SECONDS} s of wrk on {paths} while {EDITORS} + 2 editors save")
        stop = threading.Event()
        wrk = run_wrk(base_url, paths, SECONDS)
        editors = [
            Editor(f"编辑{n}", base_url, staff_session(user), articles[n], stop)
            for n in range(EDITORS)
        ]
        editors += [
            Editor(f"共用{n}", base_url, staff_session(user), shared, stop) for n in range(2)
        ]
        for editor in editors:
            editor.start()
        wrk_out, _ = wrk.communicate(timeout=SECONDS + 60)
        stop.set()
        for editor in editors:
            editor.join()
    finally:
        if server is not None:
            server.__exit__()
        if redis is not None:
            redis.terminate()

    lost = []
    for article in articles:
        article.refresh_from_db()
        mine = [editor for editor in editors if editor.article.pk == article.pk]
        accepted = [summary for editor in mine for summary in editor.accepted]
        if article.version != start_versions[article.pk] + len(accepted):
            lost.append(f"{article.pk}: version {article.version}, {len(accepted)} saves accepted")
        if accepted and article.summary not in {
            editor.accepted[-1] for editor in mine if editor.accepted
        }:
            lost.append(f"{article.pk}: holds {article.summary!r}, not the last accepted save")
    requests, status_errors, socket_errors, duration_us, p99_ms, max_ms = map(
        float, wrk_out.split("WRK")[-1].split()
    )
    latencies = [value for editor in editors for value in editor.latencies]
    result = {
        "seconds": SECONDS,
        "public_requests": int(requests),
        "public_rps": round(requests / (duration_us / 1e6), 1),
        # Error statuses (4xx, 5xx), and connections refused, reset or unanswered within 10 s.
        "public_errors": int(status_errors + socket_errors),
        "public_error_statuses": int(status_errors),
        "public_socket_errors": int(socket_errors),
        "public_p99_ms": p99_ms,
        "public_max_ms": max_ms,
        "saves_accepted": sum(len(editor.accepted) for editor in editors),
        "conflicts_refused_with_message": sum(editor.conflicts for editor in editors),
        "save_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "save_p95_ms": round(statistics.quantiles(latencies, n=20)[-1], 1)
        if len(latencies) > 1
        else None,
        "errors": [error for editor in editors for error in editor.errors],
        "lost_saves": lost,
    }
    # The benchmark's database is shared: leave it as it was found.
    Article.objects.filter(pk__in=[article.pk for article in articles]).delete()
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "editors_under_load.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    ok = not result["errors"] and not lost and not result["public_errors"]
    print("OK: no error, no lost save" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
