import time

from django.core.management.base import BaseCommand

from articles.models import Article
from search.indexing import BATCH_SIZE, index_articles


class Command(BaseCommand):
    help = "重建全部稿件的搜索索引（批量导入或生成稿件之后运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="每批处理的稿件数。")

    def handle(self, *args, batch_size, **options):
        total = Article.objects.count()
        started = time.monotonic()

        def progress(done):
            if options["verbosity"] >= 1:
                elapsed = time.monotonic() - started
                self.stdout.write(f"已索引 {done}/{total} 篇（{elapsed:.1f} 秒）")

        done = index_articles(batch_size=max(1, batch_size), progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"完成：{done} 篇稿件，用时 {time.monotonic() - started:.1f} 秒。")
        )
