"""The rectification ledger (整改台账, #14): self-check problems across quarters, closed by
evidence (销号), supervised on the 三单一函 ladder when overdue, exported in the offices' layout.
A category may hold several problems: each is its own row of the form and its own entry of the
ledger, carried over and closed on its own."""

from dataclasses import replace
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from portal import clock, escalation, notice_doc, rectification, selfcheck, workdays
from portal.attachments import Upload
from portal.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from portal.models import Notice, SelfcheckRow
from portal.rectification import EvidenceInput
from portal.roles import Role
from portal.selfcheck import FormIncomplete, RowInput
from tests.factories import make_user
from tests.services.test_reports import PNG
from tests.services.test_selfcheck import COMPLETE, answers

NOW = datetime(2026, 11, 23, 10, 0)


@pytest.fixture
def at(monkeypatch):
    moment = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    monkeypatch.setattr(clock, "today", lambda: moment["now"].date())
    return moment


@pytest.fixture
def people(session):
    return {"office": make_user(session, Role.SUPERVISOR),
            "admin": make_user(session, Role.ADMIN),
            "discipline": make_user(session, Role.DISCIPLINE),
            "fgj": make_user(session, Role.UNIT, unit="区发改局"),
            "zjj": make_user(session, Role.UNIT, unit="区住建局")}


def _submit(session, people, campaign, unit="fgj", accept=False, **problems):
    form = selfcheck.open_form(session, actor=people[unit], campaign_id=campaign.id)
    rows = answers(**problems)
    view = selfcheck.form_view(session, actor=people[unit], form_id=form.id)
    for row in view["rows"]:  # keep what was carried over
        if row["carried"] and f"n{row['category_number']}" not in problems:
            rows[row["category_number"] - 1] = selfcheck.RowInput(
                category_number=row["category_number"], has_problem=True,
                description=row["description"], measure=row["measure"], person=row["person"],
                deadline=row["deadline"], risk_level=row["risk_level"] or "low",
                department=row["department"], progress=row["progress"])
    done = selfcheck.submit(session, actor=people[unit], form_id=form.id, version=form.version,
                            rows=rows)
    if accept:
        selfcheck.accept(session, actor=people["office"], form_id=done.id)
    return done


@pytest.fixture
def q3(session, people, at):
    return selfcheck.open_campaign(session, actor=people["office"], year=2026, quarter=3)


PROBLEM = COMPLETE | {"department": "政务服务科", "risk_level": "high"}


def test_risk_level_is_required_for_a_存在_row(session, people, q3):
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q3.id)
    without = {k: v for k, v in PROBLEM.items() if k != "risk_level"}
    with pytest.raises(FormIncomplete) as incomplete:
        selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                         rows=answers(n16=without))
    assert incomplete.value.missing == {16: ["risk_level"]}
    saved = selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id,
                                 version=form.version, rows=answers(n16=without))
    assert saved.status == "draft"  # a draft may lack it
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=saved.version,
                     rows=answers(n16=PROBLEM))
    row = selfcheck.form_view(session, actor=people["fgj"], form_id=form.id)["rows"][15]
    assert (row["risk_level"], row["department"]) == ("high", "政务服务科")


def test_the_ledger_lists_submitted_problems_with_origin_age_and_status(session, people, q3, at):
    _submit(session, people, q3, n16=PROBLEM, n21=PROBLEM | {"description": "收费公示不全"})
    draft = selfcheck.open_form(session, actor=people["zjj"], campaign_id=q3.id)
    selfcheck.save_draft(session, actor=people["zjj"], form_id=draft.id, version=draft.version,
                         rows=answers(n3=PROBLEM))  # a draft is not in the ledger
    at["now"] = datetime(2026, 12, 3, 9, 0)
    rows, total = rectification.office_ledger(session, actor=people["office"])
    assert total == 2
    first = rows[0]
    assert (first["unit"], first["origin"], first["category_number"]) == (
        "区发改局", "2026年第3季度", 16)
    assert first["age_days"] == 10 and first["status"] == "open" and not first["overdue"]
    assert first["risk_level"] == "high" and first["department"] == "政务服务科"
    counts = rectification.status_counts(session, actor=people["office"])
    assert counts == {"open": 2, "pending": 0, "closed": 0, "overdue": 0}


