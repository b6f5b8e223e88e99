"""Published articles counted per column by triggers on the article table (PublishedCount)."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION articles_count_published() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status = 'published' THEN
            UPDATE articles_publishedcount SET count = count - 1 WHERE column_id = OLD.column_id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
            INSERT INTO articles_publishedcount (column_id, count) VALUES (NEW.column_id, 1)
            ON CONFLICT (column_id)
            DO UPDATE SET count = articles_publishedcount.count + 1;
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER articles_count_published_insert_delete
    AFTER INSERT OR DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_count_published()
    """,
    """
    CREATE TRIGGER articles_count_published_update
    AFTER UPDATE OF status, column_id ON articles_article
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.column_id IS DISTINCT FROM NEW.column_id)
    EXECUTE FUNCTION articles_count_published()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER articles_count_published_update ON articles_article",
    "DROP TRIGGER articles_count_published_insert_delete ON articles_article",
    "DROP FUNCTION articles_count_published()",
]

SQLITE = [
    """
    CREATE TRIGGER articles_count_published_insert AFTER INSERT ON articles_article
    WHEN NEW.status = 'published'
    BEGIN
        INSERT INTO articles_publishedcount (column_id, count) VALUES (NEW.column_id, 1)
        ON CONFLICT (column_id) DO UPDATE SET count = count + 1;
    END
    """,
    """
    CREATE TRIGGER articles_count_published_delete AFTER DELETE ON articles_article
    WHEN OLD.status = 'published'
    BEGIN
        UPDATE articles_publishedcount SET count = count - 1 WHERE column_id = OLD.column_id;
    END
    """,
    """
    CREATE TRIGGER articles_count_published_update
    AFTER UPDATE OF status, column_id ON articles_article
    WHEN OLD.status IS NOT NEW.status OR OLD.column_id IS NOT NEW.column_id
    BEGIN
        UPDATE articles_publishedcount SET count = count - 1
        WHERE column_id = OLD.column_id AND OLD.status = 'published';
        INSERT INTO articles_publishedcount (column_id, count)
        SELECT NEW.column_id, 1 WHERE NEW.status = 'published'
        ON CONFLICT (column_id) DO UPDATE SET count = count + 1;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER articles_count_published_update",
    "DROP TRIGGER articles_count_published_delete",
    "DROP TRIGGER articles_count_published_insert",
]

# The counts of the rows already there, in the same transaction as the triggers.
FILL = """
    INSERT INTO articles_publishedcount (column_id, count)
    SELECT column_id, COUNT(*) FROM articles_article WHERE status = 'published'
    GROUP BY column_id
"""


def _run(schema_editor, statements):
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"No published-count triggers for {vendor}.")
    for statement in statements[vendor]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": [*POSTGRESQL, FILL], "sqlite": [*SQLITE, FILL]})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_column_pub_index_covers_unpublish"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedCount",
            fields=[
                (
                    "column",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.column",
                        verbose_name="栏目",
                        help_text="计数所属的栏目。",
                    ),
                ),
                (
                    "count",
                    models.IntegerField(
                        default=0,
                        help_text="由数据库触发器维护，请勿手工修改。",
                        verbose_name="已发布稿件数",
                    ),
                ),
            ],
            options={
                "verbose_name": "已发布稿件计数",
                "verbose_name_plural": "已发布稿件计数",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
