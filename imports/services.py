"""Turning extracted pages into articles: plan first (read only), then apply (one transaction).

``Importer.plan`` decides what a page would do — create, update, unchanged — and resolves its
related items, agency mentions, meeting and pairs without writing anything; ``--dry-run`` and the
admin preview show that plan. ``Importer.apply`` writes it. The management command and the admin
upload both go through ``Importer``.

Decisions:
- Idempotency: a page whose fingerprint (normalised text) is already recorded is unchanged, under
  any file name or encoding, and nothing is written. A page from a recorded source with another
  fingerprint updates that article (one history version); so does a changed copy saved under
  another name whose title and date are those of an imported article. A page whose title is that
  of a stub (made earlier from a related-news list) fills the stub in.
- Imports go through the editorial workflow. An upload in the admin acts as the uploading user
  with that user's permissions; the management command acts as a named system user
  (``articles.services.system_user``). Every status change is a move of ``articles.services``
  and so writes a 状态变更.
- A new page becomes a draft, or is submitted for review (``submit``), or published
  (``publish``: the command's ``--publish``, or 直接发布 by someone who may publish; the 错敏字
  check applies, and a page with hits stays a draft with a warning).
- An update of a draft rewrites it; an update of an article that is not a draft (in review,
  published, archived) becomes a pending revision for 审核 to accept or reject: an import never
  overwrites live text. A title-only stub is filled in directly when it is a draft, or when the
  importer may publish; otherwise the filled text is a pending revision too.
- ``publish`` never puts back online an article that was withdrawn or archived.
- An update adds the links it finds and removes none, so what an editor linked by hand stays.
- Related items link to the article with the same title (for a title cut short with “…”, one that
  starts with it and has the same date), else to a stub article: title and date only, ``is_stub``.
"""

import contextlib
import datetime
import html
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import models as article_models
from articles import services
from articles.models import Article, Column
from articles.services import PUBLISH_PERMISSION, MoveNotAllowed
from partnerships.models import Meeting

from .extract import ExtractedPage, RelatedItem
from .mentions import AgencyMatcher, find_meeting, pairs_of
from .models import ImportRecord

DEFAULT_COLUMN = ("work", "工作动态")
SUMMARY_LENGTH = 120


class Action:
    CREATE = "create"
    UPDATE = "update"
    FILL_STUB = "fill_stub"
    REVISE = "revise"
    UNCHANGED = "unchanged"

    LABELS = {
        CREATE: _("新建"),
        UPDATE: _("更新"),
        FILL_STUB: _("补全仅有标题的稿件"),
        REVISE: _("待审修订（稿件不是草稿，新文本交审核决定）"),
        UNCHANGED: _("无变化"),
    }


@dataclass
class RelatedLink:
    item: RelatedItem
    article: Article | None = None

    @property
    def is_new_stub(self):
        return self.article is None


@dataclass
class ImportPlan:
    source: str
    page: ExtractedPage
    action: str
    article: Article | None = None
    record: ImportRecord | None = None
    related: list[RelatedLink] = field(default_factory=list)
    agencies: list = field(default_factory=list)
    ambiguities: list = field(default_factory=list)
    meeting: Meeting | None = None
    pairs: list = field(default_factory=list)
    publish: bool = False
    #: What happened while applying, for the editor (a publication refused, and why).
    notes: list = field(default_factory=list)

    @property
    def action_label(self):
        return Action.LABELS[self.action]

    @property
    def warnings(self):
        warnings = list(self.page.warnings)
        if self.action == Action.CREATE and self.publish and not self.page.published_on:
            warnings.append(str(_("没有发布日期，稿件导入为草稿。")))
        return warnings + self.notes


def default_column():
    """The column imports go to unless told otherwise (工作动态, created when missing)."""
    slug, name = DEFAULT_COLUMN
    column = Column.objects.filter(slug=slug).first() or Column.objects.filter(name=name).first()
    return column or Column.objects.create(slug=slug, name=name)