def test_evidence_then_销号_closes_the_problem(session, people, q3, at):
    _submit(session, people, q3, n16=PROBLEM)
    (row,), _ = rectification.unit_ledger(session, actor=people["fgj"])
    with pytest.raises(FormInvalid):
        rectification.submit_evidence(session, actor=people["fgj"], row_id=row["id"],
                                      data=EvidenceInput(text="  "))
    evidence = rectification.submit_evidence(
        session, actor=people["fgj"], row_id=row["id"],
        data=EvidenceInput(text="已制定一次性告知清单并完成培训", uploads=[Upload("清单.png", PNG)]))
    assert rectification.get_problem(session, actor=people["fgj"], row_id=row["id"])[
        "status"] == "pending"
    with pytest.raises(ValidationError):  # no second request while one waits
        rectification.submit_evidence(session, actor=people["fgj"], row_id=row["id"],
                                      data=EvidenceInput(text="再次提交"))
    with pytest.raises(PermissionDenied):
        rectification.accept(session, actor=people["fgj"], evidence_id=evidence.id)
    rectification.accept(session, actor=people["office"], evidence_id=evidence.id)
    problem = rectification.get_problem(session, actor=people["office"], row_id=row["id"])
    assert problem["status"] == "closed" and problem["closed_on"] == NOW.date()
    assert problem["evidence"][0]["decision"] == "accepted"
    file_id = problem["evidence"][0]["files"][0]["id"]
    assert rectification.evidence_file(session, actor=people["fgj"], file_id=file_id).data == PNG
    with pytest.raises(NotFound):
        rectification.evidence_file(session, actor=people["zjj"], file_id=file_id)
    assert rectification.status_counts(session, actor=people["fgj"])["closed"] == 1


def test_a_refusal_sends_the_problem_back_with_the_reason(session, people, q3):
    _submit(session, people, q3, n16=PROBLEM)
    (row,), _ = rectification.unit_ledger(session, actor=people["fgj"])
    evidence = rectification.submit_evidence(session, actor=people["fgj"], row_id=row["id"],
                                             data=EvidenceInput(text="已整改"))
    with pytest.raises(ValidationError):
        rectification.refuse(session, actor=people["office"], evidence_id=evidence.id,
                             reason=" ")
    rectification.refuse(session, actor=people["office"], evidence_id=evidence.id,
                         reason="缺少培训签到表")
    problem = rectification.get_problem(session, actor=people["fgj"], row_id=row["id"])
    assert problem["status"] == "open"
    assert problem["evidence"][0]["reason"] == "缺少培训签到表"
    with pytest.raises(ValidationError):
        rectification.accept(session, actor=people["office"], evidence_id=evidence.id)
    again = rectification.submit_evidence(session, actor=people["fgj"], row_id=row["id"],
                                          data=EvidenceInput(text="补充签到表"))
    assert again.decision is None


def test_a_unit_sees_only_its_own_problems(session, people, q3):
    _submit(session, people, q3, n16=PROBLEM)
    _submit(session, people, q3, unit="zjj", n5=PROBLEM | {"description": "指定中介"})
    mine, total = rectification.unit_ledger(session, actor=people["zjj"])
    assert total == 1 and mine[0]["unit"] == "区住建局"
    (theirs,), _ = rectification.unit_ledger(session, actor=people["fgj"])
    for call in (lambda: rectification.get_problem(session, actor=people["zjj"],
                                                   row_id=theirs["id"]),
                 lambda: rectification.submit_evidence(session, actor=people["zjj"],
                                                       row_id=theirs["id"],
                                                       data=EvidenceInput(text="越权")),
                 lambda: rectification.problem_notices(session, actor=people["zjj"],
                                                       row_id=theirs["id"])):
        with pytest.raises(NotFound):
            call()
    assert rectification.status_counts(session, actor=people["zjj"])["open"] == 1
    book = load_workbook(BytesIO(rectification.export_excel(session, actor=people["zjj"])))
    assert [c.value for c in book.active["B"]][1:] == ["区住建局"]
    for refused in (lambda: rectification.office_ledger(session, actor=people["fgj"]),
                    lambda: rectification.unit_ledger(session, actor=people["office"]),
                    lambda: rectification.status_counts(session, actor=people["discipline"])):
        with pytest.raises(PermissionDenied):
            refused()
    assert rectification.office_ledger(session, actor=people["admin"])[1] == 2


