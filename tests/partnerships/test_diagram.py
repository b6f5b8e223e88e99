"""The pairing diagram: places by longitude and latitude, arcs helper→helped, readable labels."""

import pytest

from partnerships import demo
from partnerships.diagram import _label_box, _overlaps, pairing_diagram
from partnerships.models import HelpingPair
from tests.factories import AgencyFactory, DivisionFactory, HelpingPairFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def diagram():
    demo.load()
    return pairing_diagram(HelpingPair.objects.with_agencies())


def node(diagram, code):
    return next(n for n in diagram.nodes if n.code == code)


def test_north_is_up_and_east_is_right(diagram):
    zhongshan, fuyu, yanbian = (node(diagram, c) for c in ("442000", "230227", "222400"))
    assert fuyu.y < zhongshan.y  # 富裕 is north of 中山
    assert yanbian.x > zhongshan.x  # 延边 is east of 中山
    assert all(0 <= n.x <= diagram.width and 0 <= n.y <= diagram.height for n in diagram.nodes)


def test_one_arc_per_pair_from_helper_to_helped(diagram):
    assert len(diagram.arcs) == 8
    first = diagram.arcs[0]
    wenling, fuyu = node(diagram, "331081"), node(diagram, "230227")
    assert first.path.startswith(f"M{wenling.x:.1f},{wenling.y:.1f} Q")
    end_x, end_y = map(float, first.path.split()[-1].split(","))
    assert abs(end_x - fuyu.x) < 10 and abs(end_y - fuyu.y) < 10
    assert node(diagram, "331081").role == "helper"
    assert node(diagram, "230227").role == "helped"


def test_labels_do_not_overlap_each_other(diagram):
    boxes = [
        (n.label_x, n.label_y + 2 - 12, n.label_x + 12 * len(n.label), n.label_y + 2)
        for n in diagram.nodes
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _overlaps(a, b)
    assert {n.label for n in diagram.nodes} >= {"富裕县", "凤城县", "温岭市", "中山市"}


def test_label_box_sides():
    class Point:
        x, y, label = 100.0, 100.0, "温岭市"

    right, left = _label_box(Point, "right"), _label_box(Point, "left")
    assert right[0] > Point.x and left[2] < Point.x


def test_pairs_without_coordinates_are_left_out_and_counted():
    placed = HelpingPairFactory()
    nowhere = HelpingPairFactory(
        helped=AgencyFactory(division=DivisionFactory(latitude=None, longitude=None))
    )
    diagram = pairing_diagram(HelpingPair.objects.with_agencies())
    assert [arc.pair for arc in diagram.arcs] == [placed]
    assert diagram.missing == [nowhere]


def test_no_pairs_no_drawing():
    diagram = pairing_diagram([])
    assert (diagram.width, diagram.nodes, diagram.arcs) == (0, [], [])


def test_the_rendered_svg_has_no_outline_only_points_arcs_and_labels(client, diagram):
    html = client.get("/pairs/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<polygon" not in svg and "<polyline" not in svg
    # A role="img" hides its children from assistive technology: nothing in it may take focus.
    assert "<a " not in svg and "tabindex" not in svg
    # The only paths are the eight arcs and the arrowhead marker.
    assert svg.count("<path") == 9
    assert svg.count("<circle") == 16 + 8  # places, number badges


def test_two_agencies_in_one_place_get_a_loop_not_an_error():
    place = DivisionFactory()
    HelpingPairFactory(helper=AgencyFactory(division=place), helped=AgencyFactory(division=place))
    diagram = pairing_diagram(HelpingPair.objects.with_agencies())
    [arc] = diagram.arcs
    assert " C" in arc.path
    assert len(diagram.nodes) == 1
