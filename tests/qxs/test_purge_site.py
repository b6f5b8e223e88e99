"""``manage.py purge_site``: run when the app starts in a new version (docker-compose's web
command, ``make stack``), so pages rendered with the old templates leave every cache at once."""

import io

import pytest
from django.core.management import call_command

from qxs.cache import content_generation

from .conftest import FakeVarnish


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("purge_site", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_purges_the_site_key_from_every_varnish_and_starts_a_new_generation(varnish, settings):
    second = FakeVarnish()
    try:
        settings.QXS_VARNISH_URLS = [varnish.url, second.url]
        before = content_generation()
        out, err = run()
        assert varnish.purges == [("PURGE", "/", "site", True)]
        assert second.purges == [("PURGE", "/", "site", True)]
        assert content_generation() != before
        assert out.count("Purged every public page") == 2
        assert err == ""
    finally:
        second.shutdown()
        second.server_close()


def test_a_varnish_that_refuses_is_reported_and_the_others_still_purged(varnish, settings):
    refusing = FakeVarnish()
    refusing.statuses = [403]
    try:
        settings.QXS_VARNISH_URLS = [refusing.url, varnish.url]
        out, err = run()
        assert refusing.purges == [("PURGE", "/", "site", False)]
        assert varnish.purges == [("PURGE", "/", "site", True)]
        assert f"Could not purge {refusing.url}" in err
        assert "403" in err
        assert f"from {varnish.url}" in out
    finally:
        refusing.shutdown()
        refusing.server_close()


def test_an_unreachable_varnish_is_a_warning_not_a_failed_start(settings):
    """Compose starts `web` before `cache`: the command must not stop the app starting."""
    closed = FakeVarnish()
    url = closed.url
    closed.shutdown()
    closed.server_close()
    settings.QXS_VARNISH_URLS = [url]
    out, err = run("--timeout", "1")
    assert f"Could not purge {url}" in err
    assert out == ""


def test_without_varnish_only_the_generation_changes(settings):
    settings.QXS_VARNISH_URLS = []
    before = content_generation()
    out, _err = run()
    assert content_generation() != before
    assert "nothing else to purge" in out


@pytest.mark.parametrize("name", ["docker-compose.yml", "Dockerfile"])
def test_the_web_command_purges_after_migrating_and_before_serving(name):
    from tests.qxs.test_compose import ROOT

    text = (ROOT / name).read_text(encoding="utf-8")
    migrate = text.index("manage.py migrate")
    purge_site = text.index("manage.py purge_site")
    gunicorn = text.index("exec gunicorn")
    assert migrate < purge_site < gunicorn
