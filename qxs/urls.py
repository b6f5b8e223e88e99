"""Root URL configuration: each app's URLs, and the admin at settings.ADMIN_URL.

Pages are in Chinese at ``/…`` and in English under ``/en/…`` (``i18n_patterns``; the language
comes from the URL alone, see ``qxs.locale``). What has no language is not prefixed: the admin,
robots.txt and the sitemaps, the open data files (``/healthz`` is answered by middleware).
Apps are included by name, so this package imports none of them.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # The admin path comes from DJANGO_ADMIN_URL (settings.ADMIN_URL, issue 9).
    # The second factor's pages (accounts/), under the admin's path, so the admin's own rules
    # (no page cache, the path moved with DJANGO_ADMIN_URL) cover them.
    path(f"{settings.ADMIN_URL}2fa/", include("accounts.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("portal.crawler_urls")),
    path("", include("partnerships.data_urls")),
]

urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("", include("portal.urls")),
    path("", include("articles.urls")),
    path("", include("partnerships.urls")),
    path("", include("topics.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
