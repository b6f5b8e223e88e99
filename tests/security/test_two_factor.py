"""Two factors for staff (django-otp): no admin page on a password alone, enrolment at first
sign-in, codes that are wrong, used or expired refused, wrong codes locking like wrong passwords,
and the superuser's logged reset."""

import datetime
import logging
import re
from urllib.parse import unquote

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]

IP = "203.0.113.7"


@pytest.fixture
def two_factor_on():
    """The test settings leave the second factor off (qxs/settings/test.py); here it is on, as in
    production."""
    with override_settings(QXS_STAFF_TWO_FACTOR=True):
        yield


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


@pytest.fixture
def enrolled(editor):
    """The editor with a confirmed authenticator and ten backup codes."""
    device = TOTPDevice.objects.create(user=editor, name="身份验证器", confirmed=True)
    codes = services.new_backup_codes(editor)
    return device, codes


def code_now(device, offset_steps=0):
    """What the editor's phone shows now (or ``offset_steps`` 30-second steps ago/ahead)."""
    t0 = device.t0 - offset_steps * device.step
    return f"{totp(device.bin_key, step=device.step, t0=t0):06d}"


def password_login(client, username="editor", password="pw-for-tests", next_url=None):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": next_url or reverse("admin:index")},
        REMOTE_ADDR=IP,
    )


def send_code(client, code, next_url=None):
    return client.post(
        reverse("accounts:verify"),
        {"code": code, "next": next_url or reverse("admin:index")},
        REMOTE_ADDR=IP,
    )


def test_password_without_code_gets_no_admin_page(client, enrolled):
    """After the right password every admin page (index, a list, an object's page) leads to the
    code page, with the way back kept in ``next``."""
    response = password_login(client)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    for url in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:auth_user_change", args=[client.session["_auth_user_id"]]),
    ]:
        response = client.get(url, REMOTE_ADDR=IP)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:verify") + "?next="), url
    assert (
        reverse("admin:articles_article_changelist")
        in client.get(
            reverse("accounts:verify") + "?next=" + reverse("admin:articles_article_changelist")
        ).content.decode()
    )


def test_code_page_shows_no_admin_navigation(client, enrolled):
    """Before the code, the page names none of the admin's sections (no sidebar, no app list)."""
    password_login(client)
    page = client.get(reverse("accounts:verify"), REMOTE_ADDR=IP).content.decode()
    assert 'id="nav-sidebar"' not in page
    assert reverse("admin:articles_article_changelist") not in page


def test_right_code_opens_the_admin(client, enrolled):
    device, _ = enrolled
    password_login(client)
    target = reverse("admin:articles_article_changelist")
    response = send_code(client, code_now(device), next_url=target)
    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_code_is_refused_with_a_message(client, enrolled):
    device, _ = enrolled
    password_login(client)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = send_code(client, wrong)
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_expired_code_is_refused(client, enrolled):
    """A code from three steps (90 s) ago is refused; one step either side is accepted for clock
    drift, so it is the furthest a code can age."""
    device, _ = enrolled
    password_login(client)
    response = send_code(client, code_now(device, offset_steps=-3))
    assert "验证码不正确" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_code_cannot_be_used_twice(client, enrolled):
    """The same app code, used once, is refused in another session."""
    device, _ = enrolled
    code = code_now(device)
    password_login(client)
    assert send_code(client, code).status_code == 302
    client.logout()
    password_login(client)
    response = send_code(client, code)
    assert "验证码不正确" in response.content.decode()


def test_backup_code_works_once(client, enrolled):
    _, codes = enrolled
    password_login(client)
    response = send_code(client, codes[0].upper())
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert StaticToken.objects.filter(device__user__username="editor").count() == 9
    client.logout()

    password_login(client)
    response = send_code(client, codes[0])
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_first_sign_in_enrols_with_a_local_qr_code_and_ten_backup_codes(client, editor):
    """No factor yet: the admin leads to enrolment, which shows a QR code drawn by us (a data:
    URI, nothing fetched from elsewhere); a wrong code is refused; the right one shows ten backup
    codes once and opens the admin."""
    password_login(client)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts:setup"))
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="[^"]+"', page)
    svg = unquote(re.search(r'<img src="data:image/svg\+xml;charset=utf-8,([^"]+)"', page)[1])
    assert svg.startswith("<svg")
    assert "href" not in svg, "the QR code refers to nothing outside itself"
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    # Reloading keeps the same secret, so a scan made before the reload still works.
    client.get(reverse("accounts:setup"))
    assert TOTPDevice.objects.get(user=editor).key == device.key

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        wrong = f"{(int(code_now(device)) + 5) % 1_000_000:06d}"
        response = client.post(reverse("accounts:setup"), {"code": wrong})
        assert "验证码不正确" in response.content.decode()
        assert client.get(reverse("admin:index")).status_code == 302
        # django-otp refuses any code for a second after a wrong one.
        traveller.shift(datetime.timedelta(seconds=2))
        response = client.post(reverse("accounts:setup"), {"code": code_now(device)}, follow=True)
    page = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
    )
    assert client.get(reverse("admin:index")).status_code == 200
    # Shown once: the page does not give them again.
    assert client.get(reverse("accounts:backup-codes")).status_code == 302


