"""The permission matrix, written once: every public service function that takes an `actor`
× every role situation -> allowed, refused, or allowed-but-empty (issue #10).

The test walks the whole table, each cell on fresh data (a new report, case, form …), and
fails when a service function exists that the table does not name, so a new service cannot
ship without its row.

Situations: `anonymous` and `filer_with_code` have no account. Services whose `actor` may be
None receive None; the others (behind a login on every page) receive an identity-less actor
without roles, which must be refused like anyone else without the right. `filer_with_code`
differs from `anonymous` only in the rows that take a tracking number and query code.
"""

import importlib
import inspect
import itertools
import pkgutil
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

import pytest
from sqlmodel import col, select

import portal
from portal import (
    audit,
    bulletin,
    calendar_schedule,
    cases,
    clock,
    companies,
    dashboard,
    duplicates,
    escalation,
    followup,
    hotline_import,
    knowledge,
    quota_forecast,
    quotas,
    rectification,
    report_flow,
    reports,
    return_requests,
    scoring,
    selfcheck,
    stage_reports,
    stats,
    suggest,
    tasks,
    units,
    users,
    workdays,
)
from portal.attachments import Upload
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.models import RectificationFile, SelfcheckRow
from portal.notifications import admin as notify_admin
from portal.notifications import inbox
from portal.notifications.tables import InboxMessage, NotificationEvent, OutboxMessage
from portal.report_types import Rating, Status
from portal.roles import Actor, Role
from portal.selfcheck import RowInput
from tests.factories import PASSWORD, make_user, unit_id
from tests.services.test_reports import PNG, valid_input

Y, N, E = "allowed", "refused", "empty"
SITUATIONS = ("anonymous", "filer_with_code", "company_owner", "other_company", "own_unit",
              "other_unit", "supervisor", "discipline", "admin")
OCT1, OCT31 = date(2026, 10, 1), date(2026, 10, 31)
NOBODY = Actor(user_id=0, username="", display_name="（未登录）")
WRONG_CODE = "AAAAAAAA"
# Refusals that deliberately look like "not found", so as not to confirm that a thing exists.
HIDING_KEYS = {"error.case_reports_unknown", "error.report_not_found"}
MONDAY = datetime(2026, 11, 23, 9, 30)
_quarters = itertools.count()


def row(anonymous, filer_with_code, company_owner, other_company, own_unit, other_unit,
        supervisor, discipline, admin) -> dict[str, str]:
    return dict(zip(SITUATIONS, (anonymous, filer_with_code, company_owner, other_company,
                                 own_unit, other_unit, supervisor, discipline, admin),
                    strict=True))


@dataclass
class Cell:
    world: "World"
    actor: Actor | None
    code: str  # the query code this situation knows (the filer's), or a wrong one


