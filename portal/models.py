"""Database tables. The schema itself is created only by the Alembic migrations in db/migrations."""

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Index, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from portal.clock import now


class Unit(SQLModel, table=True):
    """A responsible unit (责任单位); deactivated, never deleted."""

    __tablename__ = "units"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    quota_applies: bool = False
    active: bool = True
    sort_order: int = 0
    created_at: NaiveDatetime = Field(default_factory=now)


class CatalogueArea(SQLModel, table=True):
    """One of the five areas of the catalogue of a given version year."""

    __tablename__ = "catalogue_areas"
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    number: int
    name: str = Field(max_length=32)
    name_en: str = Field(default="", max_length=64)


class Category(SQLModel, table=True):
    """One of the 32 categories of conduct harming the business environment."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    number: int
    area_id: int = Field(foreign_key="catalogue_areas.id")
    text: str = Field(max_length=200)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=20, unique=True)
    display_name: str = Field(max_length=64)
    password_hash: str = Field(max_length=100)
    unit_id: int | None = Field(default=None, foreign_key="units.id", index=True)
    active: bool = True
    failed_logins: int = 0
    locked_until: NaiveDatetime | None = None
    created_at: NaiveDatetime = Field(default_factory=now)
    password_changed_at: NaiveDatetime | None = None
    company_name: str | None = Field(default=None, max_length=100)
    credit_code: str | None = Field(default=None, max_length=18)
    mobile: str | None = Field(default=None, max_length=11)
    logins_revoked_at: NaiveDatetime | None = None  # remembered logins before this are void
    email: str | None = Field(default=None, max_length=120)


class UserRole(SQLModel, table=True):
    __tablename__ = "user_roles"
    __table_args__ = (Index("ix_user_roles_role", "role", "user_id"),)

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    role: str = Field(max_length=16, primary_key=True)


class AuditEvent(SQLModel, table=True):
    """Who changed what and when; the admin's audit log."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(default_factory=now, index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    detail: str = Field(default="", max_length=500)
    prev_hash: str = Field(default="", max_length=64)  # row_hash of the row before (chain)
    row_hash: str = Field(default="", max_length=64)  # sha256 of prev_hash + this row


class AuditChain(SQLModel, table=True):
    """The head of the audit chain (one row, id 1): writers lock it to append in order."""

    __tablename__ = "audit_chain"

    id: int = Field(primary_key=True)
    last_id: int | None = None
    last_hash: str = Field(max_length=64)
    count: int


class Throttle(SQLModel, table=True):
    """Failures of one account, client or tracking number, and how long it must wait."""

    __tablename__ = "throttles"

    scope: str = Field(primary_key=True, max_length=16)
    key: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    last_failure_at: NaiveDatetime | None = Field(default=None, index=True)
    locked_until: NaiveDatetime | None = None


class CalendarOverride(SQLModel, table=True):
    """An admin's word on one date: holiday or working day (e.g. next year's 调休 schedule)."""

    __tablename__ = "calendar_overrides"

    day: date = Field(primary_key=True)
    is_working_day: bool
    note: str = Field(default="", max_length=100)


class SlaWindow(SQLModel, table=True):
    """A deadline clock in working days (respond 1, reply 5, reopen 5), editable by admins."""

    __tablename__ = "sla_windows"

    name: str = Field(primary_key=True, max_length=20)
    working_days: int
    label: str = Field(max_length=60)


class Sequence(SQLModel, table=True):
    """Counters behind human-readable numbers such as YS2026-000123."""

    __tablename__ = "sequences"

    name: str = Field(primary_key=True, max_length=40)
    value: int


