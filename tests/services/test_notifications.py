"""Events become inbox and outbox rows in the same transaction, for the right people only."""

import json
from datetime import date, datetime

import pytest
from sqlmodel import col, select

from portal import cases, clock, escalation, report_flow, reports, selfcheck
from portal.cases import CaseInput
from portal.errors import ValidationError
from portal.models import Report, User
from portal.notifications import admin, daily, enqueue, hooks, inbox
from portal.notifications.events import EVENTS, render
from portal.notifications.outbox import Texts, robot_card
from portal.notifications.tables import (
    InboxMessage,
    NotificationEvent,
    NotificationTemplate,
    OutboxMessage,
)
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input
from tests.services.test_selfcheck import COMPLETE, answers

MONDAY_MORNING = datetime(2026, 11, 23, 9, 30)
FILER = {"contact_name": "赵强", "contact_mobile": "13912345678",
         "company_name": "通辽市恒达科技有限公司"}


@pytest.fixture(autouse=True)
def monday_morning(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY_MORNING)


@pytest.fixture
def people(session):
    people = {"supervisor": make_user(session, Role.SUPERVISOR),
              "discipline": make_user(session, Role.DISCIPLINE),
              "fgj": make_user(session, Role.UNIT, unit="区发改局"),
              "zjj": make_user(session, Role.UNIT, unit="区住建局"),
              "company": make_user(session, Role.COMPANY),
              "admin": make_user(session, Role.ADMIN)}
    for actor in people.values():
        user = session.get(User, actor.user_id)
        user.email = f"{actor.username}@example.com"
        session.add(user)
    session.commit()
    return people


def inbox_of(session, actor, event=None):
    query = select(InboxMessage).where(InboxMessage.user_id == actor.user_id)
    if event:
        query = query.where(InboxMessage.event == event)
    return session.exec(query).all()


def outbox_of(session, event, channel=None):
    query = select(OutboxMessage).where(OutboxMessage.event == event)
    if channel:
        query = query.where(OutboxMessage.channel == channel)
    return session.exec(query).all()


def filed(session, actor=None, **changes):
    return reports.file_report(session, actor=actor, data=valid_input(**changes))


def assigned(session, people, unit="区发改局", **changes):
    done = filed(session, **changes)
    report_flow.assign(session, actor=people["supervisor"], report_id=done.report_id,
                       unit_id=unit_id(session, unit), category_number=16)
    return done


# ---- report events -----------------------------------------------------------------------

def test_a_new_report_reaches_the_office_only(session, people):
    done = filed(session)
    [message] = inbox_of(session, people["supervisor"], "report_filed")
    assert done.tracking_no in message.subject and "待" not in message.subject
    assert [m.address for m in outbox_of(session, "report_filed", "email")] == [
        f"{people['supervisor'].username}@example.com"]
    assert not inbox_of(session, people["fgj"]) and not inbox_of(session, people["discipline"])


