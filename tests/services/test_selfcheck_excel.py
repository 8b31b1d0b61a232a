"""The self-check form as Excel: every field of a 存在 row, 风险等级 and 责任科室 included."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from portal import selfcheck, selfcheck_excel
from portal.roles import Role
from portal.selfcheck import RowInput
from tests.factories import make_user


def test_the_workbook_shows_the_risk_level_and_the_department_of_a_problem(session):
    office, clerk = make_user(session, Role.SUPERVISOR), make_user(session, Role.UNIT)
    campaign = selfcheck.open_campaign(session, actor=office, year=2026, quarter=4)
    form = selfcheck.open_form(session, actor=clerk, campaign_id=campaign.id)
    rows = [RowInput(category_number=n, has_problem=False) for n in range(1, 33)]
    rows[15] = RowInput(category_number=16, has_problem=True, description="备案咨询电话无人接听",
                        risk="企业办事受阻", measure="设专人值守", person="张伟",
                        deadline=date(2026, 12, 31), risk_level="high", department="投资科")
    selfcheck.save_draft(session, actor=clerk, form_id=form.id, version=form.version, rows=rows)
    view = selfcheck.form_view(session, actor=clerk, form_id=form.id)
    sheet = load_workbook(BytesIO(selfcheck_excel.render(view))).active
    headers = [cell.value for cell in sheet[3]]
    row = dict(zip(headers, [cell.value for cell in sheet[4 + 15]], strict=True))
    assert (row["问题描述"], row["风险等级"], row["风险"], row["责任科室"], row["责任人"]) == (
        "备案咨询电话无人接听", "高", "企业办事受阻", "投资科", "张伟")
    untouched = dict(zip(headers, [cell.value for cell in sheet[4]], strict=True))
    assert untouched["是否存在问题"] == "不存在" and untouched["风险等级"] is None


def test_several_problems_of_one_category_are_numbered_lines(session):
    office, clerk = make_user(session, Role.SUPERVISOR), make_user(session, Role.UNIT)
    campaign = selfcheck.open_campaign(session, actor=office, year=2026, quarter=4)
    form = selfcheck.open_form(session, actor=clerk, campaign_id=campaign.id)
    problem = {"measure": "设专人值守", "person": "张伟", "deadline": date(2026, 12, 31),
               "risk_level": "medium"}
    rows = [RowInput(category_number=n, has_problem=False) for n in range(1, 33)]
    rows[15] = RowInput(category_number=16, has_problem=True, description="咨询电话无人接听",
                        **problem)
    rows.insert(16, RowInput(category_number=16, position=2, has_problem=True,
                             description="办事指南未更新", **problem))
    selfcheck.save_draft(session, actor=clerk, form_id=form.id, version=form.version, rows=rows)
    view = selfcheck.form_view(session, actor=clerk, form_id=form.id)
    sheet = load_workbook(BytesIO(selfcheck_excel.render(view))).active
    lines = [(row[0].value, row[4].value) for row in sheet.iter_rows(min_row=4 + 15, max_row=4 + 17)]
    assert lines == [("16-1", "咨询电话无人接听"), ("16-2", "办事指南未更新"), (17, None)]
