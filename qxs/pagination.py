"""Pagination that costs the same on page 2,000 as on page 1, at 100,000 articles.

Django's ``Paginator`` runs ``COUNT(*)`` over every matching row on each request and fetches a
page with ``OFFSET``, which makes PostgreSQL read (and throw away) every full row before the page.
``LargeArchivePaginator`` changes two things and keeps the exact page numbers:

- The count is cached until public content changes or the next scheduled publication
  (``qxs.cache.cached_for_generation``), under a key the view gives (its path and filters); the
  view may also give a cheaper way to count (``count_function``, e.g. stored counts).
- A deep page is fetched in two steps: the page's primary keys first, which PostgreSQL reads from
  the ``(status, published_at, id)`` index alone however deep the offset, then those rows. The
  first pages (offset under ``SHALLOW_OFFSET``) are one plain query. A view that has a cheap
  index of its list (``seek_function``, e.g. the articles listed per month) starts a deep page at
  the nearest boundary before it (a month) instead: a short offset from there, not 40,000 entries.

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
        # Returns an object with ``count`` and ``seek(offset)`` -> ``(condition, offset within
        # it)`` or ``None`` (see ``articles.models.ListedMonths``); cached as the count is.
        self.seek_function = kwargs.pop("seek_function", None)
        super().__init__(object_list, per_page, orphans, allow_empty_first_page, **kwargs)

    @cached_property
    def count(self):
        """``count_function()`` when given (a count the view has cheaper than ``COUNT(*)``),
        else the object list's count."""
        count = self.count_function or (lambda: Paginator.count.func(self))
        return self._cached("paginator-count", count)

    @cached_property
    def seek_index(self):
        """``seek_function()``, cached for the content generation under the list's key."""
        return self._cached("paginator-seek", self.seek_function)

    def _cached(self, kind, function):
        if self.count_key is None:
            return function()
        digest = hashlib.sha256(self.count_key.encode()).hexdigest()[:32]
        return cached_for_generation(f"{kind}:{digest}", function)

    def page(self, number):
        """The page; a deep page reads its keys from the index first (see the module docstring)."""
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        if self.seek_function is not None and "count" not in self.__dict__:
            # A deep page reads the seek index, which has the count too: one statement, not two.
            try:
                deep = (int(number) - 1) * self.per_page >= SHALLOW_OFFSET
            except (TypeError, ValueError):
                deep = False
            if deep:
                self.count = self.seek_index.count
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
        keys = self.object_list
        if self.seek_function is not None:
            found = self.seek_index.seek(bottom)
            if found is not None:
                condition, offset = found
                keys = keys.filter(condition)
                bottom, top = offset, offset + top - bottom
        ids = list(keys.values_list("pk", flat=True)[bottom:top])
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
            seek_function=self.get_seek_function(),
            **kwargs,
        )

    def get_count_function(self):
        """A function giving the list's count more cheaply than ``COUNT(*)``, or ``None``."""
        return None

    def get_seek_function(self):
        """A function giving the list's seek index (see ``LargeArchivePaginator``), or ``None``."""
        return None

    def get_count_key(self):
        """The list's identity for the cached count: path and query string without the page."""
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        return f"{self.request.path}?{params.urlencode()}"
