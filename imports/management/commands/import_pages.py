"""python manage.py import_pages [--publish] [--column SLUG] [--dry-run] PATH...

The command acts as the named system user (``articles.services.system_user``): what it publishes
is recorded as that user's 状态变更. An update of an article that is not a draft becomes a pending
revision for 审核, and an article that was withdrawn or archived is never published again.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.models import Column
from imports.extract import ExtractionError, extract
from imports.services import Action, Importer
from imports.sources import SourceError, collect


class Command(BaseCommand):
    help = (
        "Import news pages (plain text or HTML, UTF-8 or GB18030/GBK) from files, folders or zips "
        "as articles. Importing the same page again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or .zip files")
        parser.add_argument(
            "--publish",
            action="store_true",
            help=(
                "publish the imported articles (default: drafts); recorded as the system user, "
                "never re-publishing a withdrawn or archived article"
            ),
        )
        parser.add_argument(
            "--column", metavar="SLUG", help="column slug (default: work, 工作动态)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be done and write nothing"
        )

    def handle(self, *args, paths, publish, column, dry_run, **options):
        self.verbosity = options["verbosity"]
        column_obj = None
        if column:
            column_obj = Column.objects.filter(slug=column).first()
            if column_obj is None:
                known = "、".join(
                    f"{slug}（{name}）" for slug, name in Column.objects.values_list("slug", "name")
                )
                raise CommandError(f"栏目“{column}”不存在。现有栏目：{known or '无'}")
        if dry_run and column_obj is None:
            # The default column may not exist yet; a dry run must not create it.
            column_obj = Column.objects.filter(slug="work").first() or Column(
                slug="work", name="工作动态"
            )
        importer = Importer(column=column_obj, publish=publish)
        files = collect(paths)
        if not files:
            raise CommandError("没有找到可导入的网页（.txt、.html、.htm 或 .zip）。")

        counts = {Action.CREATE: 0, Action.UPDATE: 0, Action.UNCHANGED: 0, Action.REVISE: 0}
        failures, questions = [], []
        progress = Progress(self.stderr, len(files))
        for number, source in enumerate(files, 1):
            progress.show(number, source.name)
            try:
                page = extract(source.read(), source.name)
                plan = importer.plan(page, source.name)
                if not dry_run:
                    importer.apply(plan)
            except (ExtractionError, SourceError) as exc:
                failures.append((source.name, str(exc)))
                continue
            except Exception as exc:  # one broken page must not stop the batch
                failures.append((source.name, f"{type(exc).__name__}: {exc}"))
                continue
            action = Action.UPDATE if plan.action == Action.FILL_STUB else plan.action
            counts[action] += 1
            if plan.action != Action.UNCHANGED:  # an unchanged page was reported before
                questions += [(source.name, str(ambiguity)) for ambiguity in plan.ambiguities]
                questions += [(source.name, warning) for warning in plan.warnings]
            if dry_run or self.verbosity > 1:
                self.describe(source.name, plan)
        progress.done()

        prefix = "试运行，未写入任何数据。将会：" if dry_run else ""
        revisions = ""
        if counts[Action.REVISE]:
            revisions = f"；待审修订 {counts[Action.REVISE]}（稿件不是草稿，新文本等待审核）"
        self.stdout.write(
            f"{prefix}新建 {counts[Action.CREATE]}，更新 {counts[Action.UPDATE]}，"
            f"无变化 {counts[Action.UNCHANGED]}，失败 {len(failures)}{revisions}"
        )
        for name, reason in failures:
            self.stdout.write(self.style.ERROR(f"  失败 {name}：{reason}"))
        for name, text in questions:
            self.stdout.write(self.style.WARNING(f"  请编辑核对 {name}：{text}"))

    def describe(self, name, plan):
        page = plan.page
        write = self.stdout.write
        write(f"[{plan.action_label}] {name}")
        write(f"  标题：{page.title}")
        if page.published_on:
            when = page.published_on.isoformat()
            if page.published_time:
                when += f" {page.published_time:%H:%M}"
            write(f"  日期：{when}{'（据正文推断）' if page.date_from_body else ''}")
        for label, value in (("来源", page.source), ("作者", page.author), ("编辑", page.editor)):
            if value:
                write(f"  {label}：{value}")
        removed = "，重复的正文已去掉" if page.body_repeated or page.paragraphs_removed else ""
        write(f"  正文：{len(page.paragraphs)} 段，{len(page.text)} 字{removed}（{page.encoding}）")
        for link in plan.related:
            date = link.item.date.isoformat() if link.item.date else "无日期"
            target = (
                "新建仅有标题的稿件" if link.is_new_stub else f"关联已有稿件 #{link.article.pk}"
            )
            write(f"  相关：{link.item.title}（{date}）→ {target}")
        if plan.agencies:
            write(f"  机构：{'、'.join(str(agency) for agency in plan.agencies)}")
        if plan.meeting:
            write(f"  会议：{plan.meeting.title}")
        if plan.pairs:
            write(f"  帮扶对子：{len(plan.pairs)} 个")


class Progress:
    """A one-line progress bar on stderr, drawn only on a terminal and only for several files."""

    WIDTH = 30

    def __init__(self, stream, total):
        self.stream = stream
        self.total = total
        self.active = total > 1 and _isatty(stream)

    def show(self, number, name):
        if not self.active:
            return
        filled = self.WIDTH * number // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {number}/{self.total} {name[-40:]:<40}", ending="")
        self.stream.flush()

    def done(self):
        if self.active:
            self.stream.write("")


def _isatty(stream):
    target = getattr(stream, "_out", stream)
    return hasattr(target, "isatty") and target.isatty()
