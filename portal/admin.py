from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import SiteIdentity


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    """One row to edit: the list page leads straight to it."""

    fieldsets = [
        (None, {"fields": ["site_name", "domain", "sponsor", "operator"]}),
        (_("备案"), {"fields": ["site_code", "icp_number", "public_security_number"]}),
        (_("联系方式"), {"fields": ["address", "phone", "email"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        identity = SiteIdentity.objects.first()
        if identity is None:
            return redirect(reverse("admin:portal_siteidentity_add"))
        return redirect(reverse("admin:portal_siteidentity_change", args=[identity.pk]))
