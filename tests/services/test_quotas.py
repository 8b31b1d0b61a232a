from datetime import date

import pytest
from sqlmodel import select

from portal import cases, clock, quotas
from portal.cases import CaseInput
from portal.errors import FormInvalid, NotFound, PermissionDenied, ValidationError
from portal.models import Unit
from portal.roles import Role
from tests.factories import make_user, unit_id


@pytest.fixture(autouse=True)
def year_end(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 31))


@pytest.fixture
def people(session):
    return {"discipline": make_user(session, Role.DISCIPLINE),
            "supervisor": make_user(session, Role.SUPERVISOR),
            "admin": make_user(session, Role.ADMIN),
            "fgj": make_user(session, Role.UNIT, unit="区发改局"),
            "zjj": make_user(session, Role.UNIT, unit="区住建局")}


def case(session, who, unit="区发改局", concluded=date(2026, 3, 10), outcomes=("party",),
         verify=True, title="违规设置审批前置条件"):
    made = cases.register(session, actor=who, data=CaseInput(
        unit_id=unit_id(session, unit), category_number=7, title=title,
        summary="经查，该局科室违规增设审批前置条件。", found_on=date(2026, 1, 5),
        source="report", concluded_on=concluded, outcomes=list(outcomes), persons_handled=1))
    if verify:
        for step in ("checking", "concluded"):
            cases.advance(session, actor=who, case_id=made.id, to=step)
        discipline = who if who.has(Role.DISCIPLINE) else None
        if discipline is not None:
            cases.advance(session, actor=discipline, case_id=made.id, to="verified")
    return made


def figures(session, on=date(2027, 1, 1), unit="区发改局"):
    """2026's figures on `on`; by default once the year is over (#11: a checkpoint is 未达标
    only after its date has passed)."""
    rows = {r["unit"]: r for r in quotas.compute(session, year=2026, on=on)}
    return rows[unit]


def statuses(row):
    return [c["status"] for c in row["checkpoints"]]


def test_the_default_rule_is_the_seeds(session):
    rules = quotas.rules_for(session, 2026)
    assert [(r.day, r.min_cases, r.min_sanctioned) for r in rules] == [
        (date(2026, 3, 31), 1, 1), (date(2026, 12, 31), 2, 1)]
    assert len(quotas.compute(session, year=2026, on=date(2026, 12, 31))) == 15


def test_met_with_two_verified_cases_one_sanctioned(session, people):
    d = people["discipline"]
    case(session, d, concluded=date(2026, 3, 10), outcomes=("government",))
    case(session, d, concluded=date(2026, 9, 1), outcomes=("admonition",))
    row = figures(session)
    assert (row["cases"], row["sanctioned"]) == (2, 1)
    assert statuses(row) == ["已达标", "已达标"]


def test_two_verified_cases_without_a_sanction_are_not_enough(session, people):
    d = people["discipline"]
    case(session, d, outcomes=("admonition",))
    case(session, d, concluded=date(2026, 6, 1), outcomes=("organisational",))
    row = figures(session)
    assert (row["cases"], row["sanctioned"]) == (2, 0)
    assert statuses(row) == ["未达标", "未达标"]


def test_unmet_and_at_risk_depend_on_the_days_left(session, people):
    assert statuses(figures(session)) == ["未达标", "未达标"]
    early_december = figures(session, on=date(2026, 12, 5))
    assert statuses(early_december) == ["未达标", "有风险"]
    assert early_december["checkpoints"][1]["days_left"] == 26
    assert statuses(figures(session, on=date(2026, 3, 15))) == ["有风险", "未到期"]


def test_unverified_cases_do_not_count(session, people):
    case(session, people["fgj"], verify=True)  # a unit cannot verify: stays 已办结
    case(session, people["discipline"], verify=False)
    row = figures(session)
    assert row["cases"] == 0 and statuses(row) == ["未达标", "未达标"]


def test_a_case_concluded_after_the_checkpoint_counts_only_later(session, people):
    case(session, people["discipline"], concluded=date(2026, 4, 2), outcomes=("judicial",))
    row = figures(session)
    assert [c["cases"] for c in row["checkpoints"]] == [0, 1]
    assert statuses(row) == ["未达标", "未达标"]  # 31 Dec needs two


