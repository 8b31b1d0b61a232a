"""Excel exports of the discipline dashboard (the quota table and the case list), and the one
rule every workbook follows: user text is never a live formula."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_formula_like(value: object) -> bool:
    """Text a spreadsheet would evaluate (or a DDE payload would start with)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write one cell; text that looks like a formula is stored as quoted text, unchanged."""
    cell = sheet.cell(row, column)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"  # openpyxl had inferred "f" from the leading "="
        cell.quotePrefix = True  # Excel and LibreOffice show it as text, even after editing
    return cell


def workbook(title: str, headers: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for column, header in enumerate(headers, start=1):
        put(sheet, 1, column, header).font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            put(sheet, number, column, value)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, 4 + width * 1.6)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
