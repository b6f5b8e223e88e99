from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import erdiagram


class Command(BaseCommand):
    help = (
        "Write the data model's Mermaid ER diagrams, read from the models, between the markers "
        "in docs/architecture.md. --check changes nothing and fails when the file is out of date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            default=str(Path(settings.BASE_DIR) / "docs" / "architecture.md"),
            help="the Markdown file holding the markers (default: docs/architecture.md)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="exit with an error when the committed diagram differs from the models",
        )
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_only",
            help="print the diagrams instead of writing them",
        )

    def handle(self, *args, path, check, print_only, **options):
        block = erdiagram.render()
        if print_only:
            self.stdout.write(block)
            return
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
            updated = erdiagram.replace(text, block)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if check:
            if updated != text:
                raise CommandError(
                    f"{path}: the ER diagram differs from the models; "
                    "run `python manage.py er_diagram` and commit the file."
                )
            self.stdout.write(f"{path}: the ER diagram matches the models.")
            return
        if updated == text:
            self.stdout.write(f"{path}: unchanged.")
            return
        path.write_text(updated, encoding="utf-8")
        self.stdout.write(f"{path}: ER diagram written.")
