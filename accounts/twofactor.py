"""The second factor: which devices an editor has, drawing the enrolment QR code, checking a code.

An editor has one authenticator app (a confirmed ``TOTPDevice``: six digits that change every 30
seconds) and one sheet of ten backup codes (a ``StaticDevice``: eight letters and digits, each
good once). Writes that change them are in ``services.py``.
"""

import re
from base64 import b32encode

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "身份验证器"
BACKUP_DEVICE_NAME = "备用码"
BACKUP_CODE_COUNT = 10
APP_CODE = re.compile(r"[0-9]{6}")


def has_second_factor(user):
    """Has the editor finished enrolment (an authenticator app confirmed with a code)?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app_device(user):
    """The authenticator being enrolled: the same secret until it is confirmed, so reloading the
    enrolment page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_code_data_uri(device):
    """The device's ``otpauth://`` address as an SVG QR code in a ``data:`` URI.

    Drawn here by segno: the secret never leaves the server for a QR service, and the page's
    Content Security Policy (``img-src 'self' data:``) allows it.
    """
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def secret_for_typing(device):
    """The secret in base32, in groups of four, for apps set up by typing it in."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalize_code(code):
    """Codes as people type them: spaces and dashes dropped, backup codes in lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


def device_for_code(user, code):
    """The device a code is for: six digits are the app's code, anything else a backup code."""
    model = TOTPDevice if APP_CODE.fullmatch(code) else StaticDevice
    return model.objects.filter(user=user, confirmed=True).order_by("pk").first()


class CodeRefused(Exception):
    """The code was not accepted; ``throttled`` when the device refuses any code for a while."""

    def __init__(self, throttled=False):
        super().__init__()
        self.throttled = throttled


def verify_code(user, code):
    """Check a code from the app or a backup code; return the device that accepted it.

    The device row is locked while checking, so one code cannot be used twice at once. An app
    code is accepted in its 30-second step and the one either side, and never again after it has
    been used; a backup code is deleted when used. django-otp slows a device down after each
    failure (1, 2, 4... seconds); the sign-in lockout (django-axes) counts the failures too.
    """
    code = normalize_code(code)
    with transaction.atomic():
        device = device_for_code(user, code)
        if device is None:
            raise CodeRefused()
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise CodeRefused(throttled=True)
        if not device.verify_token(code):
            raise CodeRefused()
    return device


def backup_codes_left(user):
    device = StaticDevice.objects.filter(user=user).first()
    return device.token_set.count() if device else 0
