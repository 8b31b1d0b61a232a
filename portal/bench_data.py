"""The bench's database (#17), built with bulk inserts so that a million reports take a minute:
units, accounts (the office, two users per unit, company accounts by the hundred thousand),
reports over five years in every state with their ratings, events and notices.

Everything is added only when missing, so a database built once is reused by later runs.
"""

import random
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, insert, text
from sqlmodel import col, func, select

from portal.db import bulk_insert, insert_returning_ids, session_scope
from portal.models import (
    CaseOutcome,
    Report,
    SelfcheckCampaign,
    SelfcheckCampaignUnit,
    SelfcheckForm,
    SelfcheckRow,
    TypicalCase,
    Unit,
    User,
    UserRole,
)
from portal.notifications.tables import InboxMessage, NotificationEvent
from portal.passwords import hash_password

ANSWERED = ("acknowledged", "replied", "closed", "reopened")
REPLIED = ("replied", "closed", "reopened")
OUTCOMES = ("resolved", "resolved", "partly", "unresolved")
STATUSES = ("submitted", "assigned", "acknowledged", "replied", "reopened", "closed",
            "rejected", "returned")
PASSWORD = "Bench#2026-portal"  # every bench account's password
OFFICE, DISCIPLINE = "bench_office", "bench_discipline"


def unit_user(unit_id: int, n: int = 0) -> str:
    return f"bench_u{unit_id}_{n}"


def company_user(n: int) -> str:
    return f"bench_c{n:06d}"


def build(engine, count: int) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        if session.exec(select(func.count()).select_from(Report)).one() >= count:
            return
        unit_ids = list(session.exec(select(Unit.id)))
    rng = random.Random(7)
    today = date.today()
    start = datetime.combine(today, datetime.min.time()) - timedelta(minutes=count)
    batch, done = 20_000, 0
    with engine.begin() as connection:
        while done < count:
            rows = []
            for i in range(done, min(done + batch, count)):
                status = rng.choice(STATUSES)
                created = start + timedelta(minutes=i)
                with_unit = status in ("assigned", "acknowledged", "reopened", "replied",
                                       "closed")
                # open items are due around today; about one in twelve is overdue
                due = today + timedelta(days=rng.randint(-2, 21)) if with_unit else None
                rows.append({
                    "tracking_no": f"YS{created.year}-{i:07d}", "query_code_hash": "x$y",
                    "kind": "complaint", "channel": "web", "title": f"压力测试 {i}",
                    "description": "批量生成的测试数据", "place": "", "anonymous": True,
                    "confidential": True, "status": status,
                    "unit_id": rng.choice(unit_ids) if with_unit else None,
                    "respond_due": due, "reply_due": due, "deadline_estimated": False,
                    "current_due": due if status in ("assigned", "acknowledged", "reopened")
                    else None, "reopen_count": 0, "created_at": created, "updated_at": created,
                    # the figures' columns (#13): accepted the day filed, answered within days
                    "accepted_on": created.date() if with_unit else None,
                    "first_reply_due": due,
                    "responded_at": created + timedelta(hours=rng.randint(1, 40))
                    if status in ANSWERED else None,
                    "first_replied_at": created + timedelta(days=rng.randint(1, 8))
                    if status in REPLIED else None,
                    "reply_outcome": rng.choice(OUTCOMES) if status in REPLIED else None})
            connection.execute(insert(Report), rows)
            done += len(rows)
            print(f"  {done:,} reports", end="\r", flush=True)
        # one rating per answered report, one in five unsatisfied (one INSERT … SELECT)
        connection.execute(text(
            "INSERT INTO report_ratings (report_id, unit_id, round, at, channel, rating, comment) "
            "SELECT id, unit_id, 0, created_at, 'web', CASE WHEN id % 5 = 0 THEN 'unsatisfied' "
            "ELSE 'satisfied' END, '' FROM reports WHERE status IN ('closed', 'reopened')"))
    print()


