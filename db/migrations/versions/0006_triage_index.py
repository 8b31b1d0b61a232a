"""Index for the office queue: waiting reports newest first without sorting the table
(measured with scripts/benchmark.py at 1,000,000 reports); and a per-user time before
which remembered logins (cookies) no longer count (logout, password reset).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_status_created", "reports", ["status", "created_at", "id"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("logins_revoked_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("logins_revoked_at")
    op.drop_index("ix_reports_status_created", table_name="reports")
