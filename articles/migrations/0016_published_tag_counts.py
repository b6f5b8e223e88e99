"""Published articles counted per column and tag by triggers on the article table and on the
tagged rows (PublishedTagCount), for the news list filtered by a tag and the tag pages.

Each side counts what the other holds when it fires: a tagged row counts if its article is
已发布, an article counts its tagged rows. So whichever is deleted (or inserted) first, every
(article, tag) pair is added and subtracted once: Django deletes an article's tagged rows before
the article (each subtracts; the article then has none), SQL may delete the article first (it
subtracts its tagged rows; each row's own trigger then finds no article).
"""

import django.db.models.deletion
from django.db import migrations, models

# The statements shared by both databases; ``{existing}`` is the stored count of the row an
# upsert found (PostgreSQL wants it qualified, SQLite unqualified).
ADD_ARTICLE = """
        INSERT INTO articles_publishedtagcount (tag_id, column_id, count)
        SELECT tag_id, {row}.column_id, 1 FROM articles_taggedarticle
        WHERE content_object_id = {row}.id{condition}
        ON CONFLICT (tag_id, column_id) DO UPDATE SET count = {existing} + 1;"""
SUBTRACT_ARTICLE = """
        UPDATE articles_publishedtagcount SET count = count - 1
        WHERE column_id = {row}.column_id{condition} AND tag_id IN (
            SELECT tag_id FROM articles_taggedarticle WHERE content_object_id = {row}.id
        );"""
ADD_TAGGED = """
        INSERT INTO articles_publishedtagcount (tag_id, column_id, count)
        SELECT {row}.tag_id, column_id, 1 FROM articles_article
        WHERE id = {row}.content_object_id AND status = 'published'
        ON CONFLICT (tag_id, column_id) DO UPDATE SET count = {existing} + 1;"""
SUBTRACT_TAGGED = """
        UPDATE articles_publishedtagcount SET count = count - 1
        WHERE tag_id = {row}.tag_id AND column_id = (
            SELECT column_id FROM articles_article
            WHERE id = {row}.content_object_id AND status = 'published'
        );"""

