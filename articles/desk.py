"""The editors' desk on the admin's home page: what is waiting for each person.

=========  ============================================================
who        lists
=========  ============================================================
审核       待我审核: articles in review, and pending revisions from imports
编辑       我的草稿 (their drafts), 退回修改 (their drafts sent back, with the note)
everyone   定时发布 in the next 7 days, 最近发布 (the last 7 days), 我的通知 (last 20)
=========  ============================================================

Each list is one count and one bounded read, so the desk costs the same number of queries
whatever the number of articles (tests/articles/test_desk.py holds it at two sizes).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Article, Notification, PendingRevision, StatusChange
from .services import CHANGE_PERMISSION, PUBLISH_PERMISSION

Status = Article.Status
#: Rows shown per list; the count says how many there are in all.
ROWS = 10
NOTIFICATIONS = 20
SOON = datetime.timedelta(days=7)


@dataclass
class DeskRow:
    title: str
    url: str
    meta: str = ""
    note: str = ""


@dataclass
class DeskList:
    key: str
    title: str
    count: int
    rows: list = field(default_factory=list)
    more_url: str = ""
    empty: str = ""


def _change_url(pk):
    return reverse("admin:articles_article_change", args=[pk])


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


def _who(user):
    if user is None:
        return "-"
    return user.get_full_name() or user.get_username()


def _last_change(field_name):
    return Subquery(
        StatusChange.objects.filter(article=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values(field_name)[:1]
    )


def desk_for(user, now=None):
    """The desk's lists for ``user``, in the order they are shown."""
    if not (user and user.is_active and user.is_staff):
        return []
    now = now or timezone.now()
    changelist = reverse("admin:articles_article_changelist")
    lists = []
    articles = Article.objects.select_related("created_by")

    if user.has_perm(PUBLISH_PERMISSION):
        in_review = articles.filter(status=Status.REVIEW).order_by("updated_at", "pk")
        revisions = (
            PendingRevision.objects.filter(state=PendingRevision.State.PENDING)
            .select_related("article", "submitted_by")
            .order_by("created_at", "pk")
        )
        review_rows = [
            DeskRow(
                a.title,
                _change_url(a.pk),
                _("%(who)s 提交 · %(when)s")
                % {"who": _who(a.created_by), "when": _when(a.updated_at)},
            )
            for a in in_review[:ROWS]
        ]
        revision_rows = [
            DeskRow(
                r.article.title,
                reverse("admin:articles_pendingrevision_change", args=[r.pk]),
                _("待审修订 · %(who)s 导入 · %(when)s")
                % {"who": _who(r.submitted_by), "when": _when(r.created_at)},
            )
            for r in revisions[:ROWS]
        ]
        lists.append(
            DeskList(
                "review",
                _("待我审核"),
                in_review.count() + revisions.count(),
                review_rows + revision_rows,
                f"{changelist}?status__exact={Status.REVIEW}",
                _("没有等待审核的稿件。"),
            )
        )

    if user.has_perm(CHANGE_PERMISSION):
        mine = (
            articles.filter(status=Status.DRAFT, created_by=user, is_stub=False)
            .annotate(
                last_from=_last_change("from_status"),
                last_comment=_last_change("comment"),
                last_by=_last_change("user__username"),
            )
            .order_by("-updated_at", "-pk")
        )
        returned = mine.filter(last_from=Status.REVIEW)
        # A draft never moved has no status change: NULL is not "returned" either.
        drafts = mine.filter(Q(last_from__isnull=True) | ~Q(last_from=Status.REVIEW))
        lists.append(
            DeskList(
                "drafts",
                _("我的草稿"),
                drafts.count(),
                [
                    DeskRow(
                        a.title,
                        _change_url(a.pk),
                        _("修改于 %(when)s") % {"when": _when(a.updated_at)},
                    )
                    for a in drafts[:ROWS]
                ],
                f"{changelist}?status__exact={Status.DRAFT}&mine=1",
                _("没有草稿。"),
            )
        )
        lists.append(
            DeskList(
                "returned",
                _("退回修改"),
                returned.count(),
                [
                    DeskRow(
                        a.title,
                        _change_url(a.pk),
                        _("%(who)s 退回") % {"who": a.last_by or "-"},
                        a.last_comment,
                    )
                    for a in returned[:ROWS]
                ],
                "",
                _("没有被退回的稿件。"),
            )
        )

    if user.has_perm("articles.view_article"):
        scheduled = articles.filter(
            status=Status.PUBLISHED, published_at__gt=now, published_at__lte=now + SOON
        ).order_by("published_at", "pk")
        lists.append(
            DeskList(
                "scheduled",
                _("定时发布（7 天内）"),
                scheduled.count(),
                [
                    DeskRow(
                        a.title,
                        _change_url(a.pk),
                        _("将于 %(when)s 发布") % {"when": _when(a.published_at)},
                    )
                    for a in scheduled[:ROWS]
                ],
                f"{changelist}?scheduled=yes",
                _("7 天内没有定时发布的稿件。"),
            )
        )
        recent = (
            articles.published(now)
            .filter(published_at__gte=now - SOON, is_stub=False)
            .order_by("-published_at", "-pk")
        )
        lists.append(
            DeskList(
                "recent",
                _("最近发布（7 天内）"),
                recent.count(),
                [
                    DeskRow(
                        a.title,
                        _change_url(a.pk),
                        _("发布于 %(when)s") % {"when": _when(a.published_at)},
                    )
                    for a in recent[:ROWS]
                ],
                f"{changelist}?scheduled=no",
                _("7 天内没有发布稿件。"),
            )
        )

    notices = list(
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:NOTIFICATIONS]
    )
    lists.append(
        DeskList(
            "notifications",
            _("我的通知（最近 20 条）"),
            len(notices),
            [
                DeskRow(
                    n.subject,
                    _change_url(n.article_id),
                    f"{n.get_kind_display()} · {_when(n.created_at)}",
                )
                for n in notices
            ],
            "",
            _("没有通知。"),
        )
    )
    return lists
