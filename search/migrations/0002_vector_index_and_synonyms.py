from django.db import migrations

INDEX_NAME = "search_doc_vector_gin"

SYNONYMS = [
    ("技监局\n质监局\n质量技术监督局", "质量技术监督局的常用简称"),
    ("质检总局\n国家质检总局\n国家质量监督检验检疫总局", "国家质检总局的全称和简称"),
    ("质量司\n质检总局质量司\n质量管理司", "质检总局质量司"),
]


def create_gin_index(apps, schema_editor):
    # GIN is PostgreSQL's; SQLite searches the normalised text instead (see search/query.py).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON search_articlesearchdocument "
            "USING gin (vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


def add_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("search", "SearchSynonym")
    for terms, note in SYNONYMS:
        SearchSynonym.objects.get_or_create(terms=terms, defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_gin_index, drop_gin_index),
        migrations.RunPython(add_synonyms, migrations.RunPython.noop),
    ]
