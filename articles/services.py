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

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from partnerships.models import Agency, HelpingPair, Meeting

from . import notifications, wordcheck
from .models import (
    Article,
    ArticleConflict,
    Column,
    Image,
    PendingRevision,
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
            "submit", pgettext_lazy("move", "提交审核"), frozenset({Status.DRAFT}), Status.REVIEW,
            CHANGE_PERMISSION,
        ),
        Move(
            "return", pgettext_lazy("move", "退回修改"), frozenset({Status.REVIEW}), Status.DRAFT,
            PUBLISH_PERMISSION,
        ),
        Move(
            "publish", pgettext_lazy("move", "发布"), frozenset({Status.DRAFT, Status.REVIEW}),
            Status.PUBLISHED, PUBLISH_PERMISSION,
        ),
        Move(
            "schedule", pgettext_lazy("move", "定时发布"), frozenset({Status.DRAFT, Status.REVIEW}),
            Status.PUBLISHED, PUBLISH_PERMISSION,
        ),
        Move(
            "unpublish", pgettext_lazy("move", "撤回"), frozenset({Status.PUBLISHED}), Status.DRAFT,
            PUBLISH_PERMISSION,
        ),
        Move(
            "archive", pgettext_lazy("move", "归档"), frozenset({Status.PUBLISHED}),
            Status.ARCHIVED, PUBLISH_PERMISSION,
        ),
        Move(
            "unarchive", pgettext_lazy("move", "恢复为草稿"), frozenset({Status.ARCHIVED}),
            Status.DRAFT, PUBLISH_PERMISSION,
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


class WordCheckFailed(MoveNotAllowed):
    """The article has 错敏字 hits and no reason was given for moving it on regardless."""

    def __init__(self, hits):
        self.hits = hits
        super().__init__(
            _("稿件有 %(count)d 处错敏字：%(hits)s。请改正，或填写理由后再操作。")
            % {"count": len(hits), "hits": wordcheck.describe_hits(hits)}
        )


#: The moves before which the 错敏字 check runs: submitting and publishing.
CHECKED_MOVES = {"submit", "publish", "schedule"}
#: The named user that bulk imports (``import_pages``) act as.
SYSTEM_USERNAME = "system-import"


def system_user():
    """The named system user recorded for bulk loads; it cannot sign in."""
    User = get_user_model()
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, first_name=_("批量导入程序"), is_active=False)
        user.set_unusable_password()
        user.save()
    return user


def was_withdrawn(article):
    """Whether a chief editor took the article off the site: archived, or once published and no
    longer. Bulk imports never put such an article back online."""
    if article.status == Status.ARCHIVED:
        return True
    if article.status == Status.PUBLISHED or article.pk is None:
        return False
    return article.status_changes.filter(from_status=Status.PUBLISHED).exists()


def move_article(
    article,
    move_name,
    user,
    *,
    comment="",
    publish_at=None,
    expected_version=None,
    word_check_reason="",
):
    """Make one status move, record it as a :class:`StatusChange`, and return that record.

    ``publish_at`` is the time of a scheduled publication (``schedule`` only; it must lie in the
    future). ``publish`` keeps a past publication time (an old imported article keeps its date)
    and otherwise publishes now. ``expected_version`` is the version the user saw: if the article
    was saved since, :class:`ArticleConflict` is raised and nothing changes.

    Submitting and publishing run the 错敏字 check first: with hits, the move is refused
    (:class:`WordCheckFailed`) unless ``word_check_reason`` says why it goes ahead anyway; the
    hits and the reason are recorded on the status change.
    """
    move = MOVES.get(move_name)
    if move is None:
        raise MoveNotAllowed(_("没有这种操作。"))
    if not may_move(user, move):
        raise MoveNotAllowed(_("您没有权限对稿件执行“%(move)s”。") % {"move": move.label})
    return _make_move(
        article,
        move,
        user,
        comment=comment,
        publish_at=publish_at,
        expected_version=expected_version,
        word_check_reason=word_check_reason,
    )


def move_as_system(article, move_name, *, comment=""):
    """A move made by a bulk load (``import_pages --publish``), recorded as the system user.

    No permission is checked (whoever runs the command has the server), but the status rules
    and the 错敏字 check hold, and a withdrawn or archived article is never published again.
    """
    move = MOVES[move_name]
    if move.target == Status.PUBLISHED and was_withdrawn(article):
        raise MoveNotAllowed(
            _("稿件《%(title)s》曾被撤回或归档，批量导入不会重新发布它。")
            % {"title": article.title}
        )
    return _make_move(article, move, system_user(), comment=comment)


def _make_move(
    article,
    move,
    user,
    *,
    comment="",
    publish_at=None,
    expected_version=None,
    word_check_reason="",
):
    if article.status not in move.sources:
        raise MoveNotAllowed(
            _("稿件《%(title)s》当前状态是“%(status)s”，不能%(move)s。")
            % {"title": article.title, "status": article.get_status_display(), "move": move.label}
        )
    now = timezone.now()
    if move.name == "schedule" and (publish_at is None or publish_at <= now):
        raise MoveNotAllowed(_("定时发布的时间必须晚于现在。"))
    word_check = ""
    if move.name in CHECKED_MOVES:
        hits = wordcheck.check_article(article)
        if hits and not word_check_reason.strip():
            raise WordCheckFailed(hits)
        if hits:
            word_check = _("%(hits)s。理由：%(reason)s") % {
                "hits": wordcheck.describe_hits(hits),
                "reason": word_check_reason.strip(),
            }

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
            change = StatusChange.objects.create(
                article=article,
                user=user,
                created_at=now,
                from_status=before[0],
                to_status=article.status,
                published_at=article.published_at,
                comment=comment,
                word_check=word_check,
            )
            notifications.status_changed(change, move.name)
            return change
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


