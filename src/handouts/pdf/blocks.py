"""Document blocks to platypus flowables; shared by every layout kind."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from ..document import Block, Bullets, Paragraph as TextBlock, Section, Steps
from ..richtext import RichText
from .markup import esc, to_markup
from .styles import Styles

BULLET = "\u2022"


def para(rich: RichText, style) -> Paragraph:
    return Paragraph(to_markup(rich), style)


def text_para(text: str, style) -> Paragraph:
    return Paragraph(esc(text), style)


def block_flowables(block: Block, styles: Styles) -> list[Flowable]:
    """Each list item is its own flowable, so a heading keeps with its first item, not the whole list."""
    if isinstance(block, TextBlock):
        return [para(block.text, styles.body)]
    if isinstance(block, Steps):
        return [Paragraph(to_markup(item), styles.step, bulletText=f"{number}.")
                for number, item in enumerate(block.items, start=1)]
    if isinstance(block, Bullets):
        flowables: list[Flowable] = [para(block.label, styles.label)] if block.label else []
        flowables.extend(Paragraph(to_markup(item), styles.bullet, bulletText=BULLET) for item in block.items)
        return flowables
    raise TypeError(f"unknown block {type(block).__name__}")


def section_flowables(section: Section, styles: Styles, include_more: bool = False) -> list[Flowable]:
    flowables: list[Flowable] = [text_para(section.heading, styles.heading)]
    for block in section.blocks + (section.more if include_more else ()):
        flowables.extend(block_flowables(block, styles))
    return flowables
