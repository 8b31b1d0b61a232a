"""A notice as a Word document laid out as an official notice (python-docx)."""

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from portal.i18n import format_date

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ISSUING_OFFICE = "区优化营商环境工作领导小组办公室"
BODY = {
    "reminder": "请你单位高度重视，于{deadline}前办结并书面反馈办理结果。",
    "urging": "该件经提醒后仍未办结，现予催办，请于{deadline}前落实到位并书面反馈。",
    "supervision": "该件经提醒、催办后仍未办结，现予督办，请于{deadline}前限时办结并书面报告。",
    "transfer": "该件经提醒、催办、督办后仍未办结，现按规定移交区纪律检查委员会调查问责。",
}


def _run_font(run, size: int, *, bold: bool = False) -> None:  # noqa: ANN001
    run.font.size = Pt(size)
    run.bold = bold
    run.font.name = "SimSun"
    run.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _paragraph(document, text: str, size: int = 14, *, bold: bool = False,  # noqa: ANN001
               align=None) -> None:  # noqa: ANN001
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _run_font(paragraph.add_run(text), size, bold=bold)


def _subject(notice: dict) -> str:
    """What is late: a report's handling, a key task's progress report or deadline, a unit's
    stage report (报送事项), or a self-check problem's rectification."""
    if notice.get("item_kind") == "stage_report":
        return (f"你单位未按时报送“{notice['report_title']}”（{notice['tracking_no']}），"
                f"已逾期 {notice['overdue_days']} 个工作日。")
    if notice.get("item_kind") == "problem":
        return (f"你单位自查发现的问题“{notice['report_title']}”已超过整改时限"
                f"（{notice['tracking_no']}），已逾期 {notice['overdue_days']} 个工作日。")
    if notice.get("item_kind") == "task":
        missed = ("未按时报送进展情况" if notice["demands"] == "progress"
                  else "已超过完成时限")
        return (f"你单位牵头的重点任务“{notice['report_title']}”（任务编号 {notice['tracking_no']}）"
                f"{missed}，已逾期 {notice['overdue_days']} 个工作日。")
    return (f"企业和群众反映的“{notice['report_title']}”（受理编号 {notice['tracking_no']}）"
            f"已超过办理期限 {notice['overdue_days']} 天。")


def render(notice: dict) -> bytes:
    """The .docx bytes: title, number, addressee, body with overdue days, deadline, office, date."""
    document = Document()
    _paragraph(document, f"营商环境问题{notice['title']}", 22, bold=True,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, notice["number"], 14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"{notice['unit']}：")
    deadline = format_date(notice["deadline"]) if notice["deadline"] else ""
    body = (_subject(notice) + f"{notice['reason']}"
            + BODY[notice["kind"]].format(deadline=deadline))
    _paragraph(document, "　　" + body)
    if deadline:
        _paragraph(document, f"整改期限：{deadline}", bold=True)
    _paragraph(document, ISSUING_OFFICE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, format_date(notice["issued_on"]), align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
