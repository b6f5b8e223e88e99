"""``make stack`` / ``make stack-stop``: nginx → Varnish → gunicorn on loopback, without Docker.

The configuration files are the ones docker-compose mounts (``deploy/nginx/qxs.conf``,
``deploy/varnish/default.vcl``), with the addresses, ports and paths substituted; the processes
are Debian's ``nginx`` and ``varnishd`` (vmod xkey from ``varnish-modules``), installed with
apt-get when missing, and gunicorn with the production settings.

Ports (all on 127.0.0.1): nginx ``STACK_PORT`` (8080), Varnish ``STACK_PORT + 1``, gunicorn
``STACK_PORT + 2``, Varnish's admin ``STACK_PORT + 3``; each can be set on its own
(``STACK_VARNISH_PORT``, ``STACK_GUNICORN_PORT``, ``STACK_ADMIN_PORT``).

Files: ``<var>/stack/`` holds the generated configs, logs and pid files; ``<var>/stack.env`` holds
every variable a ``manage.py`` command needs to act on the running stack::

    set -a; . var/stack.env; set +a; .venv/bin/python manage.py ...

``<var>`` is ``var/`` (``STACK_VAR_DIR`` to move it). The database is ``DATABASE_URL`` from the
environment, SQLite in ``<var>/db.sqlite3`` otherwise; Redis is ``REDIS_URL`` when set.

``stop`` ends exactly the processes whose pid files it wrote (checking each pid still runs a
command naming this stack's folder), nothing else.
"""

import argparse
import contextlib
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
NGINX_SITE = ROOT / "deploy" / "nginx" / "qxs.conf"
XKEY_VMOD = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so")
PROCESSES = ("nginx", "varnish", "gunicorn")  # stopped in this order: the front first


# varnishd's parameters beyond the VCL and the storage, the same as docker-compose's `cache`
# command (tests/qxs/test_compose.py compares them). vsl_mask keeps Varnish's shared-memory log,
# which every request writes, to what a hit needs to be traced: its URL, status and grouping
# (ReqURL, RespStatus, Begin, End, Link), and a miss's fetch and errors. Headers, the VCL trace,
# the timestamps and the session records are left out: a hit wrote about
# 60 records, and writing them is most of what Varnish spends on it (docs/performance.md). nginx
# keeps the access log, and `varnishadm param.set vsl_mask +ReqHeader` (or any other tag) brings
# a record back for a debugging session.
VARNISH_PARAMETERS = (
    "-p",
    "vsl_mask=-ReqHeader,-RespHeader,-ReqUnset,-RespUnset,-VCL_call,-VCL_return,"
    "-BereqHeader,-BerespHeader,-BereqUnset,-BerespUnset,-ObjHeader,"
    "-Timestamp,-ReqAcct,-ReqStart,-ReqMethod,-ReqProtocol,-RespProtocol,-RespReason,-Hit,"
    "-SessOpen,-SessClose,-VCL_use,-Filters",
)

# The environment of a manage.py command run before the stack's Varnish starts (it starts empty):
# no purge to send, where each would wait seconds for a Varnish that is not there yet.
BEFORE_VARNISH = {"QXS_VARNISH_URLS": "", "QXS_APP_PAGE_CACHE": "false"}


def _int_env(environ, name, default):
    value = environ.get(name, "")
    return int(value) if value.strip() else default


