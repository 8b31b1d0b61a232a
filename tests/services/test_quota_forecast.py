"""Quota forecast: projection at the year's pace; units that will miss the next checkpoint."""

from datetime import date

import pytest

from portal import cases, quota_forecast
from portal.errors import PermissionDenied
from portal.models import CaseOutcome, TypicalCase
from portal.roles import Role
from tests.factories import make_user, unit_id


def verified_case(session, unit: str, concluded: date, sanctioned: bool) -> None:
    case = TypicalCase(unit_id=unit_id(session, unit), category_number=14, title="测试案例",
                       summary="摘要", found_on=concluded, concluded_on=concluded, source="report",
                       status="verified")
    session.add(case)
    session.flush()
    if sanctioned:
        session.add(CaseOutcome(case_id=case.id, outcome=sorted(cases.SANCTIONS)[0]))
    session.commit()


def test_projection_continues_the_pace_of_the_year():
    assert quota_forecast.project(2, 100, 50) == 3.0
    assert quota_forecast.project(0, 100, 200) == 0.0
    assert quota_forecast.project(3, 0, 10) == 3.0


def test_units_on_pace_and_units_that_will_miss_the_next_checkpoint(session):
    discipline = make_user(session, Role.DISCIPLINE)
    # by 30 June (181 days): 区发改局 has two verified cases, one sanctioned; 区住建局 none
    verified_case(session, "区发改局", date(2026, 2, 1), sanctioned=True)
    verified_case(session, "区发改局", date(2026, 5, 1), sanctioned=False)
    result = quota_forecast.forecast(session, actor=discipline, year=2026, on=date(2026, 6, 30))
    by_unit = {u["unit"]: u for u in result["units"]}
    fgj = by_unit["区发改局"]
    assert fgj["checkpoints"][0]["past"] and fgj["checkpoints"][0]["on_track"]  # 31 March: met
    december = fgj["checkpoints"][1]
    assert not december["past"] and december["projected_cases"] == pytest.approx(
        2 + 2 / 181 * 184, abs=0.1)
    assert not fgj["misses_next"]
    assert by_unit["区住建局"]["misses_next"]
    missing = {m["unit"]: m for m in result["will_miss_next"]}
    assert "区住建局" in missing and "区发改局" not in missing
    assert missing["区住建局"]["checkpoint"] == "2026-12-31"


def test_only_discipline_and_the_office_see_the_forecast(session):
    with pytest.raises(PermissionDenied):
        quota_forecast.forecast(session, actor=make_user(session, Role.UNIT), year=2026)
