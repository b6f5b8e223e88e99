"""Staff sessions: 30 minutes idle, 12 hours at most, ended on the server at sign-out; passwords of
at least 12 characters that are not common."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


def sign_in(client):
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "pw-for-tests", "next": reverse("admin:index")},
    )
    assert response.status_code == 302
    return client.cookies["sessionid"].value


def admin_status(client):
    return client.get(reverse("admin:index")).status_code


def test_session_ends_after_thirty_idle_minutes(client, editor, settings):
    """29 minutes idle keep the session; 30½ end it: the admin goes back to the login page with a
    message, and the session row is gone from the server. (Past 31 minutes the server's row has
    expired as well, so the cookie finds no session at all.)"""
    assert settings.QXS_STAFF_IDLE_MINUTES == 30
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client)
        traveller.shift(datetime.timedelta(minutes=29))
        assert admin_status(client) == 200
        old_key = client.cookies["sessionid"].value
        traveller.shift(datetime.timedelta(minutes=30, seconds=30))
        response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")
    assert not Session.objects.filter(session_key=old_key).exists()
    page = client.get(response["Location"]).content.decode()
    assert "登录已超时" in page


def test_idle_limit_is_configurable(client, editor, settings):
    settings.QXS_STAFF_IDLE_MINUTES = 5
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client)
        traveller.shift(datetime.timedelta(minutes=4))
        assert admin_status(client) == 200
        traveller.shift(datetime.timedelta(minutes=6))
        assert admin_status(client) == 302


def test_session_ends_after_twelve_hours_even_when_busy(client, editor):
    """An editor active every 20 minutes is still signed out 12 hours after signing in."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client)
        for _ in range(35):  # 11 h 40 min
            traveller.shift(datetime.timedelta(minutes=20))
            assert admin_status(client) == 200
        traveller.shift(datetime.timedelta(minutes=21))
        assert admin_status(client) == 302
        assert "_auth_user_id" not in client.session


def test_session_cookie_and_server_row_do_not_outlive_the_limits(client, editor):
    """The cookie and the server's row expire with the idle limit (and a minute's slack for the
    last-seen granularity), so a stolen cookie is useless once the editor walks away."""
    sign_in(client)
    admin_status(client)
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 31 * 60 + 5


def test_signing_out_ends_the_session_on_the_server(client, editor):
    """After sign-out the session row is deleted, so the old cookie replayed opens nothing."""
    key = sign_in(client)
    assert Session.objects.filter(session_key=key).exists()
    assert client.post(reverse("admin:logout")).status_code == 200
    assert not Session.objects.filter(session_key=key).exists()

    client.cookies["sessionid"] = key
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Zq8#kP2!vw", "password_too_short"),  # 10 characters
        ("Zq8#kP2!vwX", "password_too_short"),  # 11 characters
        ("1qaz2wsx3edc", "password_too_common"),  # 12 characters, in Django's common list
        ("Q1w2e3r4t5y6", "password_too_common"),
        ("483920175539", "password_entirely_numeric"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert code in [error.code for error in refused.value.error_list]


def test_password_change_form_shows_the_rules_in_chinese(client, editor):
    """The admin's password change refuses an 11-character password with a message in Chinese."""
    client.force_login(editor)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "pw-for-tests",
            "new_password1": "Zq8#kP2!vwX",
            "new_password2": "Zq8#kP2!vwX",
        },
    )
    assert response.status_code == 200
    assert "12" in response.content.decode()
    assert "密码太短" in response.content.decode()


def test_twelve_uncommon_characters_are_accepted():
    assert validate_password("山海关-Zq8#kP2!v") is None
    assert validate_password("Zq8#kP2!vwXy") is None


def test_anonymous_pages_do_not_vary_on_the_session_cookie(client):
    """The session limits read the session only when a session cookie came: an anonymous page's
    response is the same for every reader (no ``Vary: Cookie`` from here)."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
