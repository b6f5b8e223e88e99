"""Root URL configuration: each app's URLs, and the admin at settings.ADMIN_URL.

Apps are included by name, so this package imports none of them.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # The admin path comes from DJANGO_ADMIN_URL (settings.ADMIN_URL, issue 9).
    # The second factor's pages (accounts/), under the admin's path, so the admin's own rules
    # (no page cache, the path moved with DJANGO_ADMIN_URL) cover them.
    path(f"{settings.ADMIN_URL}2fa/", include("accounts.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("search/", include("search.urls")),
    path("", include("portal.urls")),
    path("", include("articles.urls")),
    path("", include("partnerships.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