class World:
    """Fresh objects for one cell, created on first use: reports of the company owner handled
    by 区发改局 (the own unit), a self-check form of 区发改局, its cases and notices."""

    def __init__(self, session, people: dict[str, Actor]) -> None:
        self.s, self.p = session, people

    def _filed(self) -> reports.Filed:
        return reports.file_report(self.s, actor=self.p["company_owner"], data=valid_input(
            confidential=True, uploads=[Upload("现场.png", PNG)]))

    @cached_property
    def submitted(self) -> reports.Filed:
        return self._filed()

    @cached_property
    def assigned(self) -> reports.Filed:
        filed = self._filed()
        report_flow.assign(self.s, actor=self.p["supervisor"], report_id=filed.report_id,
                           unit_id=unit_id(self.s), category_number=16)
        return filed

    @cached_property
    def replied(self) -> reports.Filed:
        filed = self.assigned
        report_flow.reply(self.s, actor=self.p["own_unit"], report_id=filed.report_id,
                          result="已办结", outcome="resolved")
        return filed

    @cached_property
    def attachment_id(self) -> int:
        view = reports.staff_view(self.s, actor=self.p["supervisor"],
                                  report_id=self.assigned.report_id)
        return view.attachments[0]["id"]

    @cached_property
    def notice_id(self) -> int:
        return escalation.issue_by_hand(self.s, actor=self.p["supervisor"],
                                        report_id=self.assigned.report_id, reason="请加快").id

    @cached_property
    def campaign_id(self) -> int:
        n = next(_quarters)
        return selfcheck.open_campaign(self.s, actor=self.p["supervisor"], year=2040 + n // 4,
                                       quarter=n % 4 + 1).id

    @cached_property
    def form(self):  # noqa: ANN201
        return selfcheck.open_form(self.s, actor=self.p["own_unit"], campaign_id=self.campaign_id)

    @cached_property
    def submitted_form_id(self) -> int:
        form = self.form
        selfcheck.submit(self.s, actor=self.p["own_unit"], form_id=form.id,
                         version=form.version, rows=NO_PROBLEMS())
        return form.id

    @cached_property
    def problem_row_id(self) -> int:
        """A problem of 区发改局 (the own unit) in its submitted form: a 整改台账 row. Each in
        an earlier quarter than the last, so that no open problem is carried into it."""
        n = next(_problem_quarters)
        campaign = selfcheck.open_campaign(self.s, actor=self.p["supervisor"],
                                           year=2099 - n // 4, quarter=4 - n % 4)
        form = selfcheck.open_form(self.s, actor=self.p["own_unit"], campaign_id=campaign.id)
        rows = NO_PROBLEMS()
        rows[15] = RowInput(category_number=16, has_problem=True, description="一次性告知不到位",
                            measure="制定告知清单", person="王科长", deadline=date(2026, 12, 31),
                            risk_level="medium", department="政务服务科")
        selfcheck.submit(self.s, actor=self.p["own_unit"], form_id=form.id,
                         version=form.version, rows=rows)
        return self.s.exec(select(SelfcheckRow.id).where(
            SelfcheckRow.form_id == form.id, SelfcheckRow.category_number == 16)).one()

    def _evidence(self, uploads: list[Upload]) -> int:
        return rectification.submit_evidence(
            self.s, actor=self.p["own_unit"], row_id=self.problem_row_id,
            data=rectification.EvidenceInput("已制定告知清单", uploads=uploads)).id

    @cached_property
    def evidence_id(self) -> int:
        return self._evidence([])

    @cached_property
    def evidence_file_id(self) -> int:
        evidence_id = self._evidence([Upload("清单.png", PNG)])
        return self.s.exec(select(RectificationFile.id).where(
            RectificationFile.evidence_id == evidence_id)).one()

    def case_input(self, **changes) -> cases.CaseInput:
        values = {"unit_id": unit_id(self.s), "category_number": 16, "title": "推诿扯皮",
                  "summary": "经查属实。", "found_on": date(2026, 11, 2), "source": "report",
                  "concluded_on": date(2026, 11, 20), "uploads": [Upload("决定.png", PNG)]}
        return cases.CaseInput(**(values | changes))

    @cached_property
    def case_id(self) -> int:
        return cases.register(self.s, actor=self.p["own_unit"], data=self.case_input()).id

    @cached_property
    def case_file_id(self) -> int:
        return cases.case_files(self.s, actor=self.p["own_unit"], case_id=self.case_id)[0].id

    @cached_property
    def verified_case_id(self) -> int:
        case_id = self.case_id
        for step in ("checking", "concluded", "verified"):
            cases.advance(self.s, actor=self.p["discipline"], case_id=case_id, to=step)
        return case_id

    @cached_property
    def plain_user_id(self) -> int:
        return make_user(self.s, Role.COMPANY).user_id

    # ---- objects of the merged branches (#11 rules, #15 notifications, #16 triage)
    @cached_property
    def return_requested(self) -> reports.Filed:
        filed = self.assigned
        report_flow.return_to_office(self.s, actor=self.p["own_unit"],
                                     report_id=filed.report_id, reason="非本单位职责")
        return filed

    @cached_property
    def return_request_id(self) -> int:
        return return_requests.open_for(self.s, self.return_requested.report_id).id

    @cached_property
    def merged(self) -> reports.Filed:
        duplicate = self._filed()
        duplicates.merge(self.s, actor=self.p["supervisor"], duplicate_id=duplicate.report_id,
                         main_id=self.assigned.report_id)
        return duplicate

    @cached_property
    def linked(self) -> tuple[int, int]:
        pair = (self.submitted.report_id, self.assigned.report_id)
        duplicates.link(self.s, actor=self.p["supervisor"], report_id=pair[0], other_id=pair[1])
        return pair

    @cached_property
    def exemption_checkpoint(self) -> date:
        checkpoint = date(2026, 3, 31)
        quotas.exempt_unit(self.s, actor=self.p["discipline"], unit_id=unit_id(self.s),
                           checkpoint=checkpoint, reason="原则上豁免")
        return checkpoint

    @cached_property
    def pending_entry_id(self) -> int:
        return knowledge.propose_from_reply(
            self.s, actor=self.p["own_unit"], report_id=self.replied.report_id,
            data=KB_ENTRY()).id

    @cached_property
    def failed_outbox_id(self) -> int:
        event = NotificationEvent(event="report_assigned")
        self.s.add(event)
        self.s.flush()
        message = OutboxMessage(event_id=event.id, event="report_assigned", channel="email",
                                address="staff@example.cn", subject="新分办件", body="请办理",
                                status="failed")
        self.s.add(message)
        self.s.commit()
        return message.id

    def inbox_message_ids(self, actor: Actor | None) -> list[int]:
        """A message for the actor's own account (when it has one) and one for somebody else."""
        event = NotificationEvent(event="report_assigned")
        self.s.add(event)
        self.s.flush()
        owners = {self.p["supervisor"].user_id}
        if actor is not None and actor.user_id:
            owners.add(actor.user_id)
        messages = [InboxMessage(user_id=user, event_id=event.id, event="report_assigned",
                                 subject="新分办件", body="请办理") for user in owners]
        self.s.add_all(messages)
        self.s.commit()
        return [m.id for m in messages]

    @cached_property
    def hotline_csv(self) -> bytes:
        n = next(_quarters)
        header = "工单编号,受理时间,来电人,联系电话,诉求类型,诉求内容,涉及单位,办结时限"
        line = (f"GD-M{n:05d},2026-11-20 10:30,孙先生,13912340000,投诉,"
                f"反映某小区门前道路施工占道第{n}处，影响企业车辆进出。,区住建局,2026-11-27")
        return f"{header}\n{line}\n".encode()

    def hotline_rows(self) -> list[hotline_import.Row]:
        header, rows = hotline_import.read_table("m.csv", self.hotline_csv)
        return hotline_import.check_rows(self.s, header=header, rows=rows,
                                         mapping=hotline_import.guess_mapping(header))

    @cached_property
    def knowledge_workbook(self) -> bytes:
        knowledge.create(self.s, actor=self.p["supervisor"], data=KB_ENTRY())
        return knowledge.export_excel(self.s, actor=self.p["admin"])


    @cached_property
    def task_id(self) -> int:
        return tasks.create_task(self.s, actor=self.p["supervisor"], data=TASK(self.s)).id

    def _progress(self, uploads: list[Upload]) -> int:
        return tasks.submit_progress(self.s, actor=self.p["own_unit"], task_id=self.task_id,
                                     data=tasks.ProgressInput("已完成方案起草", 40,
                                                              uploads=uploads)).id

    @cached_property
    def progress_id(self) -> int:
        return self._progress([])

    @cached_property
    def progress_file_id(self) -> int:
        self._progress([Upload("佐证.png", PNG)])
        return tasks.progress_history(self.s, actor=self.p["supervisor"],
                                      task_id=self.task_id)[0]["files"][0]["id"]

    @cached_property
    def task_workbook(self) -> bytes:
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(tasks.template_excel()))
        book.active["A2"] = f"M-{next(_tasks)}"
        buffer = BytesIO()
        book.save(buffer)
        return buffer.getvalue()


    @cached_property
    def stage_request_id(self) -> int:
        """A request to 区发改局 (the own unit), with a file."""
        return stage_reports.create_request(self.s, actor=self.p["supervisor"], data=STAGE(
            self.s, uploads=[Upload("模板.png", PNG)])).id

    @cached_property
    def stage_report_id(self) -> int:
        """The own unit's submission, with a file."""
        return stage_reports.submit(self.s, actor=self.p["own_unit"],
                                    request_id=self.stage_request_id,
                                    data=stage_reports.SubmissionInput(
                                        "已报送", [Upload("材料.png", PNG)])).id

_tasks = itertools.count(1)
_problem_quarters = itertools.count()


def STAGE(session, **changes) -> stage_reports.RequestInput:  # noqa: N802
    return stage_reports.RequestInput(title="第一阶段工作开展情况及典型案例",
                                      due_on=date(2026, 12, 31), unit_ids=[unit_id(session)],
                                      **changes)


def TASK(session) -> tasks.TaskInput:  # noqa: N802
    """A task led by 区发改局 (the own unit), with a number of its own."""
    return tasks.TaskInput(number=f"P-{next(_tasks)}", title="推进数据共享应用",
                           lead_unit_ids=[unit_id(session)], due_on=date(2027, 6, 30),
                           start_on=date(2026, 11, 1))


def KB_ENTRY() -> knowledge.EntryInput:  # noqa: N802
    return knowledge.EntryInput(question="建设工程规划许可证办理时限是多久？",
                                answer="材料齐全的，自受理之日起10个工作日内办结。")


SCHEDULE_2027 = "2027-02-10~2027-02-16 休 春节\n2027-02-07 班 春节调休"


def NO_PROBLEMS() -> list[RowInput]:  # noqa: N802
    return [RowInput(category_number=n, has_problem=False) for n in range(1, 33)]


