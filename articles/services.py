"""The editorial workflow: every status move and every restore of an old version goes through here.

Each function changes the article with ``article.save()`` (never ``QuerySet.update()``), so the
optimistic lock, the version history and everything listening to ``post_save`` (search index,
cache) see the change. Permission rules live here too, so the admin's buttons, bulk actions and
any other caller apply the same matrix:

==================  =========  ======  ============  ==========
move                from       editor  chief editor  superuser
==================  =========  ======  ============  ==========
submit (提交审核)   draft      yes     yes           yes
return (退回修改)   review     no      yes           yes
publish (发布)      draft,     no      yes           yes
                    review
schedule (定时发布) draft,     no      yes           yes
                    review
unpublish (撤回)    published  no      yes           yes
archive (归档)      published  no      yes           yes
unarchive (恢复)    archived   no      yes           yes
==================  =========  ======  ============  ==========

Anonymous users can do nothing. "Editor" is the 编辑 group (``articles.change_article``), "chief
editor" the 审核 group (``articles.publish_article`` as well).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Agency, HelpingPair, Meeting

from .models import (
    Article,
    ArticleConflict,
    Column,
    Image,
    StatusChange,
    record_article_version,
)

Status = Article.Status
CHANGE_PERMISSION = "articles.change_article"
PUBLISH_PERMISSION = "articles.publish_article"


class MoveNotAllowed(Exception):
    """The user may not make this move, or the article is not in a status it starts from."""


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset
    target: str
    permission: str


MOVES = {
    move.name: move
    for move in [
        Move(
            "submit", gettext_lazy("提交审核"), frozenset({Status.DRAFT}), Status.REVIEW,
            CHANGE_PERMISSION,
        ),
        Move(
            "return", gettext_lazy("退回修改"), frozenset({Status.REVIEW}), Status.DRAFT,
            PUBLISH_PERMISSION,
        ),
        Move(
            "publish", gettext_lazy("发布"), frozenset({Status.DRAFT, Status.REVIEW}),
            Status.PUBLISHED, PUBLISH_PERMISSION,
        ),
        Move(
            "schedule", gettext_lazy("定时发布"), frozenset({Status.DRAFT, Status.REVIEW}),
            Status.PUBLISHED, PUBLISH_PERMISSION,
        ),
        Move(
            "unpublish", gettext_lazy("撤回"), frozenset({Status.PUBLISHED}), Status.DRAFT,
            PUBLISH_PERMISSION,
        ),
        Move(
            "archive", gettext_lazy("归档"), frozenset({Status.PUBLISHED}), Status.ARCHIVED,
            PUBLISH_PERMISSION,
        ),
        Move(
            "unarchive", gettext_lazy("恢复为草稿"), frozenset({Status.ARCHIVED}), Status.DRAFT,
            PUBLISH_PERMISSION,
        ),
    ]
}  # fmt: skip


def may_move(user, move):
    """Whether ``user`` may make ``move`` at all (whatever the article's status)."""
    return bool(user and user.is_active and user.has_perm(move.permission))


def can_move(user, article, move):
    """Whether ``user`` may make ``move`` on ``article`` in its current status."""
    return article.status in move.sources and may_move(user, move)


def available_moves(user, article):
    return [move for move in MOVES.values() if can_move(user, article, move)]


def can_edit(user, article):
    """Editors change drafts and articles in review; published and archived ones need a chief."""
    if not (user and user.is_active and user.has_perm(CHANGE_PERMISSION)):
        return False
    return article.status in {Status.DRAFT, Status.REVIEW} or user.has_perm(PUBLISH_PERMISSION)


def move_article(article, move_name, user, *, comment="", publish_at=None, expected_version=None):
    """Make one status move, record it as a :class:`StatusChange`, and return that record.

    ``publish_at`` is the time of a scheduled publication (``schedule`` only; it must lie in the
    future). ``publish`` keeps a past publication time (an old imported article keeps its date)
    and otherwise publishes now. ``expected_version`` is the version the user saw: if the article
    was saved since, :class:`ArticleConflict` is raised and nothing changes.
    """
    move = MOVES.get(move_name)
    if move is None:
        raise MoveNotAllowed(_("没有这种操作。"))
    if not may_move(user, move):
        raise MoveNotAllowed(_("您没有权限对稿件执行“%(move)s”。") % {"move": move.label})
    if article.status not in move.sources:
        raise MoveNotAllowed(
            _("稿件《%(title)s》当前状态是“%(status)s”，不能%(move)s。")
            % {"title": article.title, "status": article.get_status_display(), "move": move.label}
        )
    now = timezone.now()
    if move.name == "schedule" and (publish_at is None or publish_at <= now):
        raise MoveNotAllowed(_("定时发布的时间必须晚于现在。"))

    before = (article.status, article.published_at, article.version)
    if expected_version is not None:
        article.version = expected_version
    if move.name == "schedule":
        article.published_at = publish_at
    elif move.name == "publish" and (article.published_at is None or article.published_at > now):
        article.published_at = now
    article.status = move.target
    article._history_user = user
    article._change_reason = str(move.label)
    try:
        with transaction.atomic():
            article.save()
            return StatusChange.objects.create(
                article=article,
                user=user,
                created_at=now,
                from_status=before[0],
                to_status=article.status,
                published_at=article.published_at,
                comment=comment,
            )
    except BaseException:
        article.status, article.published_at, article.version = before
        raise
    finally:
        _forget_history_user(article)


def _forget_history_user(article):
    # The user is meant for this save only; a later save of the same object by other code must
    # not be put down to them.
    for attribute in ("_history_user", "_change_reason"):
        if hasattr(article, attribute):
            delattr(article, attribute)


#: What restoring an old version brings back: the content. The status and publication time are
#: left alone (they change only through the moves above), and so are the import bookkeeping fields.
RESTORED_FIELDS = [
    "title",
    "summary",
    "body",
    "source",
    "author",
    "responsible_editor",
    "featured",
]
RESTORED_FOREIGN_KEYS = {"column_id": Column, "cover_image_id": Image, "meeting_id": Meeting}


def restore_version(article, record, user, *, expected_version=None):
    """Bring back the content of history entry ``record``; the restore is itself a new version.

    Raises :class:`ArticleConflict` when ``expected_version`` (the version the user was looking
    at) is no longer current.
    """
    if record.id != article.pk:
        raise ValueError("The history entry belongs to another article.")
    if expected_version is not None and expected_version != article.version:
        raise ArticleConflict(article, expected_version)
    for name in RESTORED_FIELDS:
        setattr(article, name, getattr(record, name))
    for attname, model in RESTORED_FOREIGN_KEYS.items():
        value = getattr(record, attname)
        # A column, picture or meeting deleted since then cannot come back: keep the current one.
        if value is None or model.objects.filter(pk=value).exists():
            setattr(article, attname, value)
    article._history_user = user
    article._change_reason = _("恢复为 %(date)s 的版本") % {
        "date": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
    }
    with transaction.atomic():
        article.skip_history_when_saving = True
        try:
            article.save()
            article.agencies.set(
                Agency.objects.filter(pk__in=record.agencies.values_list("agency_id"))
            )
            article.pairs.set(
                HelpingPair.objects.filter(pk__in=record.pairs.values_list("helpingpair_id"))
            )
        finally:
            if hasattr(article, "skip_history_when_saving"):
                del article.skip_history_when_saving
        try:
            record_article_version(article)
        finally:
            _forget_history_user(article)
    return article
