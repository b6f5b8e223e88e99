import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_chinese_whatever_the_browser_asks_for(client):
    """An English browser still gets Chinese until the reader switches."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in response.get("Vary", "")
    assert '<html lang="zh-hans"' in response.content.decode()


def test_the_language_switch_is_remembered(client):
    """The switch sets the language cookie; later pages come in English."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/news/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/news/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Content-Language"] == "zh-hans"
