"""The offices' figures (#13): the day a report was accepted and its first reply, kept on the report.

`accepted_on` is the day of the first assignment (受理); `first_replied_at` and `first_reply_due` keep the
first reply and the reply deadline it answered, which a 差评整改 round would otherwise overwrite.
Backfilled from the report_events history.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23
"""

from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("accepted_on", sa.Date, nullable=True))
        batch.add_column(sa.Column("first_replied_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("first_reply_due", sa.Date, nullable=True))
        batch.create_index("ix_reports_accepted_on", ["accepted_on", "unit_id"])
    first_assign = ("(SELECT MIN(e.at) FROM report_events e "
                    "WHERE e.report_id = reports.id AND e.action = 'assign')")
    first_reply = ("(SELECT MIN(e.at) FROM report_events e "
                   "WHERE e.report_id = reports.id AND e.action = 'reply')")
    sqlite = op.get_bind().dialect.name == "sqlite"  # SQLite's CAST AS DATE gives a number
    accepted = f"date({first_assign})" if sqlite else f"CAST({first_assign} AS DATE)"
    op.execute(f"UPDATE reports SET accepted_on = {accepted}, "
               f"first_replied_at = {first_reply}")
    # Never reopened: the reply deadline on the report is the one the first reply answered.
    op.execute("UPDATE reports SET first_reply_due = reply_due "
               "WHERE reopen_count = 0 AND accepted_on IS NOT NULL")
    _backfill_reopened_due()
    op.create_table(
        "scoring_rules",
        sa.Column("year", sa.Integer, primary_key=True),  # 0: the default for years without own rules
        *(sa.Column(name, sa.Float, nullable=False) for name in WEIGHTS + DEDUCTIONS),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.Column("updated_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )
    op.bulk_insert(sa.table("scoring_rules", sa.column("year", sa.Integer),
                            *(sa.column(n, sa.Float) for n in WEIGHTS + DEDUCTIONS)),
                   [{"year": 0, **DEFAULTS}])


# 考核评分细则: points per figure (a rate of 1 earns the full weight) and points off per event.
WEIGHTS = ("w_closing_rate", "w_on_time_response", "w_on_time_closing", "w_satisfaction",
           "w_resolution")
DEDUCTIONS = ("d_supervision", "d_transfer", "d_red_card", "d_selfcheck_late",
              "d_selfcheck_missing", "d_quota_missed")
DEFAULTS = {"w_closing_rate": 20, "w_on_time_response": 15, "w_on_time_closing": 25,
            "w_satisfaction": 30, "w_resolution": 10, "d_supervision": 2, "d_transfer": 5,
            "d_red_card": 0.5, "d_selfcheck_late": 1, "d_selfcheck_missing": 3,
            "d_quota_missed": 5}


def _backfill_reopened_due() -> None:
    """Reopened reports: the first deadline again from the assignment before the first reply (a
    12345 工单 keeps the hotline's deadline). Only the few reopened rows are read one by one."""
    from sqlmodel import Session

    from portal import workdays

    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT r.id, r.original_due, r.first_replied_at, "
        "(SELECT MAX(e.at) FROM report_events e WHERE e.report_id = r.id AND e.action = 'assign' "
        " AND (r.first_replied_at IS NULL OR e.at <= r.first_replied_at)) "
        "FROM reports r WHERE r.reopen_count > 0 AND r.accepted_on IS NOT NULL")).all()
    if not rows:
        return
    with Session(bind=bind) as session:
        days = workdays.sla_days(session, "reply")
        for report_id, original_due, _replied, assigned_at in rows:
            if assigned_at is None:
                continue
            if isinstance(assigned_at, str):  # SQLite hands back text
                assigned_at = datetime.fromisoformat(assigned_at)
            if isinstance(original_due, str):
                original_due = date.fromisoformat(original_due)
            due = original_due or workdays.deadline(assigned_at, days, session=session)[0]
            bind.execute(sa.text("UPDATE reports SET first_reply_due = :due WHERE id = :id"),
                         {"due": due, "id": report_id})


def downgrade() -> None:
    op.drop_table("scoring_rules")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_accepted_on")
        batch.drop_column("first_reply_due")
        batch.drop_column("first_replied_at")
        batch.drop_column("accepted_on")
