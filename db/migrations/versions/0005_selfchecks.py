"""Quarterly self-checks against the 32 categories: campaigns, the units that must report,
one form per unit and campaign, and its 32 rows (the "four lists": problem, risk, measure,
responsibility).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "selfcheck_campaigns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("quarter", sa.Integer, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("due_estimated", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("opened_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.UniqueConstraint("year", "quarter"),
    )
    op.create_table(
        "selfcheck_campaign_units",
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("selfcheck_campaigns.id"),
                  primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
    )
    op.create_table(
        "selfcheck_forms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("selfcheck_campaigns.id"),
                  nullable=False),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("submitted_at", sa.DateTime, nullable=True),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("reviewed_at", sa.DateTime, nullable=True),
        sa.Column("reviewed_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("review_comment", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.UniqueConstraint("campaign_id", "unit_id"),
    )
    op.create_table(
        "selfcheck_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("form_id", sa.Integer, sa.ForeignKey("selfcheck_forms.id"), nullable=False,
                  index=True),
        sa.Column("category_number", sa.Integer, nullable=False),
        sa.Column("has_problem", sa.Boolean, nullable=True),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("risk", sa.Text, nullable=False, server_default=""),
        sa.Column("measure", sa.Text, nullable=False, server_default=""),
        sa.Column("person", sa.String(40), nullable=False, server_default=""),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("progress", sa.String(16), nullable=False, server_default="open"),
        sa.Column("carried_from_id", sa.Integer, sa.ForeignKey("selfcheck_rows.id"),
                  nullable=True),
        sa.UniqueConstraint("form_id", "category_number"),
    )


def downgrade() -> None:
    for table in ("selfcheck_rows", "selfcheck_forms", "selfcheck_campaign_units",
                  "selfcheck_campaigns"):
        op.drop_table(table)
