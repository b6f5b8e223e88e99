"""The pairing diagram: places by longitude and latitude, helper joined to helped by arcs.

Deliberately no national or provincial outline (a map of China with borders needs an approved
standard map): only points, arcs and labels, computed here and drawn as inline SVG by the template.
"""

import math
from dataclasses import dataclass, field

FONT_SIZE = 12
PIXELS_PER_DEGREE = 22
MARGIN_X = 110  # room for labels left and right of the outermost points
MARGIN_Y = 28
POINT_RADIUS = 4.5


@dataclass
class Node:
    """A place on the diagram: one division, with the agencies of the pairs located there."""

    code: str
    label: str
    latitude: float
    longitude: float
    x: float = 0.0
    y: float = 0.0
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"
    helper: bool = False
    helped: bool = False

    @property
    def role(self):
        if self.helper and self.helped:
            return "both"
        return "helper" if self.helper else "helped"


@dataclass
class Arc:
    pair: object
    path: str
    number_x: float
    number_y: float


@dataclass
class Diagram:
    width: int
    height: int
    left: int = 0  # the viewBox origin: the drawing is cropped to what it shows
    top: int = 0
    nodes: list = field(default_factory=list)
    arcs: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # pairs left out for want of coordinates


def pairing_diagram(pairs):
    """Lay out ``pairs`` (with helper/helped and their divisions loaded); no database access."""
    nodes, placed_pairs, missing = {}, [], []
    for pair in pairs:
        ends = [pair.helper.division, pair.helped.division]
        if any(d is None or d.latitude is None or d.longitude is None for d in ends):
            missing.append(pair)
            continue
        for division, side in zip(ends, ("helper", "helped"), strict=True):
            node = nodes.get(division.code)
            if node is None:
                node = nodes[division.code] = Node(
                    division.code,
                    division.name,
                    float(division.latitude),
                    float(division.longitude),
                )
            setattr(node, side, True)
        placed_pairs.append(pair)
    if not nodes:
        return Diagram(width=0, height=0, missing=missing)

    lats = [n.latitude for n in nodes.values()]
    lons = [n.longitude for n in nodes.values()]
    # Equirectangular, with longitude shrunk by the cosine of the middle latitude so the
    # shapes look as they do on a map.
    shrink = math.cos(math.radians((max(lats) + min(lats)) / 2))
    west, north = min(lons), max(lats)
    for node in nodes.values():
        node.x = round(MARGIN_X + (node.longitude - west) * shrink * PIXELS_PER_DEGREE, 1)
        node.y = round(MARGIN_Y + (north - node.latitude) * PIXELS_PER_DEGREE, 1)
    width = math.ceil(2 * MARGIN_X + (max(lons) - west) * shrink * PIXELS_PER_DEGREE)
    height = math.ceil(2 * MARGIN_Y + (north - min(lats)) * PIXELS_PER_DEGREE)
    _place_labels(sorted(nodes.values(), key=lambda n: (n.y, n.x)), width, height)

    arcs = []
    for pair in placed_pairs:
        start = nodes[pair.helper.division.code]
        end = nodes[pair.helped.division.code]
        arcs.append(_arc(pair, start, end))
    diagram = Diagram(width, height, nodes=list(nodes.values()), arcs=arcs, missing=missing)
    _crop(diagram)
    return diagram


def _crop(diagram, padding=10):
    """Shrink the viewBox to the points, labels and arcs, so a phone shows them at their largest."""
    xs, ys = [], []
    for node in diagram.nodes:
        box = _label_box(node, "right")
        width = box[2] - box[0]
        xs += [node.x - POINT_RADIUS, node.x + POINT_RADIUS, node.label_x, node.label_x + width]
        ys += [node.y - POINT_RADIUS, node.y + POINT_RADIUS, node.label_y - FONT_SIZE]
        ys.append(node.label_y + 2)
    for arc in diagram.arcs:
        # A Bézier curve stays within its control points.
        numbers = arc.path.replace("M", " ").replace("Q", " ").replace("C", " ").split()
        for point in numbers:
            x, y = (float(v) for v in point.split(","))
            xs.append(x)
            ys.append(y)
        xs += [arc.number_x - 9, arc.number_x + 9]
        ys += [arc.number_y - 9, arc.number_y + 9]
    diagram.left = math.floor(min(xs) - padding)
    diagram.top = math.floor(min(ys) - padding)
    diagram.width = math.ceil(max(xs) + padding) - diagram.left
    diagram.height = math.ceil(max(ys) + padding) - diagram.top


def _arc(pair, start, end):
    """A quadratic curve bowing to the right of the helper→helped direction."""
    dx, dy = end.x - start.x, end.y - start.y
    length = math.hypot(dx, dy)
    if length < 2 * POINT_RADIUS:
        # Both agencies in (almost) one place: a small loop above the point.
        x, y = start.x, start.y
        path = (
            f"M{x:.1f},{y:.1f} C{x - 18:.1f},{y - 36:.1f} {x + 18:.1f},{y - 36:.1f} {x:.1f},{y:.1f}"
        )
        return Arc(pair, path, round(x, 1), round(y - 27, 1))
    bow = 0.18 * length
    cx = (start.x + end.x) / 2 - dy / length * bow
    cy = (start.y + end.y) / 2 + dx / length * bow
    # Stop short of the helped point so the arrowhead does not hide it.
    back = (POINT_RADIUS + 2) / math.hypot(end.x - cx, end.y - cy)
    ex, ey = end.x - (end.x - cx) * back, end.y - (end.y - cy) * back
    path = f"M{start.x:.1f},{start.y:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}"
    # The curve's midpoint (t = 0.5) carries the pair's number.
    mx = 0.25 * start.x + 0.5 * cx + 0.25 * end.x
    my = 0.25 * start.y + 0.5 * cy + 0.25 * end.y
    return Arc(pair, path, round(mx, 1), round(my, 1))


def _label_box(node, side):
    """The box a label would occupy on ``side`` of its point, and how it is anchored."""
    w, h, gap = len(node.label) * FONT_SIZE, FONT_SIZE, POINT_RADIUS + 3
    dx, dy = {
        "right": (gap, 0),
        "left": (-gap - w, 0),
        "above-right": (gap - 4, -h),
        "below-right": (gap - 4, h),
        "above-left": (-gap - w + 4, -h),
        "below-left": (-gap - w + 4, h),
    }[side]
    left, top = node.x + dx, node.y + dy - h / 2
    return (left, top, left + w, top + h)


def _overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(nodes, width, height):
    """Greedy placement: the first side whose box hits no placed label, no point, no edge."""
    taken = [
        (n.x - POINT_RADIUS, n.y - POINT_RADIUS, n.x + POINT_RADIUS, n.y + POINT_RADIUS)
        for n in nodes
    ]
    sides = ("right", "left", "above-right", "below-right", "above-left", "below-left")
    for node in nodes:
        chosen = None
        for side in sides:
            box = _label_box(node, side)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            own = (node.x - POINT_RADIUS, node.y - POINT_RADIUS)
            others = [t for t in taken if (t[0], t[1]) != own]
            if inside and not any(_overlaps(box, t) for t in others):
                chosen = (side, box)
                break
        side, box = chosen or ("right", _label_box(node, "right"))
        taken.append(box)
        node.anchor = "start"
        node.label_x = round(box[0], 1)
        # SVG text sits on its baseline: put it a little above the box's bottom.
        node.label_y = round(box[3] - 2, 1)
