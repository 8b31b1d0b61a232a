"""The bulletin's bar charts: bars proportional to their figure, none for 样本不足."""

from io import BytesIO

import pytest
from PIL import Image

from portal import charts
from portal.settings import get_settings

needs_font = pytest.mark.skipif(charts.font_path() is None, reason="needs a CJK font (fonts-noto-cjk)")


def _bar_pixels_per_row(png: bytes, rows: int) -> list[int]:
    image = Image.open(BytesIO(png)).convert("RGB")
    top = charts.MARGIN + 56
    counts = []
    for row in range(rows):
        y = top + row * charts.ROW + charts.ROW // 2
        counts.append(sum(1 for x in range(image.width) if image.getpixel((x, y)) == charts.BAR_COLOUR))
    return counts


@needs_font
def test_bars_are_proportional_and_a_small_sample_draws_none():
    png = charts.bar_chart(title="各单位办结率", font=charts.font_path(), maximum=1, bars=[
        charts.Bar("区发改局", 1.0, "100.0%（8/8）"),
        charts.Bar("区住建局", 0.5, "50.0%（4/8）"),
        charts.Bar("区市场监管局", None, "样本不足（2/3）"),
    ])
    full, half, none = _bar_pixels_per_row(png, 3)
    assert full > 0 and abs(half - full / 2) <= 2
    assert none == 0


@needs_font
def test_the_chart_grows_with_its_rows_and_is_a_png():
    bars = [charts.Bar(f"单位{n}", n, f"{n} 件") for n in range(30)]
    image = Image.open(BytesIO(charts.bar_chart(title="受理量", bars=bars, maximum=29,
                                                font=charts.font_path())))
    assert image.format == "PNG" and image.height >= 30 * charts.ROW


@pytest.mark.parametrize(("value", "maximum", "length"),
                         [(None, 1, 0), (0, 1, 0), (0.25, 1, 250), (2, 1, 1000), (5, 0, 0)])
def test_bar_length(value, maximum, length):
    assert charts.bar_length(value, maximum, 1000) == length


def test_a_configured_font_that_does_not_exist_means_no_font(monkeypatch, tmp_path):
    monkeypatch.setenv("CHART_FONT", str(tmp_path / "none.ttf"))
    get_settings.cache_clear()
    assert charts.font_path() is None
