"""Through the real stack (nginx → Varnish → gunicorn → PostgreSQL), as readers and editors use it.

Every assertion reads what the stack answered: ``X-Cache`` is set by Varnish (deploy/varnish/
default.vcl), ``X-Served-By`` only by nginx's /static/ and /media/ locations; the tests never set
a header they then check.
"""

import gzip
import http.client
import io
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from PIL import Image as PillowImage

from tests.reliability.servers import Browser

from .conftest import EDITOR

pytestmark = pytest.mark.stack

UNAVAILABLE = "服务暂时不可用"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url, method="GET", headers=None, data=None):
    """(status, headers, body text), 3xx-5xx included, redirects not followed."""
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def fetch_bytes(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers, response.read()


def warm(url):
    """Ask twice; the second answer must be a Varnish hit (else the test proves nothing)."""
    fetch(url)
    status, headers, body = fetch(url)
    assert status == 200, (url, status, body[:300])
    assert headers["X-Cache"] == "HIT", (url, headers["X-Cache"], headers["Cache-Control"])
    return body


def purge(stack, keys):
    """A PURGE straight to Varnish, as qxs.purge's sender sends it."""
    return fetch(stack.varnish_url + "/", method="PURGE", headers={"xkey-purge": keys})


def wait_for_backend(stack, health, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack.varnish_backend_health() == health:
            return
        time.sleep(0.25)
    raise AssertionError(f"Varnish never saw the backend {health}")


def _csrf_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def signed_in_editor(stack):
    """A browser that signed in through the stack as an editor does: the login form, then the
    second factor (a backup code; production always asks for one)."""
    browser = Browser(stack.url)
    status, page = browser.get("/admin/login/")
    assert status == 200, page[:300]
    username, password = EDITOR
    status, page = browser.request(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": _csrf_token(page),
            "username": username,
            "password": password,
            "next": "/admin/",
        },
    )
    assert status == 302, page[:500]
    assert "sessionid" in browser.cookies
    status, page = browser.get("/admin/2fa/?next=/admin/")
    assert status == 200, page[:500]
    status, page = browser.request(
        "/admin/2fa/?next=/admin/",
        {"csrfmiddlewaretoken": _csrf_token(page), "code": stack.backup_codes.pop()},
    )
    assert status == 302, page[:500]
    status, page = browser.get("/admin/")
    assert status == 200, page[:500]  # signed in, second factor passed
    return browser


@pytest.fixture(scope="module")
def newest(stack):
    """Two new articles in one column sharing a tag, published a minute apart: the newer one (the
    newest on the site: home page, news list, column, feed) and the older, whose page shows the
    newer one (related news, next article). Created in a manage.py shell, as an import would."""
    token = secrets.token_hex(3)
    return stack.django(
        "import datetime, json\n"
        "from django.utils import timezone\n"
        "from articles.models import Article, Column\n"
        "column = Column.objects.order_by('pk').first()\n"
        "now = timezone.now()\n"
        "def publish(title, minutes):\n"
        "    article = Article.objects.create(title=title, summary='栈测试摘要',\n"
        "        body='<p>栈测试正文</p>', column=column, source='栈测试',\n"
        "        status=Article.Status.PUBLISHED,\n"
        "        published_at=now - datetime.timedelta(minutes=minutes))\n"
        f"    article.tags.add('栈测试{token}')\n"
        "    return article\n"
        f"related = publish('栈测试相关稿件{token}', 2)\n"
        f"a = publish('栈测试稿件{token}', 1)\n"
        "print(json.dumps({'pk': a.pk, 'title': a.title, 'url': a.get_absolute_url(),\n"
        "    'column_url': column.get_absolute_url(),\n"
        "    'related_url': related.get_absolute_url()}))"
    )


def test_a_second_anonymous_request_is_a_varnish_hit(stack, newest):
    url = stack.url + newest["url"] + "?second-request"
    status, headers, _ = fetch(url)
    assert status == 200
    assert headers["X-Cache"] == "MISS"
    status, headers, _ = fetch(url)
    assert status == 200
    assert headers["X-Cache"] == "HIT"
    assert "Age" in headers
    assert "public" in headers["Cache-Control"]
    assert "Set-Cookie" not in headers


def test_tracking_parameters_and_parameter_order_share_one_object(stack):
    body = warm(stack.url + "/news/?a=1&b=2")
    for variant in (
        "/news/?a=1&b=2&utm_source=x",
        "/news/?utm_source=x&utm_medium=mail&b=2&a=1",
        "/news/?b=2&fbclid=abc&a=1&gclid=1",
    ):
        status, headers, variant_body = fetch(stack.url + variant)
        assert status == 200, variant
        assert headers["X-Cache"] == "HIT", variant
        assert variant_body == body


def test_cookies_of_anonymous_readers_do_not_split_the_cache(stack):
    warm(stack.url + "/pairs/")
    status, headers, _ = fetch(stack.url + "/pairs/", headers={"Cookie": "_ga=GA1.1; theme=x"})
    assert status == 200
    assert headers["X-Cache"] == "HIT"


def test_an_admin_change_shows_on_every_page_within_a_second(stack, newest):
    """The editor saves through the admin (through nginx and Varnish); the next request to each
    page showing the article gets the new title, with no TTL to wait for."""
    pages = {
        "article": newest["url"],
        "news list": "/news/",
        "home": "/",
        "column": newest["column_url"],
        "feed": "/news/feed/",
        "related article": newest["related_url"],
    }
    editor = signed_in_editor(stack)
    for url in pages.values():
        body = warm(stack.url + url)
        assert newest["title"] in body, f"{url} does not show the article"

    change = f"/admin/articles/article/{newest['pk']}/change/"
    new_title = f"质检快讯{secrets.token_hex(3)}"
    status, page = editor.submit(change, editor.open_form(change), title=new_title)
    assert status == 302, page[:500]
    saved = time.monotonic()

    missing = dict(pages)
    while missing and time.monotonic() - saved < 1.0:
        for name, url in list(missing.items()):
            status, _, body = fetch(stack.url + url)
            if status == 200 and new_title in body:
                del missing[name]
        if missing:
            time.sleep(0.05)
    assert not missing, f"still the old page after 1 s: {missing}"


def test_a_signed_in_editor_is_never_served_a_cached_page(stack):
    editor = signed_in_editor(stack)
    anonymous = warm(stack.url + "/meetings/")
    for _ in range(2):
        request = urllib.request.Request(
            stack.url + "/meetings/", headers={"Cookie": f"sessionid={editor.cookies['sessionid']}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["X-Cache"] == "MISS"
            cache_control = response.headers.get("Cache-Control", "")
            assert "private" in cache_control or "no-store" in cache_control, cache_control
    # The anonymous copy is still there, untouched by the editor's visits.
    status, headers, body = fetch(stack.url + "/meetings/")
    assert status == 200
    assert headers["X-Cache"] == "HIT"
    assert body == anonymous


def _png():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, (filename, content_type, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_an_uploaded_image_and_an_attachment_are_served_by_nginx(stack, newest):
    editor = signed_in_editor(stack)
    status, page = editor.get("/admin/articles/image/add/")
    assert status == 200
    token = _csrf_token(page)
    alt = f"上传测试{secrets.token_hex(3)}"
    png = _png()
    body, content_type = _multipart(
        [("csrfmiddlewaretoken", token), ("alt_text", alt), ("caption", "")],
        {"file": ("stack-test.png", "image/png", png)},
    )
    cookies = "; ".join(f"{k}={v}" for k, v in editor.cookies.items())
    status, _headers, answer = fetch(
        stack.url + "/admin/articles/image/add/",
        method="POST",
        headers={"Cookie": cookies, "Content-Type": content_type},
        data=body,
    )
    assert status == 302, answer[:800]

    attachment_bytes = b"%PDF-1.4\n% stack test attachment\n" + secrets.token_bytes(64)
    urls = stack.django(
        "import json\n"
        "from django.core.files.base import ContentFile\n"
        "from articles.models import Article, Attachment, Image\n"
        f"image = Image.objects.get(alt_text={alt!r})\n"
        f"article = Article.objects.get(pk={newest['pk']})\n"
        "attachment = Attachment(article=article, title='附件测试')\n"
        f"attachment.file.save('stack-report.pdf', ContentFile({attachment_bytes!r}))\n"
        "print(json.dumps([image.file.url, attachment.file.url]))"
    )
    for url, expected in zip(urls, (png, attachment_bytes), strict=True):
        assert url.startswith("/media/")
        headers, content = fetch_bytes(stack.url + url)
        assert content == expected, url
        assert headers["X-Served-By"] == "nginx"
        assert headers["X-Content-Type-Options"] == "nosniff"
        # gunicorn never serves uploads in production: only nginx can have answered.
        assert fetch(stack.gunicorn_url + url)[0] == 404


def test_static_files_are_served_by_nginx_with_long_cache_headers(stack):
    _, _, home = fetch(stack.url + "/")
    css = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
    headers, content = fetch_bytes(stack.url + css)
    assert content
    assert headers["X-Served-By"] == "nginx"
    assert "max-age=31536000" in headers["Cache-Control"]


def test_static_files_are_sent_precompressed_to_a_browser(stack):
    """collectstatic's .gz beside each file, sent as it is (gzip_static), not compressed again."""
    _, _, home = fetch(stack.url + "/")
    css = re.search(r'href="/static/([^"]+\.css)"', home).group(1)
    request = urllib.request.Request(
        f"{stack.url}/static/{css}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        headers, body = response.headers, response.read()
    assert headers["Content-Encoding"] == "gzip"
    assert body == (stack.stack.static_root / f"{css}.gz").read_bytes()


def test_pages_are_stored_gzipped_and_sent_as_stored_to_a_browser(stack):
    """Varnish keeps a page compressed once for the clients that take gzip (every browser) and
    plain for the others; each gets its copy through nginx as stored (nginx compressing every
    hit again cost more than all the rest of the request)."""

    def get(accept_encoding):
        request = urllib.request.Request(
            stack.url + "/news/", headers={"Accept-Encoding": accept_encoding}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers, response.read()

    get("gzip, deflate, br")
    headers, body = get("gzip, deflate, br")
    assert headers["X-Cache"] == "HIT"
    assert headers["Content-Encoding"] == "gzip"
    # A length up front: the stored bytes, not a compression on the way (that would be chunked).
    assert int(headers["Content-Length"]) == len(body)
    get("identity")
    plain_headers, plain = get("identity")
    assert plain_headers["X-Cache"] == "HIT"
    assert "Content-Encoding" not in plain_headers
    assert int(plain_headers["Content-Length"]) == len(plain)
    assert gzip.decompress(body) == plain


def test_internal_headers_stay_inside(stack):
    """The surrogate keys are for purging (PURGE reaches Varnish from the app only); readers
    see neither them nor which server runs the app."""
    warm(stack.url + "/news/")
    for url in (stack.url + "/news/", stack.varnish_url + "/news/"):
        _, headers, _ = fetch(url)
        assert "xkey" not in headers, url
        assert "gunicorn" not in headers.get("Server", ""), url
    # Still indexed by them: a purge of a key the page carries drops it.
    status, _, answer = purge(stack, "news")
    assert status == 200 and answer.startswith("Purged"), answer
    assert fetch(stack.url + "/news/")[1]["X-Cache"] == "MISS"


def test_purge_site_drops_every_cached_page(stack):
    """What the compose web command and make stack run after migrate: pages rendered by the
    previous version of the templates are not served again."""
    paths = ("/", "/news/", "/pairs/", "/en/")
    for path in paths:
        warm(stack.url + path)
    result = stack.stack.manage("purge_site", capture_output=True, text=True)
    assert f"Purged every public page from {stack.varnish_url}" in result.stdout
    for path in paths:
        status, headers, _ = fetch(stack.url + path)
        assert status == 200, path
        assert headers["X-Cache"] == "MISS", path


def test_english_pages_are_english_and_cached_apart(stack):
    status, headers, english = fetch(stack.url + "/en/")
    assert status == 200
    assert '<html lang="en"' in english
    status, headers, chinese = fetch(stack.url + "/")
    assert '<html lang="zh-hans"' in chinese.lower()
    assert headers["X-Cache"] in ("HIT", "MISS")
    status, headers, english_again = fetch(stack.url + "/en/")
    assert headers["X-Cache"] == "HIT"
    assert '<html lang="en"' in english_again


def test_purge_is_refused_from_readers(stack):
    status, _, _ = fetch(stack.url + "/", method="PURGE", headers={"xkey-purge": "site"})
    assert status in (403, 405)
    # Relayed by a proxy (two addresses in X-Forwarded-For once Varnish adds its peer).
    status, _, answer = fetch(
        stack.varnish_url + "/",
        method="PURGE",
        headers={"xkey-purge": "site", "X-Forwarded-For": "203.0.113.9"},
    )
    assert status == 403, answer


def test_a_purged_page_is_never_served_stale_while_the_backend_is_healthy(stack):
    warm(stack.url + "/agencies/")
    status, _, answer = purge(stack, "site")
    assert status == 200 and answer.startswith("Purged"), answer
    status, headers, _ = fetch(stack.url + "/agencies/")
    assert status == 200
    assert headers["X-Cache"] == "MISS"


def test_database_outage_cached_pages_stay_uncached_get_the_chinese_503(stack):
    """PostgreSQL cut off (its TCP proxy closed): pages Varnish holds are still served, even
    out of date (grace while the backend is sick), others get the Chinese 503 page; both work
    again once the database is back."""
    cached = stack.url + "/news/?outage-cached"
    uncached = stack.url + "/news/?outage-uncached"
    body = warm(cached)
    wait_for_backend(stack, "healthy")
    stack.proxy.down()
    try:
        wait_for_backend(stack, "sick")
        # Out of date now (as after an edit or its s-maxage): served only because of grace.
        assert purge(stack, "site")[0] == 200
        status, headers, stale = fetch(cached)
        assert status == 200
        assert headers["X-Cache"] == "HIT"
        assert stale == body
        status, headers, page = fetch(uncached)
        assert status == 503
        assert UNAVAILABLE in page
        assert "<html" in page
    finally:
        stack.proxy.up()
    wait_for_backend(stack, "healthy")
    status, headers, _ = fetch(uncached)
    assert status == 200
    status, headers, _ = fetch(cached)
    assert status == 200
    assert headers["X-Cache"] == "MISS"  # fetched again, not the stale copy


def test_the_app_sees_the_readers_address_through_both_proxies(stack):
    """nginx and Varnish each append to X-Forwarded-For and the app trusts exactly two: a failed
    login is recorded against the address nginx saw (the reader connects from 127.0.0.2; nginx
    reaches Varnish, and Varnish gunicorn, from 127.0.0.1), never one the client made up."""
    browser = Browser(stack.url)
    _status, page = browser.get("/admin/login/")
    token = _csrf_token(page)
    username = f"nobody-{secrets.token_hex(3)}"
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": "wrong"}
    )
    port = urllib.parse.urlsplit(stack.url).port
    connection = http.client.HTTPConnection("127.0.0.1", port, source_address=("127.0.0.2", 0))
    connection.request(
        "POST",
        "/admin/login/",
        body=body,
        headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items()),
            "X-Forwarded-For": "203.0.113.7",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200  # the form again, with its error
    addresses = stack.django(
        "import json\n"
        "from axes.models import AccessAttempt\n"
        f"print(json.dumps(list(AccessAttempt.objects.filter(username={username!r})"
        ".values_list('ip_address', flat=True))))"
    )
    assert addresses == ["127.0.0.2"]
