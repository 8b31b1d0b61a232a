"""Migration 0019: a self-check category may hold several problems; the unique key moves from
(form, category) to (form, category, position) and back."""

from sqlalchemy import Engine, inspect

from portal import migrate
from tests.services.test_stats_migration import _downgrade


def _unique_keys(engine: Engine) -> list[list[str]]:
    return sorted(key["column_names"]
                  for key in inspect(engine).get_unique_constraints("selfcheck_rows"))


def test_rows_are_unique_per_form_category_and_position(engine):
    assert _unique_keys(engine) == [["form_id", "category_number", "position"]]


def test_0019_downgrades_and_upgrades_again(engine):
    _downgrade(engine, "0018")
    try:
        assert _unique_keys(engine) == [["form_id", "category_number"]]
        assert "position" not in {c["name"] for c in inspect(engine).get_columns("selfcheck_rows")}
    finally:
        migrate.upgrade(engine)
    assert _unique_keys(engine) == [["form_id", "category_number", "position"]]
