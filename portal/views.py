"""Pages that draw on several apps, and the site's small plain endpoints."""

import unicodedata

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Article
from partnerships.models import HelpingPair, Meeting
from qxs import surrogate

from .context_processors import FONT_SIZE_COOKIE, FONT_SIZES
from .sitemaps import sitemaps

FONT_SIZE_COOKIE_AGE = 365 * 24 * 60 * 60


def home(request):
    """The home page: latest news, featured articles, the symposium and the pairs at a glance."""
    published = Article.objects.published().select_related("column")
    featured = list(
        published.filter(featured=True, is_stub=False)
        .select_related("cover_image")
        .defer("body")[:3]
    )
    latest = list(
        published.exclude(pk__in=[article.pk for article in featured]).only(
            "title", "published_at", "created_at", "is_stub", "column__name", "column__slug"
        )[:10]
    )
    # The meeting that formed the most pairs is the one the site is about (the 2004 symposium).
    symposium = (
        Meeting.objects.select_related("venue", "organiser")
        .annotate(
            pair_count=Count("pairs", distinct=True),
            participant_count=Count("participants", distinct=True),
        )
        .order_by("-pair_count", "-start_date", "pk")
        .first()
    )
    pairs = list(
        HelpingPair.objects.select_related(
            "helper", "helped", "helper__division", "helped__division"
        )[:8]
    )
    surrogate.add(
        request,
        surrogate.HOME,
        surrogate.NEWS,
        *(surrogate.article(article.pk) for article in [*featured, *latest]),
        symposium and surrogate.meeting(symposium.pk),
        *(surrogate.pair(pair.pk) for pair in pairs),
        *(surrogate.agency(pk) for pair in pairs for pk in (pair.helper_id, pair.helped_id)),
    )
    context = {
        "featured_articles": featured,
        "latest_articles": latest,
        "symposium": symposium,
        "pairs": pairs,
    }
    return render(request, "home.html", context)


def safe_next(request, next_url):
    """``next_url`` when it is a path on this site, else the home page.

    Only paths (``/…``) are taken, and no control characters (a newline would break the
    ``Location`` header).
    """
    if not next_url.startswith("/") or any(
        unicodedata.category(char)[0] == "C" for char in next_url
    ):
        return reverse("home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("home")
    return next_url


@never_cache
@require_GET
def switch_language(request):
    """``/language/?language=en&next=/news/``: the header's language links come here.

    Sets the language cookie (name and attributes from the ``LANGUAGE_COOKIE_*`` settings, as
    Django's ``set_language`` does) and goes back to ``next``. Plain links rather than a POST
    form, so public pages carry no CSRF token and each is one cached copy for every reader of a
    language. Choosing a language changes nothing but the reader's own pages, so a GET is
    enough; the links are ``rel="nofollow"`` and ``robots.txt`` keeps crawlers away.
    ``/i18n/setlang/`` (POST) still works for anyone who posts to it.
    """
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("Unknown language.", content_type="text/plain")
    response = redirect(safe_next(request, request.GET.get("next", "")))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_http_methods(["GET", "POST"])
def set_font_size(request):
    """Remember the reader's text size (大/中/小) in a cookie and go back to the page.

    The article page's size links come here, so the switch works with no JavaScript at all;
    ``static/js/site.js`` does the same in place when scripts run.
    """
    data = request.POST if request.method == "POST" else request.GET
    size = data.get("size", "")
    if size not in FONT_SIZES:
        return HttpResponseBadRequest("Unknown font size.", content_type="text/plain")
    response = redirect(safe_next(request, data.get("next", "")))
    response.set_cookie(
        FONT_SIZE_COOKIE,
        size,
        max_age=FONT_SIZE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@require_GET
def robots_txt(request):
    """robots.txt: everything public may be crawled except the admin and the language and
    font-size switches."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        f"Disallow: {reverse('language')}",
        f"Disallow: {reverse('font-size')}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_index(request):
    """``/sitemap.xml``: Django's sitemap index, named by every section's surrogate keys."""
    for section in sitemaps.values():
        surrogate.add(request, *section.surrogate_keys)
    return sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    """``/sitemap-<section>.xml``: one section, named by its surrogate keys.

    A section lists the URLs of its set of rows with their dates, so it carries the key of that
    set (``news``, ``pairs``...): the page changes when a row appears or goes. An edit that
    changes only a row's ``lastmod`` shows within ``QXS_PAGE_CACHE_SECONDS``.
    """
    if section in sitemaps:
        surrogate.add(request, *sitemaps[section].surrogate_keys)
    return sitemap_views.sitemap(request, sitemaps, section=section)