def test_an_assignment_tells_the_units_users_and_robots_not_other_units(session, people):
    admin.save_webhook(session, actor=people["admin"], unit_id=unit_id(session, "区发改局"),
                       kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=x")
    done = assigned(session, people)
    [message] = inbox_of(session, people["fgj"], "report_assigned")
    assert done.tracking_no in message.body and "2026年11月30日" in message.body
    assert not inbox_of(session, people["zjj"])
    [robot] = outbox_of(session, "report_assigned", "dingtalk")
    assert "**办理期限：** 2026年11月30日" in robot.body and "unit_reports" in robot.body
    assert {m.address for m in outbox_of(session, "report_assigned", "email")} == {
        f"{people['fgj'].username}@example.com"}


def test_the_filer_gets_an_sms_only_after_opting_in(session, people):
    assigned(session, people, sms_opt_in=False)
    assert not outbox_of(session, "filer_accepted", "sms")
    done = assigned(session, people, sms_opt_in=True)
    [sms] = outbox_of(session, "filer_accepted", "sms")
    assert sms.address == "13912345678" and sms.to_filer
    assert done.tracking_no in sms.body and "已受理" in sms.body


def test_an_anonymous_filer_cannot_opt_in(session, people):
    assigned(session, people, anonymous=True, sms_opt_in=True)
    assert not outbox_of(session, "filer_accepted")


def test_a_company_account_hears_of_its_reports_in_the_portal(session, people):
    done = filed(session, actor=people["company"], sms_opt_in=True)
    report_flow.reject(session, actor=people["supervisor"], report_id=done.report_id,
                       reason="重复件")
    [message] = inbox_of(session, people["company"], "filer_rejected")
    assert "不予受理" in message.body and "/track" in message.body
    # the company's own account mobile is not texted: only the mobile opted in on the form
    assert [m.address for m in outbox_of(session, "filer_rejected", "sms")] == ["13912345678"]


def test_reply_reopen_and_return_each_notify_their_audience(session, people):
    done = assigned(session, people, sms_opt_in=True)
    report_flow.reply(session, actor=people["fgj"], report_id=done.report_id, result="已办结",
                      outcome="resolved")
    assert [m.event for m in outbox_of(session, "filer_replied", "sms")] == ["filer_replied"]
    report_flow.rate_with_code(session, tracking_no=done.tracking_no, query_code=done.query_code,
                               rating="unsatisfied", comment="没解决")
    [reopened] = inbox_of(session, people["fgj"], "report_reopened")
    assert "不满意" in reopened.body
    other = assigned(session, people)
    report_flow.return_to_office(session, actor=people["fgj"], report_id=other.report_id,
                                 reason="不属于本单位职责")
    [returned] = inbox_of(session, people["supervisor"], "report_returned")
    assert "区发改局" in returned.body and "不属于本单位职责" in returned.body


def test_every_notice_reaches_the_unit_with_its_word_file_and_a_transfer_letter_discipline(
        session, people):
    done = assigned(session, people)
    for _ in range(4):
        escalation.issue_by_hand(session, actor=people["supervisor"], report_id=done.report_id,
                                 reason="逾期未办")
    notices = inbox_of(session, people["fgj"], "notice_issued")
    assert [n.subject[:3] for n in notices] == ["提醒单", "催办单", "督办单", "移交函"]
    assert all("/inbox?notice=" in n.body and n.link in n.body for n in notices)
    [letter] = inbox_of(session, people["discipline"], "transfer_letter")
    assert "移交〔2026〕" in letter.subject


def test_a_rolled_back_change_leaves_no_message(session, people):
    done = filed(session)
    before = len(session.exec(select(OutboxMessage)).all())
    escalation.escalate(session, today=date(2026, 12, 31), dry_run=True)  # rolls back
    report_flow.assign(session, actor=people["supervisor"], report_id=done.report_id,
                       unit_id=unit_id(session, "区发改局"), category_number=16)
    escalation.escalate(session, today=date(2026, 12, 31), dry_run=True)
    assert not inbox_of(session, people["fgj"], "notice_issued")
    with pytest.raises(ValidationError):  # fails after the hook would have run: nothing kept
        report_flow.reply(session, actor=people["fgj"], report_id=done.report_id, result=" ",
                          outcome="resolved")
    session.rollback()
    assert len(session.exec(select(OutboxMessage)).all()) == before + 1  # the assignment's email
    assert not outbox_of(session, "filer_replied")


def test_enqueue_then_rollback_writes_nothing(session, people):
    report = session.get(Report, filed(session).report_id)
    events = len(session.exec(select(NotificationEvent)).all())
    hooks.report_assigned(session, report)
    session.rollback()
    assert len(session.exec(select(NotificationEvent)).all()) == events


# ---- self-checks and cases ---------------------------------------------------------------

def test_self_check_opened_returned_and_submitted(session, people):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026,
                                       quarter=4, unit_ids=[unit_id(session, "区发改局")])
    [opened] = inbox_of(session, people["fgj"], "selfcheck_opened")
    assert "2026年第四季度" in opened.body and not inbox_of(session, people["zjj"])
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                     rows=answers(n16=COMPLETE))
    [submitted] = inbox_of(session, people["supervisor"], "selfcheck_submitted")
    assert "区发改局" in submitted.subject
    selfcheck.return_form(session, actor=people["supervisor"], form_id=form.id,
                          comment="第16类措施不具体")
    [returned] = inbox_of(session, people["fgj"], "selfcheck_returned")
    assert "第16类措施不具体" in returned.body


