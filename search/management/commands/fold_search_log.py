from django.core.management.base import BaseCommand

from search.logfold import fold


class Command(BaseCommand):
    help = (
        "Fold search log rows older than QXS_SEARCH_LOG_DAYS (or past QXS_SEARCH_LOG_MAX_ROWS) "
        "into daily counts now. Searches do this by themselves once an hour; no cron needed."
    )

    def handle(self, *args, **options):
        folded = fold()
        self.stdout.write(f"Folded {folded} search log rows into daily counts.")
