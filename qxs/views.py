"""Pages that draw on several apps."""

from django.shortcuts import render

from articles.models import Article
from partnerships.models import HelpingPair, Meeting


def home(request):
    """The home page: latest news, featured articles, the symposium and the pairs."""
    published = Article.objects.published().select_related("column")
    context = {
        "latest_articles": published[:10],
        "featured_articles": published.filter(featured=True)[:4],
        "meetings": Meeting.objects.select_related("venue", "organiser")[:3],
        "pairs": HelpingPair.objects.select_related("helper", "helped")[:8],
    }
    return render(request, "home.html", context)
