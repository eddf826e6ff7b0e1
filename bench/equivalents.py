"""The same one-page handout for the other engines the benchmark compares against.

Each function takes the composed Handout document (so every engine sets the same text) and
produces the input that engine needs: platypus flowables with no handouts machinery (the
floor), an HTML/CSS page for WeasyPrint, and Typst markup.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from reportlab.platypus import Flowable

from handouts.document import Bullets, Checklist, Handout, Paragraph, Steps
from handouts.richtext import to_plain


def _blocks(handout: Handout):
    """(heading, [("p"|"ol"|"ul"|"label", text or items)]) for every section, in order."""
    for section in handout.sections:
        parts = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(("p", to_plain(block.text)))
            elif isinstance(block, Steps):
                parts.append(("ol", [to_plain(i) for i in block.items]))
            elif isinstance(block, Checklist):
                parts.append(("check", [to_plain(i) for i in block.items]))
            elif isinstance(block, Bullets):
                if block.label:
                    parts.append(("label", to_plain(block.label)))
                parts.append(("ul", [to_plain(i) for i in block.items]))
        yield section.heading, parts


def _footer(handout: Handout) -> list[str]:
    labels = handout.labels
    return [f"{labels['footer.updated']}. {labels['sections.sources']}: {'; '.join(handout.sources)}.",
            labels["small_print"]]


# -- the floor: plain ReportLab platypus ----------------------------------------------------

def platypus_floor(handout: Handout, fonts: dict[str, str]) -> bytes:
    """The same page with stock platypus parts: a band with the logo drawn on the canvas, title
    and summary, two columns of sections, the call box as a two-column Table, and the footer.
    Same text, same fonts; no templating, no validation, no fit search."""
    from reportlab.graphics import renderPDF
    from reportlab.lib.colors import HexColor, white
    from reportlab.lib.pagesizes import legal
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Table, TableStyle
    from reportlab.platypus import Paragraph as P
    from svglib.svglib import svg2rlg

    esc = html.escape
    teal = HexColor("#0f5e6e")
    body = ParagraphStyle("b", fontName=fonts["regular"], fontSize=11.5, leading=13.8, bulletFontName=fonts["bold"],
                          spaceAfter=3)
    head = ParagraphStyle("h", parent=body, fontName=fonts["bold"], fontSize=13.5, leading=16, textColor=teal,
                          spaceBefore=6, keepWithNext=1)
    title = ParagraphStyle("t", parent=body, fontName=fonts["bold"], fontSize=22, leading=25, textColor=teal)
    item = ParagraphStyle("i", parent=body, leftIndent=14, bulletIndent=2, spaceAfter=1)
    small = ParagraphStyle("s", parent=body, fontSize=8.5, leading=11, spaceAfter=0)
    band_text = ParagraphStyle("n", parent=body, fontName=fonts["bold"], fontSize=16, textColor=white)
    # Legal-size paper: the same text always fits on one page of these stock frames (ours fits
    # letter by fitting its type and spacing, which this floor deliberately does not do).
    width, height = legal
    margin = 0.45 * inch
    col = (width - 2 * margin - 0.3 * inch) / 2
    top_h = 250
    logo = _floor_logo(handout, svg2rlg)
    figure = _floor_drawing(handout.figure.art.data, svg2rlg) if handout.figure else None

    def band(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(teal)
        canvas.roundRect(margin, height - margin - 58, width - 2 * margin, 58, 7, stroke=0, fill=1)
        canvas.setFillColor(white)
        canvas.roundRect(margin + 8, height - margin - 50, 90, 42, 5, stroke=0, fill=1)
        if isinstance(logo, bytes):
            canvas.drawImage(ImageReader(io.BytesIO(logo)), margin + 14, height - margin - 46, 78, 34, mask="auto")
        elif logo is not None:
            logo.initialFontName = fonts["regular"]
            canvas.translate(margin + 14, height - margin - 46)
            canvas.scale(78 / logo.width, 34 / logo.height)
            renderPDF.draw(logo, canvas, 0, 0)
        canvas.restoreState()
        name = P(esc(handout.brand.name), band_text)
        name.wrapOn(canvas, 300, 40)
        name.drawOn(canvas, margin + 112, height - margin - 38)
        if figure is not None:  # the procedure's drawing at the top right, its caption under it
            canvas.saveState()
            figure.initialFontName = fonts["regular"]
            canvas.translate(width - margin - 140, height - margin - 170)
            canvas.scale(135 / figure.width, 86 / figure.height)
            renderPDF.draw(figure, canvas, 0, 0)
            canvas.restoreState()
            caption = P(esc(to_plain(handout.figure.caption)), small)
            caption.wrapOn(canvas, 170, 40)
            caption.drawOn(canvas, width - margin - 170, height - margin - 200)

    story = [P(esc(handout.title), title), P(esc(to_plain(handout.summary)), body)]
    story += [P(esc(to_plain(point)), item, bulletText="\u2022") for point in handout.key_points]
    story.append(FrameBreak())
    for heading, parts in _blocks(handout):
        story.append(P(esc(heading), head))
        for kind, value in parts:
            if kind in ("p", "label"):
                story.append(P(esc(value), body))
            elif kind == "check":  # a tick box drawn beside each item, as any platypus program would
                story.extend(_TickBox(P(esc(v), item)) for v in value)
            else:
                story.extend(P(esc(v), item, bulletText=f"{n}." if kind == "ol" else "\u2022")
                             for n, v in enumerate(value, 1))
    story.append(FrameBreak("bottom"))
    box = handout.call_box
    cells = [[P(esc(box.heading), ParagraphStyle("ch", parent=head, textColor=white)), ""],
             [[P(esc(to_plain(box.clinic_label)), body)] + [P(esc(to_plain(i)), item, bulletText="\u2022")
                                                           for i in box.clinic_items],
              [P(esc(to_plain(box.emergency_label)), body)] + [P(esc(to_plain(i)), item, bulletText="\u2022")
                                                              for i in box.emergency_items]]]
    table = Table(cells, colWidths=[(width - 2 * margin) / 2] * 2)
    table.setStyle(TableStyle([("SPAN", (0, 0), (1, 0)), ("BACKGROUND", (0, 0), (1, 0), teal),
                               ("BACKGROUND", (0, 1), (1, 1), HexColor("#eef4f5")), ("BOX", (0, 0), (-1, -1), 1.6, teal),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    footer = [P(esc(line), small) for line in _footer(handout)]
    story += [table] + footer
    # The bottom frame holds the call box and footer, as tall as they are (like ours, which sizes
    # the call box to its text); the two columns take the rest of the page.
    boxed = table.wrap(width - 2 * margin, height)[1] + sum(f.wrap(width - 2 * margin, height)[1] for f in footer)
    bottom_h = margin + boxed + 24
    frames = [Frame(margin, height - margin - top_h, width - 2 * margin - 180, top_h - 62, id="top"),
              Frame(margin, bottom_h, col, height - margin - top_h - bottom_h, id="left"),
              Frame(margin + col + 0.3 * inch, bottom_h, col, height - margin - top_h - bottom_h, id="right"),
              Frame(margin, margin, width - 2 * margin, bottom_h - margin, id="bottom")]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=legal, invariant=1, initialFontName=fonts["regular"],
                          title=handout.meta.title, author=handout.meta.author)
    # A handout a little longer than this stand-in's fixed frames spills onto a plain second page
    # (the floor is a cost to compare with, not a layout), rather than failing.
    spill = [Frame(margin, margin + bottom_h, width - 2 * margin, height - 2 * margin - bottom_h, id="spill"),
             Frame(margin, margin, width - 2 * margin, bottom_h, id="bottom")]
    doc.addPageTemplates([PageTemplate(id="first", frames=frames, onPage=band, autoNextPageTemplate="spill"),
                          PageTemplate(id="spill", frames=spill)])
    doc.build(story)
    return buffer.getvalue()


_LOGOS: dict[bytes, object] = {}


def _floor_logo(handout: Handout, svg2rlg):
    """The clinic's SVG logo converted once, as any platypus program would cache it."""
    logo = handout.brand.logo
    if logo.kind != "svg":
        return logo.data  # a bitmap: drawn straight from its bytes, as a plain program would
    return _floor_drawing(logo.data, svg2rlg)