def test_a_concluded_case_awaits_review_by_discipline(session, people):
    case = cases.register(session, actor=people["fgj"], data=CaseInput(
        unit_id=unit_id(session, "区发改局"), category_number=7, title="违规设置审批前置条件",
        summary="经查属实。", found_on=date(2026, 1, 5), source="report",
        concluded_on=date(2026, 3, 10), outcomes=["party"], persons_handled=1))
    cases.advance(session, actor=people["fgj"], case_id=case.id, to="checking")
    assert not inbox_of(session, people["discipline"], "case_review")
    cases.advance(session, actor=people["fgj"], case_id=case.id, to="concluded")
    [review] = inbox_of(session, people["discipline"], "case_review")
    assert "违规设置审批前置条件" in review.subject


# ---- the daily job -----------------------------------------------------------------------

def test_cards_are_notified_once_per_episode(session, people):
    done = assigned(session, people)  # respond due 2026-11-24, reply due 2026-11-30
    # a 1-day window is yellow only on its deadline day (#11)
    assert daily.run_daily(session, today=date(2026, 11, 23)).cards == 0
    assert daily.run_daily(session, today=date(2026, 11, 24)).cards == 1  # yellow
    assert daily.run_daily(session, today=date(2026, 11, 24)).cards == 0  # still that yellow
    assert daily.run_daily(session, today=date(2026, 11, 25)).cards == 1  # red
    assert daily.run_daily(session, today=date(2026, 11, 26)).cards == 0
    [red] = inbox_of(session, people["fgj"], "card_red")
    assert done.tracking_no in red.body
    # responding moves the deadline to the reply: a new episode
    report_flow.respond(session, actor=people["fgj"], report_id=done.report_id, note="已签收")
    assert daily.run_daily(session, today=date(2026, 11, 27)).cards == 1  # due Monday 30th
    assert len(inbox_of(session, people["fgj"], "card_yellow")) == 2


def test_red_card_sms_may_break_quiet_hours_by_default(session, people):
    user = session.get(User, people["fgj"].user_id)
    user.mobile = "13800000001"
    session.add(user)
    session.commit()
    done = assigned(session, people)
    report = session.get(Report, done.report_id)
    hooks.card(session, report, "red")
    [sms] = outbox_of(session, "card_red", "sms")
    assert sms.quiet_exempt and sms.address == "13800000001"


def test_a_self_check_due_in_three_working_days_warns_units_that_have_not_submitted(
        session, people):
    campaign = selfcheck.open_campaign(
        session, actor=people["supervisor"], year=2026, quarter=4, due_date=date(2026, 11, 26),
        unit_ids=[unit_id(session, "区发改局"), unit_id(session, "区住建局")])
    form = selfcheck.open_form(session, actor=people["zjj"], campaign_id=campaign.id)
    selfcheck.submit(session, actor=people["zjj"], form_id=form.id, version=form.version,
                     rows=answers())
    assert daily.run_daily(session, today=date(2026, 11, 20)).selfchecks == 0  # 4 working days
    assert daily.run_daily(session, today=date(2026, 11, 23)).selfchecks == 1
    assert daily.run_daily(session, today=date(2026, 11, 24)).selfchecks == 0
    assert len(inbox_of(session, people["fgj"], "selfcheck_due")) == 1
    assert not inbox_of(session, people["zjj"], "selfcheck_due")


def test_a_quota_checkpoint_at_risk_warns_discipline_once(session, people):
    result = daily.run_daily(session, today=date(2026, 12, 2))
    assert result.quotas == 15  # every quota unit, 29 days before 31 December, no cases
    assert daily.run_daily(session, today=date(2026, 12, 3)).quotas == 0
    messages = inbox_of(session, people["discipline"], "quota_at_risk")
    assert len(messages) == 15 and "2026年12月31日" in messages[0].subject
    assert daily.run_daily(session, today=date(2026, 11, 30)).quotas == 0  # 31 days: not yet


