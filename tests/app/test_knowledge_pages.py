"""知识库 pages: hints while a unit replies, proposing from a reply, the office's approval."""

from portal import knowledge, report_flow, reports
from portal.users import load_actor
from tests.app.conftest import select_row, texts
from tests.factories import unit_id
from tests.services.test_reports import valid_input


def test_a_unit_sees_similar_answers_replies_and_proposes_an_entry(open_page, demo_session):
    boss = load_actor(demo_session, username="supervisor")
    knowledge.create(demo_session, actor=boss, data=knowledge.EntryInput(
        question="建设工程规划许可证办理时限是多久？",
        answer="材料齐全的，自受理之日起 10 个工作日内办结。", policy_basis="《城乡规划法》第四十条",
        unit_id=unit_id(demo_session, "区发改局")))
    filed = reports.file_report(demo_session, actor=None, data=valid_input(
        title="建设工程规划许可证办理时限", description="建设工程规划许可证办理时限到底是多久，已经等了一个月。"))
    report_flow.assign(demo_session, actor=boss, report_id=filed.report_id,
                       unit_id=unit_id(demo_session, "区发改局"), category_number=15)
    app = open_page("pages/unit_reports.py", "unit_fgj")
    select_row(app, "unit_table", filed.tracking_no)
    assert not app.exception
    assert "知识库中的相似问答" in texts(app)
    assert "建设工程规划许可证办理时限是多久？" in [e.label for e in app.expander]
    app.text_area(key="unit_reply_text").input("经核实，已于本周办结并送达许可证。")
    app.radio(key="unit_reply_outcome").set_value("resolved")  # #11: a reply has an outcome
    next(b for b in app.button if b.label == "答复办结").click().run()
    assert not app.exception
    app.text_input(key="unit_kb_question").input("建设工程规划许可证多久能办好？")
    next(b for b in app.button if b.label == "提交审核").click().run()
    assert not app.exception
    assert "已提交，营商办审核通过后生效。" in texts(app)

    office = open_page("pages/knowledge.py", "supervisor")
    assert "建设工程规划许可证多久能办好？" in texts(office)
    approve = [b for b in office.button if b.label == "审核通过"]
    approve[-1].click().run()
    assert not office.exception
    assert "已审核通过：建设工程规划许可证多久能办好？" in texts(office)  # says which entry
    assert "建设工程规划许可证多久能办好？" not in "\n".join(t.value for t in office.text)



def test_the_saved_entry_is_named_in_the_confirmation_as_text(open_page):
    """The confirmation repeats the question; Markdown in it must not become an image."""
    app = open_page("pages/knowledge.py", "supervisor")
    question = "![x](http://127.0.0.1:9/kb.png) 企业迁址后**税务登记**怎么办？"
    app.text_input(key="kb_new_question").input(question)
    app.text_area(key="kb_new_answer").input("在新址所在地税务机关办理迁入，可全程网办。")
    next(b for b in app.button if b.label == "保存条目").click().run()
    assert not app.exception
    assert f"已保存条目：{question}。" in texts(app)  # as the reader sees it
    shown = "\n".join(e.value for e in app.success)
    assert "![" not in shown and "**" not in shown  # never handed to Markdown as is
