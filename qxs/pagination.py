"""Pagination that costs the same on page 2,000 as on page 1, at 100,000 articles.

Django's ``Paginator`` runs ``COUNT(*)`` over every matching row on each request and fetches a
page with ``OFFSET``, which makes PostgreSQL read (and throw away) every full row before the page.
``LargeArchivePaginator`` changes two things and keeps the exact page numbers:

- The count is cached until public content changes or the next scheduled publication
  (``qxs.cache.cached_for_generation``), under a key the view gives (its path and filters); the
  view may also give a cheaper way to count (``count_function``, e.g. stored counts).
- A deep page is fetched in two steps: the page's primary keys first, which PostgreSQL reads from
  the ``(status, published_at, id)`` index alone however deep the offset, then those rows. The
  first pages (offset under ``SHALLOW_OFFSET``) are one plain query.

``LargeArchivePaginationMixin`` plugs it into a ``ListView``.
"""

import hashlib

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .cache import cached_for_generation

# Below this offset a page is read in one query; deeper, the keys first (see the docstring).
SHALLOW_OFFSET = 200


class LargeArchivePaginator(Paginator):
    """A ``Paginator`` with a cached count and index-only deep pages.

    ``count_key`` names the list (e.g. the path and its filters without the page number); without
    one the count is not cached. The object list must be a QuerySet with a deterministic ordering
    ending in a unique field, as ``Article``'s ``-published_at, -pk`` is.
    """

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        self.count_key = kwargs.pop("count_key", None)
        self.count_function = kwargs.pop("count_function", None)
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)

    @cached_property
    def count(self):
        """``count_function()`` when given (a count the view has cheaper than ``COUNT(*)``),
        else the object list's count."""
        count = self.count_function or (lambda: Paginator.count.func(self))
        if self.count_key is None:
            return count()
        digest = hashlib.sha256(self.count_key.encode()).hexdigest()[:32]
        return cached_for_generation(f"paginator-count:{digest}", count)

    def page(self, number):
        """The page; a deep page reads its keys from the index first (see the module docstring)."""
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom < SHALLOW_OFFSET:
            # Near the start a plain LIMIT/OFFSET reads few rows: one query instead of two.
            rows = list(self.object_list[bottom:top])
        else:
            rows = self._deep_rows(bottom, top)
        return self._get_page(rows, number, self)

    def _deep_rows(self, bottom, top):
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)} if ids else {}
        # A row deleted between the two queries is simply left out of this page.
        return [rows[pk] for pk in ids if pk in rows]


class LargeArchivePaginationMixin:
    """For ``ListView``s over many articles: ``LargeArchivePaginator`` keyed by path and filters."""

    paginator_class = LargeArchivePaginator

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=self.get_count_key(),
            count_function=self.get_count_function(),
            **kwargs,
        )

    def get_count_function(self):
        """A function giving the list's count more cheaply than ``COUNT(*)``, or ``None``."""
        return None

    def get_count_key(self):
        """The list's identity for the cached count: path and query string without the page."""
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        return f"{self.request.path}?{params.urlencode()}"
