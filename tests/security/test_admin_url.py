"""The admin's path is configurable (DJANGO_ADMIN_URL)."""

import os
import subprocess
import sys

from tests.reliability.servers import ROOT


def admin_path(env):
    script = (
        "import django; django.setup()\n"
        "from django.urls import Resolver404, resolve, reverse\n"
        "try:\n"
        "    found = resolve('/admin/login/').view_name\n"
        "except Resolver404:\n"
        "    found = 'none'\n"
        "print(reverse('admin:login'), found)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qxs.settings.test", **env}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_admin_path_follows_the_environment():
    """With DJANGO_ADMIN_URL set, the admin lives there and nothing answers at /admin/."""
    assert admin_path({"DJANGO_ADMIN_URL": "/bianji-2004/"}) == ["/bianji-2004/login/", "none"]


def test_admin_path_defaults_to_admin():
    """Unset or empty, the admin is at /admin/."""
    assert admin_path({"DJANGO_ADMIN_URL": ""}) == ["/admin/login/", "admin:login"]
