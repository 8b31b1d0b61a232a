"""Self-check pages through AppTest; the editor is driven through its session-state key."""

from datetime import date

import pytest
from sqlmodel import select

from portal import selfcheck
from portal.db import make_engine, session_scope
from portal.models import SelfcheckCampaign, Unit
from portal.roles import Role
from portal.users import add_account, load_actor
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


def form_id_of(app) -> int:
    return int(next(k for k in app.session_state.keys()
                    if k.startswith("selfcheck_version_")).rsplit("_", 1)[1])


def answer(app, number: int, **fields) -> None:
    """Set the widgets of category `number` as a clerk would fill them."""
    form_id = form_id_of(app)
    for field, value in fields.items():
        app.session_state[f"selfcheck_{form_id}_{number}_{field}"] = value


def answer_all(app, *problems: int) -> None:
    for number in range(1, 33):
        answer(app, number, has_problem=False)
    for number in problems:
        answer(app, number, has_problem=True, description="一次性告知不到位", risk_level="medium",
               measure="制定清单", person="李科长", deadline=date(2026, 12, 31))


def submit_as(open_page, username: str) -> None:
    app = open_page("pages/selfcheck.py", username)
    if "状态：草稿" not in texts(app) and "状态：已退回" not in texts(app):
        return
    answer_all(app, 15)
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
    answer_all(app)
    answer(app, 16, has_problem=True, description="只写了描述")
    app.run()
    next(b for b in app.button if b.label == "提交").click().run()
    content = texts(app)
    assert "以下序号的问题类别尚未填写完整：16。" in content
    assert "请填写：风险等级、整改措施、责任人、整改时限" in content  # inline, under category 16
    assert "已填 32/32，1 项待补充" in content


def test_the_form_shows_progress_and_asks_only_存在_rows_for_details(open_page, campaign_id):
    app = open_page("pages/selfcheck.py", "unit_fgj")
    assert not app.exception
    form_id = form_id_of(app)
    answer(app, 1, has_problem=False)
    answer(app, 2, has_problem=True)
    app.run()
    content = texts(app)
    assert "第 1 类" in content and "对上级重大决策部署和文件要求执行不到位的" in content
    assert "有尚未保存的修改" in content
    keys = {w.key for w in app.text_area} | {w.key for w in app.text_input}
    assert f"selfcheck_{form_id}_2_description" in keys  # 存在: the four lists are asked
    assert f"selfcheck_{form_id}_1_description" not in keys  # 不存在: nothing more
    labels = [w.label for w in app.text_area if w.key == f"selfcheck_{form_id}_2_description"]
    assert labels == ["问题描述 :red[*]"]  # marked required
    assert "None" not in content


def test_carried_over_problems_are_flagged_at_the_top(open_page, campaign_id, demo_db_url):
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:  # 区财政局 answered 2026年第三季度 with an open problem
        office = load_actor(session, username="supervisor")
        unit_id = session.exec(select(Unit.id).where(Unit.name == "区财政局")).one()
        add_account(session, username="unit_czj", display_name="赵敏", password="Zm-2026-czj!",
                    roles={Role.UNIT}, unit_id=unit_id)
        session.commit()
        clerk = load_actor(session, username="unit_czj")
        q3 = selfcheck.open_campaign(session, actor=office, year=2026, quarter=3,
                                     unit_ids=[unit_id])
        form = selfcheck.open_form(session, actor=clerk, campaign_id=q3.id)
        rows = [selfcheck.RowInput(category_number=n, has_problem=False) for n in range(1, 33)]
        rows[15] = selfcheck.RowInput(category_number=16, has_problem=True,
                                      description="诉求答复超时", measure="专人值守",
                                      person="钱科长", deadline=date(2026, 12, 31),
                                      progress="in_progress", risk_level="low")
        selfcheck.submit(session, actor=clerk, form_id=form.id, version=form.version, rows=rows)
        selfcheck.accept(session, actor=office, form_id=form.id)
    engine.dispose()
    app = open_page("pages/selfcheck.py", "unit_czj")
    content = texts(app)
    assert "来自往期自查、尚未整改完毕" in content
    assert "第 16 类" in content and "来自2026年第三季度" in content


