from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class StaffSecondFactor(get_user_model()):
    """A staff account seen from its second factor: the superuser's page for resets."""

    class Meta:
        proxy = True
        verbose_name = _("员工双重验证")
        verbose_name_plural = _("员工双重验证")
