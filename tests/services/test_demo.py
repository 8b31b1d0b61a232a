from sqlmodel import select

from portal import demo, reports
from portal.models import Report
from portal.users import load_actor


def test_seed_demo_creates_every_role_and_reports_at_every_stage(session):
    created = demo.seed_demo(session)
    assert all(was_created for _, was_created in created)
    assert demo.seed_demo_reports(session) == len(demo.DEMO_REPORTS)
    statuses = set(session.exec(select(Report.status)).all())
    assert {"submitted", "assigned", "acknowledged", "replied", "reopened", "closed",
            "rejected"} <= statuses
    unit = load_actor(session, username="unit_fgj")
    rows, total = reports.unit_queue(session, actor=unit)
    assert total >= 1 and all(r["unit"] == "区发改局" for r in rows)
    company = load_actor(session, username="company")
    assert reports.my_reports(session, actor=company)[1] >= 1


def test_seed_demo_twice_adds_nothing(session):
    demo.seed_demo(session)
    demo.seed_demo_reports(session)
    again = demo.seed_demo(session)
    assert not any(was_created for _, was_created in again)
    assert demo.seed_demo_reports(session) == 0


def test_seed_demo_selfchecks_has_a_reviewed_and_an_open_quarter(session):
    from portal import selfcheck

    demo.seed_demo(session)
    assert demo.seed_demo_selfchecks(session) == 2
    supervisor = load_actor(session, username="supervisor")
    names = [c["name"] for c in selfcheck.list_campaigns(session)]
    assert names == ["2026年第四季度", "2026年第三季度"]
    q4 = selfcheck.list_campaigns(session)[0]["id"]
    states = {r["unit"]: r["state"] for r in selfcheck.completion(session, actor=supervisor,
                                                                   campaign_id=q4)}
    assert states["区发改局"] == "missing" and "submitted" in states.values()
    unit = load_actor(session, username="unit_fgj")
    form = selfcheck.open_form(session, actor=unit, campaign_id=q4)
    rows = selfcheck.form_view(session, actor=unit, form_id=form.id)["rows"]
    assert [r["category_number"] for r in rows if r["carried"]] == [15, 16]
    assert demo.seed_demo_selfchecks(session) == 0


def test_seed_demo_selfchecks_give_the_rectification_ledger_every_state(session):
    from portal import rectification

    demo.seed_demo(session)
    demo.seed_demo_selfchecks(session)
    office = load_actor(session, username="supervisor")
    counts = rectification.status_counts(session, actor=office)
    assert counts["open"] >= 2 and counts["pending"] == 1 and counts["closed"] == 1
    assert counts["overdue"] == 1
    rows, _total = rectification.office_ledger(session, actor=office, page_size=100)
    assert all(r["risk_level"] and r["department"] for r in rows)
    assert {r["card"] for r in rows} >= {"red", "yellow"}
    overdue = next(r for r in rows if r["overdue"])
    assert overdue["unit"] == "区发改局"
    notices = rectification.problem_notices(session, actor=office, row_id=overdue["id"])
    assert notices and notices[0]["kind"] == "reminder"
    closed = next(r for r in rows if r["status"] == "closed")
    evidence = rectification.get_problem(session, actor=office, row_id=closed["id"])["evidence"]
    assert [e["decision"] for e in evidence] == ["accepted", "refused"]
    twice = [(r["unit"], r["position"]) for r in rows if r["category_number"] == 21]
    assert sorted(twice) == [("区市场监管局", 1), ("区市场监管局", 2)]  # two problems, one category


def test_seed_demo_cases_give_the_dashboard_every_status(session, monkeypatch):
    from datetime import date

    from portal import clock, quotas

    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))
    demo.seed_demo(session)
    assert demo.seed_demo_cases(session) == len(demo.DEMO_CASES)
    # once 2026 is over (#11: a checkpoint is 未达标 only after its date has passed)
    rows = {r["unit"]: r for r in quotas.compute(session, year=2026, on=date(2027, 1, 1))}
    assert len(rows) == 15
    market = rows["区市场监管局"]
    assert (market["cases"], market["sanctioned"]) == (2, 0)
    assert [c["status"] for c in market["checkpoints"]] == ["未达标", "未达标"]
    assert [c["status"] for c in rows["区发改局"]["checkpoints"]] == ["已达标", "已达标"]
    assert rows["区应急局"]["checkpoints"][0]["status"] == "豁免"
    assert demo.seed_demo_cases(session) == 0


def test_seed_demo_history_gives_real_ratios_once(session):
    from sqlalchemy import func

    from portal import demo_history
    from portal.models import Notice, ReportRating

    demo.seed_demo(session)
    assert demo_history.seed_demo_history(session) == demo_history.REPORTS
    assert demo_history.seed_demo_history(session) == 0
    ratings = dict(session.exec(select(ReportRating.rating, func.count())
                                .group_by(ReportRating.rating)).all())
    assert ratings.get("unsatisfied", 0) > 0 and ratings.get("satisfied", 0) > 0
    assert session.exec(select(func.count()).select_from(ReportRating).where(
        ReportRating.channel == "followup")).one() > 0
    assert session.exec(select(func.count()).select_from(ReportRating).where(
        ReportRating.round > 0)).one() > 0  # 差评 reopened and rated again
    late = session.exec(select(func.count()).select_from(Report).where(
        Report.replied_at > Report.reply_due)).one()
    replied = session.exec(select(func.count()).select_from(Report).where(
        Report.replied_at.is_not(None))).one()
    assert 0 < late < replied
    complied = session.exec(select(Notice.complied).where(Notice.kind == "reminder")).all()
    assert True in complied
    hours = {r.hour for r in session.exec(select(Report.created_at)).all()}
    assert len(hours) > 4


def test_seed_demo_tasks_gives_the_ledger_every_state_once(session):
    from portal import demo_tasks, tasks

    demo.seed_demo(session)
    assert demo_tasks.seed_demo_tasks(session) == len(demo_tasks.DEMO_TASKS) == 37
    office = load_actor(session, username="supervisor")
    counts = tasks.state_counts(session, actor=office)
    assert all(counts[state] for state in tasks.STATES), counts
    assert tasks.review_queue(session, actor=office)[1] == len(demo_tasks.WAITING)
    rows, _ = tasks.list_tasks(session, actor=office, search="推进工程建设项目审批")
    assert rows[0]["leads"] == ["区科创营商局"]
    assert rows[0]["supports"] == ["区发改局", "区自然资源分局", "区住建局"]
    assert rows[0]["due_on"].month == 10 and rows[0]["due_on"].day == 31
    unit = load_actor(session, username="unit_fgj")
    mine, _ = tasks.list_tasks(session, actor=unit, page_size=50)
    assert mine and all("区发改局" in r["leads"] + r["supports"] for r in mine)
    assert demo_tasks.seed_demo_tasks(session) == 0
