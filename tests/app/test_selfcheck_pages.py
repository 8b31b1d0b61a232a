"""Self-check pages through AppTest; the editor is driven through its session-state key."""

import pytest
from sqlmodel import select

from portal import selfcheck
from portal.db import make_engine, session_scope
from portal.models import SelfcheckCampaign
from portal.users import load_actor
from tests.app.conftest import texts


@pytest.fixture
def campaign_id(demo_db_url):
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:
        found = session.exec(select(SelfcheckCampaign).where(
            SelfcheckCampaign.year == 2026, SelfcheckCampaign.quarter == 4)).first()
        if found is None:
            found = selfcheck.open_campaign(session, actor=load_actor(session,
                                                                     username="supervisor"),
                                            year=2026, quarter=4)
        found_id = found.id
    engine.dispose()  # no transaction may stay open while the page writes
    return found_id


def all_answered(*problems: int) -> dict:
    edits = {}
    for index in range(32):
        edits[index] = {"是否存在问题": "不存在"}
    for number in problems:
        edits[number - 1] = {"是否存在问题": "存在", "问题描述": "一次性告知不到位",
                             "整改措施": "制定清单", "责任人": "李科长",
                             "整改时限": "2026-12-31"}
    return {"edited_rows": edits, "added_rows": [], "deleted_rows": []}


def editor_key(app) -> str:
    return next(k for k in app.session_state.keys() if k.startswith("selfcheck_version_")).replace(
        "version", "editor")


def submit_as(open_page, username: str) -> None:
    app = open_page("pages/selfcheck.py", username)
    if "状态：草稿" not in texts(app) and "状态：已退回" not in texts(app):
        return
    app.session_state[editor_key(app)] = all_answered(15)
    app.run()
    next(b for b in app.button if b.label == "提交").click().run()
    assert "已提交，表格已锁定。" in texts(app)


def test_unit_fills_and_submits_its_form(open_page, campaign_id):
    app = open_page("pages/selfcheck.py", "unit_zjj")
    assert not app.exception
    assert app.selectbox(key="selfcheck_campaign").value == campaign_id
    assert "状态：草稿" in texts(app)
    submit_as(open_page, "unit_zjj")
    after = open_page("pages/selfcheck.py", "unit_zjj")
    assert "状态：已提交" in texts(after)
    assert not any(b.label in ("提交", "保存草稿") for b in after.button)


def test_incomplete_rows_are_named(open_page, campaign_id):
    app = open_page("pages/selfcheck.py", "unit_fgj")
    state = all_answered()
    state["edited_rows"][15] = {"是否存在问题": "存在", "问题描述": "只写了描述"}
    app.session_state[editor_key(app)] = state
    app.run()
    next(b for b in app.button if b.label == "提交").click().run()
    assert "以下序号的问题类别尚未填写完整：16。" in texts(app)


def test_a_stale_copy_cannot_overwrite(open_page, campaign_id, demo_db_url):
    app = open_page("pages/selfcheck.py", "unit_fgj")
    form_id = int(editor_key(app).rsplit("_", 1)[1])
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:  # a colleague saves first
        colleague = load_actor(session, username="unit_fgj")
        form = selfcheck.open_form(session, actor=colleague, campaign_id=campaign_id)
        selfcheck.save_draft(session, actor=colleague, form_id=form_id, version=form.version,
                             rows=[])
    engine.dispose()
    next(b for b in app.button if b.label == "保存草稿").click().run()
    assert "保存失败：本单位其他人员已在您打开之后保存过此表" in texts(app)
    next(b for b in app.button if b.label == "保存草稿").click().run()
    assert "草稿已保存。" in texts(app)  # the reloaded copy saves


def test_supervisor_sees_completion_and_returns_a_form(open_page, campaign_id, demo_db_url):
    submit_as(open_page, "unit_zjj")
    app = open_page("pages/selfcheck_review.py", "supervisor")
    assert not app.exception
    content = texts(app)
    assert "区住建局" in content and "未填报" in content and "已提交" in content
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:
        rows = selfcheck.completion(session, actor=load_actor(session, username="supervisor"),
                                    campaign_id=campaign_id)
    engine.dispose()
    zjj = next(r["form_id"] for r in rows if r["unit"] == "区住建局")
    app.selectbox(key="review_form").set_value(zjj).run()
    app.text_area(key="review_comment").input("第15类整改措施需细化")
    next(b for b in app.button if b.label == "退回修改").click().run()
    assert not app.exception
    unit = open_page("pages/selfcheck.py", "unit_zjj")
    assert "审核退回意见：第15类整改措施需细化" in texts(unit)


def test_discipline_reads_but_does_not_review(open_page, campaign_id):
    app = open_page("pages/selfcheck_review.py", "discipline")
    assert not app.exception
    assert not any(b.label in ("审核通过", "开启下一季度自查") for b in app.button)
