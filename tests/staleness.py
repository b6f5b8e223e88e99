"""Staleness scenarios: a content change shows on the next request to every page showing it.

Shared by the tests against the app (``tests/qxs/test_surrogate_staleness.py``: Django's test
client with the app's page cache, and a little HTTP server standing in for Varnish) and the
tests through ``make stack`` (real Varnish), so both check the same changes. Plain Python, no
pytest: each :class:`Scenario` says

- ``arrange()``: the rows to create (committed), returning them in a dict (``ctx``);
- ``before(ctx)``: the pages to load first (so every cache holds them) and what they show;
- ``change(ctx)``: the write an editor (or a bulk writer) makes; ``None`` when no write happens
  and time passes instead (``wait`` seconds: a scheduled publication);
- ``after(ctx)``: the pages to load next and what they must show (or not) at once;
- ``keys(ctx)``: exactly the surrogate keys the change purges (``PURGE`` with ``xkey-purge``).

The rows get fresh names on every run (``unique()``), so the scenarios also run against a
database that already holds data, such as the stack's. A runner through the stack configures
Django with the stack's environment (``var/stack.env``) so that ``arrange``/``change`` write to
the stack's database and purge its Varnish, then fetches the pages over HTTP.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from articles import services
from articles.models import Article
from articles.purges import written_in_bulk
from portal.models import SiteIdentity
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ColumnFactory,
    DivisionFactory,
    HelpingPairFactory,
    MeetingFactory,
)


@dataclass(frozen=True)
class Page:
    """A page to load, its status, and the texts it must show and must not show."""

    url: str
    shows: tuple = ()
    hides: tuple = ()
    status: int = 200


@dataclass(frozen=True)
class Scenario:
    name: str
    arrange: Callable[[], dict]
    before: Callable[[dict], list]
    change: Callable[[dict], None] | None
    after: Callable[[dict], list]
    keys: Callable[[dict], set]
    wait: float = 0.0


def unique(prefix=""):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def _column():
    return ColumnFactory(name=unique("栏目"), slug=unique("column-"))


def _division():
    return DivisionFactory(code=f"{uuid.uuid4().int % 10**6:06d}", name=unique("测试市"))


def _agency(**kwargs):
    return AgencyFactory(name=unique("质量技术监督局"), division=_division(), **kwargs)


def _pair():
    meeting = MeetingFactory(slug=unique("meeting-"), venue=_division())
    return HelpingPairFactory(helper=_agency(), helped=_agency(), meeting=meeting)


def _editor():
    return get_user_model().objects.create_superuser(unique("chief"), password=unique())


def _article(column, title=None, **kwargs):
    return ArticleFactory(column=column, title=title or unique("新闻"), **kwargs)


def _draft(column, title=None):
    return _article(column, title, status=Article.Status.DRAFT, published_at=None)


def article_keys(article, *extra):
    return {f"article-{article.pk}", "news", f"column-{article.column_id}", *extra}


# --- The scenarios -------------------------------------------------------------------------


def _publish_arrange():
    column = _column()
    older = _article(column)
    return {"column": column, "older": older, "draft": _draft(column), "editor": _editor()}


def _publish_pages(ctx, shown):
    title = ctx["draft"].title
    where = {"shows": (title,)} if shown else {"hides": (title,)}
    return [
        Page("/news/", **where),
        Page("/", **where),
        Page(ctx["column"].get_absolute_url(), **where),
        # The older article's "newer" link.
        Page(ctx["older"].get_absolute_url(), **where),
    ]


PUBLISH = Scenario(
    name="publish",
    arrange=_publish_arrange,
    before=lambda ctx: _publish_pages(ctx, shown=False),
    change=lambda ctx: services.move_article(ctx["draft"], "publish", ctx["editor"]),
    after=lambda ctx: _publish_pages(ctx, shown=True),
    keys=lambda ctx: article_keys(ctx["draft"], f"article-{ctx['older'].pk}"),
)


def _edit_arrange():
    old, new = unique("旧标题"), unique("新标题")
    return {"article": _article(_column(), old), "old": old, "new": new}


def _edit(ctx):
    article = Article.objects.get(pk=ctx["article"].pk)
    article.title = ctx["new"]
    article.save()


def _edit_pages(ctx, text, other):
    article = ctx["article"]
    return [
        Page(url, shows=(text,), hides=(other,))
        for url in ("/news/", "/", article.get_absolute_url(), "/news/feed/")
    ]


EDIT = Scenario(
    name="edit",
    arrange=_edit_arrange,
    before=lambda ctx: _edit_pages(ctx, ctx["old"], ctx["new"]),
    change=_edit,
    after=lambda ctx: _edit_pages(ctx, ctx["new"], ctx["old"]),
    keys=lambda ctx: article_keys(ctx["article"]),
)


def _unpublish(ctx):
    article = Article.objects.get(pk=ctx["article"].pk)
    services.move_article(article, "unpublish", ctx["editor"])


UNPUBLISH = Scenario(
    name="unpublish",
    arrange=lambda: {"article": _article(_column()), "editor": _editor()},
    before=lambda ctx: [
        Page("/news/", shows=(ctx["article"].title,)),
        Page(ctx["article"].get_absolute_url(), shows=(ctx["article"].title,)),
    ],
    change=_unpublish,
    after=lambda ctx: [
        Page("/news/", hides=(ctx["article"].title,)),
        Page("/", hides=(ctx["article"].title,)),
        Page(ctx["article"].get_absolute_url(), hides=(ctx["article"].title,), status=404),
    ],
    keys=lambda ctx: article_keys(ctx["article"]),
)


def _tag_arrange():
    return {"article": _article(_column()), "tag": unique("标签")}


def _tag_keys(ctx):
    from taggit.models import Tag

    tag = Tag.objects.get(name=ctx["tag"])
    return {f"article-{ctx['article'].pk}", f"tag-{tag.pk}"}


TAGS = Scenario(
    name="tags",
    arrange=_tag_arrange,
    before=lambda ctx: [Page(ctx["article"].get_absolute_url(), hides=(ctx["tag"],))],
    change=lambda ctx: ctx["article"].tags.add(ctx["tag"]),
    after=lambda ctx: [Page(ctx["article"].get_absolute_url(), shows=(ctx["tag"],))],
    keys=_tag_keys,
)


def _agency_arrange():
    pair = _pair()
    return {"pair": pair, "helper": pair.helper, "new": unique("市场监督管理局")}


def _rename_agency(ctx):
    helper = ctx["helper"]
    helper.name = ctx["new"]
    helper.save()


AGENCIES = Scenario(
    name="agencies",
    arrange=_agency_arrange,
    before=lambda ctx: [
        Page(ctx["helper"].get_absolute_url(), hides=(ctx["new"],)),
        Page(ctx["pair"].get_absolute_url(), hides=(ctx["new"],)),
    ],
    change=_rename_agency,
    after=lambda ctx: [
        Page(ctx["helper"].get_absolute_url(), shows=(ctx["new"],)),
        Page(ctx["pair"].get_absolute_url(), shows=(ctx["new"],)),
    ],
    keys=lambda ctx: {
        f"agency-{ctx['helper'].pk}",
        "agencies",
        f"division-{ctx['helper'].division_id}",
        "pairs",
        f"pair-{ctx['pair'].pk}",
    },
)


def _pair_arrange():
    pair = _pair()
    return {"pair": pair, "division": pair.helper.division, "new": unique("新区划")}


def _rename_division(ctx):
    division = ctx["division"]
    division.name = ctx["new"]
    division.save()


PAIRS = Scenario(
    name="pairs",
    arrange=_pair_arrange,
    before=lambda ctx: [Page("/pairs/", hides=(ctx["new"],))],
    change=_rename_division,
    after=lambda ctx: [Page("/pairs/", shows=(ctx["new"],))],
    keys=lambda ctx: {
        f"division-{ctx['division'].pk}",
        "agencies",
        "pairs",
        f"agency-{ctx['pair'].helper_id}",
    },
)


def _meeting_arrange():
    return {"meeting": MeetingFactory(slug=unique("meeting-"), venue=_division()), "new": unique()}


def _rename_meeting(ctx):
    meeting = ctx["meeting"]
    meeting.title = f"质量兴市座谈会{ctx['new']}"
    meeting.save()


MEETINGS = Scenario(
    name="meetings",
    arrange=_meeting_arrange,
    before=lambda ctx: [Page(ctx["meeting"].get_absolute_url(), hides=(ctx["new"],))],
    change=_rename_meeting,
    after=lambda ctx: [
        Page(ctx["meeting"].get_absolute_url(), shows=(ctx["new"],)),
        Page("/meetings/", shows=(ctx["new"],)),
    ],
    keys=lambda ctx: {
        f"meeting-{ctx['meeting'].pk}",
        "meetings",
        "home",
        f"division-{ctx['meeting'].venue_id}",
    },
)


def _rename_site(ctx):
    identity = SiteIdentity.objects.filter(pk=1).first() or SiteIdentity(pk=1)
    identity.site_name = ctx["name"]
    identity.save()


SITE_IDENTITY = Scenario(
    name="site identity",
    arrange=lambda: {"article": _article(_column()), "name": unique("质量兴市网")},
    before=lambda ctx: [
        Page(url, hides=(ctx["name"],)) for url in ("/", ctx["article"].get_absolute_url())
    ],
    change=_rename_site,
    after=lambda ctx: [
        Page(url, shows=(ctx["name"],)) for url in ("/", ctx["article"].get_absolute_url())
    ],
    keys=lambda ctx: {"site"},
)


def _scheduled_arrange():
    column = _column()
    title = unique("定时发布")
    at = timezone.now() + datetime.timedelta(seconds=3)
    return {"column": column, "article": _article(column, title, published_at=at), "at": at}


SCHEDULED = Scenario(
    name="a scheduled time arriving",
    arrange=_scheduled_arrange,
    before=lambda ctx: [
        Page("/news/", hides=(ctx["article"].title,)),
        Page(ctx["column"].get_absolute_url(), hides=(ctx["article"].title,)),
    ],
    change=None,
    wait=4.0,
    after=lambda ctx: [
        Page("/news/", shows=(ctx["article"].title,)),
        Page(ctx["column"].get_absolute_url(), shows=(ctx["article"].title,)),
    ],
    keys=lambda ctx: set(),
)


def _bulk_publish_arrange():
    column = _column()
    return {"column": column, "drafts": [_draft(column) for _ in range(3)], "editor": _editor()}


def _bulk_publish(ctx):
    """What the admin's "publish selected" action does: one move per article."""
    for draft in ctx["drafts"]:
        with transaction.atomic():
            services.move_article(draft, "publish", ctx["editor"])


