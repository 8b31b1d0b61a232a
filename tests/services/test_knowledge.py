"""知识库: proposals from replies approved by the office, suggestions, validity, Excel."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from portal import clock, knowledge, report_flow, reports
from portal.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input

NOW = datetime(2026, 11, 23, 9, 0)
PERMIT = knowledge.EntryInput(
    question="办理食品经营许可证需要提交哪些材料？",
    answer="营业执照、法定代表人身份证明、经营场所使用证明和食品安全管理制度，可在政务网一次性下载清单。",
    policy_basis="《食品经营许可和备案管理办法》第十二条", category_number=15)


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def people(session):
    return {"supervisor": make_user(session, Role.SUPERVISOR),
            "admin": make_user(session, Role.ADMIN),
            "fgj": make_user(session, Role.UNIT, unit="区发改局"),
            "zjj": make_user(session, Role.UNIT, unit="区住建局")}


def replied_report(session, people, **changes):
    filed = reports.file_report(session, actor=None, data=valid_input(**changes))
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session, "区发改局"), category_number=15)
    return filed


def test_a_unit_turns_its_reply_into_an_entry_that_the_office_approves(session, people):
    filed = replied_report(session, people)
    fgj = people["fgj"]
    with pytest.raises(ValidationError, match="error.kb_not_replied"):
        knowledge.reply_of(session, actor=fgj, report_id=filed.report_id)
    report_flow.reply(session, actor=fgj, report_id=filed.report_id,
                      result="已告知所需全部材料清单，并当场受理。",
                      outcome="resolved")
    offered = knowledge.reply_of(session, actor=fgj, report_id=filed.report_id)
    assert offered["answer"] == "已告知所需全部材料清单，并当场受理。"
    assert offered["category_number"] == 15
    with pytest.raises(NotFound):
        knowledge.reply_of(session, actor=people["zjj"], report_id=filed.report_id)
    entry = knowledge.propose_from_reply(session, actor=fgj, report_id=filed.report_id,
                                         data=knowledge.EntryInput(question=PERMIT.question,
                                                                   answer=offered["answer"]))
    assert entry.status == knowledge.PENDING and entry.unit_id == unit_id(session, "区发改局")
    with pytest.raises(PermissionDenied):
        knowledge.review(session, actor=fgj, entry_id=entry.id, approve=True)
    with pytest.raises(ValidationError, match="error.kb_reject_reason"):
        knowledge.review(session, actor=people["supervisor"], entry_id=entry.id, approve=False)
    knowledge.review(session, actor=people["supervisor"], entry_id=entry.id, approve=True)
    assert entry.status == knowledge.APPROVED


def test_similar_approved_and_valid_entries_are_suggested_for_a_reply(session, people):
    boss = people["supervisor"]
    knowledge.create(session, actor=boss, data=PERMIT)
    expired = knowledge.EntryInput(**{**PERMIT.__dict__, "valid_until": date(2026, 1, 1),
                                      "question": "食品经营许可证办理需要哪些材料（旧）"})
    knowledge.create(session, actor=boss, data=expired)
    knowledge.create(session, actor=boss, data=knowledge.EntryInput(
        question="园区路灯损坏找哪个部门报修？", answer="请拨打12345或联系园区管委会物业部。",
        category_number=32))
    filed = replied_report(session, people, title="食品经营许可证要交什么材料",
                           description="想办食品经营许可证，不知道需要提交哪些材料，跑了几次。")
    found = knowledge.similar_entries(session, actor=people["fgj"], report_id=filed.report_id)
    assert [e["question"] for e in found] == [PERMIT.question]
    assert found[0]["policy_basis"].startswith("《食品经营许可") and found[0]["score"] > 0.12
    with pytest.raises(NotFound):  # another unit's report
        knowledge.similar_entries(session, actor=people["zjj"], report_id=filed.report_id)


def test_entries_are_checked(session, people):
    with pytest.raises(FormInvalid) as refused:
        knowledge.create(session, actor=people["supervisor"], data=knowledge.EntryInput(
            question="问", answer="", valid_from=date(2026, 5, 1), valid_until=date(2026, 4, 1)))
    assert set(refused.value.errors) == {"question", "answer", "valid_until"}
    with pytest.raises(PermissionDenied):
        knowledge.create(session, actor=people["fgj"], data=PERMIT)


def test_excel_round_trip_keeps_entries_and_a_bad_row_refuses_the_file(session, people):
    admin = people["admin"]
    formula = knowledge.EntryInput(question="=HYPERLINK(\"http://x\")怎么办？", answer="按规定办理即可。")
    knowledge.create(session, actor=people["supervisor"], data=PERMIT)
    knowledge.create(session, actor=people["supervisor"], data=formula)
    data = knowledge.export_excel(session, actor=admin)
    sheet = load_workbook(io.BytesIO(data)).active
    questions = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert questions[1].startswith("'=")  # kept as text, not a live formula
    before, _ = knowledge.list_entries(session, actor=admin)
    assert knowledge.import_excel(session, actor=admin, data=data) == 2
    after, total = knowledge.list_entries(session, actor=admin)
    assert total == len(before) + 2

    book = Workbook()
    book.active.append(knowledge.EXCEL_HEADERS)
    book.active.append(["有效的问题内容", "有效的答复内容", "", "区发改局", 15, None, None])
    book.active.append(["坏", "", "", "不存在的局", 99, "明天", None])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError, match="error.kb_excel_rows") as refused:
        knowledge.import_excel(session, actor=admin, data=buffer.getvalue())
    assert refused.value.params["rows"] == "3"
    assert knowledge.list_entries(session, actor=admin)[1] == total  # nothing of it


def test_the_public_faq_lists_only_approved_valid_entries(session, people):
    knowledge.create(session, actor=people["supervisor"], data=PERMIT)
    filed = replied_report(session, people)
    report_flow.reply(session, actor=people["fgj"], report_id=filed.report_id, result="已办理完毕",
                      outcome="resolved")
    knowledge.propose_from_reply(session, actor=people["fgj"], report_id=filed.report_id,
                                 data=knowledge.EntryInput(question="待审核的问题内容",
                                                           answer="待审核的答复内容"))
    rows, _ = knowledge.public_faq(session, search="")
    questions = [r["question"] for r in rows]
    assert PERMIT.question in questions and "待审核的问题内容" not in questions
