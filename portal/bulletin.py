"""月通报 and 周总结 (#13): a Word 通报 in the government form and an Excel workbook with one
sheet per table, both from portal/stats.py's figures (computed, never copied).

Its charts are PNG images drawn by portal/charts.py; on a machine without a Chinese font they are
left out and the 通报 says so (its tables carry every number either way).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlmodel import Session, col, func, select

from portal import cards, charts, clock, scoring, stats
from portal.cases import exposed_cases
from portal.duplicates import COUNTED_BY_OTHER_INDEX
from portal.errors import PermissionDenied, ValidationError
from portal.exports import put
from portal.i18n import format_date, t
from portal.models import Report, Unit
from portal.notice_doc import ISSUING_OFFICE, _paragraph, _run_font
from portal.roles import Actor

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Period:
    kind: str  # month or week
    start: date
    end: date
    label: str  # 2026年10月 / 2026年第44周
    slug: str  # 2026-10 / 2026-W44


def month_period(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError("error.bulletin_month", field="month", value=text)
    year, month = int(match.group(1)), int(match.group(2))
    start = date(year, month, 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return Period("month", start, end, f"{year}年{month}月", f"{year}-{month:02d}")


def week_period(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})-W(\d{2})", (text or "").strip().upper())
    try:
        start = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1) if match else None
    except ValueError:
        start = None
    if start is None:
        raise ValidationError("error.bulletin_week", field="week", value=text)
    year, week = int(match.group(1)), int(match.group(2))
    return Period("week", start, start + timedelta(days=6), f"{year}年第{week}周",
                  f"{year}-W{week:02d}")


def _red_cards(session: Session) -> list[tuple[str, int]]:
    """Units holding red-card reports today, most first (one GROUP BY)."""
    rows = session.exec(select(Unit.name, func.count()).select_from(Report)
                        .join(Unit, col(Unit.id) == Report.unit_id)
                        .where(cards.condition(cards.RED, clock.today(), session=session),
                               COUNTED_BY_OTHER_INDEX)
                        .group_by(Unit.name).order_by(func.count().desc(), Unit.name)).all()
    return [(name, int(n)) for name, n in rows]


def _headline(total: dict) -> str:
    def part(name: str) -> str:
        figure = total[name]
        shown = (f"{figure['num'] / figure['den'] * 100:.1f}%（{figure['num']}/{figure['den']}）"
                 if figure["den"] else "—")
        return f"{t(f'stats.{name}')}{shown}"

    notices = total["notices"]
    return (f"受理企业和群众反映问题 {total['accepted']} 件，办结 {total['closed']} 件，"
            f"不予受理 {total['rejected']} 件；" + "，".join(part(n) for n in stats.RATES)
            + f"。发出提醒单 {notices['reminder']} 份、催办单 {notices['urging']} 份、"
            f"督办单 {notices['supervision']} 份、移交函 {notices['transfer']} 份。")


def _tables(figures: dict, areas: list[dict], red: list[tuple[str, int]],
            cases: list[dict]) -> list[tuple[str, list[str], list[list]]]:
    """Every table of the bulletin: (sheet title, headers, rows)."""
    headers = [t(f"stats.{n}") for n in stats.COUNTS] + [t(f"stats.{n}") for n in stats.RATES] \
        + [t(f"notice.kind.{k}") for k in ("reminder", "urging", "supervision", "transfer")]

    def cells(row: dict) -> list:
        return ([row[n] for n in stats.COUNTS] + [stats.rate_label(row[n]) for n in stats.RATES]
                + [row["notices"][k] for k in ("reminder", "urging", "supervision", "transfer")])

    escalated = [[row["unit"], row["notices"]["supervision"], row["notices"]["transfer"]]
                 for row in figures["units"]
                 if row["notices"]["supervision"] or row["notices"]["transfer"]]
    return [
        ("全区", ["范围", *headers], [["全区合计", *cells(figures["total"])]]),
        ("各单位", ["单位", *headers], [[row["unit"], *cells(row)] for row in figures["units"]]),
        ("各方面", ["方面", *headers], [[row["area"], *cells(row)] for row in areas]),
        ("红牌", ["单位", "红牌件数"], [[name, n] for name, n in red]),
        ("督办移交", ["单位", "督办单", "移交函"], escalated),
        ("曝光案例", ["单位", "问题类别", "办结日期", "通报内容"],
         [[c["unit"], c["category_number"],
           format_date(c["concluded_on"]) if c["concluded_on"] else "", c["public_summary"]]
          for c in cases]),
    ]


def _score_table(scores: dict) -> tuple[str, list[str], list[list]]:
    items = [t(f"scoring.item.{name}") for name in (*scoring.WEIGHTS, *scoring.DEDUCTIONS)]
    return ("考核评分", ["排名", "单位", "受理量", "得分", *items],
            [[u["rank"] or "不排名", u["unit"], u["accepted"], u["score"],
              *(i["points"] for i in u["items"])] for u in scores["units"]])


NO_FONT_NOTE = ("（本机未找到中文字体，图表从略，各项数字见上表；可用 CHART_FONT 设置指定字体文件。）")


def _charts(figures: dict) -> list[tuple[str, bytes]] | None:
    """(caption, PNG) of the bulletin's charts; None when no Chinese font is installed."""
    font = charts.font_path()
    if font is None:
        return None
    units = figures["units"]
    accepted = sorted(units, key=lambda row: (-row["accepted"], row["unit"]))
    by_volume = [charts.Bar(row["unit"], row["accepted"], f"{row['accepted']} 件")
                 for row in accepted]

    def rate_bars(name: str) -> list[charts.Bar]:
        ranked = sorted(units, key=lambda row: (
            not stats.rankable(row[name]), -(row[name]["rate"] or 0), row["unit"]))
        return [charts.Bar(row["unit"], row[name]["rate"] if stats.rankable(row[name]) else None,
                           stats.rate_label(row[name])) for row in ranked]

    notices = figures["total"]["notices"]
    rungs = [charts.Bar(t(f"notice.kind.{k}"), notices[k], f"{notices[k]} 份")
             for k in ("reminder", "urging", "supervision", "transfer")]
    return [
        ("图1 各单位受理量", charts.bar_chart(title="各单位受理量（件）", bars=by_volume,
                                       maximum=max([b.value for b in by_volume] + [1]), font=font)),
        ("图2 各单位办结率", charts.bar_chart(title="各单位办结率（办结量/受理量）",
                                       bars=rate_bars("closing_rate"), maximum=1, font=font)),
        ("图3 各单位满意率", charts.bar_chart(title="各单位满意率（满意和基本满意/已评价）",
                                       bars=rate_bars("satisfaction"), maximum=1, font=font)),
        ("图4 三单一函发出情况", charts.bar_chart(title="提醒单、催办单、督办单、移交函（份）",
                                          bars=rungs, maximum=max(*notices.values(), 1),
                                          font=font)),
    ]


