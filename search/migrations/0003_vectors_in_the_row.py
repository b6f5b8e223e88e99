"""Search vectors kept in the table row instead of TOAST (PostgreSQL only).

A search walks the newest published articles and reads each one's vector until it has found
``MAX_RESULTS`` matches. A vector of a 500-character article is about 4 KB, over TOAST's 2 KB
threshold, so it was stored out of line: reading it cost a TOAST index lookup and two or three
more pages per row. With ``toast_tuple_target`` at its maximum and the column's storage ``MAIN``,
a row up to a page's size keeps its vector in the page (longer ones still go to TOAST), and the
walk reads one page per row. ``VACUUM FULL`` rewrites the existing rows that way (it takes the
table's lock for as long as it runs: about a minute for 100,000 articles).
"""

from django.db import migrations

TABLE = "search_articlesearchdocument"


def vectors_in_the_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 8160)")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STORAGE MAIN")
    schema_editor.execute(f"VACUUM FULL {TABLE}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def vectors_in_toast(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STORAGE EXTENDED")
    schema_editor.execute(f"VACUUM FULL {TABLE}")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("search", "0002_vector_index_and_synonyms"),
    ]

    operations = [
        migrations.RunPython(vectors_in_the_row, vectors_in_toast),
    ]
