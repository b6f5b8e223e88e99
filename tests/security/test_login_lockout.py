"""Admin login lockout (django-axes): five failures for one user from one address lock that pair."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

LOCKED_MESSAGE = "已暂时锁定"


@pytest.fixture
def axes_on():
    """Axes is off in the test settings (see qxs/settings/test.py); these tests turn it on."""
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True)


def login(client, username, password, ip="203.0.113.7", **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
        **extra,
    )


def fail_five_times(client, username="editor", ip="203.0.113.7", **extra):
    responses = [login(client, username, "wrong", ip, **extra) for _ in range(5)]
    return responses


def test_five_failures_lock_and_even_the_right_password_is_refused(client, editor):
    """The first four failures show the login form again; the fifth answers 429 with the lockout
    page in Chinese, and the right password is then refused too."""
    responses = fail_five_times(client)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert LOCKED_MESSAGE in responses[-1].content.decode()
    assert "15 分钟" in responses[-1].content.decode()

    response = login(client, "editor", "pw-for-tests")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_is_for_the_user_from_that_address_only(client, editor):
    """Another user from the same address, and the same user from another address, still log in."""
    UserFactory(username="other", is_staff=True)
    fail_five_times(client)

    response = login(client, "other", "pw-for-tests")
    assert response.status_code == 302
    client.logout()
    response = login(client, "editor", "pw-for-tests", ip="198.51.100.20")
    assert response.status_code == 302


def test_lock_ends_after_the_cool_off(client, editor, settings):
    """After the cool-off period (15 minutes by default) the right password works again."""
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        fail_five_times(client)
        traveller.shift(datetime.timedelta(minutes=14))
        assert login(client, "editor", "pw-for-tests").status_code == 429
        traveller.shift(datetime.timedelta(minutes=2))
        response = login(client, "editor", "pw-for-tests")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_success_resets_the_failure_count(client, editor):
    """Four failures, then a good login, then four more failures: not locked."""
    for _ in range(4):
        login(client, "editor", "wrong")
    assert login(client, "editor", "pw-for-tests").status_code == 302
    client.logout()
    responses = [login(client, "editor", "wrong") for _ in range(4)]
    assert {r.status_code for r in responses} == {200}


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_client_address_is_locked(client, editor):
    """Behind one proxy the client is the last X-Forwarded-For entry: a spoofed entry to its left
    changes nothing, and another client behind the same proxy is not locked."""
    proxy = "10.0.0.2"
    for spoofed in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        response = login(
            client, "editor", "wrong", ip=proxy, HTTP_X_FORWARDED_FOR=f"{spoofed}, 203.0.113.7"
        )
    assert response.status_code == 429

    response = login(
        client, "editor", "pw-for-tests", ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert response.status_code == 302


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    """No proxy: REMOTE_ADDR, whatever the header says. Two proxies: second entry from the right."""
    from qxs.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"