class Report(SQLModel, table=True):
    """A problem report, complaint or 办不成的事 from a company or citizen."""

    __tablename__ = "reports"

    id: int | None = Field(default=None, primary_key=True)
    tracking_no: str = Field(max_length=20, unique=True)
    query_code_hash: str = Field(max_length=120)
    kind: str = Field(max_length=16)
    channel: str = Field(max_length=16)
    title: str = Field(max_length=100)
    description: str
    concerned_unit_id: int | None = Field(default=None, foreign_key="units.id")
    category_id: int | None = Field(default=None, foreign_key="categories.id")
    occurred_on: date | None = None
    place: str = Field(default="", max_length=100)
    anonymous: bool
    contact_name: str | None = Field(default=None, max_length=40)
    contact_mobile: str | None = Field(default=None, max_length=11)
    company_name: str | None = Field(default=None, max_length=100)
    credit_code: str | None = Field(default=None, max_length=18)
    confidential: bool
    filer_user_id: int | None = Field(default=None, foreign_key="users.id")
    entered_by_id: int | None = Field(default=None, foreign_key="users.id")
    status: str = Field(max_length=16, index=True)
    unit_id: int | None = Field(default=None, foreign_key="units.id")
    respond_due: date | None = None
    reply_due: date | None = None
    deadline_estimated: bool = False
    current_due: date | None = Field(default=None, index=True)  # what the cards look at
    responded_at: NaiveDatetime | None = None
    replied_at: NaiveDatetime | None = None
    rating: str | None = Field(default=None, max_length=16)
    reopen_count: int = 0
    office_due: date | None = None  # while waiting for the office (待受理, 退回待分办)
    clock_start: date | None = Field(default=None, index=True)  # the day the clocks started
    due_window: int | None = None  # working days of the window behind current_due
    reply_outcome: str | None = Field(default=None, max_length=16)
    created_at: NaiveDatetime = Field(default_factory=now)
    updated_at: NaiveDatetime = Field(default_factory=now)
    sms_opt_in: bool = False  # the filer asked for SMS on acceptance, reply and rejection
    merged_into_id: int | None = Field(default=None, foreign_key="reports.id")  # 并案: follows it
    external_no: str | None = Field(default=None, max_length=40)  # 12345 工单编号
    original_due: date | None = None  # the 12345 platform's deadline of an imported 工单
    accepted_on: date | None = None  # 受理: the day of the first assignment (figures' period)
    first_replied_at: NaiveDatetime | None = None  # the first reply, kept through 差评整改
    first_reply_due: date | None = None  # the reply deadline that first reply answered


class ReportEvent(SQLModel, table=True):
    """One step of a report; the public timeline and the audit trail both read these rows."""

    __tablename__ = "report_events"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    at: NaiveDatetime = Field(default_factory=now)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=20)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    unit_id: int | None = Field(default=None, foreign_key="units.id")
    note: str = ""
    public: bool
    note_public: bool


class Attachment(SQLModel, table=True):
    __tablename__ = "attachments"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    data: bytes
    uploaded_at: NaiveDatetime = Field(default_factory=now)


class Notice(SQLModel, table=True):
    """A rung of the escalation ladder: 提醒单, 催办单, 督办单 or 移交函."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_item", "item_kind", "item_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    number: str = Field(max_length=30, unique=True)
    # the supervised item (portal/supervised.py): a report (report_id set too) or a key task
    item_kind: str = Field(default="report", max_length=16)
    item_id: int | None = None  # set from report_id on insert when not given
    report_id: int | None = Field(default=None, foreign_key="reports.id", index=True)
    unit_id: int = Field(foreign_key="units.id", index=True)
    issued_by_id: int | None = Field(default=None, foreign_key="users.id")
    issued_on: date
    issued_at: NaiveDatetime = Field(default_factory=now)
    reason: str
    overdue_days: int
    deadline: date | None = None
    deadline_estimated: bool = False
    complied: bool | None = None  # None while pending
    settled_at: NaiveDatetime | None = None
    withdrawn: bool = False
    withdrawn_reason: str = ""
    withdrawn_by_id: int | None = Field(default=None, foreign_key="users.id")
    demands: str | None = Field(default=None, max_length=16)  # respond or reply
    settled_by: str | None = Field(default=None, max_length=20)
    overdue_calendar_days: int = 0


class ReturnRequest(SQLModel, table=True):
    """A unit asks the office to take back a wrongly assigned report; the office decides."""

    __tablename__ = "report_return_requests"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    unit_id: int = Field(foreign_key="units.id")
    requested_by_id: int | None = Field(default=None, foreign_key="users.id")
    requested_at: NaiveDatetime = Field(default_factory=now)
    reason: str
    office_due: date | None = None
    decision: str | None = Field(default=None, max_length=16)  # approved / refused
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: NaiveDatetime | None = None
    decision_note: str = ""
    new_unit_id: int | None = Field(default=None, foreign_key="units.id")


class ReportRating(SQLModel, table=True):
    """One rating of one reply: by the filer (web) or from the office's follow-up call (回访)."""

    __tablename__ = "report_ratings"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="units.id", index=True)
    round: int  # the report's reopen_count when rated: 0 is the first reply
    at: NaiveDatetime = Field(default_factory=now)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    channel: str = Field(max_length=16)
    rating: str = Field(max_length=16)
    comment: str = ""


