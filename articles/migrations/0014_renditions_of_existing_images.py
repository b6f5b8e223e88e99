"""Write the renditions of pictures stored before ``Image.save()`` wrote them.

Pages now derive the renditions' URLs without looking at the storage (they were made on first
use before); a picture whose copies cannot be written is logged and left as it is.
"""

import logging

from django.db import migrations

from articles.images import RENDITION_WIDTHS, make_renditions

logger = logging.getLogger("articles.models")


def write_renditions(apps, schema_editor):
    Image = apps.get_model("articles", "Image")
    pictures = Image.objects.filter(width__gt=min(RENDITION_WIDTHS)).exclude(file="")
    for image in pictures.only("pk", "file", "width").iterator():
        try:
            make_renditions(image)
        except OSError as error:
            logger.warning("Image %s: no renditions of %s: %s", image.pk, image.file.name, error)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_home_lead_and_meeting_news_indexes"),
    ]

    operations = [
        migrations.RunPython(write_renditions, migrations.RunPython.noop, elidable=True),
    ]