PG_EXISTING = "articles_publishedtagcount.count"
POSTGRESQL = [
    f"""
    CREATE FUNCTION articles_count_published_tags_of_article() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status = 'published' THEN
            {SUBTRACT_ARTICLE.format(row="OLD", condition="")}
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
            {ADD_ARTICLE.format(row="NEW", condition="", existing=PG_EXISTING)}
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER articles_count_published_tags_insert_delete
    AFTER INSERT OR DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_count_published_tags_of_article()
    """,
    """
    CREATE TRIGGER articles_count_published_tags_update
    AFTER UPDATE OF status, column_id ON articles_article
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.column_id IS DISTINCT FROM NEW.column_id)
    EXECUTE FUNCTION articles_count_published_tags_of_article()
    """,
    f"""
    CREATE FUNCTION articles_count_published_tags_of_tagged() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            {SUBTRACT_TAGGED.format(row="OLD")}
        END IF;
        IF TG_OP <> 'DELETE' THEN
            {ADD_TAGGED.format(row="NEW", existing=PG_EXISTING)}
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER articles_count_published_tags_tagged_insert_delete
    AFTER INSERT OR DELETE ON articles_taggedarticle
    FOR EACH ROW EXECUTE FUNCTION articles_count_published_tags_of_tagged()
    """,
    """
    CREATE TRIGGER articles_count_published_tags_tagged_update
    AFTER UPDATE OF tag_id, content_object_id ON articles_taggedarticle
    FOR EACH ROW
    WHEN (
        OLD.tag_id IS DISTINCT FROM NEW.tag_id
        OR OLD.content_object_id IS DISTINCT FROM NEW.content_object_id
    )
    EXECUTE FUNCTION articles_count_published_tags_of_tagged()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER articles_count_published_tags_tagged_update ON articles_taggedarticle",
    "DROP TRIGGER articles_count_published_tags_tagged_insert_delete ON articles_taggedarticle",
    "DROP FUNCTION articles_count_published_tags_of_tagged()",
    "DROP TRIGGER articles_count_published_tags_update ON articles_article",
    "DROP TRIGGER articles_count_published_tags_insert_delete ON articles_article",
    "DROP FUNCTION articles_count_published_tags_of_article()",
]

SQLITE_EXISTING = "count"
# A trigger of SQLite has no IF: the update's two statements test the status themselves.
SQLITE_ADD_IF_PUBLISHED = ADD_ARTICLE.format(
    row="NEW", condition=" AND NEW.status = 'published'", existing=SQLITE_EXISTING
)
SQLITE = [
    f"""
    CREATE TRIGGER articles_count_published_tags_insert AFTER INSERT ON articles_article
    WHEN NEW.status = 'published'
    BEGIN
        {ADD_ARTICLE.format(row="NEW", condition="", existing=SQLITE_EXISTING)}
    END
    """,
    f"""
    CREATE TRIGGER articles_count_published_tags_delete AFTER DELETE ON articles_article
    WHEN OLD.status = 'published'
    BEGIN
        {SUBTRACT_ARTICLE.format(row="OLD", condition="")}
    END
    """,
    f"""
    CREATE TRIGGER articles_count_published_tags_update
    AFTER UPDATE OF status, column_id ON articles_article
    WHEN OLD.status IS NOT NEW.status OR OLD.column_id IS NOT NEW.column_id
    BEGIN
        {SUBTRACT_ARTICLE.format(row="OLD", condition=" AND OLD.status = 'published'")}
        {SQLITE_ADD_IF_PUBLISHED}
    END
    """,
    f"""
    CREATE TRIGGER articles_count_published_tags_tagged_insert
    AFTER INSERT ON articles_taggedarticle
    BEGIN
        {ADD_TAGGED.format(row="NEW", existing=SQLITE_EXISTING)}
    END
    """,
    f"""
    CREATE TRIGGER articles_count_published_tags_tagged_delete
    AFTER DELETE ON articles_taggedarticle
    BEGIN
        {SUBTRACT_TAGGED.format(row="OLD")}
    END
    """,
    f"""
    CREATE TRIGGER articles_count_published_tags_tagged_update
    AFTER UPDATE OF tag_id, content_object_id ON articles_taggedarticle
    WHEN OLD.tag_id IS NOT NEW.tag_id OR OLD.content_object_id IS NOT NEW.content_object_id
    BEGIN
        {SUBTRACT_TAGGED.format(row="OLD")}
        {ADD_TAGGED.format(row="NEW", existing=SQLITE_EXISTING)}
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER articles_count_published_tags_tagged_update",
    "DROP TRIGGER articles_count_published_tags_tagged_delete",
    "DROP TRIGGER articles_count_published_tags_tagged_insert",
    "DROP TRIGGER articles_count_published_tags_update",
    "DROP TRIGGER articles_count_published_tags_delete",
    "DROP TRIGGER articles_count_published_tags_insert",
]

# The counts of the rows already there, in the same transaction as the triggers.
FILL = """
    INSERT INTO articles_publishedtagcount (tag_id, column_id, count)
    SELECT tagged.tag_id, article.column_id, COUNT(*)
    FROM articles_taggedarticle tagged
    JOIN articles_article article ON article.id = tagged.content_object_id
    WHERE article.status = 'published'
    GROUP BY tagged.tag_id, article.column_id
"""


def _run(schema_editor, statements):
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"No published-tag-count triggers for {vendor}.")
    for statement in statements[vendor]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": [*POSTGRESQL, FILL], "sqlite": [*SQLITE, FILL]})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_published_month_counts"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedTagCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
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
                (
                    "column",
                    models.ForeignKey(
                        help_text="计数所属的栏目。",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.column",
                        verbose_name="栏目",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        db_index=False,
                        help_text="计数所属的标签。",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="taggit.tag",
                        verbose_name="标签",
                    ),
                ),
            ],
            options={
                "verbose_name": "每个标签的已发布稿件计数",
                "verbose_name_plural": "每个标签的已发布稿件计数",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tag", "column"), name="published_tag_count_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