class CalendarYear(SQLModel, table=True):
    """A year whose schedule the admin has marked complete (official)."""

    __tablename__ = "calendar_years"

    year: int = Field(primary_key=True)
    official: bool = False
    marked_by_id: int | None = Field(default=None, foreign_key="users.id")
    marked_at: NaiveDatetime | None = None


class UnitQuotaYear(SQLModel, table=True):
    """Whether a unit carries the case quota in a given year (else `Unit.quota_applies`)."""

    __tablename__ = "unit_quota_years"

    unit_id: int = Field(foreign_key="units.id", primary_key=True)
    year: int = Field(primary_key=True)
    applies: bool


class SelfcheckCampaign(SQLModel, table=True):
    """A quarter's self-check (e.g. 2026年第一季度) with its due date."""

    __tablename__ = "selfcheck_campaigns"
    __table_args__ = (UniqueConstraint("year", "quarter"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    quarter: int
    due_date: date
    due_estimated: bool = False
    opened_at: NaiveDatetime = Field(default_factory=now)
    opened_by_id: int | None = Field(default=None, foreign_key="users.id")


class SelfcheckCampaignUnit(SQLModel, table=True):
    """A unit that must report in a campaign."""

    __tablename__ = "selfcheck_campaign_units"

    campaign_id: int = Field(foreign_key="selfcheck_campaigns.id", primary_key=True)
    unit_id: int = Field(foreign_key="units.id", primary_key=True)


class SelfcheckForm(SQLModel, table=True):
    """One unit's form in one campaign; `version` refuses silent overwrites."""

    __tablename__ = "selfcheck_forms"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="selfcheck_campaigns.id")
    unit_id: int = Field(foreign_key="units.id", index=True)
    status: str = Field(max_length=16)
    version: int = 1
    submitted_at: NaiveDatetime | None = None
    late: bool = False
    reviewed_at: NaiveDatetime | None = None
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    review_comment: str = ""
    updated_at: NaiveDatetime = Field(default_factory=now)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


class SelfcheckRow(SQLModel, table=True):
    """One problem of one category of one form: the four lists (problem, risk, measure,
    responsibility). A category answered 不存在 (or not yet) has one row, at position 1; a
    category with several problems has one row per problem, numbered from 1."""

    __tablename__ = "selfcheck_rows"
    __table_args__ = (UniqueConstraint("form_id", "category_number", "position",
                                       name="uq_selfcheck_rows_form_category_position"),)

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="selfcheck_forms.id", index=True)
    category_number: int
    position: int = 1
    has_problem: bool | None = None
    description: str = ""
    risk: str = ""
    measure: str = ""
    person: str = Field(default="", max_length=40)
    deadline: date | None = None
    progress: str = Field(default="open", max_length=16)
    carried_from_id: int | None = Field(default=None, foreign_key="selfcheck_rows.id")
    review_note: str = ""  # the reviewer's note on this category when the form was returned
    # the 整改台账 (#14): the problem's identity across quarters is its first row (origin_id,
    # None on that first row itself); 风险等级, 责任科室 and the 销号 state of the problem
    origin_id: int | None = Field(default=None, index=True)
    risk_level: str = Field(default="", max_length=8)  # high / medium / low
    department: str = Field(default="", max_length=40)
    rectify_status: str = Field(default="open", max_length=16)  # open / pending / closed
    closed_on: date | None = None