Call = Callable[[Cell], object]
# name -> (call, expected outcome per situation). Read a row left to right: anonymous, filer
# with code, company owner (filed the report), other company, own unit (handles it), other
# unit, supervisor, discipline, admin.
MATRIX: dict[str, tuple[Call, dict[str, str]]] = {
    # ---- reports: filing and reading
    "reports.file_report": (lambda c: reports.file_report(c.world.s, actor=c.actor,
                                                           data=valid_input()),
                            row(Y, Y, Y, Y, Y, Y, Y, Y, Y)),
    "reports.staff_view": (lambda c: reports.staff_view(c.world.s, actor=c.actor,
                                                         report_id=c.world.assigned.report_id),
                           row(N, N, N, N, Y, N, Y, Y, N)),
    "reports.owner_view": (lambda c: reports.owner_view(c.world.s, actor=c.actor,
                                                         report_id=c.world.assigned.report_id),
                           row(N, N, Y, N, N, N, N, N, N)),
    "reports.readable": (lambda c: reports.readable(c.world.s, actor=c.actor,
                                                     report_id=c.world.assigned.report_id),
                         row(N, N, Y, N, Y, N, Y, Y, N)),
    "reports.can_read": (lambda c: reports.can_read(c.actor, c.world.s.get(
        reports.Report, c.world.assigned.report_id)), row(N, N, Y, N, Y, N, Y, Y, N)),
    "reports.attachment": (lambda c: reports.attachment(c.world.s, actor=c.actor,
                                                         attachment_id=c.world.attachment_id),
                           row(N, N, N, N, Y, N, Y, Y, N)),
    "reports.office_queue": (lambda c: reports.office_queue(c.world.s, actor=c.actor),
                             row(N, N, N, N, N, N, Y, Y, N)),
    "reports.unit_queue": (lambda c: reports.unit_queue(c.world.s, actor=c.actor),
                           row(N, N, N, N, Y, Y, N, N, N)),
    "reports.card_counts": (lambda c: reports.card_counts(c.world.s, actor=c.actor),
                            row(N, N, N, N, Y, Y, Y, Y, N)),
    "reports.status_counts": (lambda c: reports.status_counts(c.world.s, actor=c.actor),
                              row(N, N, N, N, Y, Y, Y, Y, N)),
    "reports.my_reports": (lambda c: reports.my_reports(c.world.s, actor=c.actor),
                           row(N, N, Y, Y, N, N, N, N, N)),
    # the two rows that take a tracking number and query code instead of an account
    "reports.public_view": (lambda c: reports.public_view(
        c.world.s, tracking_no=c.world.assigned.tracking_no, query_code=c.code),
        row(N, Y, N, N, N, N, N, N, N)),
    "report_flow.rate_with_code": (lambda c: report_flow.rate_with_code(
        c.world.s, tracking_no=c.world.replied.tracking_no, query_code=c.code,
        rating=Rating.SATISFIED), row(N, Y, N, N, N, N, N, N, N)),
    # ---- the report state machine
    "report_flow.allowed_actions": (lambda c: report_flow.allowed_actions(Status.ASSIGNED,
                                                                          c.actor),
                                    row(E, E, E, E, Y, Y, Y, E, E)),
    "report_flow.assign": (lambda c: report_flow.assign(
        c.world.s, actor=c.actor, report_id=c.world.submitted.report_id,
        unit_id=unit_id(c.world.s), category_number=None), row(N, N, N, N, N, N, Y, N, N)),
    "report_flow.reject": (lambda c: report_flow.reject(
        c.world.s, actor=c.actor, report_id=c.world.submitted.report_id, reason="重复件"),
        row(N, N, N, N, N, N, Y, N, N)),
    "report_flow.add_note": (lambda c: report_flow.add_note(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id, note="内部备注"),
        row(N, N, N, N, N, N, Y, N, N)),
    "report_flow.respond": (lambda c: report_flow.respond(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id, note="已签收"),
        row(N, N, N, N, Y, N, N, N, N)),
    "report_flow.return_to_office": (lambda c: report_flow.return_to_office(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id, reason="非本单位职责"),
        row(N, N, N, N, Y, N, N, N, N)),
    "report_flow.reply": (lambda c: report_flow.reply(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id, result="已办结",
        outcome="resolved"),
        row(N, N, N, N, Y, N, N, N, N)),
    "report_flow.rate_as_owner": (lambda c: report_flow.rate_as_owner(
        c.world.s, actor=c.actor, report_id=c.world.replied.report_id,
        rating=Rating.SATISFIED), row(N, N, Y, N, N, N, N, N, N)),
    # ---- escalation notices (三单一函)
    "escalation.issue_by_hand": (lambda c: escalation.issue_by_hand(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id, reason="逾期"),
        row(N, N, N, N, N, N, Y, N, N)),
    "escalation.withdraw": (lambda c: escalation.withdraw(
        c.world.s, actor=c.actor, notice_id=c.world.notice_id, reason="误发"),
        row(N, N, N, N, N, N, Y, N, N)),
    "escalation.notices_for_report": (lambda c: escalation.notices_for_report(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id),
        row(N, N, N, N, Y, N, Y, Y, N)),
    "escalation.notices_for_task": (lambda c: escalation.notices_for_task(
        c.world.s, actor=c.actor, task_id=c.world.task_id), row(N, N, N, N, Y, N, Y, N, Y)),
    "escalation.task_next_rungs": (lambda c: escalation.task_next_rungs(
        c.world.s, actor=c.actor, task_id=c.world.task_id), row(N, N, N, N, N, N, Y, N, N)),
    "escalation.notices_for_stage": (lambda c: escalation.notices_for_stage(
        c.world.s, actor=c.actor, request_id=c.world.stage_request_id),
        row(N, N, N, N, Y, N, Y, N, Y)),
    "escalation.stage_next_rungs": (lambda c: escalation.stage_next_rungs(
        c.world.s, actor=c.actor, request_id=c.world.stage_request_id),
        row(N, N, N, N, N, N, Y, N, N)),
    "escalation.unit_notices": (lambda c: escalation.unit_notices(c.world.s, actor=c.actor),
                                row(N, N, N, N, Y, Y, N, N, N)),
    "escalation.transfer_inbox": (lambda c: escalation.transfer_inbox(c.world.s,
                                                                      actor=c.actor),
                                  row(N, N, N, N, N, N, Y, Y, N)),
    "escalation.notice_for_download": (lambda c: escalation.notice_for_download(
        c.world.s, actor=c.actor, notice_id=c.world.notice_id),
        row(N, N, N, N, Y, N, Y, Y, N)),
    # ---- typical cases and quotas
    "cases.register": (lambda c: cases.register(c.world.s, actor=c.actor,
                                                data=c.world.case_input()),
                       row(N, N, N, N, Y, N, N, Y, N)),
    "cases.update": (lambda c: cases.update(c.world.s, actor=c.actor, case_id=c.world.case_id,
                                            data=c.world.case_input(summary="补充核查情况。")),
                     row(N, N, N, N, Y, N, N, Y, N)),
    "cases.advance": (lambda c: cases.advance(c.world.s, actor=c.actor,
                                              case_id=c.world.case_id, to="checking"),
                      row(N, N, N, N, Y, N, N, Y, N)),
    "cases.expose": (lambda c: cases.expose(c.world.s, actor=c.actor,
                                            case_id=c.world.verified_case_id,
                                            public_summary="某局违规增设条件，已处理。"),
                     row(N, N, N, N, N, N, N, Y, N)),
    "cases.list_cases": (lambda c: cases.list_cases(c.world.s, actor=c.actor),
                         row(N, N, N, N, Y, Y, N, Y, N)),
    "cases.counts_by_unit": (lambda c: cases.counts_by_unit(c.world.s, actor=c.actor),
                             row(N, N, N, N, N, N, Y, Y, N)),
    "cases.verified_by_category": (lambda c: cases.verified_by_category(
        c.world.s, actor=c.actor, year=2026), row(N, N, N, N, N, N, N, Y, N)),
    "cases.resolve_reports": (lambda c: cases.resolve_reports(
        c.world.s, actor=c.actor, numbers=c.world.assigned.tracking_no),
        row(N, N, N, N, Y, N, N, Y, N)),
    "cases.cases_for_report": (lambda c: cases.cases_for_report(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id),
        row(E, E, E, E, E, E, E, Y, E)),
    "cases.case_files": (lambda c: cases.case_files(c.world.s, actor=c.actor,
                                                    case_id=c.world.case_id),
                         row(N, N, N, N, Y, N, N, Y, N)),
    "cases.case_file_data": (lambda c: cases.case_file_data(c.world.s, actor=c.actor,
                                                            file_id=c.world.case_file_id),
                             row(N, N, N, N, Y, N, N, Y, N)),
    "quotas.dashboard": (lambda c: quotas.dashboard(c.world.s, actor=c.actor, year=2026),
                         row(N, N, N, N, N, N, Y, Y, N)),
    "quotas.exempt_unit": (lambda c: quotas.exempt_unit(
        c.world.s, actor=c.actor, unit_id=unit_id(c.world.s), checkpoint=date(2026, 3, 31),
        reason="原则上豁免"), row(N, N, N, N, N, N, N, Y, N)),
    "quotas.set_rules": (lambda c: quotas.set_rules(c.world.s, actor=c.actor, year=2031,
                                                    checkpoints=[(6, 30, 1, 1)]),
                         row(N, N, N, N, N, N, N, N, Y)),
    # ---- figures, dashboards, bulletins and scoring (#13)
    "stats.period_figures": (lambda c: stats.period_figures(c.world.s, actor=c.actor, start=OCT1,
                                                            end=OCT31),
                             row(N, N, N, N, Y, Y, Y, Y, Y)),
    "stats.notices_by_item": (lambda c: stats.notices_by_item(c.world.s, actor=c.actor,
                                                              start=OCT1, end=OCT31),
                              row(N, N, N, N, N, N, Y, Y, Y)),
    "stats.area_figures": (lambda c: stats.area_figures(c.world.s, actor=c.actor, start=OCT1,
                                                        end=OCT31),
                           row(N, N, N, N, N, N, Y, Y, Y)),
    "stats.trend": (lambda c: stats.trend(c.world.s, actor=c.actor, start=OCT1, end=OCT31),
                    row(N, N, N, N, N, N, Y, Y, Y)),
    "stats.unit_area": (lambda c: stats.unit_area(c.world.s, actor=c.actor, start=OCT1,
                                                  end=OCT31),
                        row(N, N, N, N, N, N, Y, Y, Y)),
    "dashboard.office_dashboard": (lambda c: dashboard.office_dashboard(
        c.world.s, actor=c.actor, start=OCT1, end=OCT31), row(N, N, N, N, N, N, Y, Y, Y)),
    "dashboard.daily_dispatch": (lambda c: dashboard.daily_dispatch(c.world.s, actor=c.actor),
                                 row(N, N, N, N, N, N, Y, Y, Y)),
    "dashboard.unit_home": (lambda c: dashboard.unit_home(c.world.s, actor=c.actor, start=OCT1,
                                                          end=OCT31),
                            row(N, N, N, N, Y, Y, N, N, N)),
    "dashboard.ledger_rows": (lambda c: list(dashboard.ledger_rows(
        c.world.s, actor=c.actor, start=OCT1, end=OCT31)), row(N, N, N, N, N, N, Y, Y, Y)),
    "dashboard.ledger_workbook": (lambda c: dashboard.ledger_workbook(
        c.world.s, actor=c.actor, start=OCT1, end=OCT31), row(N, N, N, N, N, N, Y, Y, Y)),
    "bulletin.for_office": (lambda c: bulletin.for_office(
        c.world.s, actor=c.actor, period=bulletin.month_period("2026-10")),
        row(N, N, N, N, N, N, Y, Y, Y)),
    "scoring.rules_view": (lambda c: scoring.rules_view(c.world.s, actor=c.actor, year=2026),
                           row(N, N, N, N, N, N, Y, Y, Y)),
    "scoring.scores": (lambda c: scoring.scores(c.world.s, actor=c.actor, year=2026, quarter=4),
                       row(N, N, N, N, N, N, Y, Y, Y)),
    "scoring.set_rules": (lambda c: scoring.set_rules(c.world.s, actor=c.actor, year=2031, values={
        "w_closing_rate": 20, "w_on_time_response": 20, "w_on_time_closing": 20,
        "w_satisfaction": 20, "w_resolution": 20, "d_supervision": 1, "d_transfer": 1,
        "d_red_card": 1, "d_selfcheck_late": 1, "d_selfcheck_missing": 1, "d_quota_missed": 1}),
        row(N, N, N, N, N, N, N, N, Y)),
    # ---- quarterly self-checks
    "selfcheck.open_campaign": (lambda c: _open_campaign(c), row(N, N, N, N, N, N, Y, N, N)),
    "selfcheck.open_next_campaign": (lambda c: selfcheck.open_next_campaign(c.world.s,
                                                                            actor=c.actor),
                                     row(N, N, N, N, N, N, Y, N, N)),
    "selfcheck.campaigns_for_unit": (lambda c: selfcheck.campaigns_for_unit(c.world.s,
                                                                            actor=c.actor),
                                     row(N, N, N, N, Y, Y, N, N, N)),
    "selfcheck.open_form": (lambda c: selfcheck.open_form(c.world.s, actor=c.actor,
                                                          campaign_id=c.world.campaign_id),
                            row(N, N, N, N, Y, Y, N, N, N)),
    "selfcheck.form_view": (lambda c: selfcheck.form_view(c.world.s, actor=c.actor,
                                                          form_id=c.world.form.id),
                            row(N, N, N, N, Y, N, Y, Y, N)),
    "selfcheck.save_draft": (lambda c: selfcheck.save_draft(
        c.world.s, actor=c.actor, form_id=c.world.form.id, version=c.world.form.version,
        rows=NO_PROBLEMS()), row(N, N, N, N, Y, N, N, N, N)),
    "selfcheck.submit": (lambda c: selfcheck.submit(
        c.world.s, actor=c.actor, form_id=c.world.form.id, version=c.world.form.version,
        rows=NO_PROBLEMS()), row(N, N, N, N, Y, N, N, N, N)),
    "selfcheck.accept": (lambda c: selfcheck.accept(c.world.s, actor=c.actor,
                                                    form_id=c.world.submitted_form_id),
                         row(N, N, N, N, N, N, Y, N, N)),
    "selfcheck.return_form": (lambda c: selfcheck.return_form(
        c.world.s, actor=c.actor, form_id=c.world.submitted_form_id, comment="请补充"),
        row(N, N, N, N, N, N, Y, N, N)),
    "selfcheck.completion": (lambda c: selfcheck.completion(
        c.world.s, actor=c.actor, campaign_id=c.world.campaign_id),
        row(N, N, N, N, N, N, Y, Y, N)),
    "selfcheck.summary": (lambda c: selfcheck.summary(c.world.s, actor=c.actor,
                                                      campaign_id=c.world.campaign_id),
                          row(N, N, N, N, N, N, Y, Y, N)),
    "selfcheck.untrue_answers": (lambda c: selfcheck.untrue_answers(c.world.s, actor=c.actor,
                                                                    year=2026),
                                 row(N, N, N, N, N, N, Y, Y, N)),
    # ---- accounts, units, calendar, audit (administration)
    "companies.company_profile": (lambda c: companies.company_profile(c.world.s,
                                                                      actor=c.actor),
                                  row(N, N, Y, Y, N, N, N, N, N)),
    "users.create_user": (lambda c: users.create_user(
        c.world.s, actor=c.actor, username=f"m{next(_quarters)}", display_name="新同事",
        roles=["supervisor"], unit_id=None), row(N, N, N, N, N, N, N, N, Y)),
    "users.update_user": (lambda c: users.update_user(
        c.world.s, actor=c.actor, user_id=c.world.plain_user_id, display_name="改名",
        roles=["company"], unit_id=None), row(N, N, N, N, N, N, N, N, Y)),
    "users.set_user_active": (lambda c: users.set_user_active(
        c.world.s, actor=c.actor, user_id=c.world.plain_user_id, active=False),
        row(N, N, N, N, N, N, N, N, Y)),
    "users.reset_password": (lambda c: users.reset_password(
        c.world.s, actor=c.actor, user_id=c.world.plain_user_id),
        row(N, N, N, N, N, N, N, N, Y)),
    "users.list_users": (lambda c: users.list_users(c.world.s, actor=c.actor),
                         row(N, N, N, N, N, N, N, N, Y)),
    "users.change_own_password": (lambda c: users.change_own_password(
        c.world.s, actor=c.actor, current=PASSWORD, new="Another-Horse-2",
        repeat="Another-Horse-2"), row(N, N, Y, Y, Y, Y, Y, Y, Y)),
    "users.revoke_remembered_logins": (lambda c: users.revoke_remembered_logins(
        c.world.s, actor=c.actor), row(N, N, Y, Y, Y, Y, Y, Y, Y)),
    "units.create_unit": (lambda c: units.create_unit(
        c.world.s, actor=c.actor, name=f"区新设局{next(_quarters)}", quota_applies=False),
        row(N, N, N, N, N, N, N, N, Y)),
    "units.update_unit": (lambda c: units.update_unit(
        c.world.s, actor=c.actor, unit_id=unit_id(c.world.s, "区审计局"), name="区审计局",
        quota_applies=True, active=True), row(N, N, N, N, N, N, N, N, Y)),
    "workdays.list_overrides": (lambda c: workdays.list_overrides(c.world.s, actor=c.actor,
                                                                  year=2027),
                                row(N, N, N, N, N, N, N, N, Y)),
    "workdays.set_override": (lambda c: workdays.set_override(
        c.world.s, actor=c.actor, day=date(2027, 2, 1), is_working_day=False, note="春节"),
        row(N, N, N, N, N, N, N, N, Y)),
    "workdays.delete_override": (lambda c: _delete_override(c),
                                 row(N, N, N, N, N, N, N, N, Y)),
    "workdays.set_sla_window": (lambda c: workdays.set_sla_window(
        c.world.s, actor=c.actor, name="reply", working_days=5),
        row(N, N, N, N, N, N, N, N, Y)),
    "audit.list_events": (lambda c: audit.list_events(c.world.s, actor=c.actor),
                          row(N, N, N, N, N, N, N, N, Y)),
    "audit.list_report_events": (lambda c: audit.list_report_events(c.world.s, actor=c.actor),
                                 row(N, N, N, N, N, N, N, N, Y)),
    # ---- #11 rules: return requests decided by the office, 回访, calendar, quota years
    "report_flow.approve_return": (lambda c: report_flow.approve_return(
        c.world.s, actor=c.actor, report_id=c.world.return_requested.report_id),
        row(N, N, N, N, N, N, Y, N, N)),
    "report_flow.refuse_return": (lambda c: report_flow.refuse_return(
        c.world.s, actor=c.actor, report_id=c.world.return_requested.report_id,
        reason="属于本单位职责"), row(N, N, N, N, N, N, Y, N, N)),
    "return_requests.approve": (lambda c: return_requests.approve(
        c.world.s, actor=c.actor, request_id=c.world.return_request_id),
        row(N, N, N, N, N, N, Y, N, N)),
    "return_requests.refuse": (lambda c: return_requests.refuse(
        c.world.s, actor=c.actor, request_id=c.world.return_request_id,
        note="属于本单位职责"), row(N, N, N, N, N, N, Y, N, N)),
    "return_requests.pending": (lambda c: return_requests.pending(c.world.s, actor=c.actor),
                                row(N, N, N, N, N, N, Y, Y, N)),
    # the company owner may read its report but sees none of the units' requests
    "return_requests.for_report": (lambda c: return_requests.for_report(
        c.world.s, actor=c.actor, report_id=c.world.return_requested.report_id),
        row(N, N, E, N, Y, N, Y, Y, N)),
    "followup.queue": (lambda c: followup.queue(c.world.s, actor=c.actor),
                       row(N, N, N, N, N, N, Y, N, N)),
    "followup.record": (lambda c: followup.record(
        c.world.s, actor=c.actor, report_id=c.world.replied.report_id,
        result="unreachable", comment="电话无人接听"), row(N, N, N, N, N, N, Y, N, N)),
    "followup.for_report": (lambda c: followup.for_report(
        c.world.s, actor=c.actor, report_id=c.world.replied.report_id),
        row(N, N, N, N, Y, N, Y, Y, N)),
    "followup.unit_ratings": (lambda c: followup.unit_ratings(c.world.s, actor=c.actor),
                              row(N, N, N, N, Y, Y, N, N, N)),
    "calendar_schedule.preview": (lambda c: calendar_schedule.preview(
        c.world.s, actor=c.actor, year=2027, text=SCHEDULE_2027),
        row(N, N, N, N, N, N, N, N, Y)),
    "calendar_schedule.save": (lambda c: calendar_schedule.save(
        c.world.s, actor=c.actor, year=2027, text=SCHEDULE_2027),
        row(N, N, N, N, N, N, N, N, Y)),
    "calendar_schedule.set_official": (lambda c: calendar_schedule.set_official(
        c.world.s, actor=c.actor, year=2027, official=True), row(N, N, N, N, N, N, N, N, Y)),
    "quotas.set_unit_quota_year": (lambda c: quotas.set_unit_quota_year(
        c.world.s, actor=c.actor, unit_id=unit_id(c.world.s, "区审计局"), year=2027,
        applies=True), row(N, N, N, N, N, N, N, Y, Y)),
    "quotas.exemptions": (lambda c: quotas.exemptions(c.world.s, actor=c.actor, year=2026),
                          row(N, N, N, N, N, N, Y, Y, N)),
    "quotas.revoke_exemption": (lambda c: quotas.revoke_exemption(
        c.world.s, actor=c.actor, unit_id=unit_id(c.world.s),
        checkpoint=c.world.exemption_checkpoint, reason="豁免理由不成立"),
        row(N, N, N, N, N, N, N, Y, N)),
    "selfcheck.preview_next_campaign": (lambda c: selfcheck.preview_next_campaign(
        c.world.s, actor=c.actor), row(N, N, N, N, N, N, Y, N, N)),
    # ---- #15 notifications: the admin's outbox and templates, everyone's own inbox
    "notifications.admin.outbox_counts": (lambda c: notify_admin.outbox_counts(
        c.world.s, actor=c.actor), row(N, N, N, N, N, N, N, N, Y)),
    "notifications.admin.outbox": (lambda c: notify_admin.outbox(c.world.s, actor=c.actor),
                                   row(N, N, N, N, N, N, N, N, Y)),
    "notifications.admin.attempts": (lambda c: notify_admin.attempts(
        c.world.s, actor=c.actor, outbox_id=c.world.failed_outbox_id),
        row(N, N, N, N, N, N, N, N, E)),
    "notifications.admin.resend": (lambda c: notify_admin.resend(
        c.world.s, actor=c.actor, outbox_id=c.world.failed_outbox_id),
        row(N, N, N, N, N, N, N, N, Y)),
    "notifications.admin.templates": (lambda c: notify_admin.templates(c.world.s,
                                                                       actor=c.actor),
                                      row(N, N, N, N, N, N, N, N, Y)),
    "notifications.admin.save_template": (lambda c: notify_admin.save_template(
        c.world.s, actor=c.actor, event="report_assigned", subject="新件 {tracking_no}",
        body="请及时办理 {tracking_no}", sms_body="新件", channels=["inbox"],
        quiet_exempt=False, enabled=True), row(N, N, N, N, N, N, N, N, Y)),
    "notifications.admin.webhooks": (lambda c: notify_admin.webhooks(c.world.s,
                                                                     actor=c.actor),
                                     row(N, N, N, N, N, N, N, N, E)),
    "notifications.admin.save_webhook": (lambda c: notify_admin.save_webhook(
        c.world.s, actor=c.actor, unit_id=unit_id(c.world.s), kind="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=x"),
        row(N, N, N, N, N, N, N, N, Y)),
    # an account sees and marks only its own messages; without an account there are none
    "notifications.inbox.unread_count": (lambda c: _own_messages(c, inbox.unread_count),
                                         row(E, E, Y, Y, Y, Y, Y, Y, Y)),
    "notifications.inbox.messages": (lambda c: _own_messages(c, inbox.messages),
                                     row(E, E, Y, Y, Y, Y, Y, Y, Y)),
    "notifications.inbox.mark_all_read": (lambda c: _own_messages(c, inbox.mark_all_read),
                                          row(E, E, Y, Y, Y, Y, Y, Y, Y)),
    "notifications.inbox.mark_read": (lambda c: _mark_read(c), row(E, E, Y, Y, Y, Y, Y, Y, Y)),
    "notifications.inbox.preferences": (lambda c: inbox.preferences(c.world.s, actor=c.actor),
                                        row(N, N, Y, Y, Y, Y, Y, Y, Y)),
    "notifications.inbox.save_preferences": (lambda c: inbox.save_preferences(
        c.world.s, actor=c.actor, email="me@example.cn", digest=True, quiet_start=22,
        quiet_end=7, channels={}), row(N, N, Y, Y, Y, Y, Y, Y, Y)),
    # ---- #16 triage: duplicates and 并案, 12345 import, knowledge base, forecast, suggester
    "duplicates.similar_reports": (lambda c: duplicates.similar_reports(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id),
        row(N, N, N, N, N, N, Y, Y, N)),
    "duplicates.merge": (lambda c: duplicates.merge(
        c.world.s, actor=c.actor, duplicate_id=c.world.submitted.report_id,
        main_id=c.world.assigned.report_id), row(N, N, N, N, N, N, Y, N, N)),
    "duplicates.unmerge": (lambda c: duplicates.unmerge(
        c.world.s, actor=c.actor, duplicate_id=c.world.merged.report_id, reason="不是同一问题"),
        row(N, N, N, N, N, N, Y, N, N)),
    "duplicates.link": (lambda c: duplicates.link(
        c.world.s, actor=c.actor, report_id=c.world.submitted.report_id,
        other_id=c.world.assigned.report_id), row(N, N, N, N, N, N, Y, N, N)),
    "duplicates.unlink": (lambda c: duplicates.unlink(
        c.world.s, actor=c.actor, report_id=c.world.linked[0], other_id=c.world.linked[1]),
        row(N, N, N, N, N, N, Y, N, N)),
    # whoever may read the duplicate (now handled by the main report's unit) learns which
    # report it follows
    "duplicates.merged_into": (lambda c: duplicates.merged_into(
        c.world.s, actor=c.actor, report_id=c.world.merged.report_id),
        row(N, N, Y, N, Y, N, Y, Y, N)),
    "duplicates.group": (lambda c: duplicates.group(
        c.world.s, actor=c.actor, report_id=c.world.merged.report_id),
        row(N, N, N, N, N, N, Y, Y, N)),
    "hotline_import.save_mapping": (lambda c: hotline_import.save_mapping(
        c.world.s, actor=c.actor, source="12345",
        mapping=hotline_import.guess_mapping(["工单编号", "受理时间", "来电人", "联系电话",
                                              "诉求类型", "诉求内容", "涉及单位",
                                              "办结时限"])), row(N, N, N, N, N, N, Y, N, N)),
    "hotline_import.preview_hints": (lambda c: hotline_import.preview_hints(
        c.world.s, actor=c.actor, rows=c.world.hotline_rows()), row(N, N, N, N, N, N, Y, N, N)),
    "hotline_import.import_rows": (lambda c: hotline_import.import_rows(
        c.world.s, actor=c.actor, checked=c.world.hotline_rows()),
        row(N, N, N, N, N, N, Y, N, N)),
    "hotline_import.import_file": (lambda c: hotline_import.import_file(
        c.world.s, actor=c.actor, filename="m.csv", data=c.world.hotline_csv),
        row(N, N, N, N, N, N, Y, N, N)),
    "knowledge.create": (lambda c: knowledge.create(c.world.s, actor=c.actor, data=KB_ENTRY()),
                         row(N, N, N, N, N, N, Y, N, Y)),
    "knowledge.reply_of": (lambda c: knowledge.reply_of(
        c.world.s, actor=c.actor, report_id=c.world.replied.report_id),
        row(N, N, N, N, Y, N, N, N, N)),
    "knowledge.propose_from_reply": (lambda c: knowledge.propose_from_reply(
        c.world.s, actor=c.actor, report_id=c.world.replied.report_id, data=KB_ENTRY()),
        row(N, N, N, N, Y, N, N, N, N)),
    "knowledge.review": (lambda c: knowledge.review(
        c.world.s, actor=c.actor, entry_id=c.world.pending_entry_id, approve=True),
        row(N, N, N, N, N, N, Y, N, N)),
    "knowledge.similar_entries": (lambda c: knowledge.similar_entries(
        c.world.s, actor=c.actor, report_id=c.world.assigned.report_id),
        row(N, N, N, N, E, N, E, N, N)),
    "knowledge.list_entries": (lambda c: knowledge.list_entries(c.world.s, actor=c.actor),
                               row(N, N, N, N, Y, Y, Y, Y, Y)),
    "knowledge.export_excel": (lambda c: knowledge.export_excel(c.world.s, actor=c.actor),
                               row(N, N, N, N, N, N, N, N, Y)),
    "knowledge.import_excel": (lambda c: knowledge.import_excel(
        c.world.s, actor=c.actor, data=c.world.knowledge_workbook),
        row(N, N, N, N, N, N, N, N, Y)),
    "quota_forecast.forecast": (lambda c: quota_forecast.forecast(c.world.s, actor=c.actor,
                                                                  year=2026),
                                row(N, N, N, N, N, N, Y, Y, N)),
    "suggest.train": (lambda c: suggest.train(c.world.s, actor=c.actor),
                      row(N, N, N, N, N, N, Y, N, Y)),
    # ---- #14 the key-task ledger: the office manages, a unit reports on its own tasks
    "tasks.create_task": (lambda c: tasks.create_task(c.world.s, actor=c.actor,
                                                      data=TASK(c.world.s)),
                          row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.update_task": (lambda c: tasks.update_task(
        c.world.s, actor=c.actor, task_id=c.world.task_id, data=TASK(c.world.s)),
        row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.list_tasks": (lambda c: c.world.task_id and tasks.list_tasks(
        c.world.s, actor=c.actor)[0], row(N, N, N, N, Y, E, Y, N, Y)),
    "tasks.state_counts": (lambda c: c.world.task_id and sum(tasks.state_counts(
        c.world.s, actor=c.actor).values()), row(N, N, N, N, Y, E, Y, N, Y)),
    "tasks.get_task": (lambda c: tasks.get_task(c.world.s, actor=c.actor,
                                                task_id=c.world.task_id),
                       row(N, N, N, N, Y, N, Y, N, Y)),
    "tasks.chart_rows": (lambda c: c.world.task_id and tasks.chart_rows(c.world.s,
                                                                        actor=c.actor),
                         row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.export_excel": (lambda c: tasks.export_excel(c.world.s, actor=c.actor),
                           row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.check_workbook": (lambda c: tasks.check_workbook(c.world.s, actor=c.actor,
                                                            data=c.world.task_workbook),
                             row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.import_workbook": (lambda c: tasks.import_workbook(c.world.s, actor=c.actor,
                                                              data=c.world.task_workbook),
                              row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.submit_progress": (lambda c: tasks.submit_progress(
        c.world.s, actor=c.actor, task_id=c.world.task_id,
        data=tasks.ProgressInput("本月完成调研", 30)), row(N, N, N, N, Y, N, N, N, N)),
    "tasks.review_queue": (lambda c: c.world.progress_id and tasks.review_queue(
        c.world.s, actor=c.actor)[0], row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.accept_progress": (lambda c: tasks.accept_progress(
        c.world.s, actor=c.actor, progress_id=c.world.progress_id),
        row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.return_progress": (lambda c: tasks.return_progress(
        c.world.s, actor=c.actor, progress_id=c.world.progress_id, reason="请补充佐证材料"),
        row(N, N, N, N, N, N, Y, N, Y)),
    "tasks.progress_history": (lambda c: c.world.progress_id and tasks.progress_history(
        c.world.s, actor=c.actor, task_id=c.world.task_id), row(N, N, N, N, Y, N, Y, N, Y)),
    "tasks.progress_file": (lambda c: tasks.progress_file(
        c.world.s, actor=c.actor, file_id=c.world.progress_file_id),
        row(N, N, N, N, Y, N, Y, N, Y)),
    # ---- #14 报送事项: the office asks, an addressed unit submits its own report
    "stage_reports.create_request": (lambda c: stage_reports.create_request(
        c.world.s, actor=c.actor, data=STAGE(c.world.s)), row(N, N, N, N, N, N, Y, N, Y)),
    "stage_reports.list_requests": (lambda c: c.world.stage_request_id and
                                    stage_reports.list_requests(c.world.s, actor=c.actor)[0],
                                    row(N, N, N, N, N, N, Y, N, Y)),
    "stage_reports.get_request": (lambda c: stage_reports.get_request(
        c.world.s, actor=c.actor, request_id=c.world.stage_request_id),
        row(N, N, N, N, Y, N, Y, N, Y)),
    "stage_reports.request_status": (lambda c: stage_reports.request_status(
        c.world.s, actor=c.actor, request_id=c.world.stage_request_id)[0],
        row(N, N, N, N, N, N, Y, N, Y)),
    "stage_reports.state_counts": (lambda c: stage_reports.state_counts(
        c.world.s, actor=c.actor, request_id=c.world.stage_request_id),
        row(N, N, N, N, N, N, Y, N, Y)),
    "stage_reports.my_requests": (lambda c: c.world.stage_request_id and
                                  stage_reports.my_requests(c.world.s, actor=c.actor),
                                  row(N, N, N, N, Y, E, N, N, N)),
    "stage_reports.submit": (lambda c: stage_reports.submit(
        c.world.s, actor=c.actor, request_id=c.world.stage_request_id,
        data=stage_reports.SubmissionInput("第一阶段工作已完成")), row(N, N, N, N, Y, N, N, N, N)),
    "stage_reports.accept": (lambda c: stage_reports.accept(
        c.world.s, actor=c.actor, report_id=c.world.stage_report_id),
        row(N, N, N, N, N, N, Y, N, Y)),
    "stage_reports.return_report": (lambda c: stage_reports.return_report(
        c.world.s, actor=c.actor, report_id=c.world.stage_report_id, reason="请补充典型案例"),
        row(N, N, N, N, N, N, Y, N, Y)),
    "stage_reports.submission": (lambda c: stage_reports.submission(
        c.world.s, actor=c.actor, report_id=c.world.stage_report_id),
        row(N, N, N, N, Y, N, Y, N, Y)),
    "stage_reports.submission_file": (lambda c: stage_reports.submission_file(
        c.world.s, actor=c.actor, file_id=stage_reports.submission(
            c.world.s, actor=c.world.p["supervisor"],
            report_id=c.world.stage_report_id)["files"][0]["id"]),
        row(N, N, N, N, Y, N, Y, N, Y)),
    "stage_reports.request_file": (lambda c: stage_reports.request_file(
        c.world.s, actor=c.actor, file_id=stage_reports.get_request(
            c.world.s, actor=c.world.p["supervisor"],
            request_id=c.world.stage_request_id)["files"][0]["id"]),
        row(N, N, N, N, Y, N, Y, N, Y)),
    # ---- #14 the rectification ledger: the office decides 销号, a unit sees its own problems
    "rectification.unit_ledger": (lambda c: c.world.problem_row_id and rectification.unit_ledger(
        c.world.s, actor=c.actor)[0], row(N, N, N, N, Y, E, N, N, N)),
    "rectification.office_ledger": (lambda c: c.world.problem_row_id
                                    and rectification.office_ledger(c.world.s, actor=c.actor)[0],
                                    row(N, N, N, N, N, N, Y, N, Y)),
    "rectification.status_counts": (lambda c: c.world.problem_row_id and sum(
        rectification.status_counts(c.world.s, actor=c.actor).values()),
        row(N, N, N, N, Y, E, Y, N, Y)),
    "rectification.get_problem": (lambda c: rectification.get_problem(
        c.world.s, actor=c.actor, row_id=c.world.problem_row_id),
        row(N, N, N, N, Y, N, Y, N, Y)),
    "rectification.problem_notices": (lambda c: rectification.problem_notices(
        c.world.s, actor=c.actor, row_id=c.world.problem_row_id),
        row(N, N, N, N, Y, N, Y, N, Y)),
    "rectification.submit_evidence": (lambda c: rectification.submit_evidence(
        c.world.s, actor=c.actor, row_id=c.world.problem_row_id,
        data=rectification.EvidenceInput("已整改")), row(N, N, N, N, Y, N, N, N, N)),
    "rectification.accept": (lambda c: rectification.accept(
        c.world.s, actor=c.actor, evidence_id=c.world.evidence_id),
        row(N, N, N, N, N, N, Y, N, Y)),
    "rectification.refuse": (lambda c: rectification.refuse(
        c.world.s, actor=c.actor, evidence_id=c.world.evidence_id, reason="材料不全"),
        row(N, N, N, N, N, N, Y, N, Y)),
    "rectification.evidence_file": (lambda c: rectification.evidence_file(
        c.world.s, actor=c.actor, file_id=c.world.evidence_file_id),
        row(N, N, N, N, Y, N, Y, N, Y)),
    "rectification.export_excel": (lambda c: c.world.problem_row_id
                                   and rectification.export_excel(c.world.s, actor=c.actor),
                                   row(N, N, N, N, Y, Y, Y, N, Y)),
}
# Functions that take an actor but are not entry points: they run inside a service that has
# already checked the permission.
HELPERS = {
    "audit.record": "writes the audit row of a change its caller has permitted",
    "audit.record_many": "writes the audit rows of changes its caller has permitted",
    "roles.require": "the role check itself",
    "deadlines.recompute_after_calendar_change": "moves stored deadlines after a calendar "
    "change; called by calendar_schedule.save and workdays.set_override after their admin check",
    "return_requests.open_request": "stores the request of report_flow.return_to_office, "
    "which has checked that the actor is the report's unit",
    "duplicates.similar_to": "scores a report not saved yet, inside "
    "hotline_import.preview_hints and duplicates.similar_reports (both check the office)",
    "duplicates.follow_main": "copies a step of the main report onto its duplicates inside "
    "the report_flow transition that checked the step",
    "notifications.inbox.events_for": "which event types a role can receive, read no data",
}
# Rows whose `actor` None means the command line (an operator on the server), not a web
# visitor: the anonymous situations get the identity-less actor instead.
CLI_ROWS = {"hotline_import.import_rows", "hotline_import.import_file", "suggest.train"}
CODE_ROWS = {"reports.public_view", "report_flow.rate_with_code"}


