"""Pages that draw on several apps, robots.txt and the sitemaps."""

from django.contrib.sitemaps import views as sitemap_views
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles.models import Article, Column
from partnerships.models import HelpingPair, Meeting
from qxs import surrogate
from topics.models import Topic

from .sitemaps import measured_sections, sitemaps

# Current topics shown on the home page, at most.
HOME_TOPICS = 4


def home(request):
    """The home page: latest news, featured articles, the symposium and the pairs at a glance."""
    now = timezone.now()
    published = Article.objects.published(now).select_related("column")
    # The 头条 (shown with its cover until its time runs out: no cron job, the page's expiry
    # is bounded by it, see Article.objects.next_change()) and the featured articles, read
    # together: the 头条 first (the newest, should two be stored), then the newest featured.
    is_headline = Q(headline_until__gt=now)
    leading = list(
        published.filter(is_headline | Q(featured=True, is_stub=False))
        .annotate(is_headline=ExpressionWrapper(is_headline, output_field=BooleanField()))
        .select_related("cover_image")
        .defer("body")
        .order_by("-is_headline", "-published_at", "-pk")[:4]
    )
    headline = leading[0] if leading and leading[0].is_headline else None
    featured = [article for article in leading if article.featured and article is not headline]
    featured = [article for article in featured if not article.is_stub][:3]
    shown = [headline.pk] if headline else []
    # Title-only stubs stay in the news lists (with their badge), not in the home page's news.
    latest = list(
        published.filter(is_stub=False)
        .exclude(pk__in=[*shown, *(article.pk for article in featured)])
        .only("title", "published_at", "created_at", "is_stub", "column__name", "column__slug")[:10]
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
    topics = list(Topic.objects.current().select_related("banner")[:HOME_TOPICS])
    surrogate.add(
        request,
        surrogate.HOME,
        surrogate.TOPICS,
        *(surrogate.topic(topic.pk) for topic in topics),
        surrogate.NEWS,
        *(surrogate.article(article.pk) for article in [headline, *featured, *latest] if article),
        symposium and surrogate.meeting(symposium.pk),
        *(surrogate.pair(pair.pk) for pair in pairs),
        *(surrogate.agency(pk) for pair in pairs for pk in (pair.helper_id, pair.helped_id)),
    )
    context = {
        "headline": headline,
        "topics": topics,
        "featured_articles": featured,
        "latest_articles": latest,
        "symposium": symposium,
        "pairs": pairs,
    }
    return render(request, "home.html", context)


# The reader's site map lists at most this many pairs (each meeting's first ones), then links
# to the list of every pair.
SITE_MAP_PAIRS = 200


def site_map(request):
    """网站地图: the site's sections, its columns, the meetings and the pairs, for readers (the
    XML sitemaps are for crawlers)."""
    columns = list(Column.objects.only("name", "slug").order_by("order", "pk"))
    topics = list(Topic.objects.public().only("title", "slug"))
    meetings = list(Meeting.objects.only("title", "slug", "start_date").order_by("-start_date"))
    pairs = list(
        HelpingPair.objects.select_related("helper", "helped")
        .only(
            "meeting_id",
            "order",
            "helper__name",
            "helper__short_name",
            "helped__name",
            "helped__short_name",
        )
        .order_by("meeting_id", "order", "pk")[: SITE_MAP_PAIRS + 1]
    )
    more_pairs = len(pairs) > SITE_MAP_PAIRS
    pairs = pairs[:SITE_MAP_PAIRS]
    by_meeting = {}
    for pair in pairs:
        by_meeting.setdefault(pair.meeting_id, []).append(pair)
    for meeting in meetings:
        meeting.listed_pairs = by_meeting.pop(meeting.pk, [])
    surrogate.add(
        request,
        surrogate.MEETINGS,
        surrogate.PAIRS,
        surrogate.TOPICS,
        *(surrogate.topic(topic.pk) for topic in topics),
        *(surrogate.meeting(meeting.pk) for meeting in meetings),
        *(surrogate.pair(pair.pk) for pair in pairs),
        *(surrogate.agency(pk) for pair in pairs for pk in (pair.helper_id, pair.helped_id)),
    )
    context = {
        "columns": columns,
        "topics": topics,
        "meetings": meetings,
        "unmet_pairs": [pair for rest in by_meeting.values() for pair in rest],
        "more_pairs": more_pairs,
    }
    return render(request, "site_map.html", context)


@require_GET
def robots_txt(request):
    """robots.txt: everything public may be crawled (both languages) except the admin."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_index(request):
    """``/sitemap.xml``: Django's sitemap index, named by every section's surrogate keys."""
    for section in sitemaps.values():
        surrogate.add(request, *section.surrogate_keys)
    return sitemap_views.index(request, measured_sections(), sitemap_url_name="sitemap-section")


def sitemap_section(request, section):
    """``/sitemap-<section>.xml``: one section, named by its surrogate keys.

    A section lists the URLs of its set of rows with their dates, so it carries the key of that
    set (``news``, ``pairs``...): the page changes when a row appears or goes. An edit that
    changes only a row's ``lastmod`` shows within ``QXS_PAGE_CACHE_SECONDS``.
    """
    if section in sitemaps:
        surrogate.add(request, *sitemaps[section].surrogate_keys)
    return sitemap_views.sitemap(request, sitemaps, section=section)