def test_an_exemption_shows_as_exempt_never_as_met(session, people):
    quotas.exempt_unit(session, actor=people["discipline"], unit_id=unit_id(session),
                       checkpoint=date(2026, 3, 31), reason="一季度机构改革，原则上豁免")
    assert statuses(figures(session)) == ["豁免", "未达标"]
    with pytest.raises(PermissionDenied):
        quotas.exempt_unit(session, actor=people["supervisor"], unit_id=unit_id(session),
                           checkpoint=date(2026, 12, 31), reason="越权")
    with pytest.raises(ValidationError):
        quotas.exempt_unit(session, actor=people["discipline"], unit_id=unit_id(session),
                           checkpoint=date(2026, 6, 30), reason="不是考核节点")
    lead = session.exec(select(Unit.id).where(Unit.name == "区科创营商局")).one()
    with pytest.raises(NotFound):
        quotas.exempt_unit(session, actor=people["discipline"], unit_id=lead,
                           checkpoint=date(2026, 3, 31), reason="无指标单位")


def test_a_new_years_rule_is_a_settings_change(session, people):
    quotas.set_rules(session, actor=people["admin"], year=2027,
                     checkpoints=[(6, 30, 1, 0), (12, 31, 3, 2)])
    rules = quotas.rules_for(session, 2027)
    assert [(r.day, r.min_cases, r.min_sanctioned) for r in rules] == [
        (date(2027, 6, 30), 1, 0), (date(2027, 12, 31), 3, 2)]
    assert [r.day for r in quotas.rules_for(session, 2026)] == [date(2026, 3, 31),
                                                                date(2026, 12, 31)]
    with pytest.raises(PermissionDenied):
        quotas.set_rules(session, actor=people["discipline"], year=2027, checkpoints=[])
    with pytest.raises(ValidationError):
        quotas.set_rules(session, actor=people["admin"], year=2027,
                         checkpoints=[(2, 30, 1, 1)])


def test_only_discipline_verifies_and_units_see_only_their_cases(session, people):
    mine = case(session, people["fgj"], verify=True)
    with pytest.raises(PermissionDenied):
        cases.advance(session, actor=people["fgj"], case_id=mine.id, to="verified")
    with pytest.raises(NotFound):
        cases.advance(session, actor=people["zjj"], case_id=mine.id, to="verified")
    with pytest.raises(PermissionDenied):
        case(session, people["zjj"], unit="区发改局", verify=False)
    assert cases.list_cases(session, actor=people["zjj"]) == ([], 0)
    rows, total = cases.list_cases(session, actor=people["fgj"])
    assert total == 1 and rows[0]["status"] == "concluded"
    with pytest.raises(PermissionDenied):
        cases.list_cases(session, actor=people["supervisor"])
    counts = cases.counts_by_unit(session, actor=people["supervisor"])
    assert {"unit": "区发改局", "status": "concluded", "count": 1} in counts


def test_case_input_is_checked_field_by_field(session, people):
    with pytest.raises(FormInvalid) as invalid:
        cases.register(session, actor=people["discipline"], data=CaseInput(
            unit_id=unit_id(session), category_number=40, title=" ", summary="",
            found_on=None, source="gossip"))
    assert set(invalid.value.errors) == {"category", "title", "summary", "found_on", "source"}


def test_only_verified_cases_are_exposed_on_the_board(session, people):
    verified = case(session, people["discipline"])
    pending = case(session, people["discipline"], verify=False, title="尚在核查")
    with pytest.raises(ValidationError):
        cases.expose(session, actor=people["discipline"], case_id=pending.id,
                     public_summary="某科室违规")
    with pytest.raises(PermissionDenied):
        cases.expose(session, actor=people["fgj"], case_id=verified.id, public_summary="x")
    cases.expose(session, actor=people["discipline"], case_id=verified.id,
                 public_summary="某局工作人员违规增设审批前置条件，给予政务处分。")
    board = cases.exposed_cases(session)
    assert [b["public_summary"] for b in board] == ["某局工作人员违规增设审批前置条件，给予政务处分。"]


def test_the_charts_count_the_years_verified_cases_per_category_in_sql(session, people):
    d = people["discipline"]
    case(session, d)
    case(session, d, unit="区住建局")
    case(session, d, verify=False)  # still a clue
    assert cases.verified_by_category(session, actor=d, year=2026) == {7: 2}
    assert cases.verified_by_category(session, actor=d, year=2027) == {}  # another year


def test_untrue_self_check_answers_are_flagged(session, people):
    from portal import selfcheck
    from portal.selfcheck import RowInput

    q1 = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=1)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q1.id)
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                     rows=[RowInput(category_number=n, has_problem=False) for n in range(1, 33)])
    case(session, people["discipline"])  # category 7, verified, same year
    flags = selfcheck.untrue_answers(session, actor=people["discipline"], year=2026)
    assert [(f["unit"], f["category_number"], f["quarters"]) for f in flags] == [
        ("区发改局", 7, ["2026年第一季度"])]
    assert flags[0]["evidence"] == ["典型案例：违规设置审批前置条件"]
    with pytest.raises(PermissionDenied):
        selfcheck.untrue_answers(session, actor=people["fgj"], year=2026)