class RectificationEvidence(SQLModel, table=True):
    """A unit's proof that a self-check problem is rectified, asking for 销号; the office
    accepts (销号) or refuses it with a reason."""

    __tablename__ = "rectification_evidence"

    id: int | None = Field(default=None, primary_key=True)
    row_id: int = Field(foreign_key="selfcheck_rows.id", index=True)
    problem_id: int = Field(index=True)  # the origin row: every quarter's row of the problem
    unit_id: int = Field(foreign_key="units.id", index=True)
    text: str
    submitted_by_id: int | None = Field(default=None, foreign_key="users.id")
    submitted_at: NaiveDatetime = Field(default_factory=now)
    decision: str | None = Field(default=None, max_length=16)  # accepted / refused
    reason: str = ""
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: NaiveDatetime | None = None


class RectificationFile(SQLModel, table=True):
    """A file attached to rectification evidence (checked like report attachments)."""

    __tablename__ = "rectification_files"

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="rectification_evidence.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    data: bytes
    uploaded_at: NaiveDatetime = Field(default_factory=now)


class TypicalCase(SQLModel, table=True):
    """A typical case (典型案例); only 已审核 cases count towards a unit's quota."""

    __tablename__ = "typical_cases"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="units.id", index=True)
    category_number: int
    title: str = Field(max_length=100)
    summary: str
    found_on: date
    concluded_on: date | None = None
    source: str = Field(max_length=16)
    status: str = Field(max_length=16)
    persons_handled: int = 0
    exposed: bool = False
    public_summary: str = ""
    notice_id: int | None = Field(default=None, foreign_key="notices.id")
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: NaiveDatetime = Field(default_factory=now)
    verified_by_id: int | None = Field(default=None, foreign_key="users.id")
    verified_at: NaiveDatetime | None = None


class CaseOutcome(SQLModel, table=True):
    __tablename__ = "case_outcomes"

    case_id: int = Field(foreign_key="typical_cases.id", primary_key=True)
    outcome: str = Field(max_length=16, primary_key=True)


class CaseReport(SQLModel, table=True):
    __tablename__ = "case_reports"

    case_id: int = Field(foreign_key="typical_cases.id", primary_key=True)
    report_id: int = Field(foreign_key="reports.id", primary_key=True)


class CaseAttachment(SQLModel, table=True):
    """A decision document of a case (PDF or image, checked by content)."""

    __tablename__ = "case_attachments"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="typical_cases.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    data: bytes
    uploaded_at: NaiveDatetime = Field(default_factory=now)