def test_digest_users_get_one_email_a_day_instead_of_one_per_event(session, people):
    inbox.save_preferences(session, actor=people["fgj"], email="zhang@example.com", digest=True,
                           quiet_start=21, quiet_end=8, channels={})
    assigned(session, people)
    assigned(session, people)
    assert not [m for m in outbox_of(session, "report_assigned", "email")
                if m.address == "zhang@example.com"]
    assert daily.run_digest(session, today=date(2026, 11, 23)) == 1
    assert daily.run_digest(session, today=date(2026, 11, 23)) == 0
    [digest] = outbox_of(session, "digest", "email")
    assert digest.address == "zhang@example.com" and "2 条未读" in digest.subject


# ---- preferences, inbox, templates -------------------------------------------------------

def test_a_user_chooses_channels_per_event(session, people):
    inbox.save_preferences(session, actor=people["fgj"], email="zw@example.com", digest=False,
                           quiet_start=22, quiet_end=7,
                           channels={"report_assigned": ["inbox"], "filer_replied": ["email"]})
    prefs = inbox.preferences(session, actor=people["fgj"])
    assert prefs["channels"]["report_assigned"]["channels"] == ["inbox"]
    assert "filer_replied" not in prefs["channels"]  # not an event of a unit
    assigned(session, people)
    assert inbox_of(session, people["fgj"], "report_assigned")
    assert not outbox_of(session, "report_assigned", "email")
    with pytest.raises(ValidationError):
        inbox.save_preferences(session, actor=people["fgj"], email="not-an-address",
                               digest=False, quiet_start=21, quiet_end=8, channels={})
    with pytest.raises(ValidationError):
        inbox.save_preferences(session, actor=people["fgj"], email="", digest=False,
                               quiet_start=21, quiet_end=8, channels={}, mobile="1234")


def test_a_staff_member_who_gives_a_mobile_gets_sms_where_chosen(session, people):
    inbox.save_preferences(session, actor=people["fgj"], email="", digest=False,
                           quiet_start=22, quiet_end=7, mobile="13800000007",
                           channels={"report_assigned": ["inbox", "sms"]})
    assert inbox.preferences(session, actor=people["fgj"])["mobile"] == "13800000007"
    assigned(session, people)
    [sms] = outbox_of(session, "report_assigned", "sms")
    assert sms.address == "13800000007" and sms.user_id == people["fgj"].user_id


def test_the_bell_counts_unread_and_reading_is_per_user(session, people):
    assigned(session, people)
    assigned(session, people)
    fgj = people["fgj"]
    assert inbox.unread_count(session, actor=fgj) == 2
    rows, total = inbox.messages(session, actor=fgj)
    assert total == 2
    assert inbox.mark_read(session, actor=people["zjj"], message_ids=[rows[0]["id"]]) == 0
    assert inbox.mark_read(session, actor=fgj, message_ids=[rows[0]["id"]]) == 1
    assert inbox.unread_count(session, actor=fgj) == 1
    assert inbox.mark_all_read(session, actor=fgj) == 1
    assert inbox.unread_count(session, actor=fgj) == 0


def test_templates_refuse_fields_the_event_does_not_offer(session, people):
    with pytest.raises(ValidationError) as refused:
        admin.save_template(session, actor=people["admin"], event="report_assigned",
                            subject="新件 {tracking_no}", body="反映人 {contact_name} 的件",
                            sms_body="新件", channels=["inbox"], quiet_exempt=False,
                            enabled=True)
    assert refused.value.key == "error.notify_template_fields"
    with pytest.raises(ValidationError):
        admin.save_template(session, actor=people["admin"], event="report_assigned",
                            subject="新件 {tracking_no", body="x", sms_body="x",
                            channels=["inbox"], quiet_exempt=False, enabled=True)
    admin.save_template(session, actor=people["admin"], event="report_assigned",
                        subject="【新件】{tracking_no}", body="请办理 {title}，期限 {deadline}",
                        sms_body="新件{tracking_no}", channels=["inbox"], quiet_exempt=False,
                        enabled=True)
    assigned(session, people)
    [message] = inbox_of(session, people["fgj"], "report_assigned")
    assert message.subject.startswith("【新件】YS")
    assert not outbox_of(session, "report_assigned", "email")  # the admin dropped e-mail


