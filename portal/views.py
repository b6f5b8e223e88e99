"""Pages that draw on several apps, robots.txt and the sitemaps."""

from django.contrib.sitemaps import views as sitemap_views
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Value
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles.models import (
    Article,
    Column,
    Image,
    ListRow,
)
from partnerships.models import Agency, Division, HelpingPair, Meeting, detail_urls
from qxs import surrogate
from qxs.newslinks import article_url_and_day, news_url_prefix
from qxs.prepared import PreparedQuery
from qxs.rows import Selection
from topics.models import Topic

from .sitemaps import measured_sections, sitemaps

# Current topics shown on the home page, at most.
HOME_TOPICS = 4


# Latest news on the home page.
HOME_LATEST = 10


# What the home page shows of each row, read by four queries compiled once per process
# (``qxs.prepared``): building them with the ORM cost more than running them.
ARTICLES = Selection(
    Article,
    ("column", Column, "id", "name", "slug"),
    ("cover_image", Image, "id", "file", "alt_text", "width", "height"),
    fields=(
        "id",
        "title",
        "summary",
        "column_id",
        "cover_image_id",
        "published_at",
        "created_at",
        "headline_until",
        "featured",
        "is_stub",
    ),
)
SYMPOSIUM = Selection(
    Meeting,
    ("venue", Division, "id", "name"),
    ("organiser", Agency, "id", "name"),
    fields=("id", "title", "slug", "start_date", "end_date", "venue_id", "organiser_id", "summary"),
)
PAIRS = Selection(
    HelpingPair,
    ("helper", Agency, "id", "name", "short_name", "division_id"),
    ("helper__division", Division, "id", "name"),
    ("helped", Agency, "id", "name", "short_name", "division_id"),
    ("helped__division", Division, "id", "name"),
    fields=("id", "helper_id", "helped_id"),
)
TOPICS = Selection(
    Topic,
    ("banner", Image, "id", "file", "alt_text", "width", "height"),
    fields=("id", "title", "slug", "banner_id"),
)


def _home_articles_query(now):
    headline_q = Q(headline_until__gt=now)
    # A column that is NULL compares as NULL, which PostgreSQL sorts first when descending.
    leading_order = [
        ExpressionWrapper(headline_q, output_field=BooleanField()).desc(nulls_last=True),
        "-published_at",
        "-pk",
    ]
    published = Article.objects.published(now)
    leading_ids = (
        published.filter(headline_q | Q(featured=True, is_stub=False))
        .order_by(*leading_order)
        .values("pk")[:4]
    )
    # Enough for the latest news whatever the four leading ones are among them.
    newest_ids = published.filter(is_stub=False).values("pk")[: HOME_LATEST + 4]
    fields = ARTICLES.names
    rows = Article.objects.order_by()
    return (
        rows.filter(pk__in=leading_ids)
        .annotate(leading=Value(True))
        .values_list(*fields, "leading")
        .union(
            rows.filter(pk__in=newest_ids)
            .annotate(leading=Value(False))
            .values_list(*fields, "leading"),
            all=True,
        )
    )


HOME_ARTICLES_QUERY = PreparedQuery(_home_articles_query, ids=())


def home_articles(now):
    """The home page's articles: ``(headline or None, [featured, at most 3], [latest, 10])``.

    The 头条 is shown with its cover until its time runs out (no cron job: the page's expiry is
    bounded by it, see ``Article.objects.next_change()``); the newest wins should two be
    stored. The featured articles are the newest others; the latest news the newest articles
    not shown above them, without title-only stubs (they stay in the news lists, with their
    badge).

    One statement: the UNION of the four leading ids, picked from the small index of headlines
    and featured articles (``article_lead_idx``, which holds every column the publication rule
    tests), and the newest ids of the news index; only those rows are read from the table.
    """

    def is_headline(article):
        return article.headline_until is not None and article.headline_until > now

    leading, newest = [], []
    for row in HOME_ARTICLES_QUERY.rows(now=now):
        if row[-1]:
            leading.append(ARTICLES.instances(row)[0])
        else:
            newest.append(row)
    leading.sort(key=lambda a: (is_headline(a), a.published_at, a.pk), reverse=True)
    headline = leading[0] if leading and is_headline(leading[0]) else None
    featured = [
        article
        for article in leading
        if article is not headline and article.featured and not article.is_stub
    ][:3]
    shown = {article.pk for article in [headline, *featured] if article}
    newest.sort(key=lambda row: (row[_PUBLISHED_AT], row[_ID]), reverse=True)
    latest = [row for row in newest if row[_ID] not in shown][:HOME_LATEST]
    return headline, featured, latest_rows(latest)


_ID, _TITLE, _PUBLISHED_AT, _CREATED_AT, _IS_STUB, _COLUMN_NAME, _COLUMN_SLUG = (
    ARTICLES.names.index(name)
    for name in (
        "id",
        "title",
        "published_at",
        "created_at",
        "is_stub",
        "column__name",
        "column__slug",
    )
)


def latest_rows(rows):
    """The latest news as the list shows them (``ListRow``s with their column, without the
    summary), straight from the query's rows: no model instances for them."""
    prefix = news_url_prefix()
    zone = timezone.get_current_timezone()
    latest = []
    for row in rows:
        url, day = article_url_and_day(row[_ID], row[_PUBLISHED_AT], row[_CREATED_AT], prefix, zone)
        latest.append(
            ListRow(
                row[_ID],
                url,
                row[_TITLE],
                day,
                "",
                row[_IS_STUB],
                row[_COLUMN_NAME],
                f"{prefix}column/{row[_COLUMN_SLUG]}/",
            )
        )
    return latest


def _symposium_query(now):
    # The meeting that formed the most pairs is the one the site is about (the 2004 symposium).
    return (
        Meeting.objects.annotate(
            pair_count=Count("pairs", distinct=True),
            participant_count=Count("participants", distinct=True),
        )
        .order_by("-pair_count", "-start_date", "pk")
        .values_list(*SYMPOSIUM.names, "pair_count", "participant_count")[:1]
    )


SYMPOSIUM_QUERY = PreparedQuery(_symposium_query, ids=())


def home_symposium():
    """The meeting that formed the most pairs, with its venue, organiser and counts, or None."""
    for row in SYMPOSIUM_QUERY.rows():
        meeting, (meeting.pair_count, meeting.participant_count) = SYMPOSIUM.instances(row)
        return meeting
    return None


PAIRS_QUERY = PreparedQuery(lambda now: HelpingPair.objects.values_list(*PAIRS.names)[:8], ids=())
TOPICS_QUERY = PreparedQuery(
    lambda now: Topic.objects.current().values_list(*TOPICS.names)[:HOME_TOPICS], ids=()
)


def home(request):
    """The home page: latest news, featured articles, the symposium and the pairs at a glance."""
    now = timezone.now()
    headline, featured, latest = home_articles(now)
    symposium = home_symposium()
    pairs = [PAIRS.instances(row)[0] for row in PAIRS_QUERY.rows()]
    pair_url = detail_urls("partnerships:pair-detail")
    for pair in pairs:
        pair.url = pair_url(pair.pk)
    topics = [TOPICS.instances(row)[0] for row in TOPICS_QUERY.rows()]
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