BULK_PUBLISH = Scenario(
    name="bulk publish",
    arrange=_bulk_publish_arrange,
    before=lambda ctx: [Page("/news/", hides=tuple(d.title for d in ctx["drafts"]))],
    change=_bulk_publish,
    after=lambda ctx: [
        Page("/news/", shows=tuple(d.title for d in ctx["drafts"])),
        Page(ctx["column"].get_absolute_url(), shows=tuple(d.title for d in ctx["drafts"])),
    ],
    keys=lambda ctx: {
        "news",
        f"column-{ctx['column'].pk}",
        *(f"article-{d.pk}" for d in ctx["drafts"]),
    },
)


def _bulk_update_arrange():
    column = _column()
    return {"column": column, "articles": [_article(column) for _ in range(2)], "new": unique()}


def _bulk_update(ctx):
    from django.db.models import Value
    from django.db.models.functions import Concat

    pks = [a.pk for a in ctx["articles"]]
    with written_in_bulk(Article.objects.filter(pk__in=pks)) as rows:
        rows.update(title=Concat("title", Value(ctx["new"])))


BULK_UPDATE = Scenario(
    name="bulk update",
    arrange=_bulk_update_arrange,
    before=lambda ctx: [Page("/news/", hides=(ctx["new"],))],
    change=_bulk_update,
    after=lambda ctx: [
        Page("/news/", shows=tuple(f"{a.title}{ctx['new']}" for a in ctx["articles"])),
        Page(ctx["articles"][0].get_absolute_url(), shows=(ctx["new"],)),
    ],
    keys=lambda ctx: {
        "news",
        f"column-{ctx['column'].pk}",
        *(f"article-{a.pk}" for a in ctx["articles"]),
    },
)

SCENARIOS = [
    PUBLISH,
    EDIT,
    UNPUBLISH,
    TAGS,
    AGENCIES,
    PAIRS,
    MEETINGS,
    SITE_IDENTITY,
    SCHEDULED,
    BULK_PUBLISH,
    BULK_UPDATE,
]
