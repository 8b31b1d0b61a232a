"""Migration 0014: the figures' indexes exist after `upgrade` and go away with `downgrade`
(0016 adds the kind of item to the notices' index, which the figures filter on)."""

from alembic import command
from sqlalchemy import Engine, inspect

from portal import migrate

FIGURE_INDEXES = {
    ("reports", "ix_reports_figures"): [
        "merged_into_id", "accepted_on", "unit_id", "status", "respond_due", "responded_at",
        "first_reply_due", "first_replied_at", "reply_outcome", "category_id"],
    ("report_events", "ix_report_events_action_at"): ["action", "at", "report_id"],
    ("notices", "ix_notices_issued_on"): ["issued_on", "withdrawn", "item_kind", "unit_id",
                                          "kind", "report_id"],
}


def _indexes(engine: Engine) -> dict:
    inspector = inspect(engine)
    return {(table, index["name"]): index["column_names"]
            for table in ("reports", "report_events", "notices")
            for index in inspector.get_indexes(table)}


def _downgrade(engine: Engine, revision: str) -> None:
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_the_migrated_database_has_the_figures_indexes(engine):
    indexes = _indexes(engine)
    for key, columns in FIGURE_INDEXES.items():
        assert indexes.get(key) == columns, key


def test_0014_downgrades_and_upgrades_again(engine):
    _downgrade(engine, "0013")
    try:
        assert not set(FIGURE_INDEXES) & set(_indexes(engine))
    finally:
        migrate.upgrade(engine)
    assert all(key in _indexes(engine) for key in FIGURE_INDEXES)
