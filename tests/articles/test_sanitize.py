"""The body allow-list: what an editor pastes never carries script, style or foreign pictures."""

import pytest

from articles.sanitize import sanitize_html
from tests.factories import ArticleFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="/media/images/a.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<a href="&#106;avascript:alert(1)">点我</a>',
    '<p style="background:url(javascript:alert(1))">样式</p>',
    '<p class="evil" onclick="alert(1)">x</p>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    "<svg><script>alert(1)</script><circle onload=alert(1)></svg>",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body{display:none}</style>",
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example/"><input name="q"></form>',
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    "<!--<script>alert(1)</script>-->",
]
FORBIDDEN = ["<script", "onerror", "onclick", "onload", "javascript:", "style=", "class=",
             "data:", "<svg", "<iframe", "<style", "<object", "<embed", "<form", "<math",
             "alert(1)<"]  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_removed(payload):
    """No script, event handler, javascript:/data: URL, style, class or svg survives."""
    cleaned = sanitize_html(f"<p>前文</p>{payload}<p>后文</p>").lower()
    for needle in FORBIDDEN:
        assert needle not in cleaned, (payload, cleaned)
    assert "<p>前文</p>" in cleaned
    assert "<p>后文</p>" in cleaned


def test_allowed_structure_is_kept():
    """Paragraphs, h2-h4, lists, quotes, tables, emphasis and safe links stay as they were."""
    html = (
        "<h2>一</h2><h3>二</h3><h4>三</h4><p><strong>粗</strong><em>斜</em></p>"
        "<ul><li>甲</li></ul><ol><li>乙</li></ol><blockquote><p>引</p></blockquote>"
        '<table><thead><tr><th colspan="2">表头</th></tr></thead>'
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )
    assert sanitize_html(html) == html


def test_links_get_rel_and_only_safe_schemes():
    """http, https, mailto and relative links stay, with rel="noopener noreferrer"."""
    cleaned = sanitize_html(
        '<a href="https://www.aqsiq.gov.cn/" target="_blank">总局</a>'
        '<a href="mailto:news@example.cn">信箱</a>'
        '<a href="/news/2004/09/1/">站内</a>'
        '<a href="ftp://example.cn/x">ftp</a>'
    )
    assert '<a href="https://www.aqsiq.gov.cn/" rel="noopener noreferrer">总局</a>' in cleaned
    assert '<a href="mailto:news@example.cn" rel="noopener noreferrer">' in cleaned
    assert '<a href="/news/2004/09/1/" rel="noopener noreferrer">' in cleaned
    assert "ftp:" not in cleaned
    assert "target=" not in cleaned


@pytest.mark.parametrize(
    ("src", "kept"),
    [
        ("/media/images/2004/09/a.jpg", True),
        ("https://evil.example/a.jpg", False),
        ("//evil.example/media/a.jpg", False),
        ("/media/../admin/", False),
        ("/static/x.png", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_images_only_from_our_media(src, kept):
    """A picture in the body must come from MEDIA_URL; any other source is dropped."""
    cleaned = sanitize_html(f'<p><img src="{src}" alt="图"></p>')
    assert (f'src="{src}"' in cleaned) is kept
    assert ("<img" in cleaned) is kept  # a picture without its source is dropped whole


def test_empty_editor_paragraph_becomes_empty():
    """The editor's empty document (<p></p>) is stored as an empty body."""
    assert sanitize_html("<p></p>") == ""
    assert sanitize_html("") == ""


@pytest.mark.django_db
def test_save_stores_the_sanitized_body():
    """Every save, whoever calls it, stores the cleaned body: nothing unclean reaches the page."""
    article = ArticleFactory(body='<p onclick="x()">正文<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>正文</p>"
    article.body = '<a href="javascript:alert(1)">x</a>'
    article.save()
    article.refresh_from_db()
    assert "javascript" not in article.body


@pytest.mark.django_db
def test_public_page_never_shows_a_pasted_script(client):
    """What a reader receives contains neither the script nor the event handler."""
    article = ArticleFactory(
        body='<p>正文</p><script>alert("x")</script><img src=x onerror=alert(1)>'
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert 'alert("x")' not in content
    assert "onerror" not in content
