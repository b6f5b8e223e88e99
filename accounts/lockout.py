"""Wrong second-factor codes count toward the sign-in lockout (django-axes) like wrong passwords."""

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.conf import settings
from django.contrib.auth.signals import user_login_failed

PASSED_SECOND_FACTOR = "qxs_passed_second_factor"


class SecondFactorAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, except that with the second factor on, a right password alone does
    not wipe the failures: only a right code does (``record_code_success``). Otherwise an attacker
    who knows the password could sign in again after every four wrong codes and never be locked.
    """

    def reset_user_attempts(self, request, credentials=None):
        if settings.QXS_STAFF_TWO_FACTOR and not getattr(request, PASSED_SECOND_FACTOR, False):
            return 0
        return super().reset_user_attempts(request, credentials)


def credentials_of(user):
    return get_credentials(user.get_username())


def is_locked_out(request, user):
    """Is this editor locked out from this address (wrong passwords and codes together)?"""
    return not AxesProxyHandler.is_allowed(request, credentials_of(user))


def record_code_failure(request, user):
    """Count a wrong code as a failed sign-in; True when that locks the editor out."""
    user_login_failed.send(sender=__name__, credentials=credentials_of(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def record_code_success(request, user):
    """A right code clears the failures, as a successful sign-in does without a second factor."""
    if settings.AXES_ENABLED and settings.AXES_RESET_ON_SUCCESS:
        setattr(request, PASSED_SECOND_FACTOR, True)
        AxesProxyHandler.update_request(request)
        AxesProxyHandler.get_implementation().reset_user_attempts(request, credentials_of(user))
