from django.core.management.base import BaseCommand, CommandError

from portal.backup import (
    BackupError,
    applied_migrations,
    latest_backup,
    read_manifest,
    restore_backup,
)


class Command(BaseCommand):
    help = "Replace the database and the media files with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the backup folder (default: the latest)")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="do not ask"
        )

    def handle(self, *args, path=None, interactive=True, **options):
        try:
            folder = path or latest_backup()
            manifest = read_manifest(folder)
            if interactive:
                answer = input(
                    f"Replace the database and media with the backup of {manifest['created']} "
                    f"({folder})? Type 'yes' to continue: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled.")
            newer = sorted(set(applied_migrations()) - set(manifest["migrations"]))
            restore_backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {folder}")
        if newer:
            # The code is newer than the backup: its database needs those migrations again.
            self.stderr.write(
                "The backup predates these migrations: "
                + ", ".join(newer)
                + ". Restore into the code version the backup was made with, or run "
                "`manage.py migrate` now (on PostgreSQL, tables those migrations created were "
                "left in place and may need dropping first)."
            )