def _open_campaign(cell: Cell) -> object:
    n = next(_quarters)
    return selfcheck.open_campaign(cell.world.s, actor=cell.actor, year=2060 + n // 4,
                                   quarter=n % 4 + 1)


def _own_messages(cell: Cell, service: Callable) -> object:
    cell.world.inbox_message_ids(cell.actor)
    result = service(cell.world.s, actor=cell.actor)
    return result[0] if isinstance(result, tuple) else result  # (page, total): the page


def _mark_read(cell: Cell) -> int:
    """Marks the actor's message read; somebody else's message stays unread."""
    ids = cell.world.inbox_message_ids(cell.actor)
    marked = inbox.mark_read(cell.world.s, actor=cell.actor, message_ids=ids)
    others = cell.world.s.exec(select(InboxMessage).where(
        col(InboxMessage.id).in_(ids),
        InboxMessage.user_id != (cell.actor.user_id if cell.actor else 0))).all()
    assert all(m.read_at is None for m in others), "marked another account's message read"
    return marked


def _delete_override(cell: Cell) -> None:
    admin = cell.world.p["admin"]
    workdays.set_override(cell.world.s, actor=admin, day=date(2027, 2, 2),
                          is_working_day=False, note="")
    workdays.delete_override(cell.world.s, actor=cell.actor, day=date(2027, 2, 2))


