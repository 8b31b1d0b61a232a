"""The 报送事项 pages (#14) through AppTest: the office's 报送事项 and the unit's 报送任务."""

import pytest
from sqlmodel import select

from portal import demo_stage
from portal.models import StageReport, StageRequest
from tests.app.conftest import confirm, select_row, texts
from tests.factories import unit_id


@pytest.fixture
def requests(demo_session):
    demo_stage.seed_demo_stage(demo_session)  # only when there is no request: once per database
    return demo_session


def button(app, label):
    return next(b for b in app.button if b.label == label)


def test_the_office_sees_who_has_submitted_and_the_late_units_notices(open_page, requests):
    app = open_page("pages/stage_reports.py", "supervisor")
    assert not app.exception
    assert [tab.label for tab in app.tabs] == ["报送事项列表", "发布报送事项"]
    table = next(f for f in app.dataframe if f.key == "stage_table").value
    first = table[table["事项名称"] == demo_stage.FIRST].iloc[0]
    assert (first["应报单位"], first["已报送"], first["其中逾期"], first["逾期未报"]) == (8, 7, 1, 1)
    app = select_row(app, "stage_table", demo_stage.FIRST)
    assert not app.exception
    assert {m.label for m in app.metric} == {"未报送", "按时报送", "逾期报送", "已退回", "已通过"}
    request_id = requests.exec(select(StageRequest.id).where(
        StageRequest.title == demo_stage.FIRST)).one()
    status = next(f for f in app.dataframe if f.key == f"stage_status_{request_id}").value
    states = dict(zip(status["单位"], status["状态"], strict=True))
    assert states[demo_stage.MISSING] == "未报送" and states[demo_stage.WAITING] == "按时报送"
    cards = dict(zip(status["单位"], status["红黄牌"], strict=True))
    assert cards[demo_stage.MISSING] == "红牌" and cards[demo_stage.WAITING] == ""  # owes / done
    assert "督办通知（三单一函）" in texts(app)
    notices = next(f for f in app.dataframe if "文号" in f.value.columns).value
    assert set(notices["督办事项"].str.startswith("【报送事项】")) == {True}
    assert any(b.label.startswith("下载 提醒〔2026〕") for b in app.get("download_button"))

    app = select_row(app, f"stage_status_{request_id}", demo_stage.WAITING)
    assert f"{demo_stage.WAITING}关于" in texts(app)
    assert [e.label for e in app.expander] == ["第 1 次报送（已退回）"]  # kept, with its reason
    assert "未附典型案例的处理结果，请补充后重新报送。" in texts(app)
    button(app, "审核通过").click().run()
    assert not app.exception
    assert f"已通过{demo_stage.WAITING}的报送。" in texts(app)


def test_the_office_publishes_a_request_to_chosen_units(open_page, requests):
    app = open_page("pages/stage_reports.py", "supervisor")
    app.text_input(key="stage_add_title").input("第二阶段工作开展情况")
    app.text_area(key="stage_add_content").input("请报送第二阶段工作开展情况。")
    app.multiselect(key="stage_add_units").set_value(
        [unit_id(requests, "区发改局"), unit_id(requests, "区住建局")])
    button(app, "发布").click().run()
    assert not app.exception
    assert any(s.value.startswith("已发布报送事项 报送〔2026〕") for s in app.success)
    requests.commit()  # end the fixture's read snapshot: see what the page wrote
    made = requests.exec(select(StageRequest).where(
        StageRequest.title == "第二阶段工作开展情况")).one()
    assert len(requests.exec(select(StageReport).where(
        StageReport.request_id == made.id)).all()) == 2


def test_a_unit_submits_its_report_and_sees_its_notices(open_page, requests):
    app = open_page("pages/my_stage_reports.py", "unit_zjj")
    assert not app.exception
    table = next(f for f in app.dataframe if f.key == "mystage_table").value
    assert {demo_stage.FIRST, demo_stage.SUMMARY} <= set(table["事项名称"])
    app = select_row(app, "mystage_table", demo_stage.FIRST)
    assert not app.exception
    content = texts(app)
    assert "督办通知（三单一函）" in content and "提交报送" in [b.label for b in app.button]
    app.text_area(key="mystage_content").input("第一阶段共梳理问题 5 个，已整改 4 个；典型案例 1 件。")
    button(app, "提交报送").click().run()
    assert not app.exception
    assert any(s.value.startswith("已报送 报送〔2026〕") for s in app.success)
    app.run()
    assert "已报送，等待营商办审核。" in texts(app)


def test_a_unit_cannot_open_the_office_page_nor_the_office_the_units(open_page, requests):
    app = open_page("pages/stage_reports.py", "unit_fgj")
    assert "您的账号没有访问本页面的权限。" in texts(app) and not app.tabs
    app = open_page("pages/my_stage_reports.py", "supervisor")
    assert "您的账号没有访问本页面的权限。" in texts(app) and not app.dataframe


def test_the_office_issues_a_notice_to_a_unit_that_owes_its_report_after_confirming(open_page,
                                                                                    requests):
    app = open_page("pages/stage_reports.py", "supervisor")
    app = select_row(app, "stage_table", demo_stage.SUMMARY)
    app.text_input(key="stage_issue_reason").input("请抓紧报送")
    button(app, "发出督办通知").click().run()
    assert not app.exception
    assert any(b.key == "confirm_yes" for b in app.button)  # asked in a dialog first
    app = confirm(app)
    assert not app.exception
    assert any(s.value.startswith("已发出 提醒〔2026〕") for s in app.success)
