"""A fixed corpus of articles and the queries that must find them (search recall tests)."""

import datetime

# key: (column slug, title, summary, body HTML, tags, published date)
PUBLISHED = {
    "symposium": (
        "meetings",
        "东北老工业基地质量兴市工作座谈会召开",
        "国家质检总局在黑龙江省齐齐哈尔市召开座谈会，促成八个帮扶对子。",
        "<p>2004年9月20日至21日，由国家质检总局组织召开的座谈会在齐齐哈尔市召开。"
        "江苏省常熟市技监局、广东省中山市技监局介绍了经验。</p>",
        ["质量兴市", "帮扶对子"],
        datetime.date(2004, 9, 21),
    ),
    "wenling_visit": (
        "news",
        "温岭市代表团赴富裕县参观考察",
        "会议一结束，温岭市的代表就马上前往富裕县参观考察。",
        "<p>浙江省温岭市政府与齐齐哈尔市富裕县政府结成帮扶对子，抓紧落实进一步合作事宜。</p>",
        ["帮扶对子"],
        datetime.date(2004, 9, 23),
    ),
    "closing_remarks": (
        "meetings",
        "于献忠司长在座谈会总结时的讲话",
        "质检总局质量司司长于献忠作会议总结。",
        "<p>振兴东北是我国的重要经济决策，各地质检部门要努力发挥职能。</p>",
        [],
        datetime.date(2004, 9, 22),
    ),
    "agreement": (
        "news",
        "帮扶双方签署质量兴市合作交流协议",
        "协议规定建立信息定期通报制度，在打假领域加强交流配合。",
        "<p>争取每年能有针对性地提出一两个合作项目，以促进两地经济的互补互利。</p>",
        ["合作协议"],
        datetime.date(2004, 9, 21),
    ),
    "iso9001": (
        "news",
        "全市企业推行ISO9001质量管理体系认证",
        "已有三百家企业通过 ISO 9001 认证。",
        "<p>质量技术监督局组织企业学习GB/T 19001标准，开展体系认证培训。</p>",
        ["认证"],
        datetime.date(2018, 3, 27),
    ),
    "ccc": (
        "news",
        "3C认证产品专项检查启动",
        "对电线电缆、插头插座等强制性产品认证目录内产品开展检查。",
        "<p>检查发现部分产品未加施CCC标志，执法人员依法查处。</p>",
        ["认证", "打假"],
        datetime.date(2023, 7, 28),
    ),
    "changshu": (
        "news",
        "常熟市质量技术监督局开展计量器具检定",
        "对集贸市场电子秤进行强制检定。",
        "<p>检定合格的计量器具贴上合格标志，不合格的责令停止使用。</p>",
        ["计量"],
        datetime.date(2005, 5, 10),
    ),
    "dunhua": (
        "news",
        "晋江市技监局与敦化市技监局交流打假经验",
        "两局在打击假冒伪劣方面互通信息。",
        "<p>晋江市技监局介绍了鞋服行业打假的做法，敦化市技监局介绍了人参市场的监管。</p>",
        ["打假"],
        datetime.date(2005, 6, 2),
    ),
    "zhongshan": (
        "news",
        "中山市技监局与齐齐哈尔市技监局签订合作项目",
        "两地确定灯饰产品质量提升项目。",
        "<p>中山市古镇灯饰企业与齐齐哈尔企业开展技术交流。</p>",
        ["合作项目"],
        datetime.date(2005, 3, 15),
    ),
    "food_safety": (
        "news",
        "食品生产许可证现场审查工作会议",
        "部署小作坊食品安全整治。",
        "<p>对米面油、乳制品生产企业实行生产许可证管理，加强监督抽查。</p>",
        ["食品安全"],
        datetime.date(2006, 4, 18),
    ),
    "boiler": (
        "news",
        "特种设备安全大检查：锅炉和电梯",
        "全面排查锅炉、压力容器和电梯的安全隐患。",
        "<p>特种设备检验所对全市在用电梯开展定期检验。</p>",
        ["特种设备"],
        datetime.date(2006, 11, 1),
    ),
    "standard": (
        "news",
        "地方标准《寒地水稻栽培技术规程》发布",
        "黑龙江省发布寒地水稻地方标准。",
        "<p>标准规定了寒地水稻育秧、插秧和田间管理的技术要求。</p>",
        ["标准化"],
        datetime.date(2007, 2, 8),
    ),
    "yuhang": (
        "news",
        "余杭区技监局赴金州区回访",
        "杭州市余杭区技监局与大连市金州区技监局回顾一年来的合作。",
        "<p>双方在质量兴区和名牌培育方面交流了做法。</p>",
        ["帮扶对子"],
        datetime.date(2005, 9, 20),
    ),
    "brand": (
        "news",
        "名牌战略推进会在青岛市黄岛区召开",
        "黄岛区介绍了培育名牌产品的经验。",
        "<p>会议表彰了一批中国名牌产品和省名牌产品企业。</p>",
        ["名牌"],
        datetime.date(2006, 6, 6),
    ),
    "aqsiq_notice": (
        "notices",
        "国家质量监督检验检疫总局关于开展质量月活动的通知",
        "每年九月为全国质量月。",
        "<p>各地质量技术监督部门要结合实际组织好质量月活动。</p>",
        ["质量月"],
        datetime.date(2006, 8, 25),
    ),
    "traditional": (
        "news",
        "兩岸計量標準交流會在廈門舉行",
        "兩岸專家交流計量標準建設經驗。",
        "<p>會議討論了量值溯源和校準實驗室能力驗證。</p>",
        ["计量"],
        datetime.date(2008, 12, 12),
    ),
    "fullwidth": (
        "news",
        "ＧＢ／Ｔ　１９００１标准宣贯培训班开班",
        "培训班讲解２０１６版标准的变化。",
        "<p>学员来自全市１２０家企业。</p>",
        [],
        datetime.date(2017, 4, 1),
    ),
    "counterfeit_fertilizer": (
        "news",
        "春季农资打假专项行动",
        "严厉打击制售假劣化肥、种子的违法行为。",
        "<p>执法人员查获假冒化肥二十吨，已立案查处。</p>",
        ["打假"],
        datetime.date(2007, 4, 3),
    ),
    "sipingsi": (
        "news",
        "四平市技监局与龙口市技监局开展信息通报",
        "两局按季度互送质量信息。",
        "<p>龙口市技监局通报了粉丝产品质量监督抽查结果。</p>",
        ["信息通报"],
        datetime.date(2005, 12, 30),
    ),
    "fengcheng": (
        "news",
        "凤城县技监局学习常熟经验",
        "丹东市凤城县技监局派员赴江苏考察。",
        "<p>考察组学习了常熟市服装产业质量提升的做法。</p>",
        ["帮扶对子"],
        datetime.date(2005, 4, 20),
    ),
    "measuring_ladder": (
        "news",
        "电梯维保单位质量评价",
        "首次对电梯维保单位开展质量评价。",
        "<p>评价结果向社会公布。</p>",
        [],
        datetime.date(2009, 10, 10),
    ),
}