def build_history(engine) -> None:  # noqa: ANN001
    """The events and notices the figures read besides the reports (INSERT … SELECT): a submit
    event per report, an assign event per accepted one and a reject event per refused one (each
    refusal for one of the units), and a 提醒单 for one accepted report in ten (one in five of
    them withdrawn)."""
    with engine.begin() as connection:
        if connection.execute(text("SELECT COUNT(*) FROM report_events")).scalar():
            return
        connection.execute(text(
            "INSERT INTO report_events (report_id, at, action, public, note_public, note) "
            "SELECT id, created_at, 'submit', 1 = 1, 1 = 0, '' FROM reports"))
        connection.execute(text(
            "INSERT INTO report_events (report_id, at, action, unit_id, public, note_public, note) "
            "SELECT id, created_at, 'assign', unit_id, 1 = 1, 1 = 0, '' FROM reports "
            "WHERE accepted_on IS NOT NULL"))
        unit_ids = [row[0] for row in connection.execute(text("SELECT id FROM units"))]
        named = " ".join(f"WHEN {i} THEN {uid}" for i, uid in enumerate(unit_ids))
        connection.execute(text(
            f"UPDATE reports SET concerned_unit_id = CASE id % {len(unit_ids)} {named} END "
            "WHERE status = 'rejected'"))
        connection.execute(text(
            "INSERT INTO report_events (report_id, at, action, public, note_public, note) "
            "SELECT id, created_at, 'reject', 1 = 1, 1 = 1, '' FROM reports "
            "WHERE status = 'rejected'"))
        connection.execute(text(
            "INSERT INTO notices (kind, number, item_kind, item_id, report_id, unit_id, issued_on, "
            "issued_at, reason, overdue_days, deadline_estimated, withdrawn, withdrawn_reason, "
            "overdue_calendar_days) "
            "SELECT 'reminder', 'BENCH-' || id, 'report', id, id, unit_id, accepted_on, "
            "created_at, '逾期', 1, "
            "1 = 0, id % 50 = 0, '', 1 FROM reports "
            "WHERE accepted_on IS NOT NULL AND id % 10 = 0"))


def ensure_units(engine: Engine, count: int) -> None:
    """At least `count` active units (the seeded ones, then 测试单位 n)."""
    with session_scope(engine) as session:
        have = session.exec(select(func.count()).select_from(Unit)).one()
        for n in range(have + 1, count + 1):
            session.add(Unit(name=f"测试单位{n:03d}", sort_order=1000 + n))
        session.commit()


def ensure_accounts(engine: Engine, companies: int) -> None:
    """The office and discipline accounts, two users per unit (with e-mail and mobile, so that
    notices make messages) and `companies` company accounts — one bcrypt hash shared by all."""
    with session_scope(engine) as session:
        have = set(session.exec(select(User.username).where(
            col(User.username).like("bench_%"))).all())
        unit_ids = list(session.exec(select(Unit.id).order_by(Unit.id)))
    password_hash = hash_password(PASSWORD)
    wanted: list[tuple[str, str, int | None, str]] = [
        (OFFICE, "督查室值班员", None, "supervisor"), (DISCIPLINE, "纪检监察室", None, "discipline")]
    wanted += [(unit_user(unit_id, n), f"经办人{n + 1}", unit_id, "unit")
               for unit_id in unit_ids for n in range(2)]
    wanted += [(company_user(n), f"企业{n:06d}", None, "company") for n in range(companies)]
    missing = [row for row in wanted if row[0] not in have]
    if not missing:
        return
    created = datetime(2026, 1, 5, 9, 0)
    with session_scope(engine) as session:
        for start in range(0, len(missing), 20_000):
            chunk = missing[start:start + 20_000]
            bulk_insert(session, User.__table__, [
                {"username": name, "display_name": display, "password_hash": password_hash,
                 "unit_id": unit_id, "active": True, "failed_logins": 0, "created_at": created,
                 "email": f"{name}@bench.example.cn" if role == "unit" else None,
                 "mobile": f"139{unit_id or 0:04d}{start % 10_000:04d}" if role == "unit"
                 else None}
                for name, display, unit_id, role in chunk])
            ids = dict(session.exec(select(User.username, User.id).where(
                col(User.username).in_([name for name, *_ in chunk]))).all())
            session.execute(insert(UserRole.__table__), [
                {"user_id": ids[name], "role": role} for name, _, _, role in chunk])
        session.commit()


def build_cases(engine: Engine, *, per_unit_year: int = 10, years: int = 5) -> None:
    """Typical cases over `years` years, `per_unit_year` per unit and year: four in five
    verified, one in three of those with a sanction (what the quota page counts)."""
    with session_scope(engine) as session:
        if session.exec(select(func.count()).select_from(TypicalCase)).one():
            return
        unit_ids = list(session.exec(select(Unit.id).order_by(Unit.id)))
        rng, today = random.Random(11), date.today()
        rows = []
        for unit_id in unit_ids:
            for n in range(per_unit_year * years):
                found = today - timedelta(days=rng.randint(0, 365 * years))
                verified = n % 5 != 0
                rows.append({
                    "unit_id": unit_id, "category_number": rng.randint(1, 32),
                    "title": f"典型案例 {unit_id}-{n}", "summary": "批量生成的测试案例",
                    "found_on": found,
                    "concluded_on": found + timedelta(days=30) if verified else None,
                    "source": "report", "status": "verified" if verified else "checking",
                    "persons_handled": 1, "exposed": False, "public_summary": "",
                    "created_at": datetime.combine(found, datetime.min.time())})
        ids = insert_returning_ids(session, TypicalCase.__table__, rows)
        session.execute(insert(CaseOutcome.__table__), [
            {"case_id": case_id, "outcome": "party"}
            for case_id, row in zip(ids, rows, strict=True)
            if row["status"] == "verified" and case_id % 3 == 0])
        session.commit()


