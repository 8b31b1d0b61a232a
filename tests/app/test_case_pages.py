"""Typical cases, the quota dashboard, quota rules and the public board through AppTest."""

from datetime import date

import pytest

from portal import cases
from portal.db import make_engine, session_scope
from portal.users import load_actor
from tests.app.conftest import confirm, select_row, texts
from tests.factories import unit_id


@pytest.fixture
def concluded_case(demo_db_url):
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:
        worker = load_actor(session, username="unit_fgj")
        made = cases.register(session, actor=worker, data=cases.CaseInput(
            unit_id=unit_id(session), category_number=7, title="单位自查发现的违规审批",
            summary="自查发现违规增设前置条件。", found_on=date(2026, 2, 1),
            concluded_on=date(2026, 3, 20), source="self_check", outcomes=["government"]))
        for step in ("checking", "concluded"):
            cases.advance(session, actor=worker, case_id=made.id, to=step)
        case_id = made.id
    engine.dispose()
    return case_id


def test_a_unit_sees_its_cases_and_cannot_verify(open_page, concluded_case):
    app = open_page("pages/cases.py", "unit_fgj")
    assert not app.exception
    assert "单位自查发现的违规审批" in texts(app)
    select_row(app, "cases_table", "单位自查发现的违规审批")
    assert not any(b.label.startswith("转为") for b in app.button)
    other = open_page("pages/cases.py", "unit_zjj")
    assert "单位自查发现的违规审批" not in texts(other)


def test_discipline_verifies_and_the_dashboard_counts_it(open_page, concluded_case):
    app = open_page("pages/cases.py", "discipline")
    select_row(app, "cases_table", "单位自查发现的违规审批")
    next(b for b in app.button if b.label == "转为“已审核”").click().run()
    assert "将把案例“单位自查发现的违规审批”转为“已审核”，审核后不能再修改。" in texts(app)
    confirm(app)
    assert not app.exception
    assert "已将案例“单位自查发现的违规审批”转为“已审核”。" in texts(app)
    board = open_page("pages/quota_dashboard.py", "discipline")
    assert not board.exception
    content = texts(board)
    assert "区发改局" in content and "已达标" in content


def test_supervisors_see_counts_not_cases(open_page):
    app = open_page("pages/quota_dashboard.py", "supervisor")
    assert not app.exception
    assert "营商办可查看各单位案例数量" in texts(app)
    assert not any(b.label.startswith("导出") for b in app.get("download_button"))


def test_admin_sees_the_default_rules(open_page):
    app = open_page("pages/admin_quotas.py", "admin")
    assert not app.exception
    assert "（当前使用默认规则）" in texts(app)


def test_the_public_board_opens_without_login(open_page):
    app = open_page("pages/board.py")
    assert not app.exception
    assert "受理量" in texts(app) or "典型案例通报曝光" in texts(app)


def test_a_clue_gets_its_conclusion_date_through_the_edit_form(open_page, demo_db_url):
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:
        worker = load_actor(session, username="unit_zjj")
        cases.register(session, actor=worker, data=cases.CaseInput(
            unit_id=unit_id(session, "区住建局"), category_number=14, title="待补办结日期的线索",
            summary="线索。", found_on=date(2026, 5, 1), source="self_check"))
    engine.dispose()
    app = open_page("pages/cases.py", "unit_zjj")
    select_row(app, "cases_table", "待补办结日期的线索")
    app.date_input[-1].set_value(date(2026, 6, 1))
    next(b for b in app.button if b.label == "保存").click().run()
    assert not app.exception and "已保存。" in texts(app)


def test_the_quota_table_speaks_in_counts_against_the_requirement(open_page):
    app = open_page("pages/quota_dashboard.py", "discipline")
    app.date_input(key="quota_date").set_value(date(2026, 11, 23)).run()
    frame = app.dataframe[0].value
    assert "2026年3月31日 节点" in frame.columns and "2026年12月31日 节点" in frame.columns
    december = frame.set_index("单位")["2026年12月31日 节点"]
    assert all("件，处分" in cell and "/2 件" in cell for cell in december)  # n/2 件，处分 m/1 件
    days = frame.set_index("单位")["剩余天数"]
    for unit, cell in december.items():
        if cell.startswith("已达标"):
            assert days[unit] == ""  # nothing left to count down once met
        else:
            assert days[unit] == "38 天"  # to 31 December
    assert app.get("vega_lite_chart")  # the chart against the quota line
