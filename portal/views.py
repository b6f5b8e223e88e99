"""Pages that draw on several apps, and robots.txt."""

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from articles.models import Article
from partnerships.models import HelpingPair, Meeting


def home(request):
    """The home page: latest news, featured articles, the symposium and the pairs at a glance.

    Its content is a fragment kept per content generation (``{% fragment %}``), so everything
    here is lazy: the queries run only when the fragment is rendered.
    """
    published = Article.objects.published().select_related("column")
    featured = SimpleLazyObject(
        lambda: list(
            published.filter(featured=True, is_stub=False)
            .select_related("cover_image")
            .defer("body")[:3]
        )
    )
    latest = SimpleLazyObject(
        lambda: list(
            published.exclude(pk__in=[article.pk for article in featured]).only(
                "title", "published_at", "created_at", "is_stub", "column__name", "column__slug"
            )[:10]
        )
    )
    # The meeting that formed the most pairs is the one the site is about (the 2004 symposium).
    symposium = SimpleLazyObject(
        lambda: (
            Meeting.objects.select_related("venue", "organiser")
            .annotate(
                pair_count=Count("pairs", distinct=True),
                participant_count=Count("participants", distinct=True),
            )
            .order_by("-pair_count", "-start_date", "pk")
            .first()
        )
    )
    pairs = HelpingPair.objects.select_related(
        "helper", "helped", "helper__division", "helped__division"
    )[:8]
    context = {
        "featured_articles": featured,
        "latest_articles": latest,
        "symposium": symposium,
        "pairs": pairs,
    }
    return render(request, "home.html", context)


@require_GET
def robots_txt(request):
    """robots.txt: everything public may be crawled (both languages) except the admin."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
