"""App configs that give third-party apps Chinese names in the admin.

django-axes names its app "Axes" and leaves two of its list columns without a label; neither
goes through gettext, so a translation catalogue cannot reach them. Its other strings are
translated in ``locale/zh_Hans/LC_MESSAGES/django.po``.
"""

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(BaseAxesConfig):
    verbose_name = _("登录保护")

    def ready(self):
        super().ready()
        from axes import admin as axes_admin

        # Columns that axes computes in methods without a label (shown as "Expiration", "Status").
        for method, label in (("expiration", _("到期时间")), ("status", _("状态"))):
            function = getattr(axes_admin.AccessAttemptAdmin, method, None)
            if function is not None:
                function.short_description = label