def test_carry_over_comes_from_the_latest_submitted_form_not_only_accepted(session, people, q3):
    _submit(session, people, q3, n16=PROBLEM)  # submitted, not yet accepted
    q4 = selfcheck.open_next_campaign(session, actor=people["office"])
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q4.id)
    carried = [r for r in selfcheck.form_view(session, actor=people["fgj"], form_id=form.id)[
        "rows"] if r["carried"]]
    assert [(r["category_number"], r["history"], r["risk_level"], r["department"])
            for r in carried] == [(16, "2026年第三季度", "high", "政务服务科")]


def test_carrying_twice_yields_one_problem(session, people, q3, at):
    _submit(session, people, q3, n16=PROBLEM)
    q4 = selfcheck.open_next_campaign(session, actor=people["office"])
    first = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q4.id)
    again = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q4.id)
    assert first.id == again.id
    rows = session.exec(select(SelfcheckRow).where(SelfcheckRow.form_id == first.id,
                                                   SelfcheckRow.category_number == 16)).all()
    assert len(rows) == 1
    _submit(session, people, q4)
    q1 = selfcheck.open_next_campaign(session, actor=people["office"])  # 2027Q1: from Q4
    _submit(session, people, q1)
    ledger, total = rectification.unit_ledger(session, actor=people["fgj"])
    assert total == 1  # one problem, shown as its latest quarter's row
    assert ledger[0]["origin"] == "2026年第3季度" and ledger[0]["quarter"] == "2027年第1季度"
    by_quarter, _ = rectification.unit_ledger(session, actor=people["fgj"], campaign_id=q3.id)
    assert [r["id"] for r in by_quarter] == [ledger[0]["id"]]
    assert rectification.unit_ledger(session, actor=people["fgj"], campaign_id=q4.id)[1] == 0


def test_a_closed_problem_is_not_carried(session, people, q3):
    _submit(session, people, q3, n16=PROBLEM)
    (row,), _ = rectification.unit_ledger(session, actor=people["fgj"])
    evidence = rectification.submit_evidence(session, actor=people["fgj"], row_id=row["id"],
                                             data=EvidenceInput(text="已整改"))
    rectification.accept(session, actor=people["office"], evidence_id=evidence.id)
    q4 = selfcheck.open_next_campaign(session, actor=people["office"])
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q4.id)
    assert not any(r["carried"] for r in selfcheck.form_view(
        session, actor=people["fgj"], form_id=form.id)["rows"])


def _problem_notices(session) -> list[Notice]:
    return list(session.exec(select(Notice).where(Notice.item_kind == "problem")
                             .order_by(Notice.id)).all())


def test_an_overdue_problem_draws_a_reminder_and_evidence_discharges_it(session, people, q3,
                                                                        at):
    _submit(session, people, q3, n16=PROBLEM | {"deadline": date(2026, 11, 20)})
    (row,), _ = rectification.unit_ledger(session, actor=people["fgj"])
    assert row["overdue"] and row["card"] == "red"
    issued = escalation.escalate(session, today=date(2026, 11, 23))
    problem_issued = [i for i in issued if i.item_kind == "problem"]
    assert [(i.kind, i.tracking_no, i.unit) for i in problem_issued] == [
        ("reminder", "2026年第3季度-第16类", "区发改局")]
    (notice,) = _problem_notices(session)
    assert (notice.item_id, notice.demands, notice.report_id) == (row["id"], "rectify", None)
    shown = rectification.problem_notices(session, actor=people["fgj"], row_id=row["id"])
    assert shown[0]["tracking_no"] == "2026年第3季度-第16类"
    assert shown[0]["report_title"] == PROBLEM["description"]
    assert "你单位自查发现的问题“窗口一次性告知落实不到位”已超过整改时限" in notice_doc._subject(shown[0])
    rectification.submit_evidence(session, actor=people["fgj"], row_id=row["id"],
                                  data=EvidenceInput(text="已整改到位"))
    session.refresh(notice)
    assert (notice.complied, notice.settled_by) == (True, "rectify")
    later = workdays.add_working_days(notice.deadline, 1, session=session)
    assert [i for i in escalation.escalate(session, today=later)
            if i.item_kind == "problem"] == []  # 待销号 is not overdue


