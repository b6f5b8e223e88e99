from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff sign-in: the second factor (enrolment, verification, reset) and session limits."""

    name = "accounts"
    verbose_name = _("员工登录")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import record_sign_in

        user_logged_in.connect(record_sign_in, dispatch_uid="accounts.record_sign_in")
