"""Response headers and cookies under the production settings (Mozilla HTTP Observatory rules)."""

import secrets

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

SIX_MONTHS = 15_768_000


def parse_csp(header):
    """{"script-src": ["'self'"], ...} from a Content-Security-Policy header."""
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_hardened(response):
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    for directive, values in csp.items():
        assert "'unsafe-eval'" not in values, directive
        assert "*" not in values, directive
    assert "'unsafe-inline'" not in csp["script-src"] + csp.get("style-src", [])

    hsts = dict(
        item.strip().partition("=")[::2]
        for item in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= SIX_MONTHS
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_public_page_sends_the_hardened_headers(client, prod_settings):
    """A reader's page carries HSTS, a strict CSP, nosniff, Referrer-Policy and X-Frame-Options,
    rendered and again when it comes from the page cache (which replays the stored CSP)."""
    response = client.get("/news/", secure=True)
    assert response.status_code == 200
    assert_hardened(response)
    hit = client.get("/news/", secure=True)
    assert hit["X-Cache"] == "hit"
    assert_hardened(hit)


@pytest.mark.django_db
def test_a_changed_policy_is_not_replayed_from_stored_pages(client, prod_settings, settings):
    """Pages stored under one Content Security Policy are not served under another."""
    assert client.get("/news/", secure=True)["X-Cache"] == "miss"
    assert client.get("/news/", secure=True)["X-Cache"] == "hit"
    policy = dict(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "img-src": ["'self'", "data:", "https:"]}
    settings.CONTENT_SECURITY_POLICY = policy
    response = client.get("/news/", secure=True)
    assert response["X-Cache"] == "miss"
    assert "https:" in parse_csp(response["Content-Security-Policy"])["img-src"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, prod_settings):
    """Production answers plain HTTP with a permanent redirect to HTTPS."""
    response = client.get("/news/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_admin_login_sends_the_headers_and_secure_cookies(client, prod_settings):
    """The login form's CSRF cookie and the session cookie are Secure and SameSite; the session
    cookie is HttpOnly."""
    response = client.get(reverse("admin:login"), secure=True)
    assert response.status_code == 200
    assert_hardened(response)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] in {"Lax", "Strict"}

    UserFactory(username="editor", is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "pw-for-tests", "next": reverse("admin:index")},
        secure=True,
    )
    assert response.status_code == 302, response.content.decode()[:500]
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] in {"Lax", "Strict"}


@pytest.mark.django_db
def test_the_public_site_sets_no_cookie(client, prod_settings):
    """Over HTTPS with the production settings, public pages in both languages set no cookie at
    all: the language is in the URL and the text size is kept by the browser (so the HTTP
    Observatory has no insecure cookie to find, and a shared cache may keep every page)."""
    for path in ("/", "/news/", "/en/", "/en/news/", "/en/pairs/", "/robots.txt"):
        response = client.get(path, secure=True)
        assert response.status_code == 200, path
        assert not response.cookies, (path, list(response.cookies))
        assert "Set-Cookie" not in response, path


@pytest.mark.django_db
def test_admin_change_forms_send_the_hardened_headers(client, prod_settings):
    """The admin's change forms (a user, an article with its rich-text editor) keep the policy:
    nothing in the admin needs it relaxed."""
    superuser = get_user_model().objects.create_superuser("chief", password="x")
    client.force_login(superuser)
    urls = [
        reverse("admin:auth_user_change", args=[superuser.pk]),
        reverse("admin:articles_article_add"),
    ]
    for url in urls:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_hardened(response)


def test_deploy_check_has_no_warnings(prod_settings):
    """``manage.py check --deploy`` finds nothing to warn about under the production settings."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        with override_settings(SECRET_KEY=secrets.token_urlsafe(50)):
            call_command("check", deploy=True, fail_level="WARNING")
    except SystemCheckError as exc:  # pragma: no cover - the message is the failure
        pytest.fail(str(exc))
