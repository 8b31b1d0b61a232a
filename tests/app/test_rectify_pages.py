"""The 整改台账 pages (#14) through AppTest: the office's 整改台账 and the unit's 本单位整改台账."""

from datetime import timedelta

import pytest
from sqlmodel import select

from portal import clock, selfcheck
from portal.db import make_engine, session_scope
from portal.models import SelfcheckCampaign, Unit
from portal.roles import Role
from portal.users import add_account, load_actor
from tests.app.conftest import confirm, select_row, texts

OVERDUE = "审计整改报告报送不及时"
SOON = "审计发现问题移送材料不全"


@pytest.fixture
def ledger(demo_db_url):
    """区审计局 (login unit_sjj) submitted 2025年第1季度 with an overdue and an open problem."""
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:
        if session.exec(select(SelfcheckCampaign).where(SelfcheckCampaign.year == 2025,
                                                        SelfcheckCampaign.quarter == 1)).first():
            engine.dispose()
            return
        office = load_actor(session, username="supervisor")
        unit_id = session.exec(select(Unit.id).where(Unit.name == "区审计局")).one()
        add_account(session, username="unit_sjj", display_name="孙审", password="Ss-2026-sjj!",
                    roles={Role.UNIT}, unit_id=unit_id)
        session.commit()
        clerk = load_actor(session, username="unit_sjj")
        q1 = selfcheck.open_campaign(session, actor=office, year=2025, quarter=1,
                                     unit_ids=[unit_id])
        form = selfcheck.open_form(session, actor=clerk, campaign_id=q1.id)
        rows = [selfcheck.RowInput(category_number=n, has_problem=False) for n in range(1, 33)]
        today = clock.today()
        for number, text, due in ((1, OVERDUE, today - timedelta(days=10)),
                                  (17, SOON, today + timedelta(days=60))):
            rows[number - 1] = selfcheck.RowInput(
                category_number=number, has_problem=True, description=text, measure="建立台账",
                person="钱科长", deadline=due, risk_level="high", department="审计一科")
        selfcheck.submit(session, actor=clerk, form_id=form.id, version=form.version, rows=rows)
    engine.dispose()


def button(app, label):
    return next(b for b in app.button if b.label == label)


def test_the_office_sees_the_ledger_with_counts_cards_and_filters(open_page, ledger):
    app = open_page("pages/rectify.py", "supervisor")
    assert not app.exception
    content = texts(app)
    assert {m.label for m in app.metric} == {"已逾期", "整改中", "待销号", "已销号"}
    assert {b.label for b in app.get("download_button")} == {"导出问题整改台账（Excel）"}
    table = next(f for f in app.dataframe if f.key == "rectify_table").value
    assert OVERDUE in set(table["问题描述"]) and "红牌" in set(table["红黄牌"])
    assert "None" not in content and "nan" not in content
    app.selectbox(key="rectify_status").set_value("overdue").run()
    table = next(f for f in app.dataframe if f.key == "rectify_table").value
    assert set(table["问题描述"]) >= {OVERDUE} and SOON not in set(table["问题描述"])
    app = select_row(app, "rectify_table", OVERDUE)
    assert not app.exception
    content = texts(app)
    assert "2025年第1季度 第 1 类问题" in content and "审计一科" in content
    assert "尚未提交整改材料。" in content
    app.text_input(key="rectify_issue_reason").input("整改逾期，请抓紧")
    next(b for b in app.button if b.label == "发出提醒单").click().run()
    app = confirm(app)
    assert not app.exception
    assert "提醒〔" in texts(app)


def test_a_unit_submits_evidence_and_the_office_closes_it(open_page, ledger):
    app = open_page("pages/my_rectify.py", "unit_sjj")
    assert not app.exception
    table = next(f for f in app.dataframe if f.key == "myrectify_table").value
    assert set(table["问题描述"]) >= {OVERDUE, SOON} and "单位" not in table.columns
    app = select_row(app, "myrectify_table", SOON)
    assert "提交整改材料，申请销号" in texts(app)
    button(app, "提交并申请销号").click().run()
    assert "请填写整改情况说明。" in texts(app)
    app.text_area(key="myrectify_text").input("已建立移送材料清单并逐项核对。")
    button(app, "提交并申请销号").click().run()
    assert not app.exception
    assert "已提交整改材料，等待营商办销号。" in texts(app)

    office = open_page("pages/rectify.py", "supervisor")
    office = select_row(office, "rectify_table", SOON)
    assert "已建立移送材料清单并逐项核对。" in texts(office)
    office.text_area(key=next(t.key for t in office.text_area
                              if t.key.startswith("rectify_reason_"))).input("缺少清单附件")
    next(b for b in office.button if b.label == "退回（须填写理由）").click().run()
    assert "已退回整改材料" in texts(office)

    app = open_page("pages/my_rectify.py", "unit_sjj")
    app = select_row(app, "myrectify_table", SOON)
    assert "上次提交的整改材料被退回：缺少清单附件" in texts(app)
    app.text_area(key="myrectify_text").input("补充清单附件。")
    button(app, "提交并申请销号").click().run()

    office = open_page("pages/rectify.py", "supervisor")
    office = select_row(office, "rectify_table", SOON)
    button(office, "同意销号").click().run()
    assert not office.exception
    assert "已销号：2025年第1季度-第17类。" in texts(office)
    app = open_page("pages/my_rectify.py", "unit_sjj")
    app = select_row(app, "myrectify_table", SOON)
    assert "该问题已销号。" in texts(app)
