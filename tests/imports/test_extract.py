"""Extraction of pages: encodings, formats, dates, repetition, related lists (no database)."""

import datetime
from pathlib import Path

import pytest

from imports.extract import (
    ExtractedPage,
    ExtractionError,
    RelatedItem,
    decode,
    extract,
    find_date,
    remove_repetition,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
SEED = Path(__file__).resolve().parents[2] / "imports" / "seed_pages" / "000_d05c501f73f7c3bb.txt"
SEED_RELATED = [
    RelatedItem(
        "广东省委常委、广州市委书记、市长郭永航为市长质量奖获奖企业颁奖 在质量强国、质量强省…",
        datetime.date(2023, 7, 28),
    ),
    RelatedItem("四川成都市开展第二届“走进企业看质量”活动", datetime.date(2023, 7, 28)),
    RelatedItem("江苏省计量科学研究院雷击浪涌测试能力获得重大提升", datetime.date(2018, 3, 27)),
    RelatedItem(
        "立足便企惠民 助力质量提升 江苏检验检疫局着力提升认证执法监管成效",
        datetime.date(2018, 3, 27),
    ),
    RelatedItem("云南昆明市质监局“质监速度”推进“放管服", datetime.date(2018, 3, 27)),
]


def fixture(name):
    return (FIXTURES / name).read_bytes()


def hard_wrap(text, width):
    """Re-wrap every line at ``width`` characters, as a fixed-width editor would."""
    return "\n".join(
        "\n".join(line[i : i + width] for i in range(0, len(line), width)) or ""
        for line in text.splitlines()
    )


@pytest.fixture(scope="module")
def seed():
    return extract(SEED.read_bytes(), SEED.name)


def test_seed_title_is_its_first_line(seed):
    assert seed.title == "质量兴市 振兴东北——“东北老工业基地质量兴市工作座谈会”召开"


def test_seed_body_appears_once(seed):
    """The seed's body is written twice; the extraction keeps one copy of its five paragraphs."""
    assert seed.body_repeated
    assert len(seed.paragraphs) == 5
    assert seed.paragraphs[0].startswith("2004年9月20日至21日,由国家质检总局组织召开")
    assert seed.paragraphs[-1].endswith("共同推动我们民族的伟大复兴。")
    assert sum(p.count("质检总局质量司司长于献忠") for p in seed.paragraphs) == 1


def test_seed_related_items_have_titles_and_dates(seed):
    assert seed.related == SEED_RELATED
    assert not any(p.startswith("-") for p in seed.paragraphs)


def test_seed_date_is_the_last_day_of_the_meeting_it_reports(seed):
    """No date line: the body's first date, a range 20日至21日, gives its last day."""
    assert seed.published_on == datetime.date(2004, 9, 21)
    assert seed.published_time is None
    assert seed.date_from_body
    assert any("推断" in warning for warning in seed.warnings)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("width", [None, 20, 37, 60])
def test_seed_reencoded_or_rewrapped_has_the_same_fingerprint(seed, encoding, width):
    """Another encoding or another line width changes neither the text nor the fingerprint."""
    text = SEED.read_text(encoding="utf-8")
    if width:
        text = hard_wrap(text, width)
    page = extract(text.encode(encoding), "copy.txt")
    assert page.fingerprint == seed.fingerprint
    assert page.title == seed.title
    assert [item.date for item in page.related] == [item.date for item in seed.related]
    assert "".join(page.paragraphs) == "".join(seed.paragraphs)


def test_changed_words_change_the_fingerprint(seed):
    text = SEED.read_text(encoding="utf-8").replace("效率很高", "效率非常高")
    assert extract(text.encode()).fingerprint != seed.fingerprint


def test_gbk_html_page():
    """A GBK page declaring gb2312: title, meta line, body without boilerplate, related list."""
    page = extract(fixture("gbk_news.html"), "gbk_news.html")
    assert page.format == "html"
    assert page.encoding == "GBK"
    assert page.title == "常熟市技监局赴凤城县技监局交流质量兴市经验"
    assert page.published_on == datetime.date(2005, 3, 15)
    assert page.published_time == datetime.time(10, 30)
    assert not page.date_from_body
    assert page.source == "常熟市质量技术监督局"
    assert page.author == "张明"
    assert page.paragraphs == [
        "3月14日，江苏省常熟市技监局一行五人来到辽宁省丹东市凤城县技监局，"
        "就落实“质量兴市合作交流协议”进行交流。",
        "双方介绍了各自开展质量兴市活动的情况，商定今年联合开展一次打假行动，"
        "并建立每季度一次的信息通报制度。",
        "凤城县技监局表示，将认真学习常熟的经验，推动本地企业提高产品质量。",
    ]
    assert page.paragraphs_removed == 1
    assert page.related == [
        RelatedItem("东北老工业基地质量兴市工作座谈会召开", datetime.date(2004, 9, 21)),
        RelatedItem("常熟市开展质量月活动", datetime.date(2004, 9, 1)),
    ]
    everything = page.text + page.title + "".join(item.title for item in page.related)
    for boilerplate in ("首页", "当前位置", "打印本页", "版权所有", "侧栏新闻", "统计代码"):
        assert boilerplate not in everything


def test_utf8_html_page_with_its_body_twice():
    """A print copy of the body in the same page is dropped; the canonical URL is kept."""
    page = extract(fixture("utf8_news.html"), "utf8_news.html")
    assert page.encoding == "UTF-8"
    assert page.title == "中山市技监局与齐齐哈尔市技监局签订合作项目"
    assert page.published_on == datetime.date(2005, 4, 2)
    assert page.published_time == datetime.time(9, 0)
    assert page.source == "中山市质量技术监督局"
    assert page.url == "https://zj.example.gov.cn/news/2005/0402.html"
    assert len(page.paragraphs) == 2
    assert page.body_repeated
    assert page.related == [RelatedItem("中山市技监局赴齐齐哈尔考察", datetime.date(2004, 10, 8))]
    assert "Copyright" not in page.text


def test_old_table_layout_page_with_br_paragraphs():
    """An old government page: tables, <font>, <br> between paragraphs, GBK without a BOM."""
    page = extract(fixture("gbk_table_layout.htm"), "gbk_table_layout.htm")
    assert page.encoding == "GBK"
    assert page.title == "宁安市技监局开展计量检查"
    assert (page.author, page.source) == ("王刚", "宁安市质量技术监督局")
    assert page.published_on == datetime.date(2005, 5, 6)
    assert page.paragraphs == [
        "5月5日，黑龙江省宁安市技监局对全市集贸市场的计量器具进行了专项检查。",
        "检查中发现不合格计量器具十二台，已责令限期改正。",
        "下一步，宁安市技监局将把计量检查作为常态工作。",
    ]
    assert page.related == []


def test_gbk_plain_text_with_wrapped_paragraphs_and_a_repeated_one():
    page = extract(fixture("gbk_plain.txt"), "gbk_plain.txt")
    assert page.format == "text"
    assert page.encoding == "GBK"
    assert page.title == "余杭区技监局与金州区技监局开展联合打假"
    assert page.source == "杭州市余杭区质量技术监督局"
    assert page.published_on == datetime.date(2005, 6, 1)
    assert page.paragraphs == [
        "5月下旬，浙江省杭州市余杭区技监局与辽宁省大连市金州区技监局联合开展了"
        "一次打击制售假冒伪劣产品的专项行动，查获一批假冒电线电缆。",
        "双方约定，今后每半年通报一次打假信息，共同维护两地市场秩序。",
    ]
    assert page.paragraphs_removed == 1
    assert not page.body_repeated


def test_text_page_furniture_is_left_out():
    text = (
        "首页 > 新闻中心 > 工作动态\n"
        "质监局开展培训\n"
        "发布时间：2005-02-03　点击数：56\n"
        "2月2日，质监局举办了计量知识培训班。\n"
        "【打印本页】【关闭窗口】\n"
        "版权所有：某某质量技术监督局\n"
    )
    page = extract(text.encode("gbk"))
    assert page.title == "质监局开展培训"
    assert page.paragraphs == ["2月2日，质监局举办了计量知识培训班。"]
    assert page.published_on == datetime.date(2005, 2, 3)


def test_text_page_without_repetition_keeps_every_paragraph():
    text = "标题\n2005-01-02\n第一段。\n第二段。\n第三段。\n"
    page = extract(text.encode())
    assert page.paragraphs == ["第一段。", "第二段。", "第三段。"]
    assert not page.body_repeated
    assert page.paragraphs_removed == 0


@pytest.mark.parametrize(
    "line, expected",
    [
        ("2004年9月20日", (datetime.date(2004, 9, 20), None)),
        ("2004-09-20", (datetime.date(2004, 9, 20), None)),
        ("2004/9/20", (datetime.date(2004, 9, 20), None)),
        ("2004.9.20", (datetime.date(2004, 9, 20), None)),
        ("2004年9月20日 14:05", (datetime.date(2004, 9, 20), datetime.time(14, 5))),
        ("2004-09-20 08:30:15", (datetime.date(2004, 9, 20), datetime.time(8, 30, 15))),
        ("2004/9/20 8:30", (datetime.date(2004, 9, 20), datetime.time(8, 30))),
        ("2004年9月20日14时05分", (datetime.date(2004, 9, 20), datetime.time(14, 5))),
        ("2004-13-45", (None, None)),
        ("第2004号", (None, None)),
    ],
)
def test_date_forms(line, expected):
    assert find_date(line) == expected


@pytest.mark.parametrize(
    "meta_line, source, author, date",
    [
        (
            "来源：国家质检总局　作者：李华　发布时间：2004-09-21",
            "国家质检总局",
            "李华",
            "2004-09-21",
        ),
        ("发布日期:2004年9月21日 信息来源:质量司", "质量司", "", "2004-09-21"),
        ("【来源：中山市技监局】【日期：2004/9/21 10:00】", "中山市技监局", "", "2004-09-21"),
        ("2004年9月21日", "", "", "2004-09-21"),
    ],
)
def test_meta_lines_of_text_pages(meta_line, source, author, date):
    page = extract(f"标题\n{meta_line}\n正文一段，不是元数据。\n".encode())
    assert (page.source, page.author, page.published_on.isoformat()) == (source, author, date)
    assert page.paragraphs == ["正文一段，不是元数据。"]
    assert not page.date_from_body


def test_gb18030_only_characters_are_detected_as_gb18030():
    """A character outside GBK (CJK Extension B) makes the page GB18030, still decoded right."""
    text = "标题𠀀\n2005-01-02\n正文里有扩展字𠀀。\n"
    page = extract(text.encode("gb18030"))
    assert page.encoding == "GB18030"
    assert page.title == "标题𠀀"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "空"),
        (b"  \n ", "空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
        (b"\xff\xff\xff\x80\x80", "编码"),
        ("只有标题\n".encode(), "正文"),
        (b"<html><body><div class='nav'><a href='/'>home</a></div></body></html>", "正文"),
    ],
)
def test_unusable_pages_are_refused_with_a_reason(data, reason):
    with pytest.raises(ExtractionError, match=reason):
        extract(data, "broken.html")


