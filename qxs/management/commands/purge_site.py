from django.conf import settings
from django.core.management.base import BaseCommand

from qxs import purge, surrogate
from qxs.cache import bump_content_generation


class Command(BaseCommand):
    help = (
        "Drop every public page kept in front of the site (Varnish: the 'site' key, which every "
        "public page carries) and in the app's cache (a new content generation). Run when the "
        "app starts in a new version (docker-compose's web command, make stack), so pages "
        "rendered with the old templates are not served until their s-maxage. A cache that "
        "cannot be reached is reported, not an error: the app starts anyway."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=2.0,
            help="Seconds to wait for each cache to answer (default 2).",
        )

    def handle(self, *args, timeout, **options):
        bump_content_generation()
        urls = list(getattr(settings, "QXS_VARNISH_URLS", ()) or ())
        if not urls:
            self.stdout.write("No QXS_VARNISH_URLS: new content generation, nothing else to purge.")
            return
        failed = purge.purge_now(surrogate.SITE, timeout=timeout)
        for url in urls:
            if url in failed:
                # Unreachable is usually not started yet: then it holds no page to purge.
                self.stderr.write(
                    self.style.WARNING(
                        f"Could not purge {url} ({failed[url]}); if it was not running, it "
                        "holds no page."
                    )
                )
            else:
                self.stdout.write(f"Purged every public page from {url}.")
