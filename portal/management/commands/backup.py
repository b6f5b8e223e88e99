from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the media files into BACKUP_DIR/<timestamp>/ (var/backups)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="the folder to create the backup in (BACKUP_DIR)")

    def handle(self, *args, **options):
        try:
            folder = create_backup(options["dir"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