def test_a_missed_reminder_leads_to_urging_and_the_office_issues_by_hand(session, people, q3):
    _submit(session, people, q3, n16=PROBLEM | {"deadline": date(2026, 11, 20)})
    (row,), _ = rectification.office_ledger(session, actor=people["office"])
    notice = escalation.issue_by_hand(session, actor=people["office"], problem_id=row["id"],
                                      reason="整改逾期")
    assert (notice.kind, notice.item_kind, notice.unit_id) == ("reminder", "problem",
                                                               notice.unit_id)
    after = workdays.add_working_days(notice.deadline, 1, session=session)
    urged = [i for i in escalation.escalate(session, today=after) if i.item_kind == "problem"]
    assert [i.kind for i in urged] == ["urging"]
    with pytest.raises(PermissionDenied):
        escalation.issue_by_hand(session, actor=people["fgj"], problem_id=row["id"],
                                 reason="越权")
    evidence = rectification.submit_evidence(session, actor=people["fgj"], row_id=row["id"],
                                             data=EvidenceInput(text="已整改"))
    with pytest.raises(ValidationError):  # 待销号: nothing to urge
        escalation.issue_by_hand(session, actor=people["office"], problem_id=row["id"],
                                 reason="再督办")
    assert evidence.decision is None


def test_yellow_card_within_three_working_days(session, people, q3):
    soon = workdays.add_working_days(NOW.date(), 2, session=session)
    _submit(session, people, q3, n16=PROBLEM | {"deadline": soon},
            n21=PROBLEM | {"deadline": date(2027, 3, 31)})
    rows, _ = rectification.unit_ledger(session, actor=people["fgj"])
    assert {r["category_number"]: r["card"] for r in rows} == {16: "yellow", 21: None}


def test_the_excel_export_reads_back_in_the_ledger_layout(session, people, q3, at):
    _submit(session, people, q3, n16=PROBLEM | {"description": "=HYPERLINK(\"x\")"})
    data = rectification.export_excel(session, actor=people["office"])
    sheet = load_workbook(BytesIO(data)).active
    assert [c.value for c in sheet[1]] == list(rectification.HEADERS)
    values = [c.value for c in sheet[2]]
    assert values[:4] == [1, "区发改局", "2026年第3季度",
                          "16. 企业和群众反映的合理诉求，在规定时间内不予答复、久拖不决，或者态度生硬的"]
    assert values[4] == "=HYPERLINK(\"x\")" and sheet.cell(2, 5).data_type == "s"
    assert values[5:11] == ["高", PROBLEM["measure"], "政务服务科", "王科长",
                            datetime(2026, 12, 31), "整改中"]
    assert values[12] == 0


# ---- several problems in one category ---------------------------------------------------------

SECOND = {"description": "审批事项办理时限公示不全", "measure": "补齐公示并每月核对",
          "person": "赵科长", "deadline": date(2026, 12, 15), "risk_level": "low",
          "department": "审批科"}


def two_problems_in_16(**more) -> list[RowInput]:
    rows = answers(n16=PROBLEM, **more)
    rows.insert(16, RowInput(category_number=16, position=2, has_problem=True, **SECOND))
    return rows


def _form(session, people, campaign, unit="fgj"):
    return selfcheck.open_form(session, actor=people[unit], campaign_id=campaign.id)


def _category(session, form_id, number):
    return session.exec(select(SelfcheckRow).where(
        SelfcheckRow.form_id == form_id, SelfcheckRow.category_number == number)
        .order_by(SelfcheckRow.position)).all()


def test_a_category_holds_two_problems_and_the_ledger_lists_both(session, people, q3):
    form = _form(session, people, q3)
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                     rows=two_problems_in_16())
    view = selfcheck.form_view(session, actor=people["fgj"], form_id=form.id)
    assert [(r["position"], r["description"]) for r in view["rows"]
            if r["category_number"] == 16] == [(1, PROBLEM["description"]),
                                                (2, SECOND["description"])]
    assert len(view["rows"]) == 33
    ledger, total = rectification.unit_ledger(session, actor=people["fgj"])
    assert total == 2
    assert sorted((r["category_number"], r["risk_level"]) for r in ledger) == [
        (16, "high"), (16, "low")]
    completion = selfcheck.completion(session, actor=people["office"], campaign_id=q3.id)
    assert next(c for c in completion if c["unit"] == "区发改局")["problems"] == 2


def test_progress_counts_categories_and_each_incomplete_problem():
    rows = two_problems_in_16()
    rows[16] = replace(rows[16], person="", deadline=None)
    progress = selfcheck.fill_progress(rows)
    assert progress == {"answered": 32, "total": 32, "incomplete": 1}
    assert selfcheck.missing_by_category(rows) == {16: ["person", "deadline"]}


