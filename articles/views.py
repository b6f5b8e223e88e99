from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView, ListView

from .models import Article, Column


class PublishedArticleMixin:
    """Public views see published articles only, with what their templates need."""

    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().select_related("column")


class ArticleListView(PublishedArticleMixin, ListView):
    template_name = "articles/article_list.html"


class ColumnView(PublishedArticleMixin, ListView):
    template_name = "articles/article_list.html"

    def get_queryset(self):
        self.column = get_object_or_404(Column, slug=self.kwargs["slug"])
        return super().get_queryset().filter(column=self.column)

    def get_context_data(self, **kwargs):
        return super().get_context_data(column=self.column, **kwargs)


class ArticleDetailView(PublishedArticleMixin, DetailView):
    template_name = "articles/article_detail.html"

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if self.request.path != article.get_absolute_url():
            raise Http404
        return article


def render_article_page(request, article, *, preview=False):
    """Render an article exactly as its public page shows it.

    The public detail view and the admin preview both call this, so a preview is the real page.
    """
    response = render(
        request, "articles/article_detail.html", {"article": article, "preview": preview}
    )
    if preview:
        response["Cache-Control"] = "private, no-store"
    return response