def _picture(document, caption: str, png: bytes) -> None:  # noqa: ANN001
    document.add_picture(BytesIO(png), width=Cm(15.5))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, caption, 12, align=WD_ALIGN_PARAGRAPH.CENTER)


def _word(period: Period, figures: dict, tables: list, red: list, cases: list[dict],
          pictures: list[tuple[str, bytes]] | None) -> bytes:
    document = Document()
    kind = "通报" if period.kind == "month" else "周总结"
    _paragraph(document, f"关于{period.label}营商环境投诉处理情况的{kind}", 22, bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"统计期间：{format_date(period.start)}至{format_date(period.end)}"
               f"（按受理日期统计）", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "各责任单位：")
    _paragraph(document, f"　　现将{period.label}全区营商环境投诉处理情况{kind}如下。")
    _paragraph(document, "一、总体情况", bold=True)
    _paragraph(document, "　　" + _headline(figures["total"]))
    _paragraph(document, "二、各单位办理情况", bold=True)
    _paragraph(document, f"　　比率后括号内为分子/分母；分母不足 {stats.MIN_DENOMINATOR} 件的记为"
               "“样本不足”，不参与排名。", 12)
    for title, headers, rows in tables[1:3]:
        _paragraph(document, title, 12, bold=True)
        _table(document, headers, rows)
    if pictures is None:
        _paragraph(document, NO_FONT_NOTE, 12)
    for caption, png in (pictures or [])[:3]:
        _picture(document, caption, png)
    _paragraph(document, "三、红牌和督办移交情况", bold=True)
    named = "、".join(f"{name}（{n} 件）" for name, n in red)
    _paragraph(document, "　　截至" + format_date(clock.today())
               + (f"，仍有逾期（红牌）件的单位：{named}。" if red else "，无逾期（红牌）件。"))
    escalated = tables[4][2]
    _paragraph(document, "　　本期收到督办单、移交函的单位：" + (
        "、".join(f"{u}（督办单 {s} 份、移交函 {x} 份）" for u, s, x in escalated) + "。"
        if escalated else "无。"))
    for caption, png in (pictures or [])[3:]:
        _picture(document, caption, png)
    _paragraph(document, "四、典型案例通报曝光", bold=True)
    if not cases:
        _paragraph(document, "　　本期无通报曝光案例。")
    for number, case in enumerate(cases, start=1):
        _paragraph(document, f"　　{number}. {case['unit']}（问题类别 {case['category_number']}）："
                   f"{case['public_summary']}")
    title, headers, rows = tables[-1]
    _paragraph(document, f"五、{period.end.year}年第{(period.end.month - 1) // 3 + 1}季度考核评分"
               "（截至本期）", bold=True)
    _paragraph(document, f"　　受理量不足 {stats.MIN_DENOMINATOR} 件的单位不参与排名；"
               "各项得分与扣分的计算依据见 Excel 附表。", 12)
    _table(document, headers[:4], [row[:4] for row in rows])
    _paragraph(document, "　　请各单位对照本通报，逐项抓好整改落实。")
    _paragraph(document, ISSUING_OFFICE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, format_date(clock.today()), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, headers: list[str], rows: list[list]) -> None:  # noqa: ANN001
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _run_font(cell.paragraphs[0].add_run(header), 9, bold=True)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = ""
            _run_font(cell.paragraphs[0].add_run(str(value)), 9)


