"""The admin is entirely in Chinese: every section, model, column, label, filter and button,
third-party apps (django-axes, django-simple-history, taggit) and permission names included."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

#: Where an admin page names things: captions, headers, labels, legends, headings, options.
NAMING_ELEMENTS = re.compile(
    r"<(caption|th|label|legend|h1|h2|h3|option|button)\b[^>]*>(.*?)</\1>", re.S | re.I
)
NAMING_ATTRIBUTES = re.compile(r'\s(?:title|aria-label)="([^"]*)"')
TAG = re.compile(r"<[^>]+>")
ENGLISH = re.compile(r"[A-Za-z]{3,}")
#: Names, formats and protocols that are the same in Chinese text.
ALLOWED = {
    "HTML", "URL", "JPEG", "PNG", "WebP", "GIF", "PDF", "Word", "Excel", "PowerPoint", "WPS",
    "OpenDocument", "UTF", "GBK", "SHA", "HTTP", "Accept", "GET", "POST", "RSS", "Atom", "ICP",
    "root",
}  # fmt: skip


def admin_pages(article):
    yield reverse("admin:index")
    for model in admin.site._registry:
        opts = model._meta
        yield reverse("admin:app_list", args=[opts.app_label])
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    yield reverse("admin:articles_article_change", args=[article.pk])
    yield reverse("admin:articles_article_history", args=[article.pk])
    yield reverse("admin:imports_importrecord_upload")


def english_names(html):
    texts = [TAG.sub(" ", inner) for _tag, inner in NAMING_ELEMENTS.findall(html)]
    texts += NAMING_ATTRIBUTES.findall(html)
    words = set()
    for text in texts:
        words.update(w for w in ENGLISH.findall(unescape(text)) if w not in ALLOWED)
    return words


def test_every_admin_page_names_things_in_chinese(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, username="root"))
    article = ArticleFactory()
    found = {}
    for url in sorted(set(admin_pages(article))):
        response = client.get(url, follow=True)
        if response.status_code == 403:  # read-only models have no add page
            continue
        assert response.status_code == 200, url
        for word in english_names(response.content.decode()):
            found.setdefault(word, url)
    assert found == {}


def test_axes_is_named_in_chinese(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert "登录保护" in html and "登录尝试" in html and "登录日志" in html
    assert "Axes" not in html
    changelist = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "到期时间" in changelist or "状态" in changelist


def test_permission_names_are_chinese():
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert Permission.objects.get(codename="add_article").name == "可以添加稿件"
    assert Permission.objects.get(codename="view_accessattempt").name == "可以查看登录尝试"


def test_the_english_translation_is_complete():
    """Every entry of the English catalogue has a translation, and the compiled one is used."""
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation

    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]  # after the header
    untranslated = [entry for entry in entries if not all(translations(entry))]
    assert untranslated == []
    with translation.override("en"):
        assert translation.gettext("待我审核") == "Waiting for my review"
        assert translation.gettext("错敏字检查") == "Word check"
        assert translation.gettext("登录保护") == "Sign-in protection"


def translations(entry):
    """The msgstr values of one catalogue entry (one, or one per plural form)."""
    values, current = [], None
    for line in entry.splitlines():
        if line.startswith("msgstr"):
            current = line.split(" ", 1)[1].strip('"')
            values.append(current)
        elif line.startswith('"') and current is not None:
            values[-1] += line.strip('"')
    return values or [""]


def test_every_model_name_field_label_and_help_text_has_an_english_translation():
    """The catalogue holds every name the admin shows: a string makemessages never collected
    (so missing from django.po, which the test above cannot see) stays Chinese in English."""
    import re

    from django.apps import apps
    from django.utils import translation

    chinese = re.compile(r"[\u4e00-\u9fff]")
    ours = {"accounts", "articles", "imports", "partnerships", "portal", "search", "topics"}
    ours |= {"axes", "otp_totp", "otp_static"}  # named in Chinese by qxs/thirdparty_apps.py
    labels = []
    for config in apps.get_app_configs():
        if config.label not in ours:
            continue
        labels.append((config.label, config.verbose_name))
        for model in config.get_models():
            labels += [(model.__name__, model._meta.verbose_name)]
            labels += [(model.__name__, model._meta.verbose_name_plural)]
            for field in model._meta.get_fields():
                for attribute in ("verbose_name", "help_text"):
                    value = getattr(field, attribute, "")
                    if value and not field.auto_created:
                        labels.append((f"{model.__name__}.{field.name}", value))
    with translation.override("en"):
        english = [str(text) for _, text in labels]
    with translation.override("zh-hans"):
        untranslated = sorted(
            {
                (where, str(text))
                for (where, text), in_english in zip(labels, english, strict=True)
                if chinese.search(str(text)) and in_english == str(text)
            }
        )
    assert untranslated == []
