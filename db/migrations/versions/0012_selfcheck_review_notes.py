"""A reviewer's note per category when a self-check form is returned (#12).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("selfcheck_rows") as batch:
        batch.add_column(sa.Column("review_note", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("selfcheck_rows") as batch:
        batch.drop_column("review_note")