def service_functions() -> dict[str, types.FunctionType]:
    """Every public function of the portal's service modules that takes an `actor`."""
    found = {}
    for info in pkgutil.walk_packages(portal.__path__, "portal."):
        short = info.name.removeprefix("portal.")
        if (short == "ui" or short.startswith("ui.")  # portal.ui is the Streamlit layer
                or any(part.startswith("_") for part in short.split("."))):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (not name.startswith("_") and fn.__module__ == module.__name__
                    and "actor" in inspect.signature(fn).parameters):
                found[f"{short}.{name}"] = fn
    return found


def _admits_none(fn: types.FunctionType) -> bool:
    annotation = inspect.signature(fn).parameters["actor"].annotation
    return type(None) in typing.get_args(annotation)


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    monkeypatch.setattr(clock, "today", lambda: MONDAY.date())
    monkeypatch.setattr(reports, "HASH_ITERATIONS", 1)  # query codes: speed, not strength


@pytest.fixture
def people(session) -> dict[str, Actor]:
    return {"company_owner": make_user(session, Role.COMPANY),
            "other_company": make_user(session, Role.COMPANY),
            "own_unit": make_user(session, Role.UNIT, unit="区发改局"),
            "other_unit": make_user(session, Role.UNIT, unit="区住建局"),
            "supervisor": make_user(session, Role.SUPERVISOR),
            "discipline": make_user(session, Role.DISCIPLINE),
            "admin": make_user(session, Role.ADMIN)}