def forget_drawings() -> None:
    """Start as a new process would: every SVG converted again on first use."""
    _LOGOS.clear()


def _floor_drawing(data: bytes, svg2rlg):
    if data not in _LOGOS:
        _LOGOS[data] = svg2rlg(io.BytesIO(data))
    return _LOGOS[data]


class _TickBox(Flowable):
    """A paragraph with a 9 pt square drawn at its left."""

    def __init__(self, paragraph) -> None:
        super().__init__()
        self.paragraph = paragraph

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.paragraph.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)
        self.canv.rect(1, self.height - 11, 9, 9, stroke=1, fill=0)


# -- WeasyPrint: HTML and CSS ----------------------------------------------------------------

def html_page(handout: Handout, font_dir: Path) -> str:
    esc = html.escape
    parts = []
    for heading, blocks in _blocks(handout):
        parts.append(f"<h2>{esc(heading)}</h2>")
        for kind, value in blocks:
            if kind == "p":
                parts.append(f"<p>{esc(value)}</p>")
            elif kind == "label":
                parts.append(f"<p class=label>{esc(value)}</p>")
            else:
                items = "".join(f"<li>{esc(v)}</li>" for v in value)
                parts.append(f"<{kind}>{items}</{kind}>")
    box = handout.call_box
    clinic = "".join(f"<li>{esc(to_plain(i))}</li>" for i in box.clinic_items)
    emergency = "".join(f"<li>{esc(to_plain(i))}</li>" for i in box.emergency_items)
    footer = "".join(f"<p>{esc(line)}</p>" for line in _footer(handout))
    faces = "".join(
        f"@font-face {{ font-family: Atkinson; src: url('{(font_dir / f'AtkinsonHyperlegible-{name}.ttf').as_uri()}');"
        f" font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in (("Regular", 400, "normal"), ("Bold", 700, "normal"),
                                    ("Italic", 400, "italic"), ("BoldItalic", 700, "italic")))
    return f"""<!doctype html><html lang="{handout.lang}"><head><meta charset="utf-8"><style>
{faces}
@page {{ size: letter; margin: 0.4in 0.45in; }}
body {{ font-family: Atkinson; font-size: 11.75pt; line-height: 1.2; color: #1b1b1b; }}
header {{ background: #0f5e6e; color: white; padding: 12pt; border-radius: 7pt; font-weight: bold; font-size: 16pt; }}
h1 {{ font-size: 22pt; color: #0f5e6e; margin: 8pt 0 2pt; }}
h2 {{ font-size: 13.5pt; color: #0f5e6e; margin: 6pt 0 2pt; break-after: avoid; }}
main {{ column-count: 2; column-gap: 0.3in; }}
p, li {{ margin: 0 0 2pt; }} .label {{ font-weight: bold; }}
ul, ol {{ margin: 0; padding-left: 14pt; }}
aside {{ border: 1.6pt solid #0f5e6e; border-radius: 6pt; padding: 8pt; margin-top: 8pt; break-inside: avoid;
         display: flex; gap: 12pt; background: #eef4f5; }}
aside div {{ flex: 1; }}
footer {{ font-size: 8.5pt; border-top: 1pt solid #e8b48f; margin-top: 6pt; }}
</style></head><body>
<header>{esc(handout.brand.name)}</header>
<h1>{esc(handout.title)}</h1><p>{esc(to_plain(handout.summary))}</p>
<main>{''.join(parts)}</main>
<aside><div><h2>{esc(box.heading)}</h2><p class=label>{esc(to_plain(box.clinic_label))}</p><ul>{clinic}</ul></div>
<div><p class=label>{esc(to_plain(box.emergency_label))}</p><ul>{emergency}</ul></div></aside>
<footer>{footer}</footer></body></html>"""