# -- Pending revisions ---------------------------------------------------------------------------

#: The text an import proposes for an article that is not a draft.
REVISION_FIELDS = [
    "title",
    "summary",
    "body",
    "source",
    "author",
    "responsible_editor",
    "source_url",
]


def propose_revision(article, values, user, *, meeting=None, agencies=(), pairs=(), related=()):
    """Leave a new text of ``article`` for 审核 to decide; the live text is not touched."""
    revision = PendingRevision.objects.create(
        article=article,
        submitted_by=user,
        meeting=meeting,
        **{name: values.get(name, "") for name in REVISION_FIELDS},
    )
    revision.agencies.set(agencies)
    revision.pairs.set(pairs)
    revision.related.set([a for a in related if a.pk != article.pk])
    notifications.revision_proposed(revision)
    return revision


def may_decide_revision(user):
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def accept_revision(revision, user, *, note=""):
    """Make the revision's text the article's (a new version); links are added, none removed."""
    if not may_decide_revision(user):
        raise MoveNotAllowed(_("您没有权限处理待审修订。"))
    if revision.state != PendingRevision.State.PENDING:
        raise MoveNotAllowed(_("这条修订已经处理过了。"))
    article = Article.objects.get(pk=revision.article_id)
    for name in REVISION_FIELDS:
        setattr(article, name, getattr(revision, name))
    article.is_stub = False
    if revision.meeting_id and article.meeting_id is None:
        article.meeting_id = revision.meeting_id
    article._history_user = user
    article._change_reason = _("采用导入的修订")
    with transaction.atomic():
        article.skip_history_when_saving = True
        try:
            article.save()
            article.agencies.add(*revision.agencies.all())
            article.pairs.add(*revision.pairs.all())
            article.related.add(*revision.related.exclude(pk=article.pk))
        finally:
            if hasattr(article, "skip_history_when_saving"):
                del article.skip_history_when_saving
        try:
            record_article_version(article)
        finally:
            _forget_history_user(article)
        _decide(revision, PendingRevision.State.ACCEPTED, user, note)
    return article


def reject_revision(revision, user, *, note=""):
    """Drop the revision; the article stays as it is."""
    if not may_decide_revision(user):
        raise MoveNotAllowed(_("您没有权限处理待审修订。"))
    if revision.state != PendingRevision.State.PENDING:
        raise MoveNotAllowed(_("这条修订已经处理过了。"))
    _decide(revision, PendingRevision.State.REJECTED, user, note)
    return revision


def _decide(revision, state, user, note):
    revision.state = state
    revision.decided_by = user
    revision.decided_at = timezone.now()
    revision.decision_note = note
    revision.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    notifications.revision_decided(revision)


# --- 头条 and column pins ----------------------------------------------------------------------

MAX_HEADLINES = 1
MAX_PINNED_PER_COLUMN = 3
PIN_FIELDS = ("headline_until", "pinned_until")


def pin_errors(article, *, column, headline_until, pinned_until, cover_image, now=None):
    """Why ``article`` may not be the 头条 until ``headline_until`` or pinned to the top of
    ``column`` until ``pinned_until``: ``{field: message}``, empty when it may.

    A slot is taken by another published article (scheduled ones included: they would show
    when their time comes) whose time has not run out. A time already past is refused as a
    mistake; an empty one clears the pin.
    """
    now = now or timezone.now()
    errors = {}
    taken = Article.objects.filter(status=Status.PUBLISHED).exclude(pk=article.pk)
    if headline_until is not None:
        if headline_until <= now:
            errors["headline_until"] = _("头条截止时间必须是将来的时间。")
        elif cover_image is None:
            errors["headline_until"] = _("头条在首页带封面图展示，请先选择封面图片。")
        else:
            others = list(taken.filter(headline_until__gt=now).only("title", "headline_until"))
            if len(others) >= MAX_HEADLINES:
                errors["headline_until"] = _(
                    "首页已有头条《%(title)s》（至 %(until)s）。同一时间只能有一篇头条，"
                    "请先取消那篇稿件的头条。"
                ) % {
                    "title": others[0].title,
                    "until": f"{timezone.localtime(others[0].headline_until):%Y-%m-%d %H:%M}",
                }
    if pinned_until is not None:
        if pinned_until <= now:
            errors["pinned_until"] = _("置顶截止时间必须是将来的时间。")
        elif column is not None:
            others = list(
                taken.filter(column=column, pinned_until__gt=now).only("title").order_by("pk")
            )
            if len(others) >= MAX_PINNED_PER_COLUMN:
                errors["pinned_until"] = _(
                    "栏目“%(column)s”已有 %(count)d 篇置顶稿件（%(titles)s），最多 %(max)d 篇。"
                    "请先取消其中一篇的置顶。"
                ) % {
                    "column": column.name,
                    "count": len(others),
                    "titles": "、".join(f"《{other.title}》" for other in others),
                    "max": MAX_PINNED_PER_COLUMN,
                }
    return errors
