"""Draw the procedure figures (figures/<procedure-id>.svg) from a few shared parts.

    python scripts/make_figures.py          # rewrites figures/*.svg

Every figure has the same plan, so a reader learns it once: on the left a small body outline
with the treated area highlighted (WHERE), on the right a framed close-up of what is done there
(WHAT). Shapes only (no text, fonts, images or links), so the safe SVG loader used for logos
accepts them. Two colour tokens are swapped for the clinic's colours when a handout is built:
PRIMARY for what the doctor does (needle, device, wires, medicine), ACCENT for the highlighted
area; everything else is neutral grey.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "figures"

PRIMARY = "#000001"  # replaced by the clinic's primary colour
ACCENT = "#000002"  # replaced by the clinic's accent colour
OUTLINE = "#9a9a9a"  # body outline: light
SKIN = "#f2f2f2"
BONE = "#e2e2e2"
BONE_EDGE = "#7d7d7d"
DISC = "#c4c4c4"
NERVE = "#5a5a5a"
FRAME = "#b5b5b5"

WIDTH, HEIGHT = 220, 140  # about 2.2 in x 1.4 in
BODY_X = 45.0  # centre line of the small body
INSET = (92.0, 4.0, 124.0, 132.0)  # x, y, width, height of the close-up frame
INSET_CX = INSET[0] + INSET[2] / 2  # 154
INSET_CY = INSET[1] + INSET[3] / 2  # 70


def fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def smooth_path(points: list[tuple[float, float]], closed: bool = True) -> str:
    """A Catmull-Rom curve through the points as cubic Beziers: smooth outlines from few numbers."""
    n = len(points)
    pts = points
    out = [f"M{fmt(pts[0][0])} {fmt(pts[0][1])}"]
    count = n if closed else n - 1
    for i in range(count):
        p0 = pts[(i - 1) % n] if (closed or i > 0) else pts[i]
        p1, p2 = pts[i], pts[(i + 1) % n]
        p3 = pts[(i + 2) % n] if (closed or i + 2 < n) else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        out.append(f"C{fmt(c1[0])} {fmt(c1[1])} {fmt(c2[0])} {fmt(c2[1])} {fmt(p2[0])} {fmt(p2[1])}")
    return "".join(out) + ("Z" if closed else "")


def attrs(**kw: object) -> str:
    return "".join(f' {k.replace("_", "-")}="{fmt(v) if isinstance(v, float) else v}"' for k, v in kw.items())


def path(d: str, **kw: object) -> str:
    return f'<path d="{d}"{attrs(**kw)}/>'


def group(children: str, **kw: object) -> str:
    """Shared attributes once for many shapes: keeps the files small."""
    return f"<g{attrs(**kw)}>{children}</g>"


def segments(pairs: list[tuple[float, float, float, float]], **kw: object) -> str:
    """Many straight strokes as one path: one shape for the PDF converter instead of many."""
    return path("".join(f"M{fmt(x1)} {fmt(y1)}L{fmt(x2)} {fmt(y2)}" for x1, y1, x2, y2 in pairs), **kw)


def line(x1: float, y1: float, x2: float, y2: float, **kw: object) -> str:
    return f'<line x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}"{attrs(**kw)}/>'


def circle(cx: float, cy: float, r: float, **kw: object) -> str:
    return f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(r)}"{attrs(**kw)}/>'


def ellipse(cx: float, cy: float, rx: float, ry: float, **kw: object) -> str:
    return f'<ellipse cx="{fmt(cx)}" cy="{fmt(cy)}" rx="{fmt(rx)}" ry="{fmt(ry)}"{attrs(**kw)}/>'


def rect(x: float, y: float, w: float, h: float, r: float = 0, **kw: object) -> str:
    return (f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(w)}" height="{fmt(h)}" rx="{fmt(r)}" ry="{fmt(r)}"'
            f'{attrs(**kw)}/>')


def polygon(points: list[tuple[float, float]], **kw: object) -> str:
    return f'<polygon points="{" ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)}"{attrs(**kw)}/>'


# -- the small body (WHERE) --------------------------------------------------------------------

# Right half of a standing figure, from the neck down to the crotch, as (offset from centre, y).
_BODY_HALF = [
    (4.2, 22.5), (4.6, 26.5), (10.0, 29.0), (16.0, 31.0), (19.2, 34.5), (20.6, 45.0), (22.0, 58.0),
    (23.4, 69.0), (24.6, 75.5), (22.6, 81.0), (20.2, 76.5), (18.6, 68.0), (17.0, 55.0), (15.2, 42.5),
    (14.2, 50.0), (13.2, 60.0), (14.6, 70.0), (15.6, 79.0), (15.0, 92.0), (13.6, 108.0), (12.6, 122.0),
    (13.6, 129.5), (12.4, 133.5), (5.8, 133.5), (5.6, 124.0), (4.6, 108.0), (3.6, 92.0), (1.4, 82.0),
]


def body_outline() -> str:
    """A plain standing figure (the same for front and back view), light so highlights stand out."""
    right = [(BODY_X + dx, y) for dx, y in _BODY_HALF]
    left = [(BODY_X - dx, y) for dx, y in reversed(_BODY_HALF)]
    style = dict(fill=SKIN, stroke=OUTLINE, stroke_width=1.3, stroke_linejoin="round")
    return path(smooth_path(right + left), **style) + ellipse(BODY_X, 13.5, 8.2, 9.6, **style)


def back_marks() -> str:
    """A dotted spine down the back, so the figure reads as seen from behind."""
    return line(BODY_X, 27, BODY_X, 81, stroke=OUTLINE, stroke_width=2.6, stroke_dasharray="2 2")


def highlight(cx: float, cy: float, rx: float, ry: float) -> str:
    return ellipse(cx, cy, rx, ry, fill=ACCENT, fill_opacity=0.45, stroke=ACCENT, stroke_width=1.2)


def zoom(cx: float, cy: float) -> str:
    """A faint wedge from the highlighted spot to the close-up frame: 'this part, larger'."""
    x, y, _, h = INSET
    return polygon([(cx, cy), (x, y + 6), (x, y + h - 6)], fill="#ececec")


def where(spots: list[tuple[float, float, float, float]], back: bool = True, extra: str = "") -> str:
    """The small body with highlighted spots (cx, cy, rx, ry); the first spot leads to the close-up."""
    cx, cy = spots[0][:2]
    return (zoom(cx, cy) + body_outline() + (back_marks() if back else "") + extra
            + "".join(highlight(*s) for s in spots))


def frame() -> str:
    x, y, w, h = INSET
    return rect(x, y, w, h, 10, fill="#ffffff", stroke=FRAME, stroke_width=1.2)


# -- tools and effects (WHAT) -----------------------------------------------------------------

def needle(x_out: float, y_out: float, x_tip: float, y_tip: float) -> str:
    """A thin needle from outside (with its hub) to the tip."""
    length = math.hypot(x_tip - x_out, y_tip - y_out)
    ux, uy = (x_tip - x_out) / length, (y_tip - y_out) / length
    hub_end = (x_out + ux * 10, y_out + uy * 10)
    return (line(x_out, y_out, x_tip, y_tip, stroke=PRIMARY, stroke_width=2, stroke_linecap="round")
            + line(x_out - ux * 2, y_out - uy * 2, *hub_end, stroke=PRIMARY, stroke_width=6, stroke_linecap="round"))


def medicine(cx: float, cy: float, rx: float = 7, ry: float = 5) -> str:
    """Medicine spreading around the needle tip."""
    return ellipse(cx, cy, rx, ry, fill=PRIMARY, fill_opacity=0.3)


def heat(cx: float, cy: float, r: float = 9) -> str:
    """A glowing tip with short rays, like a small sun: heat."""
    rays = []
    for k in range(8):
        a = math.radians(45 * k + 22.5)
        rays.append((cx + math.cos(a) * r * 0.8, cy + math.sin(a) * r * 0.8, cx + math.cos(a) * r * 1.25,
                     cy + math.sin(a) * r * 1.25))
    return (circle(cx, cy, r * 0.55, fill=ACCENT, fill_opacity=0.6, stroke=ACCENT, stroke_width=1)
            + segments(rays, fill="none", stroke=ACCENT, stroke_width=1.6, stroke_linecap="round"))


def snowflake(cx: float, cy: float, r: float = 9) -> str:
    """A six-armed snowflake: cold."""
    out = []
    for k in range(6):
        a = math.radians(60 * k + 90)
        ex, ey = cx + math.cos(a) * r, cy + math.sin(a) * r
        out.append((cx, cy, ex, ey))
        bx, by = cx + math.cos(a) * r * 0.6, cy + math.sin(a) * r * 0.6
        for side in (-1, 1):
            b = a + side * math.radians(45)
            out.append((bx, by, bx + math.cos(b) * r * 0.35, by + math.sin(b) * r * 0.35))
    return segments(out, fill="none", stroke=PRIMARY, stroke_width=1.5, stroke_linecap="round")


def lead(points: list[tuple[float, float]], contacts: int = 0) -> str:
    """A thin wire (stimulator lead or catheter) along the points; optional contacts at its first end."""
    d = smooth_path(points, closed=False) if len(points) > 2 else (
        f"M{fmt(points[0][0])} {fmt(points[0][1])}L{fmt(points[1][0])} {fmt(points[1][1])}")
    out = path(d, fill="none", stroke=PRIMARY, stroke_width=2, stroke_linecap="round")
    if contacts:
        (x0, y0), (x1, y1) = points[0], points[1]
        length = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        for k in range(contacts):
            t = 2 + k * 6
            out += line(x0 + ux * t, y0 + uy * t, x0 + ux * (t + 3.2), y0 + uy * (t + 3.2),
                        stroke=PRIMARY, stroke_width=4.4)
    return out


# -- spine close-ups ----------------------------------------------------------------------------

BACK_LEVELS = (22.0, 62.0, 102.0)  # vertebra centres in the seen-from-behind close-up

def spine_back_view(levels: tuple[float, ...] = BACK_LEVELS, cx: float = INSET_CX) -> str:
    """Vertebrae seen from behind: facet joints beside the midline, nerve roots leaving sideways."""
    roots, bones, joints = [], [], []
    for cy in levels:
        for side in (-1, 1):
            roots.append(f"M{fmt(cx + side * 18)} {fmt(cy + 14)}Q{fmt(cx + side * 34)} {fmt(cy + 18)} "
                         f"{fmt(cx + side * 52)} {fmt(cy + 28)}")
        bones.append(rect(cx - 36, cy - 5, 72, 9, 4.5))  # transverse processes
        bones.append(rect(cx - 19, cy - 12, 38, 22, 7))  # lamina
        bones.append(rect(cx - 4.5, cy - 8, 9, 25, 4))  # spinous process, pointing down
    for upper, lower in zip(levels, levels[1:]):
        for side in (-1, 1):
            x = cx + side * 14
            bones.append(rect(x - 4.5, upper + 8, 9, lower - upper - 16, 4))  # articular processes
            joints.append(facet(x, (upper + lower) / 2))
    return (path("".join(roots), fill="none", stroke=NERVE, stroke_width=2)
            + group("".join(bones), fill=BONE, stroke=BONE_EDGE, stroke_width=1.1) + "".join(joints))


def facet(x: float, y: float, active: bool = False) -> str:
    colour = dict(fill=ACCENT, fill_opacity=0.55, stroke=ACCENT) if active else dict(fill=BONE, stroke=BONE_EDGE)
    return ellipse(x, y, 6, 4.2, stroke_width=1.2, **colour) + line(x - 5, y, x + 5, y, stroke=BONE_EDGE,
                                                                     stroke_width=1)


def medial_branch(cx: float, cy: float, side: int, active: bool = False) -> str:
    """The small nerve from a root curling to the facet joint below (cy is the level of the root)."""
    x0, y0 = cx + side * 30, cy + 17
    d = (f"M{fmt(x0)} {fmt(y0)}Q{fmt(cx + side * 30)} {fmt(cy + 30)} {fmt(cx + side * 21)} {fmt(cy + 34)}")
    colour = ACCENT if active else NERVE
    return path(d, fill="none", stroke=colour, stroke_width=2.4 if active else 1.5, stroke_linecap="round")


def spine_side_view(top: float = 8.0, count: int = 4, pitch: float = 31.0, collapsed: int = -1,
                    x_front: float = 112.0) -> str:
    """Vertebrae seen from the side: front (belly side) to the left, back to the right.

    Bodies and discs in front, the canal with the spinal nerves behind them, then the bony
    arches whose spines point to the back.
    """
    out = []
    body_w, body_h = 30.0, pitch - 8
    canal_x = x_front + body_w + 4
    bottom = top + count * pitch
    y0, y1 = INSET[1] + 2, INSET[1] + INSET[3] - 2  # the canal runs on past the frame's edge
    out.append(rect(canal_x + 3, y0, 9, y1 - y0, 0, fill=DISC))
    out.append(line(canal_x + 3, y0, canal_x + 3, y1, stroke=NERVE, stroke_width=1))
    out.append(line(canal_x + 12, y0, canal_x + 12, y1, stroke=NERVE, stroke_width=1))
    for k in range(count):
        y = top + k * pitch
        h = body_h * (0.6 if k == collapsed else 1)
        dy = body_h - h
        out.append(path(f"M{fmt(canal_x + 16)} {fmt(y + 3)}L{fmt(canal_x + 36)} {fmt(y + 12)}"
                        f"L{fmt(canal_x + 40)} {fmt(y + 20)}L{fmt(canal_x + 34)} {fmt(y + 22)}"
                        f"L{fmt(canal_x + 16)} {fmt(y + 17)}Z", fill=BONE, stroke=BONE_EDGE, stroke_width=1.1))
        out.append(rect(x_front, y + dy, body_w, h, 4, fill=BONE, stroke=BONE_EDGE, stroke_width=1.1))
        if k < count - 1:
            out.append(rect(x_front + 1, y + body_h + 1.2, body_w - 2, 5.6, 2.8, fill=DISC, stroke=BONE_EDGE,
                            stroke_width=0.8))
    return "".join(out)


def spine_column(top: float = 10.0, count: int = 4, pitch: float = 31.0, collapsed: int = -1,
                 cx: float = INSET_CX, disc_fill: dict[int, str] | None = None) -> str:
    """Spine bones and discs as a simple stack, seen from behind: for the disc and bone procedures."""
    out = []
    w, body_h = 44.0, pitch - 9
    disc_fill = disc_fill or {}
    for k in range(count):
        y = top + k * pitch
        h = body_h * (0.55 if k == collapsed else 1)
        out.append(rect(cx - w / 2, y + (body_h - h) / 2, w, h, 5, fill=BONE, stroke=BONE_EDGE, stroke_width=1.1))
        if k < count - 1:
            fill = disc_fill.get(k, DISC)
            out.append(rect(cx - w / 2 + 1, y + body_h + 1.5, w - 2, 6, 3, fill=fill, stroke=BONE_EDGE,
                            stroke_width=0.8))
    return "".join(out)


# -- the twenty figures -------------------------------------------------------------------------

LOW_BACK = (BODY_X, 70.0, 10.0, 7.0)
MID_BACK = (BODY_X, 58.0, 9.0, 7.0)


def epidural_steroid_injection() -> str:
    return (where([LOW_BACK]) + frame() + spine_side_view()
            + medicine(161, 64, 5, 14) + needle(214, 58, 163, 64))


def facet_joint_injection() -> str:
    upper, lower = BACK_LEVELS[1:]
    x, y = INSET_CX + 14, (upper + lower) / 2
    return (where([LOW_BACK]) + frame() + spine_back_view() + facet(x, y, active=True)
            + medicine(x, y, 6, 5) + needle(212, 124, x + 2, y + 1))


def _branch_targets() -> list[tuple[float, float]]:
    """Where the small nerves to one facet joint cross the bone: the needle tips for MBB and RFA."""
    return [(INSET_CX + 25, cy + 32) for cy in BACK_LEVELS[:2]]


def _medial_branch_needles(effect: Callable[[float, float], str]) -> str:
    out = "".join(medial_branch(INSET_CX, cy, 1, True) for cy in BACK_LEVELS[:2])
    for x, y in _branch_targets():
        out += effect(x, y) + needle(212, y - 14, x, y)
    return where([LOW_BACK]) + frame() + spine_back_view() + out


def medial_branch_block() -> str:
    return _medial_branch_needles(lambda x, y: medicine(x, y, 5, 4))


def radiofrequency_ablation() -> str:
    return _medial_branch_needles(lambda x, y: heat(x, y, 8))


def selective_nerve_root_block() -> str:
    cx, cy = INSET_CX, BACK_LEVELS[1]
    root = path(f"M{fmt(cx + 18)} {fmt(cy + 14)}Q{fmt(cx + 34)} {fmt(cy + 18)} {fmt(cx + 52)} {fmt(cy + 28)}",
                fill="none", stroke=ACCENT, stroke_width=3.2, stroke_linecap="round")
    return (where([LOW_BACK]) + frame() + spine_back_view() + root + medicine(cx + 32, cy + 18, 7, 5)
            + needle(212, cy - 10, cx + 32, cy + 17))


def sacroiliac_joint_injection() -> str:
    cx = INSET_CX
    bone = dict(fill=BONE, stroke=BONE_EDGE, stroke_width=1.1)
    out = [rect(cx - 17, 8, 34, 20, 5, **bone), rect(cx - 16, 31, 32, 5, 2.5, fill=DISC)]
    for s in (-1, 1):  # thigh bones, then the hip bones: wide wings either side of the sacrum
        out.append(path(f"M{fmt(cx + s * 40)} 104L{fmt(cx + s * 48)} 136", fill="none", stroke=BONE_EDGE,
                        stroke_width=12, stroke_linecap="round"))
        out.append(path(f"M{fmt(cx + s * 40)} 104L{fmt(cx + s * 48)} 136", fill="none", stroke=BONE,
                        stroke_width=10, stroke_linecap="round"))
        out.append(circle(cx + s * 38, 100, 8, **bone))
        wing = [(cx + s * 16, 48), (cx + s * 28, 32), (cx + s * 48, 26), (cx + s * 58, 34), (cx + s * 54, 58),
                (cx + s * 46, 80), (cx + s * 44, 98), (cx + s * 30, 100), (cx + s * 24, 86), (cx + s * 16, 76)]
        out.append(path(smooth_path(wing), **bone))
    sacrum = [(cx - 19, 40), (cx + 19, 40), (cx + 16, 72), (cx + 7, 98), (cx, 110), (cx - 7, 98), (cx - 16, 72)]
    out.append(path(smooth_path(sacrum), **bone))
    joint = path(f"M{fmt(cx + 19)} 44Q{fmt(cx + 19)} 62 {fmt(cx + 15)} 80", fill="none", stroke=ACCENT,
                 stroke_width=3.6, stroke_linecap="round")
    spots = [(BODY_X + 6, 78.0, 4.5, 5.0), (BODY_X - 6, 78.0, 4.5, 5.0)]
    return (where(spots) + frame() + "".join(out) + joint + medicine(cx + 17, 72, 5, 7)
            + needle(212, 118, cx + 17, 74))


def kyphoplasty_vertebroplasty() -> str:
    cx, top, pitch = INSET_CX, 10.0, 31.0
    y = top + 2 * pitch
    cement = ellipse(cx, y + 11, 15, 5.2, fill=PRIMARY, fill_opacity=0.85)
    return (where([MID_BACK]) + frame() + spine_column(collapsed=2) + cement
            + needle(208, 40, cx + 6, y + 11))


def discography() -> str:
    cx, top, pitch = INSET_CX, 10.0, 31.0
    disc_y = top + 1 * pitch + 22 + 4.5
    return (where([LOW_BACK]) + frame() + spine_column() + ellipse(cx, disc_y, 14, 3.2, fill=PRIMARY, fill_opacity=0.75)
            + needle(212, 28, cx + 8, disc_y))


def intradiscal_electrothermal_therapy() -> str:
    cx, top, pitch = INSET_CX, 10.0, 31.0
    disc_y = top + 1 * pitch + 22 + 4.5
    wire = lead([(cx + 8, disc_y), (cx - 14, disc_y + 1.5), (cx - 19, disc_y)])
    return (where([LOW_BACK]) + frame() + spine_column() + heat(cx - 6, disc_y, 8) + wire
            + needle(212, 28, cx + 10, disc_y))


def _skin_back(x: float = 204.0) -> str:
    """The skin of the back in a side close-up."""
    return path(f"M{fmt(x)} 4C{fmt(x + 3)} 40 {fmt(x - 3)} 100 {fmt(x + 2)} 136", fill="none", stroke=OUTLINE,
                stroke_width=1.6)


def spinal_cord_stimulator_trial() -> str:
    canal = 112 + 30 + 4
    wire_out = [(canal + 13, 22), (canal + 13, 96), (canal + 30, 108), (202, 112), (208, 118)]
    box = rect(200, 116, 14, 18, 3, fill=PRIMARY)
    body_lead = lead([(BODY_X, 44), (BODY_X, 70), (BODY_X + 14, 76), (BODY_X + 26, 78)])
    body_box = rect(BODY_X + 25, 74, 9, 8, 2, fill=PRIMARY)
    tape = rect(198, 102, 12, 12, 2, fill=DISC, fill_opacity=0.8)
    return (where([(BODY_X, 54.0, 6.0, 14.0)], extra=body_lead + body_box) + frame() + spine_side_view()
            + _skin_back(196) + lead(wire_out, contacts=4) + tape + box)


def spinal_cord_stimulator_implant() -> str:
    canal = 112 + 30 + 4
    wire = [(canal + 13, 22), (canal + 13, 100), (canal + 36, 112), (194, 120)]
    battery = rect(188, 114, 14, 20, 4, fill=PRIMARY)
    body_lead = lead([(BODY_X, 44), (BODY_X, 70), (BODY_X + 6, 76), (BODY_X + 9, 80)])
    body_battery = rect(BODY_X + 6, 78, 7, 8, 2, fill=PRIMARY)
    return (where([(BODY_X, 54.0, 6.0, 14.0), (BODY_X + 9.5, 82.0, 6.0, 6.0)], extra=body_lead + body_battery)
            + frame() + spine_side_view() + _skin_back() + lead(wire, contacts=4) + battery)


def intrathecal_pump() -> str:
    # Close-up: the trunk from the side, belly to the left, back to the right.
    trunk = path("M120 4C104 34 100 70 110 96C116 112 122 124 126 136", fill="none", stroke=OUTLINE,
                 stroke_width=1.6)
    spine = spine_side_view(top=10, count=4, pitch=30, x_front=140)
    canal = 140 + 30 + 4
    pump = circle(114, 92, 10, fill=PRIMARY) + circle(114, 92, 4, fill="#ffffff")
    catheter = lead([(canal + 7, 40), (canal + 7, 96), (canal - 4, 118), (160, 124), (128, 108), (121, 98)])
    body_pump = circle(BODY_X - 8, 68, 4, fill=PRIMARY)
    return (where([(BODY_X - 8, 68.0, 7.0, 7.0)], back=False, extra=body_pump) + frame() + trunk + spine
            + catheter + pump)


def sympathetic_nerve_block() -> str:
    # Close-up: head to hips from the side, face to the left; the sympathetic nerves run as a chain
    # of small knots along the front of the spine.
    outline = path(smooth_path([
        (150, 8), (162, 12), (166, 24), (162, 34), (158, 40), (160, 48), (176, 56), (182, 80), (180, 104),
        (186, 126), (184, 136), (132, 136), (130, 116), (124, 96), (128, 72), (132, 54), (142, 46), (144, 38),
        (136, 34), (134, 29), (129, 25), (134, 20), (138, 12),
    ]), fill=SKIN, stroke=OUTLINE, stroke_width=1.4)
    spine = path("".join(f"M160 {y}h8v5.2h-8Z" for y in range(36, 126, 7)), fill=BONE, stroke=BONE_EDGE,
                 stroke_width=0.8, stroke_linejoin="round")
    chain = line(156.5, 37.4, 156.5, 126, stroke=NERVE, stroke_width=2.4, stroke_dasharray="2.4 4.6",
                 stroke_linecap="round")
    neck_spot, back_spot = (156.5, 44.0), (156.5, 100.0)
    spots = highlight(*neck_spot, 4, 5) + highlight(*back_spot, 4, 5)
    return (where([(BODY_X, 26.0, 5.0, 4.5), (BODY_X, 72.0, 8.0, 6.0)]) + frame() + outline + spine + chain
            + spots + needle(110, 50, neck_spot[0] - 1, neck_spot[1]) + needle(212, 118, back_spot[0] + 1, back_spot[1]))


def intercostal_nerve_block() -> str:
    out = []
    for k in range(3):
        y = 26 + k * 34
        rib = f"M96 {y + 14}Q150 {y - 6} 214 {y + 10}"
        out.append(path(rib, fill="none", stroke=BONE_EDGE, stroke_width=13, stroke_linecap="butt"))
        out.append(path(rib, fill="none", stroke=BONE, stroke_width=11, stroke_linecap="butt"))
        nerve = f"M96 {y + 23}Q150 {y + 3} 214 {y + 19}"
        out.append(path(nerve, fill="none", stroke=ACCENT if k == 1 else NERVE, stroke_width=2.6 if k == 1 else 1.6))
    return (where([(BODY_X + 9, 52.0, 6.0, 8.0)]) + frame() + "".join(out) + medicine(150, 76, 7, 4)
            + needle(196, 118, 151, 75))


def trigger_point_injection() -> str:
    fibres = path("".join(f"M98 {y}C130 {y - 6} 170 {y + 6} 210 {y}" for y in range(16, 130, 9)), fill="none",
                  stroke=DISC, stroke_width=2.4)
    knot = ellipse(150, 68, 16, 11, fill=ACCENT, fill_opacity=0.55, stroke=ACCENT, stroke_width=1.4)
    knot += path("".join(f"M{140 + k * 5} 60q3 8 0 16" for k in range(4)), fill="none", stroke=ACCENT,
                 stroke_width=1.4)
    return (where([(BODY_X + 10, 35.0, 6.0, 5.0)]) + frame() + fibres + knot + needle(204, 22, 154, 66))


def _knee(cx: float = INSET_CX) -> str:
    """A knee seen from the front: thigh bone above, shin bone below, the joint space between."""
    bone = dict(fill=BONE, stroke=BONE_EDGE, stroke_width=1.1)
    femur = path(smooth_path([(cx - 9, 4), (cx + 9, 4), (cx + 10, 40), (cx + 22, 58), (cx + 20, 66), (cx + 6, 66),
                              (cx, 62), (cx - 6, 66), (cx - 20, 66), (cx - 22, 58), (cx - 10, 40)]), **bone)
    tibia = path(smooth_path([(cx - 22, 76), (cx + 22, 76), (cx + 20, 86), (cx + 10, 96), (cx + 9, 136),
                              (cx - 9, 136), (cx - 10, 96), (cx - 20, 86)]), **bone)
    return femur + tibia


def joint_and_bursa_injection() -> str:
    cx = INSET_CX
    knee = (BODY_X + 9, 104.0, 5.0, 6.0)
    others = (dict(fill=ACCENT, fill_opacity=0.2, stroke=ACCENT, stroke_width=0.8),)
    extra = circle(BODY_X + 17, 35, 3.2, **others[0]) + circle(BODY_X + 11, 78, 3.2, **others[0])
    return (where([knee], back=False, extra=extra) + frame() + _knee() + medicine(cx, 71, 20, 5)
            + needle(210, 44, cx + 12, 70))


def regenerative_injections() -> str:
    cx = INSET_CX
    knee = (BODY_X + 9, 104.0, 5.0, 6.0)
    tube = (rect(196, 14, 10, 30, 3, fill="#ffffff", stroke=NERVE, stroke_width=1.2)
            + rect(197.5, 26, 7, 16.5, 2, fill=ACCENT) + rect(195, 11, 12, 5, 1.5, fill=NERVE))
    arrow = (path("M196 48Q190 56 188 60", fill="none", stroke=NERVE, stroke_width=1.4)
             + polygon([(185, 58), (190, 58.5), (187, 64)], fill=NERVE))
    elbow = circle(BODY_X - 19, 56, 3.2, fill=ACCENT)
    return (where([knee], back=False, extra=elbow) + frame() + _knee() + medicine(cx, 71, 20, 5)
            + needle(210, 70, cx + 12, 71) + tube + arrow)


def cryoneurolysis() -> str:
    cx = INSET_CX
    knee = (BODY_X + 9, 104.0, 5.0, 6.0)
    nerve = path(f"M{fmt(cx + 40)} 6C{fmt(cx + 30)} 40 {fmt(cx + 36)} 80 {fmt(cx + 28)} 132", fill="none",
                 stroke=ACCENT, stroke_width=2.6)
    tip = (cx + 34, 52.0)
    ice = circle(tip[0], tip[1], 7, fill=PRIMARY, fill_opacity=0.25, stroke=PRIMARY, stroke_width=1)
    return (where([knee], back=False) + frame() + _knee() + nerve + ice + snowflake(tip[0] - 15, tip[1] - 14, 8)
            + needle(cx + 60, 80, tip[0] + 1, tip[1]))


def peripheral_nerve_stimulation() -> str:
    leg = path("M116 4C112 50 118 96 126 136M192 4C196 50 188 96 182 136", fill="none", stroke=OUTLINE,
               stroke_width=1.6)
    nerve = path("M150 4C146 50 156 96 152 136", fill="none", stroke=ACCENT, stroke_width=2.8)
    wire = lead([(151, 80), (162, 54), (189, 40)], contacts=0)
    contacts = "".join(line(151 + k * 1.9, 80 - k * 4.3, 151 + k * 1.9 + 1.2, 80 - k * 4.3 - 2.8, stroke=PRIMARY,
                            stroke_width=4) for k in range(3))
    device = rect(184, 30, 26, 18, 5, fill=PRIMARY)
    thigh = (BODY_X + 9, 94.0, 5.0, 9.0)
    return (where([thigh], back=False, extra=rect(BODY_X + 13, 88, 6, 5, 1.5, fill=PRIMARY)) + frame()
            + leg + nerve + wire + contacts + device)


def medication_management() -> str:
    """No body: a medicine bottle, pills and a plan with ticks, kept with the doctor."""
    bottle = (rect(22, 40, 50, 84, 8, fill="#ffffff", stroke=NERVE, stroke_width=2)
              + rect(18, 24, 58, 18, 4, fill=PRIMARY) + rect(28, 62, 38, 36, 3, fill=ACCENT, fill_opacity=0.35))
    pills = (rect(88, 104, 26, 12, 6, fill=PRIMARY, transform="rotate(-25 101 110)")
             + circle(126, 118, 7, fill=ACCENT, fill_opacity=0.8) + circle(96, 126, 5.5, fill=DISC))
    sheet = rect(134, 14, 76, 112, 6, fill="#ffffff", stroke=NERVE, stroke_width=2)
    clip = rect(156, 8, 32, 12, 3, fill=NERVE)
    rows = ""
    for k in range(4):
        y = 36 + k * 22
        rows += rect(144, y, 12, 12, 2, fill="none", stroke=NERVE, stroke_width=1.4)
        rows += path(f"M146 {y + 6}l3.5 4 6-9", fill="none", stroke=PRIMARY, stroke_width=2.2,
                     stroke_linecap="round", stroke_linejoin="round") if k < 3 else ""
        rows += rect(162, y + 4, 40 - (k % 2) * 10, 4, 2, fill=DISC)
    return bottle + pills + sheet + clip + rows


FIGURES: dict[str, Callable[[], str]] = {
    "cryoneurolysis": cryoneurolysis,
    "discography": discography,
    "epidural-steroid-injection": epidural_steroid_injection,
    "facet-joint-injection": facet_joint_injection,
    "intercostal-nerve-block": intercostal_nerve_block,
    "intradiscal-electrothermal-therapy": intradiscal_electrothermal_therapy,
    "intrathecal-pump": intrathecal_pump,
    "joint-and-bursa-injection": joint_and_bursa_injection,
    "kyphoplasty-vertebroplasty": kyphoplasty_vertebroplasty,
    "medial-branch-block": medial_branch_block,
    "medication-management": medication_management,
    "peripheral-nerve-stimulation": peripheral_nerve_stimulation,
    "radiofrequency-ablation": radiofrequency_ablation,
    "regenerative-injections": regenerative_injections,
    "sacroiliac-joint-injection": sacroiliac_joint_injection,
    "selective-nerve-root-block": selective_nerve_root_block,
    "spinal-cord-stimulator-implant": spinal_cord_stimulator_implant,
    "spinal-cord-stimulator-trial": spinal_cord_stimulator_trial,
    "sympathetic-nerve-block": sympathetic_nerve_block,
    "trigger-point-injection": trigger_point_injection,
}


def svg(body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}">{body}</svg>\n')


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, draw in FIGURES.items():
        (OUT / f"{name}.svg").write_text(svg(draw()), encoding="utf-8")
    print(f"wrote {len(FIGURES)} figures to {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