class QuotaRule(SQLModel, table=True):
    """A checkpoint of the quota; `year` None is the default for years without own rules."""

    __tablename__ = "quota_rules"
    __table_args__ = (UniqueConstraint("year", "month", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int | None = None
    month: int
    day: int
    min_cases: int
    min_sanctioned: int


class QuotaExemption(SQLModel, table=True):
    """“原则上”: the discipline office exempts a unit at a checkpoint, with a reason."""

    __tablename__ = "quota_exemptions"
    __table_args__ = (UniqueConstraint("unit_id", "checkpoint"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="units.id")
    checkpoint: date
    reason: str
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: NaiveDatetime = Field(default_factory=now)
    revoked_at: NaiveDatetime | None = None
    revoked_by_id: int | None = None
    revoke_reason: str = ""


class StoredSuggester(SQLModel, table=True):
    """A trained category suggester (arrays in .npz form, no pickle); the newest one is used."""

    __tablename__ = "suggester_models"

    id: int | None = Field(default=None, primary_key=True)
    trained_at: NaiveDatetime = Field(default_factory=now)
    trained_by_id: int | None = Field(default=None, foreign_key="users.id")
    catalogue_year: int
    examples: int
    confirmed: int
    data: bytes


class ReportLink(SQLModel, table=True):
    """Two reports about related problems (not merged); stored once, lower id first."""

    __tablename__ = "report_links"

    report_id: int = Field(foreign_key="reports.id", primary_key=True)
    other_id: int = Field(foreign_key="reports.id", primary_key=True)
    created_at: NaiveDatetime = Field(default_factory=now)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")


class ImportMapping(SQLModel, table=True):
    """How one source's spreadsheet columns map to report fields (JSON: field → header)."""

    __tablename__ = "import_mappings"

    source: str = Field(primary_key=True, max_length=40)
    mapping: str
    updated_at: NaiveDatetime = Field(default_factory=now)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


class KnowledgeEntry(SQLModel, table=True):
    """A 知识库 entry: a question, its answer and policy basis; suggested only once approved."""

    __tablename__ = "kb_entries"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(max_length=500)
    answer: str
    policy_basis: str = ""
    unit_id: int | None = Field(default=None, foreign_key="units.id")
    category_number: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    status: str = Field(max_length=16)  # pending, approved, rejected
    source_report_id: int | None = Field(default=None, foreign_key="reports.id")
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: NaiveDatetime = Field(default_factory=now)
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: NaiveDatetime | None = None
    review_note: str = ""


class ScoringRule(SQLModel, table=True):
    """考核评分细则 of a year (year 0: the default): points per figure, points off per event."""

    __tablename__ = "scoring_rules"

    year: int = Field(primary_key=True)
    w_closing_rate: float
    w_on_time_response: float
    w_on_time_closing: float
    w_satisfaction: float
    w_resolution: float
    d_supervision: float
    d_transfer: float
    d_red_card: float
    d_selfcheck_late: float
    d_selfcheck_missing: float
    d_quota_missed: float
    updated_at: NaiveDatetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


class KeyTask(SQLModel, table=True):
    """A 重点任务 of the ledger (清单管理): lead units report progress on a schedule.

    `next_report_due`, `percent` and `done_on` are kept on the task so that every list computes
    the state (on track / at risk / overdue / done) in SQL; `portal/tasks.py` keeps them right.
    """

    __tablename__ = "key_tasks"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    title: str = Field(max_length=100)
    content: str = ""
    area: str = Field(default="", max_length=40)  # 专项行动, e.g. 办事方便
    start_on: date
    due_on: date = Field(index=True)  # 完成时限, or the end date of a recurring task
    recurring: bool = False  # 常态化: no single completion date, reports until `due_on`
    cadence: str = Field(default="monthly", max_length=16)  # progress reports: monthly, quarterly
    indicator: str = ""  # 指标 / 目标
    source: str = Field(default="", max_length=200)  # 来源文件
    other_parties: str = Field(default="", max_length=200)  # 责任方 that are not units
    next_report_due: date | None = Field(default=None, index=True)
    percent: int = 0  # of the latest progress report not returned
    done_on: date | None = None  # the office accepted a 100% report
    created_at: NaiveDatetime = Field(default_factory=now)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_at: NaiveDatetime = Field(default_factory=now)


class KeyTaskUnit(SQLModel, table=True):
    """A unit of a task: 牵头 (lead) or 责任 (responsible)."""

    __tablename__ = "key_task_units"

    task_id: int = Field(foreign_key="key_tasks.id", primary_key=True)
    unit_id: int = Field(foreign_key="units.id", primary_key=True, index=True)
    role: str = Field(max_length=16)  # lead, support


class TaskProgress(SQLModel, table=True):
    """A unit's progress report on a task; the office accepts it or returns it with a reason."""

    __tablename__ = "key_task_progress"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="key_tasks.id", index=True)
    unit_id: int = Field(foreign_key="units.id")
    period_due: date | None = None  # the scheduled report this one answers
    next_due_before: date | None = None  # the task's next_report_due when this was submitted
    submitted_at: NaiveDatetime = Field(default_factory=now)
    submitted_by_id: int | None = Field(default=None, foreign_key="users.id")
    progress: str
    percent: int
    problems: str = ""
    evidence: str = ""
    late: bool = False
    status: str = Field(max_length=16, index=True)  # pending, accepted, returned
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    reviewed_at: NaiveDatetime | None = None
    review_note: str = ""


class TaskProgressFile(SQLModel, table=True):
    """Evidence attached to a progress report (checked like report attachments)."""

    __tablename__ = "key_task_progress_files"

    id: int | None = Field(default=None, primary_key=True)
    progress_id: int = Field(foreign_key="key_task_progress.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    data: bytes
    uploaded_at: NaiveDatetime = Field(default_factory=now)


class StageRequest(SQLModel, table=True):
    """A 报送事项 (#14): the office asks some or all units for a report by a date."""

    __tablename__ = "stage_requests"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=30, unique=True)  # 报送〔2026〕3号
    title: str = Field(max_length=100)
    content: str = ""
    due_on: date = Field(index=True)
    all_units: bool = False  # addressed to every active unit when it was created
    created_at: NaiveDatetime = Field(default_factory=now)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")


class StageRequestFile(SQLModel, table=True):
    """A file the office attaches to a request (a template, the notice)."""

    __tablename__ = "stage_request_files"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="stage_requests.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    data: bytes
    uploaded_at: NaiveDatetime = Field(default_factory=now)


class StageReport(SQLModel, table=True):
    """One addressed unit of a request and its submission; the office accepts it or returns it
    with a reason (then it is due again by `due_on`). Each row is its own item on the ladder."""

    __tablename__ = "stage_reports"
    __table_args__ = (UniqueConstraint("request_id", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="stage_requests.id", index=True)
    unit_id: int = Field(foreign_key="units.id", index=True)
    due_on: date = Field(index=True)  # the request's, or the new one after a return
    status: str = Field(default="pending", max_length=16, index=True)
    content: str = ""
    submitted_at: NaiveDatetime | None = None
    submitted_by_id: int | None = Field(default=None, foreign_key="users.id")
    late: bool = False
    reviewed_at: NaiveDatetime | None = None
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id")
    review_note: str = ""
    round: int = 0  # how many times the unit has submitted (files carry the round they came in)


class StageReportRound(SQLModel, table=True):
    """An earlier submission of a unit, kept when the unit submits again after a return: its
    text, when it came, whether late, and the office's reason for returning it."""

    __tablename__ = "stage_report_rounds"

    id: int | None = Field(default=None, primary_key=True)
    stage_report_id: int = Field(foreign_key="stage_reports.id", index=True)
    round: int
    content: str
    submitted_at: NaiveDatetime | None = None
    late: bool = False
    review_note: str = ""
    reviewed_at: NaiveDatetime | None = None


class StageReportFile(SQLModel, table=True):
    """A file of a unit's submission (checked like report attachments), of one round of it."""

    __tablename__ = "stage_report_files"

    id: int | None = Field(default=None, primary_key=True)
    stage_report_id: int = Field(foreign_key="stage_reports.id", index=True)
    round: int = 1
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=40)
    size: int
    data: bytes
    uploaded_at: NaiveDatetime = Field(default_factory=now)


@event.listens_for(Notice, "before_insert")
def _report_notice_names_its_item(_mapper, _connection, notice: Notice) -> None:  # noqa: ANN001
    if notice.item_id is None and notice.item_kind == "report":
        notice.item_id = notice.report_id
