import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_settings(module, env, code="from django.conf import settings; print(settings.DEBUG)"):
    """Import a settings module in a fresh interpreter with exactly the given environment."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_prod_refuses_to_start_without_a_secret_key():
    result = run_settings("qxs.settings.prod", {"DJANGO_ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_prod_refuses_to_start_without_allowed_hosts():
    result = run_settings("qxs.settings.prod", {"DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_prod_starts_with_both_and_is_not_debug():
    result = run_settings(
        "qxs.settings.prod", {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "example.org"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache"),
        # Django's RedisCache, made to treat an unreachable Redis as a miss (issue 9).
        ({"REDIS_URL": "redis://127.0.0.1:6379/3"}, "qxs.cache_backends.ResilientRedisCache"),
    ],
)
def test_cache_backend_follows_redis_url(env, expected):
    result = run_settings(
        "qxs.settings.dev",
        env,
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
    )
    assert result.stdout.strip() == expected, result.stderr


def test_database_url_selects_postgresql_with_persistent_connections():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = run_settings("qxs.settings.dev", {"DATABASE_URL": "postgres://u@db:5432/qxs"}, code)
    assert result.stdout.split() == ["django.db.backends.postgresql", "qxs", "600", "True"], (
        result.stderr
    )


def test_sqlite_by_default_in_var():
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    result = run_settings("qxs.settings.dev", {}, code)
    assert result.stdout.strip() == str(ROOT / "var" / "db.sqlite3"), result.stderr


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_prod_uses_compressed_hashed_static_files():
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    result = run_settings(
        "qxs.settings.prod", {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "a.org"}, code
    )
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_postgresql_connections_run_without_parallel_workers_unless_asked():
    """One request's query must not take the cores other requests need."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    url = {"DATABASE_URL": "postgres://u@db:5432/qxs"}
    result = run_settings("qxs.settings.dev", url, code)
    assert "-c max_parallel_workers_per_gather=0 -c jit=off" in result.stdout, result.stderr
    result = run_settings("qxs.settings.dev", {**url, "DJANGO_PG_PARALLEL_WORKERS": "2"}, code)
    assert "-c max_parallel_workers_per_gather=2" in result.stdout, result.stderr


def test_postgresql_option_reaches_the_server(db, settings):
    """On PostgreSQL the session really runs with the setting."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the suite runs on SQLite here")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_test_settings_remove_their_temporary_folders_at_exit():
    """The media and static folders the test settings create are gone once the process ends, and a
    forked child exiting first leaves them in place for its parent."""
    code = (
        "import os, sys; from django.conf import settings; "
        "folders = [settings.MEDIA_ROOT, settings.STATIC_ROOT]; "
        "pid = os.fork(); "
        "os.waitpid(pid, 0) if pid else sys.exit(0); "
        "print(all(f.is_dir() for f in folders)); "
        "print(*folders, sep='\\n')"
    )
    result = run_settings("qxs.settings.test", {}, code)
    assert result.returncode == 0, result.stderr
    alive_after_child, *folders = result.stdout.split("\n")[:3]
    assert alive_after_child == "True"
    assert len(folders) == 2
    for folder in folders:
        assert Path(folder).name.startswith(("qxs-test-media-", "qxs-test-static-"))
        assert not Path(folder).exists()


@pytest.mark.parametrize(
    ("module", "env", "expected"),
    [
        ("qxs.settings.dev", {}, "True"),
        ("qxs.settings.dev", {"QXS_STAFF_TWO_FACTOR": "false"}, "False"),
        # Production ignores the development switch.
        (
            "qxs.settings.prod",
            {
                "QXS_STAFF_TWO_FACTOR": "false",
                "DJANGO_SECRET_KEY": "x" * 50,
                "DJANGO_ALLOWED_HOSTS": "example.org",
            },
            "True",
        ),
    ],
)
def test_second_factor_is_enforced_in_prod_and_switchable_in_dev(module, env, expected):
    result = run_settings(
        module, env, "from django.conf import settings; print(settings.QXS_STAFF_TWO_FACTOR)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_staff_session_and_password_settings():
    """30 minutes idle, 12 hours in all, passwords of 12 characters at least."""
    result = run_settings(
        "qxs.settings.prod",
        {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "example.org"},
        "from django.conf import settings; "
        "print(settings.QXS_STAFF_IDLE_MINUTES, settings.QXS_STAFF_SESSION_HOURS, "
        "settings.SESSION_COOKIE_AGE, settings.AUTH_PASSWORD_VALIDATORS[1]['OPTIONS'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "30 12 43200 {'min_length': 12}"
