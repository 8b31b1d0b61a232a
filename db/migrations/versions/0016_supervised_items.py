"""One ladder for every supervised item (#14): a notice names its item by kind and id, so a key
task's 提醒单 … 移交函 live beside the reports' (a report's notice keeps its report_id too).
The figures' index of the period's notices (0014) takes the kind of item, which they filter on.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("item_kind", sa.String(16), nullable=False,
                                   server_default="report"))
        batch.add_column(sa.Column("item_id", sa.Integer, nullable=True))
    op.execute("UPDATE notices SET item_id = report_id")
    with op.batch_alter_table("notices") as batch:
        batch.alter_column("item_id", existing_type=sa.Integer, nullable=False)
        batch.alter_column("report_id", existing_type=sa.Integer, nullable=True)
        batch.create_index("ix_notices_item", ["item_kind", "item_id", "unit_id"])
    op.drop_index("ix_notices_issued_on", table_name="notices")
    op.create_index("ix_notices_issued_on", "notices",
                    ["issued_on", "withdrawn", "item_kind", "unit_id", "kind", "report_id"])


def downgrade() -> None:
    op.execute("DELETE FROM notices WHERE item_kind <> 'report'")
    op.drop_index("ix_notices_issued_on", table_name="notices")
    op.create_index("ix_notices_issued_on", "notices",
                    ["issued_on", "withdrawn", "unit_id", "kind", "report_id"])
    with op.batch_alter_table("notices") as batch:
        batch.drop_index("ix_notices_item")
        batch.alter_column("report_id", existing_type=sa.Integer, nullable=False)
        batch.drop_column("item_id")
        batch.drop_column("item_kind")