# The same words as the published articles, so a leak would show in the results.
HIDDEN = {
    "draft": ("draft", "草稿：座谈会内部通报稿", "质量兴市 技监局 ISO9001 3C认证"),
    "review": ("review", "待审核：座谈会新闻稿", "质量兴市 技监局 座谈会"),
    "archived": ("archived", "已归档：座谈会旧稿", "质量兴市 技监局 座谈会"),
    "scheduled": ("published", "定时发布：座谈会周年回顾", "质量兴市 技监局 座谈会"),
}

# query: articles that must be among the first ten results
RECALL = {
    "座谈会": {"symposium", "closing_remarks"},
    "质量兴市": {"symposium", "agreement"},
    "齐齐哈尔": {"symposium", "zhongshan"},
    "技监局": {"dunhua", "zhongshan", "sipingsi", "yuhang", "fengcheng", "changshu", "symposium"},
    "质量技术监督局": {"changshu", "dunhua", "iso9001"},
    "常熟市技监局": {"changshu", "symposium"},
    "质检总局": {"symposium", "closing_remarks", "aqsiq_notice"},
    "国家质检总局": {"symposium", "closing_remarks", "aqsiq_notice"},
    "ISO9001": {"iso9001"},
    "iso 9001": {"iso9001"},
    "ＩＳＯ９００１": {"iso9001"},
    "3C认证": {"ccc"},
    "3c": {"ccc"},
    "GB/T 19001": {"iso9001", "fullwidth"},
    "打假": {"dunhua", "counterfeit_fertilizer", "agreement", "ccc"},
    "帮扶": {"symposium", "wenling_visit"},
    "富裕县": {"wenling_visit"},
    "温岭 富裕县": {"wenling_visit"},
    "于献忠": {"closing_remarks"},
    "电梯": {"boiler", "measuring_ladder"},
    "锅": {"boiler"},
    "梯": {"boiler", "measuring_ladder"},
    "计量标准": {"traditional"},
    "計量標準": {"traditional"},
    "两岸": {"traditional"},
    "水稻": {"standard"},
    "名牌": {"brand", "yuhang"},
    "信息通报": {"sipingsi"},
    "食品": {"food_safety"},
    "敦化": {"dunhua"},
    "19001": {"iso9001", "fullwidth"},
    "质量月": {"aqsiq_notice"},
}

# Queries about things the corpus never mentions.
UNRELATED = ["火星探测器", "足球联赛", "xyzzy", "量子计算机", "熊猫"]


def build_corpus():
    """Create the corpus (published and hidden articles); return ``{key: article}``."""
    from django.utils import timezone

    from articles.models import Article
    from tests.factories import ArticleFactory, ColumnFactory

    columns = {
        slug: ColumnFactory(slug=slug, name=name)
        for slug, name in [("news", "工作动态"), ("meetings", "会议报道"), ("notices", "通知公告")]
    }
    articles = {}
    for key, (column, title, summary, body, tags, day) in PUBLISHED.items():
        article = ArticleFactory(
            column=columns[column],
            title=title,
            summary=summary,
            body=body,
            published_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
        )
        if tags:
            article.tags.add(*tags)
        articles[key] = article
    now = timezone.now()
    for key, (status, title, text) in HIDDEN.items():
        articles[key] = ArticleFactory(
            column=columns["news"],
            title=title,
            summary=text,
            body=f"<p>{text}</p>",
            status=status,
            published_at=now + datetime.timedelta(days=3) if key == "scheduled" else None,
        )
    assert not Article.objects.published().filter(pk__in=[articles[k].pk for k in HIDDEN])
    return articles
