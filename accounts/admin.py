"""The superusers' page for staff second factors: who has enrolled, and the reset.

django-otp's own device pages are removed: through them anyone with the model permissions could
read a secret key or delete a device. Here only superusers see the page and reset a factor.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import StaffSecondFactor

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(StaffSecondFactor)
class StaffSecondFactorAdmin(admin.ModelAdmin):
    list_display = ["username", "full_name", "is_superuser", "enrolled", "backup_codes_left"]
    list_filter = ["is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email"]
    actions = ["reset_second_factor"]
    ordering = ["username"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(Q(is_staff=True) | Q(is_superuser=True))
            .annotate(
                has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                codes_left=Count(
                    "staticdevice__token_set",
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("姓名"))
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("已设置身份验证器"), boolean=True, ordering="has_app")
    def enrolled(self, user):
        return user.has_app

    @admin.display(description=_("剩余备用码"), ordering="codes_left")
    def backup_codes_left(self, user):
        return user.codes_left

    @admin.action(description=_("重置所选账号的双重验证"))
    def reset_second_factor(self, request, queryset):
        """With a confirmation page, as the admin's delete action has."""
        if request.POST.get("post"):
            for user in queryset:
                services.reset_second_factor(request.user, user)
            count = queryset.count()
            self.message_user(
                request,
                ngettext(
                    "已重置 %(count)d 个账号的双重验证，他们下次进入管理后台时需重新设置。",
                    "已重置 %(count)d 个账号的双重验证，他们下次进入管理后台时需重新设置。",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/accounts/reset_second_factor.html",
            {
                **self.admin_site.each_context(request),
                "title": _("确认重置双重验证"),
                "opts": self.model._meta,
                "users": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