# -- Typst ------------------------------------------------------------------------------------

def _typst_text(text: str) -> str:
    """Escape Typst's markup characters so text stays text."""
    for char in "\\#*_`$<>@[]=-+/~\"'":
        text = text.replace(char, "\\" + char)
    return text


def typst_source(handout: Handout) -> str:
    t = _typst_text
    out = ['#set page(paper: "us-letter", margin: (x: 0.45in, y: 0.4in))',
           '#set text(font: "Atkinson Hyperlegible", size: 11.75pt)',
           "#set par(leading: 0.45em)",
           '#show heading: set text(fill: rgb("#0f5e6e"), size: 13.5pt)',
           f'#block(fill: rgb("#0f5e6e"), inset: 12pt, radius: 7pt, width: 100%)'
           f'[#text(fill: white, weight: "bold", size: 16pt)[{t(handout.brand.name)}]]',
           f'#text(size: 22pt, weight: "bold", fill: rgb("#0f5e6e"))[{t(handout.title)}]',
           "", t(to_plain(handout.summary)), "", "#columns(2, gutter: 0.3in)["]
    for heading, blocks in _blocks(handout):
        out.append(f"== {t(heading)}")
        for kind, value in blocks:
            if kind == "p":
                out += [t(value), ""]
            elif kind == "label":
                out += [f"*{t(value)}*", ""]
            else:
                marker = "+" if kind == "ol" else "-"
                out += [f"{marker} {t(v)}" for v in value] + [""]
    out.append("]")
    box = handout.call_box
    clinic = "\n".join(f"- {t(to_plain(i))}" for i in box.clinic_items)
    emergency = "\n".join(f"- {t(to_plain(i))}" for i in box.emergency_items)
    out.append(f'#block(stroke: 1.6pt + rgb("#0f5e6e"), radius: 6pt, inset: 8pt, breakable: false, width: 100%)['
               f'#text(weight: "bold")[{t(box.heading)}]\n#grid(columns: 2, gutter: 12pt, '
               f'[*{t(to_plain(box.clinic_label))}*\n{clinic}], [*{t(to_plain(box.emergency_label))}*\n{emergency}])]')
    out += [f"#text(size: 8.5pt)[{t(line)}]\n" for line in _footer(handout)]
    return "\n".join(out)