def local_datetime(date, time=None):
    """A date (and time) on the site's clock, as an aware datetime."""
    naive = datetime.datetime.combine(date, time or datetime.time())
    return timezone.make_aware(naive, timezone.get_default_timezone())


def body_html(paragraphs):
    return "\n".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


def summary_of(paragraphs):
    first = paragraphs[0] if paragraphs else ""
    return first if len(first) <= SUMMARY_LENGTH else first[: SUMMARY_LENGTH - 1] + "…"


class Importer:
    """Plans and applies imports into one column; build it once per batch."""

    def __init__(self, *, column=None, publish=False, submit=False, user=None):
        """``user`` is the uploading editor (None: the command, acting as the system user).

        ``publish`` publishes new pages (only if ``user`` may publish); ``submit`` submits them
        for review instead.
        """
        self.column = column or default_column()
        self.user = user
        self.publish = publish and (user is None or user.has_perm(PUBLISH_PERMISSION))
        self.submit = submit and not self.publish
        self.matcher = AgencyMatcher.from_database()
        self.meetings = list(Meeting.objects.only("pk", "title"))

    # --- Planning (reads only) --------------------------------------------------------------

    def plan(self, page, source):
        source = source[:500]
        plan = ImportPlan(source=source, page=page, action=Action.CREATE, publish=self.publish)
        same_text = (
            ImportRecord.objects.filter(fingerprint=page.fingerprint)
            .select_related("article")
            .first()
        )
        if same_text:
            plan.action, plan.record = Action.UNCHANGED, same_text
            plan.article = same_text.article
        elif record := self._record_of_same_page(page, source):
            plan.action, plan.record, plan.article = Action.UPDATE, record, record.article
            if record.article.status != Article.Status.DRAFT:
                plan.action = Action.REVISE
        elif stub := Article.objects.filter(title=page.title, is_stub=True).order_by("pk").first():
            plan.action, plan.article = Action.FILL_STUB, stub
            if stub.status != Article.Status.DRAFT and not self.publish:
                plan.action = Action.REVISE
        exclude = plan.article.pk if plan.article else None
        plan.related = [
            RelatedLink(item, self.find_related(item, exclude)) for item in page.related
        ]
        text = "\n".join([page.title, *page.paragraphs])
        mentions = self.matcher.find(text)
        plan.agencies, plan.ambiguities = mentions.agencies, mentions.ambiguities
        plan.meeting = find_meeting(text, self.meetings)
        plan.pairs = pairs_of(plan.agencies)
        return plan

    def _record_of_same_page(self, page, source):
        """The record of an earlier version of this page: same source, or (a copy saved under
        another name) an imported article with the same title and publication date."""
        records = ImportRecord.objects.select_related("article")
        record = records.filter(source=source).first()
        if record is None and page.published_on:
            record = (
                records.filter(
                    article__title=page.title,
                    article__published_at=local_datetime(page.published_on, page.published_time),
                )
                .order_by("pk")
                .first()
            )
        return record

    def find_related(self, item, exclude=None):
        """The article a related-news item names: same title, or same start and date if cut."""
        candidates = Article.objects.exclude(pk=exclude).order_by("is_stub", "pk")
        found = candidates.filter(title=item.title).first()
        prefix = item.title.rstrip("….").strip()
        if not found and prefix != item.title and item.date and len(prefix) >= 8:
            day_start = local_datetime(item.date)
            found = candidates.filter(
                title__startswith=prefix,
                published_at__gte=day_start,
                published_at__lt=day_start + datetime.timedelta(days=1),
            ).first()
        return found

    # --- Applying (writes) ------------------------------------------------------------------

    @transaction.atomic
    def apply(self, plan):
        """Write the plan in one transaction; returns the article (None if unchanged)."""
        if plan.action == Action.UNCHANGED:
            return None
        page = plan.page
        if plan.action == Action.REVISE:
            return self._propose(plan)
        if plan.action == Action.CREATE:
            article = Article(column=self.column, created_by=self.user)
        else:
            article = Article.objects.get(pk=plan.article.pk)
        was_draft = article.status == Article.Status.DRAFT
        self._fill(article, page, plan)
        if plan.meeting and article.meeting_id is None:
            article.meeting = plan.meeting

        # One history version holding the links: save the row without one, link, then record.
        article._history_user = self.user
        article.skip_history_when_saving = True
        article.save()
        related = [link.article or self._stub(link.item, article) for link in plan.related]
        _add_missing(article.related, related)
        _add_missing(article.agencies, plan.agencies)
        _add_missing(article.pairs, plan.pairs)
        article_models.record_article_version(article, created=plan.action == Action.CREATE)
        if hasattr(article, "_history_user"):
            del article._history_user

        self._remember(plan, article)
        if was_draft:
            self._move_on(article, plan)
        return article

    def _fill(self, article, page, plan):
        article.title = page.title
        article.body = body_html(page.paragraphs)
        if not article.summary or plan.action != Action.CREATE:
            article.summary = summary_of(page.paragraphs)
        article.source = page.source
        article.author = page.author
        if page.editor:
            article.responsible_editor = page.editor
        article.source_url = page.url or plan.source
        article.is_stub = False
        # The publication time of a live article changes only through the workflow.
        if page.published_on and article.status == Article.Status.DRAFT:
            article.published_at = local_datetime(page.published_on, page.published_time)
            # The fact, stored: a page with no time of day is shown with its date alone.
            article.published_date_only = page.published_time is None

    def _move_on(self, article, plan):
        """Publish or submit a draft the import wrote, as asked; a refusal becomes a note."""
        if self.publish and article.published_at is not None:
            move = "publish"
        elif self.submit and plan.action in (Action.CREATE, Action.FILL_STUB):
            move = "submit"
        else:
            return
        try:
            self._move(article, move)
        except MoveNotAllowed as exc:
            plan.notes.append(str(exc) + str(_("稿件保留为草稿。")))

    def _move(self, article, move):
        comment = str(_("网页导入"))
        if self.user is None:
            return services.move_as_system(article, move, comment=comment)
        return services.move_article(article, move, self.user, comment=comment)

    def _propose(self, plan):
        """An article that is not a draft: its new text waits for 审核 as a pending revision."""
        page = plan.page
        article = plan.article
        values = {
            "title": page.title,
            "body": body_html(page.paragraphs),
            "summary": summary_of(page.paragraphs),
            "source": page.source,
            "author": page.author,
            "responsible_editor": page.editor or article.responsible_editor,
            "source_url": page.url or plan.source,
        }
        related = [link.article or self._stub(link.item, article) for link in plan.related]
        services.propose_revision(
            article,
            values,
            self.user or services.system_user(),
            meeting=plan.meeting,
            agencies=plan.agencies,
            pairs=plan.pairs,
            related=related,
        )
        self._remember(plan, article)
        return article

    def _remember(self, plan, article):
        # A copy under another name gets a record of its own, pointing at the same article.
        record = ImportRecord.objects.filter(source=plan.source).first()
        record = record or ImportRecord(source=plan.source)
        record.article = article
        record.fingerprint = plan.page.fingerprint
        record.encoding = plan.page.encoding
        record.save()

    def _stub(self, item, article):
        """The article a related item names, found again (an earlier page may have made it)
        or created as a stub: title and date only."""
        found = self.find_related(item, exclude=article.pk)
        if found:
            return found
        published_at = local_datetime(item.date) if item.date else None
        stub = Article.objects.create(
            title=item.title[:200],
            column=self.column,
            is_stub=True,
            published_at=published_at,
            # Related-news lists give dates only.
            published_date_only=published_at is not None,
            created_by=self.user,
        )
        if self.publish and published_at is not None:
            # A stub whose title has 错敏字 stays a draft.
            with contextlib.suppress(MoveNotAllowed):
                self._move(stub, "publish")
        return stub


def _add_missing(manager, objects):
    """Add to a many-to-many relation only what is missing (no write when nothing is)."""
    present = set(manager.values_list("pk", flat=True))
    missing = list({obj.pk: obj for obj in objects if obj.pk not in present}.values())
    if missing:
        manager.add(*missing)
