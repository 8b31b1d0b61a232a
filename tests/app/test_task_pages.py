"""The key-task pages (#14) through AppTest: the office's 重点任务 and the unit's 我的任务."""

import json

import pytest
from sqlmodel import select

from portal import demo_tasks
from portal.models import KeyTask
from tests.app.conftest import confirm, select_row, texts
from tests.factories import unit_id


@pytest.fixture
def ledger(demo_session):
    demo_tasks.seed_demo_tasks(demo_session)  # only into an empty ledger: once per database
    return demo_session


def button(app, label):
    return next(b for b in app.button if b.label == label)


def test_the_office_sees_the_ledger_counts_chart_and_filters(open_page, ledger):
    app = open_page("pages/tasks.py", "supervisor")
    assert not app.exception
    content = texts(app)
    assert [tab.label for tab in app.tabs] == ["任务清单", "挂图作战", "进展审核", "Excel 导入", "新增任务"]
    assert "加强“十个严禁”落实情况监督检查" in content
    assert {b.label for b in app.get("download_button")} == {"下载导入模板（Excel）", "导出任务清单（Excel）"}
    assert {m.label for m in app.metric} == {"已逾期", "有风险", "正常推进", "已完成"}
    chart = json.loads(app.get("vega_lite_chart")[0].proto.spec)  # 挂图作战
    colour = chart["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["正常推进", "有风险", "已逾期", "已完成"]
    app.selectbox(key="tasks_state").set_value("overdue").run()
    table = next(f for f in app.dataframe if f.key == "tasks_table").value
    assert set(table["状态"]) == {"已逾期"} and "加强“十个严禁”落实情况监督检查" in set(table["任务名称"])
    app = select_row(app, "tasks_table", "加强“十个严禁”落实情况监督检查")
    assert not app.exception
    content = texts(app)
    assert "区公安分局、区法庭、区检察室" in content and "90%" in content
    assert "进展报送记录" in content


def test_the_office_adds_a_task_by_hand(open_page, ledger):
    app = open_page("pages/tasks.py", "supervisor")
    form = {t.label: t for t in app.text_input}
    form["编号"].input("9-1")
    form["任务名称"].input("开展营商环境监督平台推广应用")
    lead = next(m for m in app.multiselect if m.label == "牵头单位")
    lead.set_value([unit_id(ledger, "区发改局")])
    button(app, "新增任务").click().run()
    assert not app.exception
    assert "已新增任务 9-1。" in texts(app)
    ledger.commit()  # end the fixture's read snapshot: see what the page wrote
    assert ledger.exec(select(KeyTask).where(KeyTask.number == "9-1")).one().title \
        == "开展营商环境监督平台推广应用"


def test_a_unit_reports_progress_and_the_office_accepts_it(open_page, ledger):
    app = open_page("pages/my_tasks.py", "unit_fgj")
    assert not app.exception
    table = next(f for f in app.dataframe if f.key == "mytasks_table").value
    assert "开展失信约束制度清理" in set(table["任务名称"])  # 区发改局 leads it
    assert "推进公正文明执法" not in set(table["任务名称"])  # 区政法委's alone
    app = select_row(app, "mytasks_table", "加快推进“三河共治”进度")
    assert not app.exception
    assert "报送进展" in texts(app)
    app.text_area(key="mytasks_progress").input("完成小凌河段清淤 3.2 公里，女儿河治理方案已批复。")
    app.number_input(key="mytasks_percent").set_value(93)
    button(app, "提交进展").click().run()
    assert not app.exception
    assert "已报送 4-1 的进展，等待营商办审核。" in texts(app)
    app.run()
    assert "本任务有一条进展正在等待营商办审核" in texts(app)

    office = open_page("pages/tasks.py", "supervisor")
    office = select_row(office, "tasks_review_table", "加快推进“三河共治”进度")
    assert "完成小凌河段清淤 3.2 公里" in texts(office)
    button(office, "审核通过").click().run()
    assert not office.exception
    assert "已通过 4-1 的进展。" in texts(office)


def test_a_unit_cannot_open_the_office_page(open_page, ledger):
    app = open_page("pages/tasks.py", "unit_fgj")
    assert "您的账号没有访问本页面的权限。" in texts(app)
    assert not app.tabs


def test_the_office_page_speaks_english_too(open_page, ledger):
    app = open_page("pages/tasks.py", "admin", lang="en")
    assert not app.exception
    assert "Key tasks" in texts(app)
    assert "Download the template (Excel)" in {b.label for b in app.get("download_button")}


def test_an_overdue_task_shows_its_notices_with_their_word_files(open_page, ledger):
    app = open_page("pages/tasks.py", "supervisor")
    app.selectbox(key="tasks_state").set_value("overdue").run()
    app = select_row(app, "tasks_table", "加强“十个严禁”落实情况监督检查")
    assert not app.exception
    content = texts(app)
    assert "督办通知（三单一函）" in content
    notices = next(f for f in app.dataframe if "文号" in f.value.columns).value
    assert set(notices["督办事项"].str.startswith("【重点任务】")) == {True}
    assert any(number.startswith("提醒〔2026〕") for number in notices["文号"])
    assert any(b.label.startswith("下载 提醒〔2026〕") for b in app.get("download_button"))


def test_the_office_issues_a_notice_on_a_task_after_confirming_it(open_page, ledger):
    app = open_page("pages/tasks.py", "supervisor")
    app.selectbox(key="tasks_state").set_value("on_track").run()
    title = next(f for f in app.dataframe if f.key == "tasks_table").value["任务名称"].iloc[0]
    app = select_row(app, "tasks_table", title)
    app.text_input(key="tasks_issue_reason").input("进展滞后，请加快推进")
    button(app, "发出督办通知").click().run()
    assert not app.exception
    assert any(b.key == "confirm_yes" for b in app.button)  # asked in a dialog first
    app = confirm(app)
    assert not app.exception
    assert any(s.value.startswith("已发出 提醒〔2026〕") for s in app.success)
