from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row of every model of our apps, as comparable tuples."""
    rows = {}
    for app_label in ("partnerships", "articles", "taggit"):
        for model in apps.get_app_config(app_label).get_models():
            rows[model._meta.label] = sorted(model.objects.values_list(), key=repr)
    return rows


def test_load_demo_is_idempotent():
    """A second load_demo changes no row."""
    call_command("load_demo", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    assert first["partnerships.Meeting"], "the demo has the seed's meeting"


def test_ensure_superuser_creates_one_once_and_prints_the_password():
    out = StringIO()
    call_command("ensure_superuser", stdout=out)
    user = get_user_model().objects.get(is_superuser=True)
    password = out.getvalue().split("password: ")[1].split()[0]
    assert user.check_password(password)

    again = StringIO()
    call_command("ensure_superuser", stdout=again)
    assert "password" not in again.getvalue()
    assert get_user_model().objects.count() == 1
