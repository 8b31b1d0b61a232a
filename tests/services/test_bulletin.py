"""月通报 / 周总结: the Word 通报 and the Excel workbook read back."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from portal import bulletin
from portal.errors import PermissionDenied, ValidationError
from portal.roles import Role
from portal.settings import get_settings
from tests.factories import make_user
from tests.services import test_dashboard, test_stats

fixed_today = test_stats.fixed_today
october = test_stats.october
live = test_dashboard.live


def _read(word: bytes, excel: bytes):
    document = Document(BytesIO(word))
    text = "\n".join(p.text for p in document.paragraphs)
    return document, text, load_workbook(BytesIO(excel))


def test_the_month_bulletin_states_the_computed_figures(session, october, live):
    word, excel = bulletin.build(session, bulletin.month_period("2026-10"))
    document, text, book = _read(word, excel)
    assert text.startswith("关于2026年10月营商环境投诉处理情况的通报")
    assert "统计期间：2026年10月1日至2026年10月31日" in text
    # October: nine accepted (A–G, L, M), five closed (A B D G M), K refused
    assert "受理企业和群众反映问题 9 件，办结 5 件，不予受理 1 件" in text
    assert "办结率55.6%（5/9）" in text and "按时办结率50.0%（4/8）" in text
    assert "提醒单 2 份、催办单 1 份、督办单 0 份、移交函 0 份" in text
    assert "仍有逾期（红牌）件的单位：区发改局（1 件）" in text  # live["red"]
    assert "本期收到督办单、移交函的单位：无。" in text
    units = document.tables[0]
    fgj = next(row for row in units.rows if row.cells[0].text == "区发改局")
    assert [c.text for c in fgj.cells[1:5]] == ["8", "1", "4", "50.0%（4/8）"]
    assert fgj.cells[7].text == "样本不足（2/3）"  # 满意率
    assert book.sheetnames == ["全区", "各单位", "各方面", "红牌", "督办移交", "曝光案例", "考核评分"]
    assert "五、2026年第4季度考核评分（截至本期）" in text
    scores = {row[1]: row for row in book["考核评分"].iter_rows(min_row=2, values_only=True)}
    assert scores["区发改局"][0] == 1 and scores["区住建局"][0] == "不排名"
    sheet = book["各单位"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["区发改局"][1:5] == (8, 1, 4, "50.0%（4/8）")
    assert list(book["红牌"].iter_rows(min_row=2, values_only=True)) == [("区发改局", 1)]


def test_the_242_236_example_comes_out_as_97_5_percent(session):
    for n in range(242):
        test_stats.add_report(session, "区住建局", status="closed" if n < 236 else "assigned",
                              accepted="10-12", respond_due="10-13", reply_due="10-19")
    _, text, _ = _read(*bulletin.build(session, bulletin.month_period("2026-10")))
    assert "受理企业和群众反映问题 242 件，办结 236 件" in text
    assert "办结率97.5%（236/242）" in text and "98.3%" not in text


def test_the_week_summary_covers_monday_to_sunday(session, october):
    period = bulletin.week_period("2026-W41")
    assert (period.start, period.end) == (date(2026, 10, 5), date(2026, 10, 11))
    _, text, _ = _read(*bulletin.build(session, period))
    assert text.startswith("关于2026年第41周营商环境投诉处理情况的周总结")
    assert "受理企业和群众反映问题 3 件" in text  # A, B and M


@pytest.mark.parametrize("bad", ["2026-13", "202610", "", "2026-1"])
def test_a_bad_month_is_refused(bad):
    with pytest.raises(ValidationError):
        bulletin.month_period(bad)


@pytest.mark.parametrize("bad", ["2026-W54", "2026W44", "2026-44"])
def test_a_bad_week_is_refused(bad):
    with pytest.raises(ValidationError):
        bulletin.week_period(bad)


def test_progress_is_reported_and_only_the_office_may_build_it(session, october):
    steps = []
    bulletin.for_office(session, actor=make_user(session, Role.DISCIPLINE),
                        period=bulletin.month_period("2026-10"),
                        progress=lambda fraction, text: steps.append(fraction))
    assert steps[-1] == 1.0 and steps == sorted(steps)
    with pytest.raises(PermissionDenied):
        bulletin.for_office(session, actor=make_user(session, Role.UNIT),
                            period=bulletin.month_period("2026-10"))


def _pictures(document) -> list[bytes]:
    return [document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
            for shape in document.inline_shapes]


def test_the_bulletin_carries_its_charts_as_images_with_captions(session, october, live):
    document, text, _ = _read(*bulletin.build(session, bulletin.month_period("2026-10")))
    pictures = _pictures(document)
    assert len(pictures) == 4
    assert all(Image.open(BytesIO(png)).format == "PNG" for png in pictures)
    for caption in ("图1 各单位受理量", "图2 各单位办结率", "图3 各单位满意率", "图4 三单一函发出情况"):
        assert caption in text
    assert bulletin.NO_FONT_NOTE not in text


def test_without_a_chinese_font_the_bulletin_says_its_charts_were_left_out(session, october,
                                                                          monkeypatch, tmp_path):
    monkeypatch.setenv("CHART_FONT", str(tmp_path / "missing.ttc"))
    get_settings.cache_clear()
    said = []
    document, text, _ = _read(*bulletin.build(session, bulletin.month_period("2026-10"),
                                              progress=lambda _fraction, line: said.append(line)))
    assert _pictures(document) == []
    assert any("图表从略" in line for line in said)
    assert bulletin.NO_FONT_NOTE in text
    assert "办结率55.6%（5/9）" in text  # the tables still carry every number
