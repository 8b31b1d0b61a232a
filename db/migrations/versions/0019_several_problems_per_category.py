"""Several problems in one self-check category (#14): a row is one problem, numbered by
`position` within its category; the unique key becomes (form, category, position).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

CONVENTION_NAME = "uq_selfcheck_rows_form_id"  # an unnamed key (SQLite), named by convention
OLD_NAME = "selfcheck_rows_form_id_category_number_key"  # PostgreSQL's name, and the downgrade's
NEW_NAME = "uq_selfcheck_rows_form_category_position"


def _old_name() -> str:
    """The name of the (form_id, category_number) key as this database has it."""
    for key in sa.inspect(op.get_bind()).get_unique_constraints("selfcheck_rows"):
        if key["column_names"] == ["form_id", "category_number"]:
            return key["name"] or CONVENTION_NAME
    raise RuntimeError("selfcheck_rows has no unique key on (form_id, category_number)")


def upgrade() -> None:
    with op.batch_alter_table(
            "selfcheck_rows",
            naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch:
        batch.add_column(sa.Column("position", sa.Integer, nullable=False, server_default="1"))
        batch.drop_constraint(_old_name(), type_="unique")
        batch.create_unique_constraint(NEW_NAME, ["form_id", "category_number", "position"])


def downgrade() -> None:
    several = op.get_bind().execute(sa.text(
        "SELECT COUNT(*) FROM selfcheck_rows WHERE position > 1")).scalar()
    if several:  # never drop a unit's problems to fit the older schema
        raise RuntimeError(f"{several} self-check problems share a category with another; "
                           "the schema before 0019 cannot hold them")
    with op.batch_alter_table("selfcheck_rows") as batch:
        batch.drop_constraint(NEW_NAME, type_="unique")
        batch.create_unique_constraint(OLD_NAME, ["form_id", "category_number"])
        batch.drop_column("position")
