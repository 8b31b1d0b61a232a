"""Bar charts as PNG images for the Word bulletin (#13), drawn with Pillow.

Pillow already comes with Streamlit, so the bulletin needs no plotting library. Chinese labels need
a CJK font on the machine that writes the bulletin: `CHART_FONT` names one, otherwise the usual
places of Noto CJK / 文泉驿 (Linux, 统信 UOS, 麒麟), 微软雅黑/黑体 (Windows) and 苹方 (macOS) are
tried. Without any, `font_path()` is None and the bulletin says its charts were left out.
"""

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from portal.settings import get_settings

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc",
)

WIDTH = 1600
ROW = 44
LABEL_WIDTH = 420
VALUE_WIDTH = 330
MARGIN = 24
BAR_COLOUR = (31, 94, 170)
MUTED = (120, 120, 120)
INK = (30, 30, 30)
GRID = (225, 225, 225)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no bar (样本不足, no data); the text says why
    text: str


def font_path() -> Path | None:
    """The CJK font the charts are drawn with, or None when the machine has none."""
    configured = get_settings().chart_font
    candidates = (configured,) if configured else FONT_CANDIDATES
    return next((Path(p) for p in candidates if Path(p).is_file()), None)


@lru_cache(maxsize=8)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def bar_length(value: float | None, maximum: float, span: int) -> int:
    """Pixels of a bar: proportional to value/maximum, none for a missing or zero value."""
    if value is None or maximum <= 0 or value <= 0:
        return 0
    return round(span * min(value, maximum) / maximum)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """The text, shortened with … so a long unit name never runs into its bar."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def bar_chart(*, title: str, bars: list[Bar], maximum: float, font: Path) -> bytes:
    """A horizontal bar chart, one row per bar, labels left and each bar's text right."""
    height = MARGIN * 2 + 56 + ROW * max(len(bars), 1)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    heading, label_font = _font(str(font), 30), _font(str(font), 24)
    draw.text((MARGIN, MARGIN), title, fill=INK, font=heading)
    left = MARGIN + LABEL_WIDTH
    span = WIDTH - left - VALUE_WIDTH - MARGIN
    top = MARGIN + 56
    for quarter in range(5):
        x = left + span * quarter // 4
        draw.line([(x, top), (x, top + ROW * len(bars))], fill=GRID, width=1)
    for row, bar in enumerate(bars):
        y = top + row * ROW
        name = _fit(draw, bar.label, label_font, LABEL_WIDTH - 16)
        draw.text((left - 12, y + ROW // 2), name, fill=INK, font=label_font, anchor="rm")
        length = bar_length(bar.value, maximum, span)
        if length:
            draw.rectangle([left, y + 8, left + length, y + ROW - 8], fill=BAR_COLOUR)
        draw.text((left + length + 10, y + ROW // 2), bar.text,
                  fill=INK if bar.value is not None else MUTED, font=label_font, anchor="lm")
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
