"""The query log's normalised term, and the daily counts it is folded into (search/logfold.py).

Rows logged before this migration get their normalised term here, in batches.
"""

from django.db import migrations, models

BATCH = 2000


def normalize_existing_terms(apps, schema_editor):
    from search.text import normalize

    SearchQueryLog = apps.get_model("search", "SearchQueryLog")
    last = 0
    while True:
        rows = list(SearchQueryLog.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.normalized = normalize(row.term)
        SearchQueryLog.objects.bulk_update(rows, ["normalized"])
        last = rows[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0003_vectors_in_the_row'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchquerylog',
            name='normalized',
            field=models.CharField(blank=True, editable=False, help_text='转为简体、半角和小写后的搜索词，按它汇总每日次数；自动生成。', max_length=200, verbose_name='规范化搜索词'),
        ),
        migrations.CreateModel(
            name='SearchDailyCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(help_text='搜索的日期（北京时间）。', verbose_name='日期')),
                ('term', models.CharField(blank=True, help_text='规范化后的搜索词；为空的一行是当天其余零散搜索的合计。', max_length=200, verbose_name='搜索词')),
                ('searches', models.PositiveIntegerField(help_text='当天搜索的次数。', verbose_name='次数')),
                ('zero_result_searches', models.PositiveIntegerField(help_text='其中没有找到已发布稿件的次数。', verbose_name='无结果次数')),
            ],
            options={
                'verbose_name': '每日搜索次数',
                'verbose_name_plural': '每日搜索次数',
                'ordering': ['-day', '-searches', 'term'],
                'constraints': [models.UniqueConstraint(fields=('day', 'term'), name='search_daily_day_term_unique')],
            },
        ),
        migrations.RunPython(normalize_existing_terms, migrations.RunPython.noop),
    ]
