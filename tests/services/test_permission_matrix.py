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

import portal
from portal import (
    audit,
    bulletin,
    cases,
    clock,
    companies,
    dashboard,
    escalation,
    quotas,
    report_flow,
    reports,
    scoring,
    selfcheck,
    stats,
    units,
    users,
    workdays,
)
from portal.attachments import Upload
from portal.errors import NotFound, PermissionDenied, ValidationError
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
}
# Functions that take an actor but are not entry points: they run inside a service that has
# already checked the permission.
HELPERS = {
    "audit.record": "writes the audit row of a change its caller has permitted",
    "roles.require": "the role check itself",
}
CODE_ROWS = {"reports.public_view", "report_flow.rate_with_code"}


def _open_campaign(cell: Cell) -> object:
    n = next(_quarters)
    return selfcheck.open_campaign(cell.world.s, actor=cell.actor, year=2060 + n // 4,
                                   quarter=n % 4 + 1)


def _delete_override(cell: Cell) -> None:
    admin = cell.world.p["admin"]
    workdays.set_override(cell.world.s, actor=admin, day=date(2027, 2, 2),
                          is_working_day=False, note="")
    workdays.delete_override(cell.world.s, actor=cell.actor, day=date(2027, 2, 2))


def service_functions() -> dict[str, types.FunctionType]:
    """Every public function of the portal's service modules that takes an `actor`."""
    found = {}
    for info in pkgutil.iter_modules(portal.__path__):
        if info.name.startswith("_") or info.ispkg:  # portal.ui is the Streamlit layer
            continue
        module = importlib.import_module(f"portal.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (not name.startswith("_") and fn.__module__ == module.__name__
                    and "actor" in inspect.signature(fn).parameters):
                found[f"{info.name}.{name}"] = fn
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
            actor = None if fn is None or _admits_none(fn) else NOBODY
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