def build_selfchecks(engine: Engine, *, quarters: int = 20) -> None:
    """The last `quarters` quarterly self-checks: every unit required, every form submitted
    (the older ones accepted), 32 categories each, one in eight with a problem (closed, but
    for the last two quarters')."""
    with session_scope(engine) as session:
        if session.exec(select(func.count()).select_from(SelfcheckCampaign)).one():
            return
        unit_ids = list(session.exec(select(Unit.id).order_by(Unit.id)))
        today = date.today()
        year, quarter = today.year, (today.month - 1) // 3 + 1
        rng = random.Random(13)
        for back in range(quarters):
            y, q = divmod(year * 4 + quarter - 1 - back, 4)
            due = date(y, (q + 1) * 3, 28)
            campaign_id = insert_returning_ids(session, SelfcheckCampaign.__table__, [
                {"year": y, "quarter": q + 1, "due_date": due, "due_estimated": False,
                 "opened_at": datetime.combine(due - timedelta(days=30), datetime.min.time()),
                 "opened_by_id": None}])[0]
            session.execute(insert(SelfcheckCampaignUnit.__table__), [
                {"campaign_id": campaign_id, "unit_id": unit_id} for unit_id in unit_ids])
            submitted = datetime.combine(due - timedelta(days=3), datetime.min.time())
            form_ids = insert_returning_ids(session, SelfcheckForm.__table__, [
                {"campaign_id": campaign_id, "unit_id": unit_id,
                 "status": "submitted" if back == 0 else "accepted", "version": 2,
                 "submitted_at": submitted, "late": False, "review_comment": "",
                 "updated_at": submitted} for unit_id in unit_ids])
            bulk_insert(session, SelfcheckRow.__table__, [
                {"form_id": form_id, "category_number": number, "position": 1,
                 "has_problem": problem, "description": "窗口办理时限偏长" if problem else "",
                 "risk": "", "measure": "压缩办理时限" if problem else "", "person": "",
                 "deadline": due + timedelta(days=60) if problem else None,
                 "progress": "open", "review_note": "",
                 "risk_level": "medium" if problem else "", "department": "",
                 # the problems of the last two quarters are still being rectified
                 "rectify_status": "open" if back < 2 else "closed",
                 "closed_on": None if back < 2 or not problem else due + timedelta(days=45)}
                for form_id in form_ids for number in range(1, 33)
                for problem in (rng.random() < 0.125,)])
        session.commit()


def build_categories(engine: Engine) -> None:
    """A category for every accepted report (the 32 of the catalogue, in turn), so that 自查不实
    finds its evidence."""
    with engine.begin() as connection:
        if connection.execute(text(
                "SELECT COUNT(*) FROM reports WHERE category_id IS NOT NULL")).scalar():
            return
        connection.execute(text(
            "UPDATE reports SET category_id = (SELECT c.id FROM categories c WHERE "
            "c.year = (SELECT MAX(year) FROM categories) AND c.number = 1 + reports.id % 32) "
            "WHERE accepted_on IS NOT NULL"))


def build_inbox(engine: Engine, *, per_user: int = 200) -> None:
    """站内信 for every unit user (one in ten unread): what the bell counts."""
    with session_scope(engine) as session:
        if session.exec(select(func.count()).select_from(InboxMessage)).one():
            return
        user_ids = list(session.exec(select(User.id).where(
            col(User.username).like("bench_u%"))))
        if not user_ids:
            return
        at = datetime.combine(date.today(), datetime.min.time())
        event_id = insert_returning_ids(session, NotificationEvent.__table__, [
            {"event": "notice_issued", "dedupe_key": None, "created_at": at}])[0]
        bulk_insert(session, InboxMessage.__table__, [
            {"user_id": user_id, "event_id": event_id, "event": "notice_issued",
             "subject": "督办通知", "body": "请按期办理。", "link": "", "created_at": at,
             "read_at": None if n % 10 == 0 else at}
            for user_id in user_ids for n in range(per_user)])
        session.commit()
