import time

from django.core.paginator import Paginator
from django.db import connection
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from articles.views import filter_fields
from qxs.newslinks import article_url_and_day, news_url_prefix

from .forms import SearchFilterForm, column_choices
from .highlight import highlight, match_spans, snippet
from .logfold import folding_hourly
from .models import SearchQueryLog
from .promotions import promoted_items
from .query import MAX_RESULTS, articles_in_order, matching_ids, parse_query
from .ratelimit import limit_searches
from .synonyms import synonym_groups
from .text import html_to_text, normalize

PER_PAGE = 10


def _log_insert_sql():
    """``INSERT`` of one log row that also turns ``synchronous_commit`` off, as ``SET LOCAL``
    would, for its own transaction (or the caller's, when there is one)."""
    table = SearchQueryLog._meta.db_table
    return (
        f"INSERT INTO {table} (term, normalized, result_count, took_ms, created_at)"
        " SELECT %s, %s, %s, %s, %s"
        " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS commit_without_flush"
    )


def log_search(term, result_count, took_ms):
    """One row in the query log. On PostgreSQL its commit does not wait for the disk: a crash
    may lose the last few searches, and no reader waits for a flush of the log.

    One statement there (not a transaction of ``SET LOCAL`` and ``INSERT``: four round trips
    with ``BEGIN`` and ``COMMIT``), with the values ``SearchQueryLog.save()`` would fill in.
    """
    if connection.vendor != "postgresql":
        SearchQueryLog.objects.create(term=term, result_count=result_count, took_ms=took_ms)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _log_insert_sql(), [term, normalize(term), result_count, took_ms, timezone.now()]
        )


@never_cache
@limit_searches
@folding_hourly
def search(request):
    """Search published articles: ranked, filtered, highlighted, paginated and logged.

    Never stored in the public page cache, so every search reaches the query log.

    Queries: the matching ids with their rank (none when that list is cached), the page's
    articles, their tags and (on the first page) the log entry, one statement (see
    :func:`log_search`); plus, when their cache is cold, one for the column choices, one
    each for agencies and synonyms and one for the promoted queries, and one for the next
    scheduled publication after a content change.
    """
    form = SearchFilterForm(request.GET, column_choices())
    filters = form.filters()
    context = {
        "form": form,
        "filter_fields": filter_fields(form, form.options()),
        "query": "",
        "page_obj": None,
    }
    if "q" not in request.GET:
        return render(request, "search/search.html", context)

    parsed = parse_query(request.GET["q"], synonym_groups())
    context.update(query=parsed.text, error=parsed.error)
    if parsed.error:
        return render(request, "search/search.html", context)

    started = time.perf_counter()
    ids = matching_ids(
        parsed,
        order=filters.get("sort", "relevance"),
        column=filters.get("column"),
        start=filters.get("start"),
        end=filters.get("end"),
    )
    paginator = Paginator(ids, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    results = articles_in_order(page_obj.object_list)
    took_ms = round((time.perf_counter() - started) * 1000)
    promoted = []
    if page_obj.number == 1:
        log_search(parsed.text, paginator.count, took_ms)
        promoted = promoted_items(parsed.text)

    needles = parsed.needles
    # Each result's link and day from one look-up of the language's prefix and the time zone,
    # rather than get_absolute_url() and published_day (twice) in the template.
    prefix, zone = news_url_prefix(), timezone.get_current_timezone()
    for article in results:
        article.url, article.day = article_url_and_day(
            article.pk, article.published_at, None, prefix, zone
        )
        article.highlighted_title = highlight(article.title, needles)
        # The summary when it matches (most often), the body's text only when it does not.
        texts = [article.summary]
        if not match_spans(article.summary, needles):
            texts.append(html_to_text(article.body))
        article.snippet = snippet(texts, needles)
        # Tags are searched too: show the ones that matched, so a reader sees why.
        article.matched_tags = [
            highlight(name, needles) for name in article.tag_names if match_spans(name, needles)
        ]
    context.update(
        promoted=promoted,
        page_obj=page_obj,
        results=results,
        more_than=MAX_RESULTS if paginator.count >= MAX_RESULTS else None,
        expansions=[alt for alts in parsed.terms for alt in alts[1:]],
    )
    return render(request, "search/search.html", context)