def test_fixture_broken_files_are_refused():
    for name in ("broken.html", "empty_page.html"):
        with pytest.raises(ExtractionError):
            extract(fixture(name), name)


def test_declared_charset_is_used_when_the_bytes_are_not_utf8():
    html = (
        '<html><head><meta charset="big5"><title>標題</title></head>'
        "<body><p>正文內容很長的一段文字。</p></body></html>"
    )
    text, encoding = decode(html.encode("big5"))
    assert encoding == "BIG5"
    assert "正文內容" in text


def test_body_twice_with_other_paragraph_breaks_is_kept_once():
    first = ["甲乙丙丁。戊己庚辛。", "壬癸子丑。"]
    second = ["甲乙丙丁。", "戊己庚辛。壬癸子丑。"]
    kept, repeated, removed = remove_repetition(first + second)
    assert kept == first
    assert repeated
    assert removed == 0


def test_html_rewrapped_markup_has_the_same_fingerprint():
    """The same article in differently wrapped markup is the same text."""
    one = (
        "<html><head><title>标题</title></head><body><h1>标题</h1><div>"
        "<p>这是第一段正文，讲的是质量兴市。</p><p>这是第二段正文，讲的是帮扶对子。</p>"
        "</div></body></html>"
    )
    two = """<html>
      <head><title>标题</title></head>
      <body>
        <h1>
          标题
        </h1>
        <div>
          <p>这是第一段正文，
             讲的是质量兴市。</p>
          <p>这是第二段正文，讲的是
             帮扶对子。</p>
        </div>
      </body>
    </html>"""
    assert extract(one.encode()).fingerprint == extract(two.encode("gbk")).fingerprint
    assert extract(two.encode()).paragraphs == [
        "这是第一段正文，讲的是质量兴市。",
        "这是第二段正文，讲的是帮扶对子。",
    ]


def test_round_trip_through_a_dict(seed):
    """The admin keeps pending pages as dicts in the session; nothing is lost on the way."""
    again = ExtractedPage.from_dict(seed.to_dict())
    assert again == seed
    assert again.fingerprint == seed.fingerprint
