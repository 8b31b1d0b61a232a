"""A unit's self-check form as an Excel workbook, laid out to print on A4 landscape."""

from collections import Counter
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.page import PageMargins

from portal.exports import put
from portal.i18n import format_date, format_datetime

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ("序号", "方面", "问题类别", "是否存在问题", "问题描述", "风险等级", "风险", "整改措施",
           "责任科室", "责任人", "整改时限", "整改状态", "备注")
WIDTHS = (6, 10, 34, 10, 28, 8, 20, 28, 12, 10, 14, 10, 16)
RISK_LEVEL = {"high": "高", "medium": "中", "low": "低"}
PROGRESS = {"open": "未整改", "in_progress": "整改中", "done": "已整改"}
STATUS = {"draft": "草稿", "submitted": "已提交", "accepted": "已通过", "returned": "已退回"}


def render(view: dict) -> bytes:
    """`view` is `selfcheck.form_view(...)`: one line per problem; a category's several
    problems are numbered 3-1, 3-2 …"""
    book = Workbook()
    sheet = book.active
    sheet.title = view["campaign"]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    put(sheet, 1, 1, f"{view['unit']}{view['campaign']}损害营商环境问题自查表").font = Font(
        size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    submitted = format_datetime(view["submitted_at"]) if view["submitted_at"] else "—"
    put(sheet, 2, 1, f"填报单位：{view['unit']}　状态：{STATUS.get(view['status'], '')}　"
                     f"截止日期：{format_date(view['due_date'])}　提交时间：{submitted}")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    for column, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = put(sheet, 3, column, title)
        cell.font, cell.border, cell.alignment = Font(bold=True), border, Alignment(
            horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    problems = Counter(row["category_number"] for row in view["rows"])
    for offset, row in enumerate(view["rows"]):
        answer = {True: "存在", False: "不存在", None: ""}[row["has_problem"]]
        note = f"{row['history']}转入" if row["carried"] else ""
        number = row["category_number"]
        values = (f"{number}-{row['position']}" if problems[number] > 1 else number, row["area"], row["category"], answer,
                  row["description"], RISK_LEVEL.get(row.get("risk_level") or "", ""),
                  row["risk"], row["measure"], row.get("department") or "", row["person"],
                  format_date(row["deadline"]) if row["deadline"] else "",
                  PROGRESS.get(row["progress"], "") if row["has_problem"] else "", note)
        for column, value in enumerate(values, start=1):
            cell = put(sheet, 4 + offset, column, value)
            cell.border, cell.alignment = border, wrap
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.freeze_panes = "D4"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
