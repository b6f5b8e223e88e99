"""App configs that give third-party apps Chinese names in the admin.

django-otp's two device plugins name their apps and models in English without gettext
("Otp_Totp | TOTP device" on the group and user permission lists); they get Chinese names here.

django-axes names its app "Axes" and leaves two of its list columns without a label; neither
goes through gettext, so a translation catalogue cannot reach them. Its other strings are
translated in ``locale/zh_Hans/LC_MESSAGES/django.po``.
"""

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as BaseStaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as BaseTOTPConfig


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


def _name_models(app_config, names):
    for model_name, name in names.items():
        opts = app_config.get_model(model_name)._meta
        opts.verbose_name = opts.verbose_name_plural = name


class TOTPConfig(BaseTOTPConfig):
    verbose_name = _("双重验证：验证器应用")

    def ready(self):
        super().ready()
        _name_models(self, {"totpdevice": _("验证器应用设备")})


class StaticConfig(BaseStaticConfig):
    verbose_name = _("双重验证：备用码")

    def ready(self):
        super().ready()
        _name_models(self, {"staticdevice": _("备用码设备"), "statictoken": _("备用码")})
