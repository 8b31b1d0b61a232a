"""Category hints on the filing form and in the triage form; the office's retrain button."""


from portal import reports
from tests.app.conftest import confirm, select_row, texts
from tests.services.test_reports import valid_input


def test_a_filer_who_does_not_know_the_category_gets_three_hints_and_can_pick_one(open_page):
    app = open_page("pages/report.py")
    assert "问题可能属于以下类别" not in texts(app)
    app.text_input(key="report_title").input("环评被要求找指定中介")
    app.text_area(key="report_description").input(
        "办环评的时候窗口工作人员说必须找他们推荐的中介公司，不然材料过不了。").run()
    assert not app.exception
    content = texts(app)
    assert "问题可能属于以下类别" in content and "匹配：" in content and "中介" in content
    next(b for b in app.button if b.label == "选第 5 类").click().run()
    assert app.session_state["report_category"] == 5
    assert "问题可能属于以下类别" not in texts(app)


def test_triage_shows_suggestions_and_preselects_the_first(open_page, demo_session):
    filed = reports.file_report(demo_session, actor=None, data=valid_input(
        title="货车在路口被截停罚款", description="运输车辆每次经过乡镇路口都被拦下罚款，不开票据。"))
    app = open_page("pages/intake.py", "supervisor")
    select_row(app, "intake_table", filed.tracking_no)
    assert not app.exception
    content = texts(app)
    assert "分类建议" in content and "11. 违规设卡、截车、罚款的" in content
    assert "已按建议预选第 11 类" in content
    assert app.selectbox(key="intake_assign_category").value == 11


def test_the_office_retrains_the_suggester_with_a_button(open_page):
    app = open_page("pages/intake.py", "supervisor")
    next(b for b in app.button if b.label == "用已确认分类重新训练").click().run()
    assert not app.exception
    assert "已重新训练（含已确认分类的反映问题" in texts(app)


def test_triage_lists_a_similar_report_merges_and_unmerges(open_page, demo_session):
    first = reports.file_report(demo_session, actor=None, data=valid_input(
        title="燃气报装拖了三个月", description="新厂房燃气报装申请三个月没有任何进展，多次催问都说在排队。"))
    again = reports.file_report(demo_session, actor=None, data=valid_input(
        title="燃气报装三个月没进展", description="厂房燃气报装申请提交三个月了仍没有进展，催问多次都说在排队等候。"))
    app = open_page("pages/intake.py", "supervisor")
    select_row(app, "intake_table", again.tracking_no)
    assert "疑似重复或相关的件" in texts(app) and first.tracking_no in texts(app)
    app.selectbox(key="intake_similar_pick").set_value(first.report_id).run()
    next(b for b in app.button if b.label.startswith("并案")).click().run()
    assert f"将把 {again.tracking_no} 并入 {first.tracking_no}" in texts(app)
    confirm(app)
    assert not app.exception
    assert f"已将 {again.tracking_no} 并入 {first.tracking_no}。" in texts(app)
    assert f"本件已与 {first.tracking_no}" in texts(app)
    assert "受理并分办" not in texts(app)  # a merged report has no actions of its own
    app.text_input(key="intake_unmerge_reason").input("不是同一厂房")
    next(b for b in app.button if b.label == "解除并案").click().run()
    assert not app.exception
    assert f"本件已与 {first.tracking_no}" not in texts(app)
    assert "受理并分办" in texts(app)


def test_the_discipline_dashboard_shows_the_quota_forecast(open_page):
    app = open_page("pages/quota_dashboard.py", "discipline")
    assert not app.exception
    content = texts(app)
    assert "指标预测" in content
    assert "照目前进度" in content


def test_an_office_entry_lists_earlier_look_alikes_right_after_filing(open_page, demo_session):
    earlier = reports.file_report(demo_session, actor=None, data=valid_input(
        title="供水管网改造拖了半年", description="园区供水管网改造从五月拖到现在，企业用水一直不稳定。"))
    app = open_page("pages/intake_entry.py", "supervisor")
    app.selectbox(key="entry_channel").set_value("phone")
    app.radio(key="entry_kind").set_value("complaint")
    app.text_input(key="entry_title").input("园区供水管网改造半年没完工")
    app.text_area(key="entry_description").input("园区供水管网改造从五月拖到现在还没完工，企业用水不稳定。")
    app.text_input(key="entry_contact_name").input("赵强")
    app.text_input(key="entry_contact_mobile").input("13912345678")
    next(b for b in app.button if b.label == "提交").click().run()
    assert not app.exception
    assert "提交成功" in texts(app)
    assert "疑似重复或相关的件" in texts(app) and earlier.tracking_no in texts(app)
