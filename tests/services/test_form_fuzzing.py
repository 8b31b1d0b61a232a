"""Property-based fuzzing of every form's validation (issue #10): whatever a user types, the
service either stores it exactly (stripped of outer spaces) or refuses it with a Chinese
message of the catalogue; never another exception, never a partial write.

Each form runs `EXAMPLES` generated inputs; `inputs fuzzed` in the README is their sum."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel, func, select, text

from portal import (
    calendar_schedule,
    cases,
    clock,
    companies,
    escalation,
    followup,
    hotline_import,
    knowledge,
    quotas,
    report_flow,
    reports,
    return_requests,
    selfcheck,
    text_rules,
    units,
    users,
    workdays,
)
from portal.attachments import Upload
from portal.errors import FormInvalid, PortalError, ValidationError
from portal.i18n import MESSAGES, t
from portal.models import (
    Attachment,
    CalendarOverride,
    ImportMapping,
    Report,
    ReportRating,
    ReturnRequest,
    SelfcheckRow,
    TypicalCase,
    Unit,
    User,
)
from portal.notifications import admin as notify_admin
from portal.notifications import inbox
from portal.notifications.tables import NotificationPreference, NotificationTemplate
from portal.roles import Role
from portal.selfcheck import RowInput
from tests.factories import make_user, unit_id
from tests.services.test_reports import PNG, VALID_CODE

EXAMPLES = 60
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
CHINESE = re.compile("[\u4e00-\u9fff]")
TODAY = date(2026, 11, 23)

# What hostile and careless users type: control and bidi characters, Markdown, formulas,
# SQL, very long runs, lone spaces, and ordinary Chinese.
NASTY = ["", " ", "\x00", "\u202e", "\u2066", "\u200b", "\t", "\r\n", "\n", "=1+1", "+SUM(A1)",
         "-1", "@x", "![x](http://127.0.0.1:9/b.png)", "<script>alert(1)</script>", "**x**",
         "'; DROP TABLE reports; --", "长" * 101, "长" * 5001, "𠀋𠀌", "💼", "\ufeff", "\\",
         "开办餐饮许可证多次跑腿", "窗口要求补交材料三次仍未办结，请尽快处理。"]


def texts(max_size: int = 120) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(NASTY), st.text(max_size=max_size))
    return st.lists(pieces, max_size=4).map("".join)


def mobiles() -> st.SearchStrategy[str]:
    return st.one_of(st.just("13912345678"), st.from_regex(r"\A1[3-9]\d{9}\Z"), texts(20))


def dates() -> st.SearchStrategy[date | None]:
    return st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2035, 12, 31)))


def counts(session) -> dict[str, int]:
    """Rows per table: a refused input must leave every one unchanged."""
    return {table.name: session.exec(select(func.count()).select_from(table)).one()
            for table in SQLModel.metadata.sorted_tables}


def refused_in_chinese(error: PortalError) -> None:
    errors = list(error.errors.values()) if isinstance(error, FormInvalid) else [error]
    assert errors
    for one in errors:
        assert isinstance(one, ValidationError), one
        assert one.key in MESSAGES, one.key
        assert CHINESE.search(t(one.key, **one.params)), one.key


OUTCOMES = Counter()


def stored_or_refused(session, call, check) -> None:  # noqa: ANN001
    """Run `call`; on success `check(result)` compares what was stored with the input."""
    before = counts(session)
    try:
        result = call()
    except (FormInvalid, ValidationError) as error:
        refused_in_chinese(error)
        assert counts(session) == before  # nothing written, not even uncommitted rows
        session.rollback()
        OUTCOMES["refused"] += 1
        return
    check(result)
    OUTCOMES["stored"] += 1


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(reports, "HASH_ITERATIONS", 1)  # query codes: speed, not strength


@pytest.fixture
def people(session):
    return {"supervisor": make_user(session, Role.SUPERVISOR),
            "discipline": make_user(session, Role.DISCIPLINE),
            "admin": make_user(session, Role.ADMIN),
            "fgj": make_user(session, Role.UNIT, unit="区发改局")}


def same(stored: str | None, given: str) -> bool:
    """Stored exactly as typed (outer spaces aside), and never with a control character."""
    assert not text_rules.FORBIDDEN.search(stored or ""), repr(stored)
    return (stored or "") == given.strip()


# ---- report filing ------------------------------------------------------------------------

@FUZZ
@given(kind=st.sampled_from(["complaint", "undone", "suggestion", "", "other"]),
       title=texts(), description=texts(300), place=texts(), anonymous=st.booleans(),
       contact_name=texts(50), mobile=mobiles(), company_name=texts(),
       credit_code=st.sampled_from([VALID_CODE, "", "91350100M000100Y44", "x" * 30]),
       category=st.one_of(st.none(), st.integers(-5, 40)), occurred_on=dates(),
       filename=st.one_of(st.just("现场.png"), texts(30)),
       data=st.sampled_from([PNG, b"", b"GIF89a", b"%PDF-1.4 /JS (x)"]))
def test_filing_a_report(session, kind, title, description, place, anonymous, contact_name,
                         mobile, company_name, credit_code, category, occurred_on, filename,
                         data):
    given_input = reports.ReportInput(
        kind=kind, title=title, description=description, place=place, anonymous=anonymous,
        contact_name=contact_name, contact_mobile=mobile, company_name=company_name,
        credit_code=credit_code, category_number=category, occurred_on=occurred_on,
        uploads=[Upload(filename, data)])

    def check(filed):  # noqa: ANN001
        report = session.get(Report, filed.report_id)
        assert same(report.title, title) and same(report.description, description)
        assert same(report.place, place) and report.kind == kind
        if not anonymous:
            assert same(report.contact_name, contact_name)
            assert same(report.company_name, company_name)
        stored = session.exec(select(Attachment).where(Attachment.report_id == report.id)).one()
        assert stored.filename == filename[:200] and stored.data == data

    stored_or_refused(session, lambda: reports.file_report(session, actor=None,
                                                           data=given_input), check)


# ---- company registration -----------------------------------------------------------------

@FUZZ
@given(company_name=texts(), credit_code=st.sampled_from([VALID_CODE, "", "abc"]),
       contact_name=texts(50), mobile=mobiles(),
       username=st.one_of(st.from_regex(r"\A[a-z][a-z0-9_]{2,12}\Z"), texts(25)),
       password=st.one_of(st.just("Correct-Horse-1"), texts(80)))
def test_registering_a_company(session, company_name, credit_code, contact_name, mobile,
                               username, password):
    def check(actor):  # noqa: ANN001
        user = session.get(User, actor.user_id)
        assert same(user.company_name, company_name) and same(user.display_name, contact_name)
        assert user.username == username.strip().lower()

    stored_or_refused(session, lambda: companies.register_company(
        session, company_name=company_name, credit_code=credit_code, contact_name=contact_name,
        mobile=mobile, username=username, password=password, repeat=password), check)


# ---- self-check form ----------------------------------------------------------------------

@pytest.fixture
def draft(session, people):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026,
                                       quarter=4)
    return selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)


@FUZZ
@given(number=st.integers(1, 32), has_problem=st.sampled_from([None, True, False]),
       description=texts(300), risk=texts(), measure=texts(), person=texts(50),
       deadline=dates(), progress=st.sampled_from(["open", "in_progress", "done", "bogus"]))
def test_saving_a_self_check_row(session, people, draft, number, has_problem, description,
                                 risk, measure, person, deadline, progress):
    form = session.get(type(draft), draft.id)
    row = RowInput(category_number=number, has_problem=has_problem, description=description,
                   risk=risk, measure=measure, person=person, deadline=deadline,
                   progress=progress)

    def check(saved):  # noqa: ANN001
        stored = session.exec(select(SelfcheckRow).where(
            SelfcheckRow.form_id == draft.id, SelfcheckRow.category_number == number)).one()
        assert same(stored.description, description) and same(stored.risk, risk)
        assert same(stored.measure, measure) and same(stored.person, person)
        assert stored.has_problem == has_problem and stored.deadline == deadline

    stored_or_refused(session, lambda: selfcheck.save_draft(
        session, actor=people["fgj"], form_id=form.id, version=form.version, rows=[row]), check)


# ---- typical case -------------------------------------------------------------------------

@FUZZ
@given(title=texts(), summary=texts(300), category=st.one_of(st.none(), st.integers(-3, 40)),
       found_on=dates(), concluded_on=dates(),
       source=st.sampled_from([*cases.SOURCES, "", "bogus"]),
       outcomes=st.lists(st.sampled_from([*cases.OUTCOMES, "bogus"]), max_size=3),
       persons=st.integers(-10, 2000))
def test_registering_a_case(session, people, title, summary, category, found_on, concluded_on,
                            source, outcomes, persons):
    data = cases.CaseInput(unit_id=unit_id(session), category_number=category, title=title,
                           summary=summary, found_on=found_on, source=source,
                           concluded_on=concluded_on, outcomes=outcomes,
                           persons_handled=persons)

    def check(case):  # noqa: ANN001
        stored = session.get(TypicalCase, case.id)
        assert same(stored.title, title) and same(stored.summary, summary)
        assert stored.persons_handled == persons and stored.category_number == category

    stored_or_refused(session, lambda: cases.register(session, actor=people["discipline"],
                                                      data=data), check)


@FUZZ
@given(public_summary=texts(300))
def test_exposing_a_case(session, people, public_summary):
    case = _verified_case(session, people)

    def check(exposed):  # noqa: ANN001
        assert same(session.get(TypicalCase, exposed.id).public_summary, public_summary)

    stored_or_refused(session, lambda: cases.expose(
        session, actor=people["discipline"], case_id=case, public_summary=public_summary),
        check)


def _verified_case(session, people) -> int:
    found = session.exec(select(TypicalCase.id).where(TypicalCase.status == "verified")
                         .order_by(TypicalCase.id.desc())).first()
    if found is not None:
        return found
    made = cases.register(session, actor=people["discipline"], data=cases.CaseInput(
        unit_id=unit_id(session), category_number=7, title="违规审批", summary="经查属实。",
        found_on=date(2026, 2, 1), concluded_on=date(2026, 3, 1), source="report"))
    for step in ("checking", "concluded", "verified"):
        cases.advance(session, actor=people["discipline"], case_id=made.id, to=step)
    return made.id


# ---- notices, exemptions, returns, notes ---------------------------------------------------

def _assigned(session, people) -> int:
    filed = reports.file_report(session, actor=None, data=reports.ReportInput(
        kind="undone", title="开办许可证多次跑腿", description="窗口要求补交材料三次仍未办结。",
        anonymous=True))
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    return filed.report_id


@FUZZ
@given(reason=texts(600))
def test_issuing_a_notice(session, people, reason):
    report_id = _assigned(session, people)

    def check(notice):  # noqa: ANN001
        assert same(notice.reason, reason)

    stored_or_refused(session, lambda: escalation.issue_by_hand(
        session, actor=people["supervisor"], report_id=report_id, reason=reason), check)


@FUZZ
@given(reason=texts(600), checkpoint=st.sampled_from([date(2026, 3, 31), date(2026, 12, 31),
                                                      date(2026, 6, 30)]))
def test_recording_an_exemption(session, people, reason, checkpoint):
    def check(exemption):  # noqa: ANN001
        assert same(exemption.reason, reason) and exemption.checkpoint == checkpoint

    stored_or_refused(session, lambda: quotas.exempt_unit(
        session, actor=people["discipline"], unit_id=unit_id(session, "区应急局"),
        checkpoint=checkpoint, reason=reason), check)


@FUZZ
@given(comment=texts(600))
def test_returning_a_self_check(session, people, draft, comment):
    form = session.get(type(draft), draft.id)
    if form.status != selfcheck.SUBMITTED:
        selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                         rows=[RowInput(category_number=n, has_problem=False)
                               for n in range(1, 33)])

    def check(returned):  # noqa: ANN001
        assert same(returned.review_comment, comment)

    stored_or_refused(session, lambda: selfcheck.return_form(
        session, actor=people["supervisor"], form_id=form.id, comment=comment), check)


@FUZZ
@given(note=texts(2100), action=st.sampled_from(["add_note", "reject"]))
def test_writing_a_note_or_a_rejection(session, people, note, action):
    filed = reports.file_report(session, actor=None, data=reports.ReportInput(
        kind="complaint", title="乱收费问题反映", description="某窗口额外收取材料费用。",
        anonymous=True))
    call = {"add_note": lambda: report_flow.add_note(session, actor=people["supervisor"],
                                                     report_id=filed.report_id, note=note),
            "reject": lambda: report_flow.reject(session, actor=people["supervisor"],
                                                 report_id=filed.report_id, reason=note)}

    def check(_):  # noqa: ANN001
        stored = session.exec(text("SELECT note FROM report_events WHERE report_id = :r "
                                   "ORDER BY id DESC LIMIT 1"), params={"r": filed.report_id})
        assert same(stored.one()[0], note)

    stored_or_refused(session, call[action], check)


# ---- administration: users, units, calendar ------------------------------------------------

@FUZZ
@given(username=st.one_of(st.from_regex(r"\A[a-z][a-z0-9_-]{1,15}\Z"), texts(25)),
       display_name=texts(80),
       roles=st.lists(st.sampled_from([*(r.value for r in Role), "root", ""]), max_size=3),
       with_unit=st.booleans())
def test_creating_a_user(session, people, username, display_name, roles, with_unit):
    unit = unit_id(session) if with_unit else None

    def check(created):  # noqa: ANN001
        user, _ = created
        assert user.username == username.strip().lower()
        assert same(user.display_name, display_name)

    stored_or_refused(session, lambda: users.create_user(
        session, actor=people["admin"], username=username, display_name=display_name,
        roles=roles, unit_id=unit), check)


@FUZZ
@given(name=texts(80), quota=st.booleans())
def test_creating_a_unit(session, people, name, quota):
    def check(unit):  # noqa: ANN001
        assert same(session.get(Unit, unit.id).name, name)

    stored_or_refused(session, lambda: units.create_unit(session, actor=people["admin"],
                                                         name=name, quota_applies=quota), check)


@FUZZ
@given(note=texts(120), offset=st.integers(0, 365), working=st.booleans())
def test_entering_a_calendar_day(session, people, note, offset, working):
    day = date(2027, 1, 1) + timedelta(days=offset)

    def check(row):  # noqa: ANN001
        assert same(row.note, note) and row.is_working_day == working

    stored_or_refused(session, lambda: workdays.set_override(
        session, actor=people["admin"], day=day, is_working_day=working, note=note), check)


# ---- the forms of the merged branches (#11 rules, #15 notifications, #16 triage) ----------

@FUZZ
@given(result=texts(2100), outcome=st.sampled_from([None, "", "resolved", "partly",
                                                    "explained", "bogus"]))
def test_replying_with_an_outcome(session, people, result, outcome):
    report_id = _assigned(session, people)

    def check(report):  # noqa: ANN001
        assert report.reply_outcome == outcome
        stored = session.exec(text("SELECT note FROM report_events WHERE report_id = :r "
                                   "ORDER BY id DESC LIMIT 1"), params={"r": report_id})
        assert same(stored.one()[0], result)

    stored_or_refused(session, lambda: report_flow.reply(
        session, actor=people["fgj"], report_id=report_id, result=result, outcome=outcome),
        check)


def _return_requested(session, people) -> ReturnRequest:
    report_id = _assigned(session, people)
    report_flow.return_to_office(session, actor=people["fgj"], report_id=report_id,
                                 reason="非本单位职责")
    return return_requests.open_for(session, report_id)


@FUZZ
@given(reason=texts(2100))
def test_asking_to_return_a_report(session, people, reason):
    report_id = _assigned(session, people)

    def check(_):  # noqa: ANN001
        assert same(return_requests.open_for(session, report_id).reason, reason)

    stored_or_refused(session, lambda: report_flow.return_to_office(
        session, actor=people["fgj"], report_id=report_id, reason=reason), check)


@FUZZ
@given(note=texts(2100), decision=st.sampled_from(["approve", "refuse"]))
def test_deciding_a_return_request(session, people, note, decision):
    request_id = _return_requested(session, people).id
    call = {"approve": lambda: return_requests.approve(session, actor=people["supervisor"],
                                                       request_id=request_id, note=note),
            "refuse": lambda: return_requests.refuse(session, actor=people["supervisor"],
                                                     request_id=request_id, note=note)}

    def check(_):  # noqa: ANN001
        stored = session.get(ReturnRequest, request_id)
        assert stored.decision == {"approve": "approved", "refuse": "refused"}[decision]
        assert same(stored.decision_note, note)

    stored_or_refused(session, call[decision], check)


@FUZZ
@given(result=st.sampled_from(["satisfied", "basically", "unsatisfied", "unreachable", "",
                               "bogus"]), comment=texts(600))
def test_recording_a_followup_call(session, people, result, comment):
    report_id = _assigned(session, people)
    report_flow.reply(session, actor=people["fgj"], report_id=report_id, result="已办结",
                      outcome="resolved")

    def check(_):  # noqa: ANN001
        rating = session.exec(select(ReportRating).where(ReportRating.report_id == report_id)
                              .order_by(ReportRating.id.desc())).first()
        assert rating.rating == result and rating.channel == "followup"
        assert same(rating.comment, comment)

    stored_or_refused(session, lambda: followup.record(
        session, actor=people["supervisor"], report_id=report_id, result=result,
        comment=comment), check)


@FUZZ
@given(lines=st.lists(st.one_of(
    st.builds(lambda day, kind, note: f"2027-{day.month:02d}-{day.day:02d} {kind} {note}",
              st.dates(date(2027, 1, 1), date(2027, 12, 31)),
              st.sampled_from(["休", "班", "holiday", "work", "x"]), texts(120)),
    texts(60)), min_size=1, max_size=4))
def test_entering_a_calendar_schedule(session, people, lines):
    schedule = "\n".join(lines)

    def check(saved):  # noqa: ANN001
        entries = calendar_schedule.parse(schedule)
        assert saved[0] == len(entries)
        for entry in entries:
            row = session.get(CalendarOverride, entry.day)
            assert row.is_working_day == entry.is_working_day and row.note == entry.note
            assert not text_rules.FORBIDDEN.search(row.note)

    stored_or_refused(session, lambda: calendar_schedule.save(
        session, actor=people["admin"], year=2027, text=schedule), check)


@FUZZ
@given(reason=texts(600))
def test_revoking_an_exemption(session, people, reason):
    unit, checkpoint = unit_id(session, "区应急局"), date(2026, 3, 31)
    quotas.exempt_unit(session, actor=people["discipline"], unit_id=unit,
                       checkpoint=checkpoint, reason="原则上豁免")

    def check(exemption):  # noqa: ANN001
        assert same(exemption.revoke_reason, reason) and exemption.revoked_at is not None

    stored_or_refused(session, lambda: quotas.revoke_exemption(
        session, actor=people["discipline"], unit_id=unit, checkpoint=checkpoint,
        reason=reason), check)


@FUZZ
@given(subject=st.one_of(st.just("新分办件 {tracking_no}"), texts(220)),
       body=st.one_of(st.just("请在 {reply_due} 前答复 {tracking_no}"), texts(300)),
       sms_body=st.one_of(st.just("新件 {tracking_no}"), texts(100)),
       channels=st.lists(st.sampled_from(["inbox", "email", "sms", "pigeon"]), max_size=3))
def test_editing_a_notification_template(session, people, subject, body, sms_body, channels):
    def check(template):  # noqa: ANN001
        stored = session.get(NotificationTemplate, template.event)
        assert same(stored.subject, subject) and same(stored.body, body)
        assert same(stored.sms_body, sms_body)
        assert set(stored.channels.split(",")) - {""} == set(channels) - {"pigeon"}

    stored_or_refused(session, lambda: notify_admin.save_template(
        session, actor=people["admin"], event="report_assigned", subject=subject, body=body,
        sms_body=sms_body, channels=channels, quiet_exempt=False, enabled=True), check)


@FUZZ
@given(email=st.one_of(st.just("zhang.wei@example.cn"), st.emails(), texts(130)),
       mobile=st.one_of(st.none(), mobiles()), digest=st.booleans(),
       quiet_start=st.integers(-2, 26), quiet_end=st.integers(-2, 26),
       channels=st.dictionaries(st.sampled_from(["report_assigned", "notice_issued", "bogus"]),
                                st.lists(st.sampled_from(["inbox", "email", "sms", "x"]),
                                         max_size=3), max_size=3))
def test_saving_notification_preferences(session, people, email, mobile, digest, quiet_start,
                                         quiet_end, channels):
    actor = people["fgj"]

    def check(_):  # noqa: ANN001
        user = session.get(User, actor.user_id)
        assert same(user.email, email)
        if mobile is not None:
            assert same(user.mobile, mobile)
        pref = session.get(NotificationPreference, actor.user_id)
        assert (pref.digest, pref.quiet_start, pref.quiet_end) == (digest, quiet_start,
                                                                   quiet_end)

    stored_or_refused(session, lambda: inbox.save_preferences(
        session, actor=actor, email=email, digest=digest, quiet_start=quiet_start,
        quiet_end=quiet_end, channels=channels, mobile=mobile), check)


@FUZZ
@given(question=texts(520), answer=texts(300), policy_basis=texts(120),
       category=st.one_of(st.none(), st.integers(-3, 40)), valid_from=dates(),
       valid_until=dates(), with_unit=st.booleans())
def test_writing_a_knowledge_entry(session, people, question, answer, policy_basis, category,
                                   valid_from, valid_until, with_unit):
    data = knowledge.EntryInput(question=question, answer=answer, policy_basis=policy_basis,
                                unit_id=unit_id(session) if with_unit else None,
                                category_number=category, valid_from=valid_from,
                                valid_until=valid_until)

    def check(entry):  # noqa: ANN001
        assert same(entry.question, question) and same(entry.answer, answer)
        assert same(entry.policy_basis, policy_basis)
        assert entry.category_number == category and entry.valid_until == valid_until

    stored_or_refused(session, lambda: knowledge.create(session, actor=people["supervisor"],
                                                        data=data), check)


@FUZZ
@given(source=st.one_of(st.just("12345热线"), texts(50)),
       mapping=st.dictionaries(st.sampled_from([*hotline_import.FIELDS, "bogus"]),
                               st.one_of(st.sampled_from(["工单编号", "受理时间", "诉求内容",
                                                          ""]), texts(20)), max_size=8))
def test_saving_an_import_mapping(session, people, source, mapping):
    def check(_):  # noqa: ANN001
        stored = session.get(ImportMapping, source.strip())
        assert stored is not None and hotline_import.saved_mapping(
            session, source=source.strip()) == {k: v for k, v in mapping.items()
                                                if k in hotline_import.FIELDS and v}

    stored_or_refused(session, lambda: hotline_import.save_mapping(
        session, actor=people["supervisor"], source=source, mapping=mapping), check)


@FUZZ
@given(comment=texts(600), notes=st.dictionaries(st.integers(-2, 35), texts(600),
                                                 max_size=3))
def test_returning_a_self_check_with_notes_per_category(session, people, draft, comment,
                                                        notes):
    form = session.get(type(draft), draft.id)
    if form.status != selfcheck.SUBMITTED:
        selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                         rows=[RowInput(category_number=n, has_problem=False)
                               for n in range(1, 33)])

    def check(returned):  # noqa: ANN001
        assert same(returned.review_comment, comment)
        stored = dict(session.exec(select(SelfcheckRow.category_number,
                                          SelfcheckRow.review_note)
                                   .where(SelfcheckRow.form_id == form.id)).all())
        for number in range(1, 33):
            assert same(stored[number], notes.get(number, ""))

    stored_or_refused(session, lambda: selfcheck.return_form(
        session, actor=people["supervisor"], form_id=form.id, comment=comment,
        category_notes=notes), check)


FORMS = 23  # the fuzzed forms above


def test_the_figures_of_the_fuzzing(capsys):
    with capsys.disabled():
        print(f"\nform fuzzing: {FORMS} forms × {EXAMPLES} inputs = {FORMS * EXAMPLES} inputs; "
              f"this run: {OUTCOMES['stored']} stored exactly, {OUTCOMES['refused']} refused "
              "in Chinese")
    assert FORMS == len([name for name in globals() if name.startswith("test_")]) - 1