def _excel(tables: list) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in tables:
        sheet = book.create_sheet(title[:31])
        for column, header in enumerate(headers, start=1):
            put(sheet, 1, column, header).font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                put(sheet, number, column, value)
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build(session: Session, period: Period, *, progress: Progress | None = None
          ) -> tuple[bytes, bytes]:
    """The Word and Excel bytes of a period's bulletin (trusted callers: CLI, office pages)."""
    step = progress or (lambda _fraction, _text: None)
    step(0.1, "统计各单位指标")
    figures = stats.compute(session, start=period.start, end=period.end)
    step(0.4, "统计各方面指标")
    areas = stats.area_figures_unchecked(session, start=period.start, end=period.end)
    step(0.6, "汇总红牌和曝光案例")
    red = _red_cards(session)
    cases = exposed_cases(session)
    quarter = (period.end.month - 1) // 3 + 1
    scores = scoring.compute(session, year=period.end.year, quarter=quarter)
    tables = _tables(figures, areas, red, cases) + [_score_table(scores)]
    step(0.7, "绘制图表")
    pictures = _charts(figures)
    if pictures is None:
        step(0.75, NO_FONT_NOTE.strip("（）"))
    step(0.8, "生成 Word 和 Excel")
    word, excel = _word(period, figures, tables, red, cases, pictures), _excel(tables)
    step(1.0, "完成")
    return word, excel


def for_office(session: Session, *, actor: Actor, period: Period,
               progress: Progress | None = None) -> tuple[bytes, bytes]:
    """`build` for the dashboard's button: the office roles only."""
    if not actor.has(*stats.OFFICE_ROLES):
        raise PermissionDenied()
    return build(session, period, progress=progress)


def write(session: Session, period: Period, out_dir: Path, *, progress: Progress | None = None
          ) -> tuple[Path, Path]:
    word, excel = build(session, period, progress=progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = "月通报" if period.kind == "month" else "周总结"
    paths = (out_dir / f"{name}{period.slug}.docx", out_dir / f"{name}{period.slug}.xlsx")
    paths[0].write_bytes(word)
    paths[1].write_bytes(excel)
    return paths
