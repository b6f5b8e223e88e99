"""The stack (deploy/stack.py) started once for the stack tests, on ports of its own.

nginx 8150, Varnish 8151, gunicorn 8152, Varnish admin 8153 (``STACK_TEST_PORT`` moves them all),
PostgreSQL through a TCP proxy on 8159 that the outage test cuts (the machine's PostgreSQL itself
is never stopped), database ``qxs_stack_test`` (``STACK_TEST_DATABASE``), Redis database 6
(``STACK_TEST_REDIS_URL``). Run with ``make stack-test`` (``-m stack``); plain ``make test``
deselects them.
"""

import json
import os
import secrets
import urllib.parse

import psycopg2
import pytest

from deploy.stack import Stack
from tests.reliability.servers import TcpProxy

PORT = int(os.environ.get("STACK_TEST_PORT", "8150"))
PROXY_PORT = PORT + 9
SERVER_URL = os.environ.get("STACK_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("STACK_TEST_DATABASE", "qxs_stack_test")
REDIS_URL = os.environ.get("STACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
EDITOR = ("stack-editor", "stack-editor-password-1234")


def _fresh_database():
    connection = psycopg2.connect(f"{SERVER_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connection.close()


class RunningStack:
    """The started stack, its database proxy and a way to run Django code against it."""

    def __init__(self, stack, proxy):
        self.stack = stack
        self.proxy = proxy
        self.url = stack.url
        self.varnish_url = stack.varnish_url
        self.gunicorn_url = stack.gunicorn_url

    def django(self, code):
        """Run ``code`` in ``manage.py shell`` with var/stack.env's settings; it must print one
        JSON value on its last line, which is returned."""
        result = self.stack.manage("shell", "-c", code, capture_output=True, text=True)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def varnish_backend_health(self):
        import subprocess

        output = subprocess.run(
            ["varnishadm", "-n", str(self.stack.dir / "varnish"), "backend.list"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return "healthy" if " healthy " in f" {output} " else "sick"


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    _fresh_database()
    target = urllib.parse.urlsplit(SERVER_URL)
    proxy = TcpProxy(target.hostname, target.port or 5432)
    proxy.port = PROXY_PORT
    proxy.up()
    environ = {
        **os.environ,
        "STACK_PORT": str(PORT),
        "DATABASE_URL": target._replace(
            netloc=f"{target.netloc.rpartition('@')[0]}@127.0.0.1:{PROXY_PORT}",
            path=f"/{DATABASE}",
        ).geturl(),
        "REDIS_URL": REDIS_URL,
        "STACK_WORKERS": "2",
    }
    environ.pop("DJANGO_ADMIN_URL", None)
    stack = Stack(environ, var_dir=tmp_path_factory.mktemp("stack-var"))
    try:
        stack.start(demo=True)
        running = RunningStack(stack, proxy)
        username, password = EDITOR
        # Production asks staff for a second factor: an authenticator (never used here) and a
        # sheet of backup codes, one typed at each sign-in, as an editor without a phone would.
        running.backup_codes = [secrets.token_hex(4) for _ in range(20)]
        running.django(
            "import json\n"
            "from django.contrib.auth import get_user_model\n"
            "from django_otp.plugins.otp_static.models import StaticDevice\n"
            "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
            f"user = get_user_model().objects.create_superuser({username!r}, '', {password!r})\n"
            "TOTPDevice.objects.create(user=user, name='身份验证器', confirmed=True)\n"
            "sheet = StaticDevice.objects.create(user=user, name='备用码', confirmed=True)\n"
            f"for token in {running.backup_codes!r}:\n"
            "    sheet.token_set.create(token=token)\n"
            "print(json.dumps(True))"
        )
        yield running
    finally:
        stack.stop(quiet=True)
        proxy.down()
