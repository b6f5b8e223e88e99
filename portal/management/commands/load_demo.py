from django.core.management.base import BaseCommand
from django.db import transaction

from imports import demo as articles_demo
from partnerships import demo as partnerships_demo
from topics import demo as topics_demo


class Command(BaseCommand):
    help = "Load the demo content from the seed page (idempotent: a second run changes no row)."

    def handle(self, *args, **options):
        with transaction.atomic():
            meeting = partnerships_demo.load()
            article = articles_demo.load(meeting)
            article = articles_demo.make_headline(article, meeting)
            topics_demo.load(article, meeting)
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {meeting.title}"))
