"""SiteIdentity now belongs to portal (portal 0001); its table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("qxs", "0001_initial"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SiteIdentity")],
        ),
    ]
