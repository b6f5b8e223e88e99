"""``manage.py refresh_related_news``: recompute every article's stored related news."""

from django.core.management.base import BaseCommand

from articles.related import refresh_all


class Command(BaseCommand):
    help = "重新计算每篇稿件的相关新闻（批量导入或直接改库之后运行）。"

    def handle(self, *args, **options):
        def progress(done, total):
            if options["verbosity"] > 1:
                self.stdout.write(f"{done}/{total}")

        changed = refresh_all(progress=progress)
        self.stdout.write(f"{changed} 篇稿件的相关新闻已更新。")