def test_every_service_function_taking_an_actor_is_in_the_table():
    found = set(service_functions())
    missing = found - set(MATRIX) - set(HELPERS)
    assert not missing, f"add these to the permission matrix: {sorted(missing)}"
    stale = (set(MATRIX) - CODE_ROWS) - found
    assert not stale, f"no longer services taking an actor: {sorted(stale)}"


def outcome(call: Callable[[], object]) -> tuple[str, object]:
    try:
        result = call()
    except (PermissionDenied, NotFound, reports.TrackingFailed):
        return N, None
    except ValidationError as error:
        if error.key in HIDING_KEYS:
            return N, None
        raise
    return (N, result) if result is False else (Y, result)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_matrix_row_holds(session, people, name):
    call, expected = MATRIX[name]
    fn = service_functions().get(name)
    for situation in SITUATIONS:
        world = World(session, people)
        if situation in ("anonymous", "filer_with_code"):
            admits_none = fn is None or (_admits_none(fn) and name not in CLI_ROWS)
            actor = None if admits_none else NOBODY
        else:
            actor = people[situation]
        code = WRONG_CODE
        if situation == "filer_with_code" and name in CODE_ROWS:
            code = (world.replied if name == "report_flow.rate_with_code"
                    else world.assigned).query_code
        got, result = outcome(lambda: call(Cell(world, actor, code)))  # noqa: B023
        want = expected[situation]
        if want == E:
            assert got == Y and not result, (name, situation, "should return nothing", result)
        else:
            assert got == want, (name, situation, f"expected {want}, got {got}")


def test_the_figures_of_the_matrix(capsys):
    """What the README reports: functions × situations walked."""
    functions = len(MATRIX)
    with capsys.disabled():
        print(f"\npermission matrix: {functions} functions × {len(SITUATIONS)} situations = "
              f"{functions * len(SITUATIONS)} cells")
    assert functions * len(SITUATIONS) >= 500
