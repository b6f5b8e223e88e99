"""Telling people about their articles: a ``Notification`` row (the desk lists the last 20) and
an e-mail sent after the transaction commits.

Who is told:

- an article submitted for review (提交审核): the members of 审核;
- an article sent back (退回修改): its author (who created it), with the reviewer's note;
- an article published or scheduled (发布, 定时发布): its author;
- a pending revision from an import (待审修订): the members of 审核; its acceptance or rejection:
  whoever imported it, with the note.

Nobody is told about their own move. Mail goes through Django's e-mail framework (the console
backend in development, SMTP from the environment in production, locmem in tests) once the change
is committed; a failure to send is logged and never undoes or blocks the change.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification

logger = logging.getLogger(__name__)

CHIEF_EDITOR_GROUP = "审核"


def chief_editors():
    """Active members of 审核."""
    return get_user_model().objects.filter(groups__name=CHIEF_EDITOR_GROUP, is_active=True)


def admin_url(path):
    """An absolute link for mail when ``QXS_SITE_URL`` is set, else the path alone."""
    return getattr(settings, "QXS_SITE_URL", "").rstrip("/") + path


def status_changed(change, move_name):
    """Notify the people a status move concerns (called inside the move's transaction)."""
    article = change.article
    actor = change.user
    title = article.title
    link = admin_url(reverse("admin:articles_article_change", args=[article.pk]))
    if move_name == "submit":
        recipients = list(chief_editors())
        kind = Notification.Kind.SUBMITTED
        subject = _("稿件待审核：《%(title)s》") % {"title": title}
        message = _("%(who)s 提交了稿件《%(title)s》，请审核：%(link)s") % {
            "who": _name(actor),
            "title": title,
            "link": link,
        }
    elif move_name == "return":
        recipients = [article.created_by] if article.created_by else []
        kind = Notification.Kind.RETURNED
        subject = _("稿件被退回修改：《%(title)s》") % {"title": title}
        message = _("%(who)s 退回了您的稿件《%(title)s》。\n\n审核意见：%(note)s\n\n%(link)s") % {
            "who": _name(actor),
            "title": title,
            "note": change.comment or _("（未填写）"),
            "link": link,
        }
    elif move_name in {"publish", "schedule"}:
        recipients = [article.created_by] if article.created_by else []
        kind = Notification.Kind.PUBLISHED
        when = timezone.localtime(change.published_at).strftime("%Y-%m-%d %H:%M")
        subject = _("稿件已发布：《%(title)s》") % {"title": title}
        message = _("%(who)s 发布了您的稿件《%(title)s》，发布时间 %(when)s。\n\n%(link)s") % {
            "who": _name(actor),
            "title": title,
            "when": when,
            "link": link,
        }
    else:
        return []
    return notify(recipients, article, kind, subject, message, actor=actor)


def revision_proposed(revision):
    """Tell 审核 that an import left a new text of a live article for them to decide."""
    link = admin_url(reverse("admin:articles_pendingrevision_change", args=[revision.pk]))
    subject = _("待审修订：《%(title)s》") % {"title": revision.article.title}
    message = _(
        "%(who)s 导入了稿件《%(title)s》的新文本。稿件不是草稿，新文本在审核前不会上线。"
        "请比较后采用或拒绝：%(link)s"
    ) % {"who": _name(revision.submitted_by), "title": revision.article.title, "link": link}
    return notify(
        list(chief_editors()),
        revision.article,
        Notification.Kind.REVISION,
        subject,
        message,
        actor=revision.submitted_by,
    )


def revision_decided(revision):
    """Tell whoever imported a revision that it was accepted or rejected, with the note."""
    accepted = revision.state == revision.State.ACCEPTED
    title = revision.article.title
    link = admin_url(reverse("admin:articles_article_change", args=[revision.article_id]))
    if accepted:
        subject = _("导入的修订已采用：《%(title)s》") % {"title": title}
    else:
        subject = _("导入的修订被拒绝：《%(title)s》") % {"title": title}
    message = _("%(who)s %(decision)s了您导入的修订。\n\n处理说明：%(note)s\n\n%(link)s") % {
        "who": _name(revision.decided_by),
        "decision": _("采用") if accepted else _("拒绝"),
        "note": revision.decision_note or _("（未填写）"),
        "link": link,
    }
    return notify(
        [revision.submitted_by],
        revision.article,
        Notification.Kind.REVISION,
        subject,
        message,
        actor=revision.decided_by,
    )


def notify(recipients, article, kind, subject, message, *, actor=None):
    """Store one notification per recipient (not the actor) and mail them after commit."""
    unique = {user.pk: user for user in recipients if user is not None}
    if actor is not None:
        unique.pop(actor.pk, None)
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user, article=article, kind=kind, subject=subject, message=message,
            actor=actor,
        )
        for user in unique.values()
    )  # fmt: skip
    mails = [
        EmailMessage(
            subject=f"[{settings.SITE_NAME}] {subject}",
            body=message,
            to=[user.email],
        )
        for user in unique.values()
        if user.email
    ]
    if mails:
        transaction.on_commit(lambda: send_quietly(mails))
    return rows


def send_quietly(mails):
    """Send the mails; a failure is logged, never raised (the change is already committed)."""
    try:
        get_connection(fail_silently=False).send_messages(mails)
    except Exception:
        logger.exception(
            "Could not send %d notification mail(s) to %s",
            len(mails),
            ", ".join(address for mail in mails for address in mail.to),
        )


def _name(user):
    if user is None:
        return _("系统")
    return user.get_full_name() or user.get_username()