def test_a_saved_draft_keeps_its_confirmation_across_reruns(open_page, campaign_id):
    app = open_page("pages/selfcheck.py", "unit_fgj")
    answer(app, 3, has_problem=False)
    app.run()
    next(b for b in app.button if b.label == "保存草稿").click().run()
    assert "草稿已保存。" in texts(app)
    assert "已保存（" in texts(app)
    app.run()  # any later rerun, e.g. switching a tab
    assert "草稿已保存。" in texts(app)


def test_a_stale_copy_cannot_overwrite(open_page, campaign_id, demo_db_url):
    app = open_page("pages/selfcheck.py", "unit_fgj")
    form_id = form_id_of(app)
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
    assert "第 15 类" in texts(app) and "一次性告知不到位" in texts(app)  # read as a document
    app.text_area(key="review_comment").input("第15类整改措施需细化")
    app.text_input(key="review_note_15").input("措施请写明完成时间")
    next(b for b in app.button if b.label == "退回修改").click().run()
    assert not app.exception
    assert "已将区住建局的2026年第四季度自查表退回修改。" in texts(app)
    unit = open_page("pages/selfcheck.py", "unit_zjj")
    assert "审核退回意见：第15类整改措施需细化" in texts(unit)
    assert "审核意见：措施请写明完成时间" in texts(unit)


def test_opening_the_next_quarter_asks_first_and_says_what_it_did(open_page, campaign_id,
                                                                  demo_db_url):
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:
        active = len(session.exec(select(Unit.id).where(Unit.active)).all())  # 18 + added ones
    engine.dispose()
    app = open_page("pages/selfcheck_review.py", "supervisor")
    next(b for b in app.button if b.label == "开启下一季度自查").click().run()
    content = texts(app)
    assert f"将为 {active} 个单位开启2027年第一季度自查，截止2027年" in content
    assert "2027年第一季度" not in str(app.selectbox(key="review_campaign").options)  # not yet
    next(b for b in app.button if b.label == "确认").click().run()
    assert f"已为 {active} 个单位开启2027年第一季度自查，截止2027年" in texts(app)


def test_discipline_reads_but_does_not_review(open_page, campaign_id):
    app = open_page("pages/selfcheck_review.py", "discipline")
    assert not app.exception
    assert not any(b.label in ("审核通过", "开启下一季度自查") for b in app.button)


def problems_of(demo_db_url: str, form_id: int, number: int) -> list[tuple[int, str]]:
    """(position, description) of the stored problems of one category of the form."""
    engine = make_engine(demo_db_url)
    with session_scope(engine) as session:
        view = selfcheck.form_view(session, actor=load_actor(session, username="unit_fgj"),
                                   form_id=form_id)
    engine.dispose()
    return [(r["position"], r["description"]) for r in view["rows"]
            if r["category_number"] == number]


def test_a_category_takes_a_second_problem_which_can_be_removed_again(open_page, campaign_id,
                                                                      demo_db_url):
    app = open_page("pages/selfcheck.py", "unit_fgj")
    form_id = form_id_of(app)
    answer_all(app, 16)
    app.run()
    app.button(key=f"selfcheck_{form_id}_16_add").click().run()
    assert "问题 2" in texts(app) and "问题 1" in texts(app)
    second = {"description": "办事指南未及时更新", "risk_level": "low", "measure": "每月核对指南",
              "person": "周科员", "deadline": date(2026, 12, 20)}
    for field, value in second.items():
        app.session_state[f"selfcheck_{form_id}_16_{field}_2"] = value
    app.run()
    assert "已填 32/32，0 项待补充" in texts(app)
    next(b for b in app.button if b.label == "保存草稿").click().run()
    assert "草稿已保存。" in texts(app)
    assert problems_of(demo_db_url, form_id, 16) == [(1, "一次性告知不到位"), (2, "办事指南未及时更新")]

    again = open_page("pages/selfcheck.py", "unit_fgj")  # a fresh session reads both back
    assert again.text_area(key=f"selfcheck_{form_id}_16_description_2").value == "办事指南未及时更新"
    again.button(key=f"selfcheck_{form_id}_16_remove_1").click().run()
    assert again.text_area(key=f"selfcheck_{form_id}_16_description").value == "办事指南未及时更新"
    assert "问题 2" not in texts(again) and "有尚未保存的修改" in texts(again)
    next(b for b in again.button if b.label == "保存草稿").click().run()
    assert problems_of(demo_db_url, form_id, 16) == [(1, "办事指南未及时更新")]