def test_enrolled_editor_cannot_enrol_a_new_phone_without_a_code(client, enrolled):
    """The enrolment page of an account that has a factor does not hand out a new secret."""
    password_login(client)
    response = client.get(reverse("accounts:setup"))
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(user__username="editor").count() == 1


@pytest.mark.usefixtures("axes_on")
def test_repeated_wrong_codes_lock_like_wrong_passwords(client, enrolled):
    """Five wrong codes from one address lock the account there: 429 in Chinese, signed out, and
    even the right password and code are refused until the cool-off ends."""
    device, _ = enrolled
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        password_login(client)
        statuses = []
        for _ in range(5):
            traveller.shift(datetime.timedelta(seconds=40))
            statuses.append(send_code(client, "000000").status_code)
        assert statuses == [200, 200, 200, 200, 429]
        assert "_auth_user_id" not in client.session
        response = password_login(client)
        assert response.status_code == 429
        assert "已暂时锁定" in response.content.decode()

        traveller.shift(datetime.timedelta(minutes=16))
        assert password_login(client).status_code == 302
        assert send_code(client, code_now(device)).status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.usefixtures("axes_on")
def test_signing_in_again_does_not_clear_wrong_codes(client, enrolled):
    """Two wrong passwords and three wrong codes, with a right password between them, lock: the
    password alone does not reset the count, only a right code does."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        password_login(client, password="wrong")
        password_login(client, password="wrong")
        assert password_login(client).status_code == 302
        for _ in range(2):
            traveller.shift(datetime.timedelta(seconds=40))
            assert send_code(client, "000000").status_code == 200
        client.logout()
        assert password_login(client).status_code == 302
        traveller.shift(datetime.timedelta(seconds=40))
        assert send_code(client, "000000").status_code == 429


@pytest.mark.usefixtures("axes_on")
def test_right_code_clears_earlier_failures(client, enrolled):
    device, _ = enrolled
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        password_login(client)
        for _ in range(4):
            traveller.shift(datetime.timedelta(seconds=40))
            send_code(client, "000000")
        traveller.shift(datetime.timedelta(seconds=40))
        assert send_code(client, code_now(device)).status_code == 302
        client.logout()
        password_login(client)
        for _ in range(4):
            traveller.shift(datetime.timedelta(seconds=40))
            assert send_code(client, "000000").status_code == 200


def test_superuser_resets_a_factor_and_it_is_logged(client, enrolled, caplog):
    """The reset removes the editor's devices, records a LogEntry and a log line, and the editor's
    next admin request leads to enrolment again."""
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=boss, name="身份验证器", confirmed=True)
    editor_client = client.__class__()
    device, _ = enrolled
    password_login(editor_client)
    send_code(editor_client, code_now(device))
    assert editor_client.get(reverse("admin:index")).status_code == 200

    client.force_login(boss)
    session = client.session
    session["otp_device_id"] = boss.totpdevice_set.get().persistent_id
    session.save()
    changelist = reverse("admin:accounts_staffsecondfactor_changelist")
    listing = client.get(changelist)
    assert listing.status_code == 200
    rows = {
        user.username: (user.has_app, user.codes_left) for user in listing.context["cl"].result_list
    }
    assert rows == {"boss": (True, 0), "editor": (True, 10)}
    editor_id = str(device.user_id)
    confirm = client.post(
        changelist, {"action": "reset_second_factor", "_selected_action": [editor_id]}
    )
    assert "确认重置" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user_id=device.user_id).exists()
    with caplog.at_level(logging.WARNING, logger="accounts.services"):
        response = client.post(
            changelist,
            {"action": "reset_second_factor", "_selected_action": [editor_id], "post": "yes"},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user_id=device.user_id).exists()
    assert not StaticDevice.objects.filter(user_id=device.user_id).exists()
    entry = LogEntry.objects.get(object_id=editor_id)
    assert entry.user == boss
    assert "重置了双重验证" in entry.change_message
    assert "Second factor of user editor" in caplog.text
    assert "by superuser boss" in caplog.text

    response = editor_client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("accounts:setup"))


def test_only_a_superuser_can_reset(client, enrolled):
    """A staff editor with every permission but not superuser gets no reset page, and the
    service refuses a non-superuser."""
    from django.contrib.auth.models import Permission

    chief = UserFactory(username="chief", is_staff=True)
    chief.user_permissions.set(Permission.objects.all())
    TOTPDevice.objects.create(user=chief, name="身份验证器", confirmed=True)
    client.force_login(chief)
    session = client.session
    session["otp_device_id"] = chief.totpdevice_set.get().persistent_id
    session.save()
    changelist = reverse("admin:accounts_staffsecondfactor_changelist")
    assert client.get(changelist).status_code == 403
    response = client.post(
        changelist,
        {"action": "reset_second_factor", "_selected_action": [enrolled[0].user_id], "post": "yes"},
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user_id=enrolled[0].user_id).exists()
    with pytest.raises(services.ResetRefused):
        services.reset_second_factor(chief, enrolled[0].user)
    # django-otp's own device pages are gone: no secret keys to read there.
    assert "otp_totp" not in client.get(reverse("admin:index")).content.decode()


@override_settings(QXS_STAFF_TWO_FACTOR=False)
def test_switched_off_the_password_is_enough(client, editor):
    """The development switch: with QXS_STAFF_TWO_FACTOR off the admin opens after the password."""
    password_login(client)
    assert client.get(reverse("admin:index")).status_code == 200
