"""Typical cases (典型案例) with outcomes and linked reports; quota rules and exemptions.

The seed's 2021 rule is stored as the default for every year (year NULL): by 31 March at
least 1 verified case and 1 sanctioned, by 31 December at least 2 and 1 sanctioned.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "typical_cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("category_number", sa.Integer, nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("found_on", sa.Date, nullable=False),
        sa.Column("concluded_on", sa.Date, nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("persons_handled", sa.Integer, nullable=False, server_default="0"),
        sa.Column("exposed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("public_summary", sa.Text, nullable=False, server_default=""),
        sa.Column("notice_id", sa.Integer, sa.ForeignKey("notices.id"), nullable=True),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("verified_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("verified_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_cases_status_concluded", "typical_cases", ["status", "concluded_on"])
    op.create_table(
        "case_outcomes",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("typical_cases.id"), primary_key=True),
        sa.Column("outcome", sa.String(16), primary_key=True),
    )
    op.create_table(
        "case_reports",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("typical_cases.id"), primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), primary_key=True),
    )
    op.create_table(
        "case_attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("typical_cases.id"), nullable=False,
                  index=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "quota_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("month", sa.Integer, nullable=False),
        sa.Column("day", sa.Integer, nullable=False),
        sa.Column("min_cases", sa.Integer, nullable=False),
        sa.Column("min_sanctioned", sa.Integer, nullable=False),
        sa.UniqueConstraint("year", "month", "day"),
    )
    rules = sa.table("quota_rules", sa.column("year", sa.Integer), sa.column("month", sa.Integer),
                     sa.column("day", sa.Integer), sa.column("min_cases", sa.Integer),
                     sa.column("min_sanctioned", sa.Integer))
    op.bulk_insert(rules, [
        {"year": None, "month": 3, "day": 31, "min_cases": 1, "min_sanctioned": 1},
        {"year": None, "month": 12, "day": 31, "min_cases": 2, "min_sanctioned": 1},
    ])
    op.create_table(
        "quota_exemptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("checkpoint", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("unit_id", "checkpoint"),
    )


def downgrade() -> None:
    for table in ("quota_exemptions", "quota_rules", "case_attachments", "case_reports",
                  "case_outcomes", "typical_cases"):
        op.drop_table(table)
