"""SiteIdentity moved here from the qxs package, keeping its table (qxs_siteidentity).

State only: the table was made by qxs 0001 and is not touched (Django's documented way of
moving a model between apps).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("qxs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SiteIdentity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('site_name', models.CharField(default='质量兴市', help_text='显示在页头和页面标题中。', max_length=100, verbose_name='网站名称')),
                        ('domain', models.CharField(blank=True, help_text='例如 zlxs.example.gov.cn，用于页面的 SiteDomain 标记。', max_length=100, verbose_name='网站域名')),
                        ('site_code', models.CharField(blank=True, help_text='政府网站标识码，例如 2302000001。', max_length=20, verbose_name='网站标识码')),
                        ('icp_number', models.CharField(blank=True, help_text='例如“黑ICP备05000000号”。', max_length=50, verbose_name='ICP备案号')),
                        ('public_security_number', models.CharField(blank=True, help_text='例如“黑公网安备 23020002000000号”，没有可不填。', max_length=50, verbose_name='公安备案号')),
                        ('sponsor', models.CharField(blank=True, help_text='例如“某市质量技术监督局”。', max_length=100, verbose_name='主办单位')),
                        ('operator', models.CharField(blank=True, help_text='与主办单位相同时可不填。', max_length=100, verbose_name='承办单位')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                        ('phone', models.CharField(blank=True, max_length=50, verbose_name='联系电话')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='联系邮箱')),
                    ],
                    options={
                        'verbose_name': '网站标识',
                        'verbose_name_plural': '网站标识',
                        'db_table': 'qxs_siteidentity',
                        'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='site_identity_single_row')],
                    },
                ),
            ],
        ),
    ]