def test_an_incomplete_second_problem_stops_the_submission(session, people, q3):
    form = _form(session, people, q3)
    rows = two_problems_in_16()
    rows[16] = replace(rows[16], risk_level="")
    with pytest.raises(FormIncomplete) as incomplete:
        selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                         rows=rows)
    assert incomplete.value.missing == {16: ["risk_level"]}
    assert len(_category(session, form.id, 16)) == 1  # nothing written


def test_a_removed_draft_problem_is_deleted(session, people, q3):
    form = _form(session, people, q3)
    saved = selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id,
                                 version=form.version, rows=two_problems_in_16())
    assert len(_category(session, form.id, 16)) == 2
    selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id, version=saved.version,
                         rows=answers(n16=PROBLEM))
    assert [r.description for r in _category(session, form.id, 16)] == [PROBLEM["description"]]


def test_answering_不存在_drops_the_problems_added_to_the_category(session, people, q3):
    form = _form(session, people, q3)
    saved = selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id,
                                 version=form.version, rows=two_problems_in_16())
    rows = two_problems_in_16()
    rows[15] = replace(rows[15], has_problem=False)
    rows[16] = replace(rows[16], has_problem=False)
    selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id, version=saved.version,
                         rows=rows)
    assert [(r.position, r.has_problem) for r in _category(session, form.id, 16)] == [
        (1, False)]


def test_problems_are_numbered_from_one_without_gaps(session, people, q3):
    form = _form(session, people, q3)
    rows = answers(n16=PROBLEM)
    rows.append(RowInput(category_number=16, position=3, has_problem=True, **SECOND))
    with pytest.raises(ValidationError) as refused:
        selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id,
                             version=form.version, rows=rows)
    assert refused.value.key == "error.selfcheck_problem_count"
    assert len(_category(session, form.id, 16)) == 1


def test_both_problems_are_carried_and_a_carried_one_cannot_be_removed(session, people, q3):
    form = _form(session, people, q3)
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                     rows=two_problems_in_16())
    q4 = selfcheck.open_next_campaign(session, actor=people["office"])
    nxt = _form(session, people, q4)
    assert _form(session, people, q4).id == nxt.id  # opening again duplicates nothing
    carried = _category(session, nxt.id, 16)
    assert [(r.position, r.description, r.carried_from_id is not None) for r in carried] == [
        (1, PROBLEM["description"], True), (2, SECOND["description"], True)]
    with pytest.raises(ValidationError) as refused:
        selfcheck.save_draft(session, actor=people["fgj"], form_id=nxt.id, version=nxt.version,
                             rows=answers(n16=PROBLEM))
    assert refused.value.key == "error.selfcheck_problem_kept"
    assert refused.value.params["row"] == 16
    assert len(_category(session, nxt.id, 16)) == 2
    # a further problem may be added after the carried ones
    rows = two_problems_in_16()
    rows.insert(17, RowInput(category_number=16, position=3, has_problem=True,
                             **(SECOND | {"description": "新发现：收费公示未更新"})))
    selfcheck.submit(session, actor=people["fgj"], form_id=nxt.id, version=nxt.version,
                     rows=rows)
    ledger, total = rectification.unit_ledger(session, actor=people["fgj"])
    assert total == 3
    assert sorted(r["origin"] for r in ledger) == ["2026年第3季度", "2026年第3季度",
                                                    "2026年第4季度"]


def test_each_problem_of_a_category_is_closed_on_its_own(session, people, q3):
    form = _form(session, people, q3)
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                     rows=two_problems_in_16())
    first, second = _category(session, form.id, 16)
    evidence = rectification.submit_evidence(session, actor=people["fgj"], row_id=second.id,
                                             data=EvidenceInput(text="公示已补齐，附截图"))
    rectification.accept(session, actor=people["office"], evidence_id=evidence.id)
    counts = rectification.status_counts(session, actor=people["fgj"])
    assert (counts["open"], counts["closed"]) == (1, 1)
    q4 = selfcheck.open_next_campaign(session, actor=people["office"])
    carried = _category(session, _form(session, people, q4).id, 16)
    assert [(r.position, r.origin_id) for r in carried] == [(1, first.id)]