class Stack:
    """One stack's ports, folders and environment; ``start()`` and ``stop()`` act on them."""

    def __init__(self, environ=None, *, var_dir=None, settings="qxs.settings.prod", workers=None):
        environ = dict(os.environ if environ is None else environ)
        self.environ = environ
        self.var = Path(var_dir or environ.get("STACK_VAR_DIR") or ROOT / "var").resolve()
        self.dir = self.var / "stack"
        self.env_file = self.var / "stack.env"
        self.port = _int_env(environ, "STACK_PORT", 8080)
        self.varnish_port = _int_env(environ, "STACK_VARNISH_PORT", self.port + 1)
        self.gunicorn_port = _int_env(environ, "STACK_GUNICORN_PORT", self.port + 2)
        self.admin_port = _int_env(environ, "STACK_ADMIN_PORT", self.port + 3)
        self.workers = workers or _int_env(environ, "STACK_WORKERS", 3)
        self.settings = settings
        self.url = f"http://127.0.0.1:{self.port}"
        self.varnish_url = f"http://127.0.0.1:{self.varnish_port}"
        self.gunicorn_url = f"http://127.0.0.1:{self.gunicorn_port}"
        self.static_root = self.dir / "static"
        self.media_root = self.var / "media"
        self.admin_path = "/" + (environ.get("DJANGO_ADMIN_URL", "").strip("/") or "admin") + "/"

    # -- the environment of the site and of manage.py commands ---------------------------------

    def secret_key(self):
        """Generated once and kept, so sessions survive a restart of the stack."""
        path = self.dir / "secret-key"
        if not path.exists():
            self.dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()

    def site_environment(self):
        """Every variable the site (and a manage.py command on it) reads, as a dict."""
        hosts = "127.0.0.1,localhost"
        site = {
            "DJANGO_SETTINGS_MODULE": self.settings,
            "DJANGO_SECRET_KEY": self.secret_key(),
            "DJANGO_ALLOWED_HOSTS": hosts,
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"{self.url},http://localhost:{self.port}",
            # Plain HTTP on loopback: no redirect to https, no HSTS for 127.0.0.1.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": self.environ.get("DATABASE_URL") or f"sqlite:///{self.var}/db.sqlite3",
            "DJANGO_STATIC_ROOT": str(self.static_root),
            "DJANGO_MEDIA_ROOT": str(self.media_root),
            "QXS_VAR_DIR": str(self.var),
            # nginx and Varnish each append the address they saw to X-Forwarded-For.
            "DJANGO_TRUSTED_PROXY_COUNT": "2",
            "QXS_VARNISH_URLS": self.varnish_url,
            "DJANGO_ADMIN_URL": self.admin_path.strip("/") + "/",
            "DJANGO_LOG_LEVEL": self.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
            "QXS_STACK_URL": self.url + "/",
        }
        if self.environ.get("REDIS_URL"):
            site["REDIS_URL"] = self.environ["REDIS_URL"]
        return site

    def process_environment(self):
        env = {**self.environ, **self.site_environment(), "PYTHONPATH": str(ROOT)}
        if "REDIS_URL" not in self.site_environment():
            env.pop("REDIS_URL", None)
        return env

    def write_env_file(self):
        lines = [
            "# Written by `make stack`: the running stack's settings, for manage.py commands:",
            "#   set -a; . var/stack.env; set +a; .venv/bin/python manage.py ...",
        ]
        lines += [f"{name}={shlex.quote(value)}" for name, value in self.site_environment().items()]
        self.env_file.write_text("\n".join(lines) + "\n")
        self.env_file.chmod(0o600)

    # -- configuration files --------------------------------------------------------------------

    def vcl(self):
        text = VCL.read_text(encoding="utf-8")
        text = _replace_once(text, '.host = "web";', '.host = "127.0.0.1";')
        text = _replace_once(text, '.port = "8000";', f'.port = "{self.gunicorn_port}";')
        admin = f'req.url ~ "^{re.escape(self.admin_path)}"'
        return _replace_once(text, 'req.url ~ "^/admin/"', admin)

    def nginx_site(self):
        text = NGINX_SITE.read_text(encoding="utf-8")
        text = _replace_once(text, "server cache:80;", f"server 127.0.0.1:{self.varnish_port};")
        text = _replace_once(text, "listen 80;", f"listen 127.0.0.1:{self.port};")
        text = _replace_once(text, "/srv/qxs/static/", f"{self.static_root}/")
        return _replace_once(text, "/srv/qxs/media/", f"{self.media_root}/")

    def nginx_main(self):
        temp = self.dir / "nginx-temp"
        # Started by root, nginx's workers would run as `nobody`, who cannot read static and media
        # files under a private folder; as for Varnish, the loopback stack keeps its user.
        user = "user root;\n" if os.geteuid() == 0 else ""
        return f"""# Written by deploy/stack.py: nginx's main file around deploy/nginx/qxs.conf.
{user}worker_processes 2;
pid {self.dir}/nginx.pid;
error_log {self.dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    access_log {self.dir}/nginx-access.log combined buffer=64k flush=1s;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.dir}/qxs.conf;
}}
"""

    def write_configs(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "nginx-temp").mkdir(exist_ok=True)
        (self.dir / "default.vcl").write_text(self.vcl(), encoding="utf-8")
        (self.dir / "qxs.conf").write_text(self.nginx_site(), encoding="utf-8")
        (self.dir / "nginx.conf").write_text(self.nginx_main(), encoding="utf-8")
        secret = self.dir / "varnish-secret"
        if not secret.exists():
            secret.write_text(secrets.token_hex(32) + "\n")
            secret.chmod(0o600)

    # -- processes ------------------------------------------------------------------------------

    def pid_file(self, name):
        return self.dir / f"{name}.pid"

    def running(self):
        """{name: pid} of this stack's processes that still run."""
        found = {}
        for name in PROCESSES:
            pid = _read_pid(self.pid_file(name))
            if pid and self._is_ours(pid):
                found[name] = pid
        return found

    def _is_ours(self, pid):
        """The pid runs and its command line names this stack's folder (not a reused pid)."""
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return False
        return str(self.dir) in command

    def manage(self, *args, environ=None, **kwargs):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.process_environment(), **(environ or {})},
            check=True,
            **kwargs,
        )

    def prepare_site(self, demo=True):
        """Migrate, collect the static files and load the demo content, before any process of
        the stack starts (``check_ports`` found its ports free), so with ``BEFORE_VARNISH``
        (docker-compose's web command runs ``purge_site`` instead: its cache lives on)."""
        step("migrate, collectstatic" + (", demo content" if demo else ""))
        self.media_root.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", "-v0", environ=BEFORE_VARNISH)
        self.manage("collectstatic", "--noinput", "-v0", environ=BEFORE_VARNISH)
        if demo:
            self.manage("load_demo", "-v0", environ=BEFORE_VARNISH)
            self.manage("ensure_superuser", environ=BEFORE_VARNISH)

    def start_gunicorn(self):
        log = open(self.dir / "gunicorn.log", "ab")  # noqa: SIM115 (the child keeps it)
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "qxs.wsgi:application",
                *("--bind", f"127.0.0.1:{self.gunicorn_port}"),
                *("--workers", str(self.workers), "--worker-class", "sync"),
                *("--timeout", "60", "--graceful-timeout", "10"),
                *("--pid", str(self.pid_file("gunicorn"))),
                *("--error-logfile", "-", "--log-level", "warning"),
            ],
            cwd=ROOT,
            env=self.process_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.pid_file("gunicorn").write_text(f"{process.pid}\n")
        _wait_for(
            f"{self.gunicorn_url}/healthz",
            "gunicorn",
            self.dir / "gunicorn.log",
            alive=lambda: process.poll() is None,
        )

    def start_varnish(self):
        """varnishd with the VCL, its memory, and ``VARNISH_PARAMETERS`` (as docker-compose's
        ``cache`` service)."""
        subprocess.run(
            [
                "varnishd",
                *("-n", str(self.dir / "varnish")),
                *("-a", f"127.0.0.1:{self.varnish_port}"),
                *("-T", f"127.0.0.1:{self.admin_port}"),
                *("-S", str(self.dir / "varnish-secret")),
                *("-f", str(self.dir / "default.vcl")),
                *("-P", str(self.pid_file("varnish"))),
                *("-s", f"malloc,{self.environ.get('STACK_VARNISH_SIZE', '256m')}"),
                *self._jail(),
                *VARNISH_PARAMETERS,
            ],
            check=True,
            stdin=subprocess.DEVNULL,
        )

    def _jail(self):
        """Run as root, varnishd would switch to the `varnish` user, who cannot read a VCL
        under a private folder (a checkout in /root, pytest's temporary folders): this stack
        listens on loopback only, so it keeps the user that started it."""
        return ("-j", "none") if os.geteuid() == 0 else ()

    def start_nginx(self):
        subprocess.run(
            [
                "nginx",
                *("-p", f"{self.dir}/"),
                *("-e", str(self.dir / "nginx-error.log")),
                *("-c", str(self.dir / "nginx.conf")),
            ],
            check=True,
            stdin=subprocess.DEVNULL,
        )

    def start(self, demo=True):
        """Stop a stack already running here, prepare the site, then start the processes."""
        ensure_packages()
        running = self.running()
        if running:
            step(f"a stack is already running here ({_describe(running)}): restarting it")
            self.stop()
        self.check_ports()
        self.write_configs()
        self.prepare_site(demo=demo)
        self.launch()
        print(f"\nThe stack runs: {self.url}/  (admin: {self.url}{self.admin_path})")
        print(
            f"Commands on it: set -a; . {_relative(self.env_file)}; set +a; "
            ".venv/bin/python manage.py ..."
        )
        print("Stop it with: make stack-stop")

    def check_ports(self):
        for port in (self.port, self.varnish_port, self.gunicorn_port, self.admin_port):
            if not _port_is_free(port):
                raise SystemExit(
                    f"port {port} is in use by another program: set STACK_PORT (or the port "
                    "variables in deploy/stack.py) to free ports"
                )

    def launch(self):
        """gunicorn, Varnish, nginx (configs written, site prepared); all stopped on a failure."""
        self.write_env_file()
        try:
            step(f"gunicorn on {self.gunicorn_url} ({self.workers} workers, {self.settings})")
            self.start_gunicorn()
            step(f"Varnish on {self.varnish_url} (admin 127.0.0.1:{self.admin_port})")
            self.start_varnish()
            step(f"nginx on {self.url}")
            self.start_nginx()
            _wait_for(f"{self.url}/", "the stack", self.dir / "nginx-error.log")
        except BaseException:
            self.stop(quiet=True)
            raise

    def stop(self, quiet=False):
        running = self.running()
        if not running and not quiet:
            print("No stack is running here.")
        for name in PROCESSES:
            pid = running.get(name)
            if pid is None:
                continue
            if not quiet:
                step(f"stopping {name} (pid {pid})")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while self._is_ours(pid) and time.monotonic() < deadline:
                _reap(pid)
                time.sleep(0.1)
            if self._is_ours(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        for name in PROCESSES:
            with contextlib.suppress(FileNotFoundError):
                self.pid_file(name).unlink()


def ensure_packages():
    """Debian's nginx, varnish and varnish-modules, installed when one is missing."""
    if shutil.which("nginx") and shutil.which("varnishd") and _xkey_installed():
        return
    step("installing nginx, varnish and varnish-modules with apt-get")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "nginx", "varnish", "varnish-modules"], check=True
    )


def _xkey_installed():
    if XKEY_VMOD.exists():
        return True
    return any(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so"))


def _replace_once(text, old, new):
    if text.count(old) != 1:
        raise SystemExit(f"expected {old!r} exactly once in the deploy config")
    return text.replace(old, new)


def _read_pid(path):
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _reap(pid):
    """Collect a child that exited (gunicorn, when this process started it)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _port_is_free(port):
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _wait_for(url, what, log, alive=lambda: True, timeout=60):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if not alive():
            break
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = f"{error.code}"
        except (urllib.error.URLError, OSError) as error:
            last = str(error)
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise SystemExit(f"{what} did not answer 200 on {url} ({last}); {log}:\n{tail}")


def _describe(running):
    return ", ".join(f"{name} {pid}" for name, pid in running.items())


def _relative(path):
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def step(message):
    print(f"==> {message}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--no-demo", action="store_true", help="skip load_demo/ensure_superuser")
    args = parser.parse_args(argv)
    stack = Stack()
    if args.command == "start":
        stack.start(demo=not args.no_demo)
    elif args.command == "stop":
        stack.stop()
    else:
        running = stack.running()
        print(f"running: {_describe(running)} on {stack.url}/" if running else "not running")
        return 0 if running else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
