"""报送事项 (#14): a submission returned by the office is kept when the unit submits again —
its text, time and the reason it was returned (stage_report_rounds), and its files (the round
they came in).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stage_reports") as batch:
        batch.add_column(sa.Column("round", sa.Integer, nullable=False, server_default="0"))
    op.execute("UPDATE stage_reports SET round = 1 WHERE submitted_at IS NOT NULL")
    with op.batch_alter_table("stage_report_files") as batch:
        batch.add_column(sa.Column("round", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "stage_report_rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stage_report_id", sa.Integer, sa.ForeignKey("stage_reports.id"),
                  nullable=False, index=True),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=True),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("review_note", sa.Text, nullable=False, server_default=""),
        sa.Column("reviewed_at", sa.DateTime, nullable=True),
    )


def downgrade() -> None:
    # before 0020 a resubmission replaced the earlier files: keep only the latest round's
    op.drop_table("stage_report_rounds")
    op.execute("DELETE FROM stage_report_files WHERE round < (SELECT r.round FROM stage_reports r "
               "WHERE r.id = stage_report_files.stage_report_id)")
    with op.batch_alter_table("stage_report_files") as batch:
        batch.drop_column("round")
    with op.batch_alter_table("stage_reports") as batch:
        batch.drop_column("round")