def test_handled_reports_are_counted_as_evidence_not_listed(session, people):
    """自查不实 from reports: the count per unit and category and the first number (#17: a
    year of a province is some 100,000 handled reports, never loaded one by one)."""
    from portal import report_flow, reports, selfcheck
    from portal.selfcheck import RowInput
    from tests.services.test_reports import valid_input

    q1 = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=1)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q1.id)
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                     rows=[RowInput(category_number=n, has_problem=False) for n in range(1, 33)])
    numbers = []
    for category in (7, 7, 7, 9):
        filed = reports.file_report(session, actor=None, data=valid_input())
        report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                           unit_id=people["fgj"].unit_id, category_number=category)
        report_flow.reply(session, actor=people["fgj"], report_id=filed.report_id,
                          result="已办结", outcome="resolved")
        numbers.append(filed.tracking_no)
    flags = selfcheck.untrue_answers(session, actor=people["supervisor"], year=2026)
    assert [(f["category_number"], f["evidence"]) for f in flags] == [
        (7, [f"反映问题 3 件：{min(numbers[:3])} 等"]), (9, [f"反映问题：{numbers[3]}"])]


def test_a_case_registered_from_a_transfer_letter_keeps_the_link(session, people):
    from portal import escalation, report_flow, reports
    from tests.services.test_reports import valid_input

    filed = reports.file_report(session, actor=None, data=valid_input())
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    for reason in ("提醒", "催办", "督办", "移交"):
        letter = escalation.issue_by_hand(session, actor=people["supervisor"],
                                          report_id=filed.report_id, reason=reason)
    made = cases.register(session, actor=people["discipline"], notice_id=letter.id,
                          data=CaseInput(unit_id=unit_id(session), category_number=16,
                                         title="逾期不办", summary="移交后立案。",
                                         found_on=date(2026, 12, 1), source="transfer",
                                         report_ids=[filed.report_id]))
    assert made.notice_id == letter.id
    linked = cases.cases_for_report(session, actor=people["discipline"],
                                    report_id=filed.report_id)
    assert [c["title"] for c in linked] == ["逾期不办"]
    with pytest.raises(PermissionDenied):
        cases.register(session, actor=people["fgj"], notice_id=letter.id, data=CaseInput(
            unit_id=unit_id(session), category_number=16, title="x", summary="x",
            found_on=date(2026, 12, 1), source="transfer"))


def test_decision_documents_are_checked_and_kept_with_the_case(session, people):
    from portal.attachments import Upload

    pdf = b"%PDF-1.7\n" + b"0" * 32
    made = cases.register(session, actor=people["fgj"], data=CaseInput(
        unit_id=unit_id(session), category_number=7, title="附处理决定", summary="见附件。",
        found_on=date(2026, 2, 1), source="self_check",
        uploads=[Upload("政务处分决定书.pdf", pdf)]))
    files = cases.case_files(session, actor=people["discipline"], case_id=made.id)
    assert [(f.filename, f.content_type) for f in files] == [("政务处分决定书.pdf",
                                                               "application/pdf")]
    with pytest.raises(NotFound):
        cases.case_files(session, actor=people["zjj"], case_id=made.id)
    with pytest.raises(FormInvalid) as invalid:
        cases.register(session, actor=people["fgj"], data=CaseInput(
            unit_id=unit_id(session), category_number=7, title="x", summary="x",
            found_on=date(2026, 2, 1), source="other", uploads=[Upload("a.docx", b"PK..")]))
    assert invalid.value.errors["attachments"].key == "error.file_type"


def test_a_decision_document_is_read_only_by_who_may_read_the_case(session, people):
    from portal.attachments import Upload

    made = cases.register(session, actor=people["fgj"], data=CaseInput(
        unit_id=unit_id(session), category_number=7, title="附件读取", summary="见附件。",
        found_on=date(2026, 2, 1), source="self_check",
        uploads=[Upload("决定书.pdf", b"%PDF-1.7\n0000")]))
    file_id = cases.case_files(session, actor=people["fgj"], case_id=made.id)[0].id
    assert cases.case_file_data(session, actor=people["discipline"], file_id=file_id) \
        .startswith(b"%PDF")
    with pytest.raises(NotFound):
        cases.case_file_data(session, actor=people["zjj"], file_id=file_id)