def test_no_template_can_show_a_confidential_filer_to_a_unit(session, people):
    """Every template, rendered with everything a hook knows about a confidential report."""
    done = assigned(session, people, confidential=True, sms_opt_in=True, **FILER)
    report = session.get(Report, done.report_id)
    context = {**hooks.report_context(session, report), **{k: k for k in
               ("notice_title", "number", "deadline_text", "campaign", "comment", "reason",
                "late_text", "case_title", "checkpoint", "cases", "sanctioned", "count",
                "items", "status")}}
    secrets_ = set(FILER.values()) | {report.credit_code}
    for template in session.exec(select(NotificationTemplate)):
        if EVENTS[template.event].audience != "unit":
            continue
        for text in (template.subject, template.body, template.sms_body):
            rendered = render(text, context)
            card = robot_card(Texts(rendered, rendered, rendered), context)
            assert not any(s and s in rendered + card for s in secrets_), template.event
        assert not {"contact_name", "contact_mobile", "company_name", "credit_code"} & set(
            EVENTS[template.event].fields)
    # and what was actually queued for the unit by the real flow
    escalation.issue_by_hand(session, actor=people["supervisor"], report_id=report.id,
                             reason="逾期")
    unit_texts = [m.subject + m.body for m in inbox_of(session, people["fgj"])]
    unit_texts += [m.subject + m.body for m in session.exec(select(OutboxMessage).where(
        col(OutboxMessage.to_filer).is_(False)))]
    assert unit_texts and not any(s in text for s in secrets_ for text in unit_texts)


def test_unknown_events_are_a_programming_error(session):
    with pytest.raises(KeyError):
        enqueue(session, event="no_such_event", context={})


def test_the_migration_seeds_a_template_for_every_event(session):
    seeded = {t.event for t in session.exec(select(NotificationTemplate))}
    assert seeded == set(EVENTS)
    for template in session.exec(select(NotificationTemplate)):
        from portal.notifications.events import unknown_fields
        assert not unknown_fields(template.event, template.subject, template.body,
                                  template.sms_body), template.event
        assert json.dumps(template.channels)


def test_a_company_account_chooses_only_the_inbox_for_its_reports(session, people):
    prefs = inbox.preferences(session, actor=people["company"])
    assert {e: p["offered"] for e, p in prefs["channels"].items()} == {
        "filer_accepted": ["inbox"], "filer_replied": ["inbox"], "filer_rejected": ["inbox"]}
    inbox.save_preferences(session, actor=people["company"], email="", digest=False,
                           quiet_start=21, quiet_end=8,
                           channels={"filer_replied": ["inbox", "sms", "email"]})
    prefs = inbox.preferences(session, actor=people["company"])
    assert prefs["channels"]["filer_replied"]["channels"] == ["inbox"]


def test_the_office_is_told_once_a_day_of_replies_waiting_for_a_回访(session, people):
    done = assigned(session, people)
    report_flow.reply(session, actor=people["fgj"], report_id=done.report_id, result="已办结",
                      outcome="resolved")  # replied Monday 23 November, then nobody rates
    assert daily.run_daily(session, today=date(2026, 11, 25)).followups == 0  # 2 days: not yet
    assert daily.run_daily(session, today=date(2026, 11, 27)).followups == 1  # 4 working days
    assert daily.run_daily(session, today=date(2026, 11, 27)).followups == 0  # once a day
    [message] = inbox_of(session, people["supervisor"], "followup_due")
    assert "1 件答复待回访" in message.subject and "/followup" in message.body
    assert not inbox_of(session, people["fgj"], "followup_due")
