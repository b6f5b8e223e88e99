"""Published articles counted per calendar month (UTC) of their publication time by triggers on
the article table (PublishedMonthCount), for the news list's deep pages."""

from django.db import migrations, models

# The month of a publication time, as the first day of the month in UTC.
PG_MONTH = "(date_trunc('month', {row}.published_at AT TIME ZONE 'UTC'))::date"
SQLITE_MONTH = "strftime('%Y-%m-01', {row}.published_at)"

POSTGRESQL = [
    f"""
    CREATE FUNCTION articles_count_published_months() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status = 'published' AND OLD.published_at IS NOT NULL THEN
            UPDATE articles_publishedmonthcount SET count = count - 1
            WHERE month = {PG_MONTH.format(row="OLD")};
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'published' AND NEW.published_at IS NOT NULL THEN
            INSERT INTO articles_publishedmonthcount (month, count)
            VALUES ({PG_MONTH.format(row="NEW")}, 1)
            ON CONFLICT (month)
            DO UPDATE SET count = articles_publishedmonthcount.count + 1;
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    """
    CREATE TRIGGER articles_count_published_months_insert_delete
    AFTER INSERT OR DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_count_published_months()
    """,
    f"""
    CREATE TRIGGER articles_count_published_months_update
    AFTER UPDATE OF status, published_at ON articles_article
    FOR EACH ROW
    WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR {PG_MONTH.format(row="OLD")} IS DISTINCT FROM {PG_MONTH.format(row="NEW")}
    )
    EXECUTE FUNCTION articles_count_published_months()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER articles_count_published_months_update ON articles_article",
    "DROP TRIGGER articles_count_published_months_insert_delete ON articles_article",
    "DROP FUNCTION articles_count_published_months()",
]

SQLITE = [
    f"""
    CREATE TRIGGER articles_count_published_months_insert AFTER INSERT ON articles_article
    WHEN NEW.status = 'published' AND NEW.published_at IS NOT NULL
    BEGIN
        INSERT INTO articles_publishedmonthcount (month, count)
        VALUES ({SQLITE_MONTH.format(row="NEW")}, 1)
        ON CONFLICT (month) DO UPDATE SET count = count + 1;
    END
    """,
    f"""
    CREATE TRIGGER articles_count_published_months_delete AFTER DELETE ON articles_article
    WHEN OLD.status = 'published' AND OLD.published_at IS NOT NULL
    BEGIN
        UPDATE articles_publishedmonthcount SET count = count - 1
        WHERE month = {SQLITE_MONTH.format(row="OLD")};
    END
    """,
    f"""
    CREATE TRIGGER articles_count_published_months_update
    AFTER UPDATE OF status, published_at ON articles_article
    WHEN OLD.status IS NOT NEW.status
        OR {SQLITE_MONTH.format(row="OLD")} IS NOT {SQLITE_MONTH.format(row="NEW")}
    BEGIN
        UPDATE articles_publishedmonthcount SET count = count - 1
        WHERE month = {SQLITE_MONTH.format(row="OLD")}
        AND OLD.status = 'published' AND OLD.published_at IS NOT NULL;
        INSERT INTO articles_publishedmonthcount (month, count)
        SELECT {SQLITE_MONTH.format(row="NEW")}, 1
        WHERE NEW.status = 'published' AND NEW.published_at IS NOT NULL
        ON CONFLICT (month) DO UPDATE SET count = count + 1;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER articles_count_published_months_update",
    "DROP TRIGGER articles_count_published_months_delete",
    "DROP TRIGGER articles_count_published_months_insert",
]

# The counts of the rows already there, in the same transaction as the triggers.
FILL = """
    INSERT INTO articles_publishedmonthcount (month, count)
    SELECT {month}, COUNT(*) FROM articles_article
    WHERE status = 'published' AND published_at IS NOT NULL
    GROUP BY 1
"""
PG_FILL = FILL.format(month=PG_MONTH.format(row="articles_article"))
SQLITE_FILL = FILL.format(month=SQLITE_MONTH.format(row="articles_article"))


def _run(schema_editor, statements):
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"No published-month-count triggers for {vendor}.")
    for statement in statements[vendor]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": [*POSTGRESQL, PG_FILL], "sqlite": [*SQLITE, SQLITE_FILL]})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_renditions_of_existing_images"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedMonthCount",
            fields=[
                (
                    "month",
                    models.DateField(
                        help_text="发布时间所在月份（UTC）的第一天。",
                        primary_key=True,
                        serialize=False,
                        verbose_name="月份",
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
                "verbose_name": "每月已发布稿件计数",
                "verbose_name_plural": "每月已发布稿件计数",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
