"""Document blocks to platypus flowables; shared by every layout kind."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from ..document import Block, Bullets, Paragraph as TextBlock, Section, Steps
from ..richtext import RichText, Run
from .runs import fragments
from .styles import Styles

BULLET = "\u2022"


def para(rich: RichText, style, bullet: str | None = None) -> Paragraph:
    """A paragraph built from runs, never from markup (see runs.py)."""
    return Para("".join(run.text for run in rich), style, bulletText=bullet, frags=fragments(rich, style))


def text_para(text: str, style) -> Paragraph:
    return para((Run(text),), style)


def block_flowables(block: Block, styles: Styles) -> list[Flowable]:
    """Each list item is its own flowable, so a heading keeps with its first item, not the whole list."""
    if isinstance(block, TextBlock):
        return [para(block.text, styles.body)]
    if isinstance(block, Steps):
        return [para(item, styles.step, bullet=f"{number}.")
                for number, item in enumerate(block.items, start=1)]
    if isinstance(block, Bullets):
        flowables: list[Flowable] = [para(block.label, styles.label)] if block.label else []
        flowables.extend(para(item, styles.bullet, bullet=BULLET) for item in block.items)
        return flowables
    raise TypeError(f"unknown block {type(block).__name__}")


def section_flowables(section: Section, styles: Styles, include_more: bool = False) -> list[Flowable]:
    flowables: list[Flowable] = [text_para(section.heading, styles.heading)]
    for block in section.blocks + (section.more if include_more else ()):
        flowables.extend(block_flowables(block, styles))
    return flowables


class Para(Paragraph):
    """A Paragraph that remembers its line breaking per width.

    Fit estimation, keep-with-next grouping and page furniture ask the same paragraph for its
    height several times at the same width; platypus breaks the lines again each time. The text
    and style of a paragraph never change, so the first answer is reused.
    """

    def wrap(self, avail_width, avail_height):  # noqa: D401 - platypus API
        cache = self.__dict__.setdefault("_wrapped", {})
        hit = cache.get(avail_width)
        if hit is not None:
            self.width, self.height, self.blPara, self._wrapWidths = hit
            return self.width, self.height
        width, height = super().wrap(avail_width, avail_height)
        cache[avail_width] = (self.width, self.height, self.blPara, self._wrapWidths)
        return width, height
