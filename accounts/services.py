"""Writes that span several models: finishing enrolment, and a superuser's reset."""

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .twofactor import BACKUP_CODE_COUNT, BACKUP_DEVICE_NAME, normalize_code

logger = logging.getLogger(__name__)

RESET_MESSAGE = "重置了双重验证（身份验证器和备用码），该账号下次登录时需重新设置。"


class ResetRefused(Exception):
    pass


def confirm_enrolment(device, code):
    """Confirm the authenticator being enrolled with a code from it; give ten new backup codes.

    Returns the backup codes (shown to the editor once), or None when the code is wrong. Any
    other authenticator and earlier backup codes of the account are removed.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalize_code(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user_id).exclude(pk=device.pk).delete()
        return new_backup_codes(device.user)


def new_backup_codes(user):
    """Replace the account's backup codes with ten fresh ones and return them."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def reset_second_factor(actor, user):
    """A superuser removes an editor's authenticator and backup codes (a lost phone).

    The editor's sessions lose their verification at once (django-otp finds no device), and the
    next admin request leads to enrolment. Recorded in the admin's history (LogEntry) and the log.
    """
    if not actor.is_superuser:
        raise ResetRefused("only a superuser may reset a second factor")
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=get_user_model().objects.filter(pk=user.pk),
            action_flag=CHANGE,
            change_message=RESET_MESSAGE,
            single_object=True,
        )
    logger.warning(
        "Second factor of user %s (id %s) reset by superuser %s (id %s)",
        user.get_username(),
        user.pk,
        actor.get_username(),
        actor.pk,
    )
    return removed
