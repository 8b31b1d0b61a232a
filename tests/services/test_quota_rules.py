"""#11: quota checkpoints say what is true on the day; exemptions are revocable reasons."""

from datetime import date

import pytest

from portal import quotas
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_quotas import case, statuses


@pytest.fixture
def people(session):
    return {"discipline": make_user(session, Role.DISCIPLINE),
            "supervisor": make_user(session, Role.SUPERVISOR),
            "admin": make_user(session, Role.ADMIN)}


def row(session, on, unit="区发改局", year=2026):
    return {r["unit"]: r for r in quotas.compute(session, year=year, on=on)}[unit]


def test_on_15_january_no_checkpoint_is_unmet(session):
    rows = quotas.compute(session, year=2026, on=date(2026, 1, 15))
    assert rows and all(c["status"] == "未到期" for r in rows for c in r["checkpoints"])


def test_a_checkpoint_is_at_risk_within_30_days_and_unmet_only_after_its_date(session):
    assert statuses(row(session, date(2026, 3, 1))) == ["有风险", "未到期"]
    assert statuses(row(session, date(2026, 3, 31))) == ["有风险", "未到期"]
    assert statuses(row(session, date(2026, 4, 1))) == ["未达标", "未到期"]


def test_a_checkpoint_is_met_as_soon_as_met_even_before_its_date(session, people):
    case(session, people["discipline"], concluded=date(2026, 1, 10), outcomes=("party",))
    assert statuses(row(session, date(2026, 1, 15))) == ["已达标", "未到期"]


def test_an_exempted_unit_that_meets_the_quota_shows_met(session, people):
    quotas.exempt_unit(session, actor=people["discipline"], unit_id=unit_id(session),
                       checkpoint=date(2026, 3, 31), reason="机构改革")
    assert row(session, date(2026, 4, 1))["checkpoints"][0]["reason"] == "豁免：机构改革"
    assert statuses(row(session, date(2026, 4, 1)))[0] == "豁免"
    case(session, people["discipline"], concluded=date(2026, 3, 10), outcomes=("party",))
    assert statuses(row(session, date(2026, 4, 1)))[0] == "已达标"


def test_unmet_checkpoints_say_what_is_missing(session):
    mark = row(session, date(2026, 4, 1))["checkpoints"][0]
    assert mark["reason"] == "案例尚差 1 件，处分/移送案例尚差 1 件"


def test_discipline_revokes_an_exemption_with_a_reason(session, people):
    quotas.exempt_unit(session, actor=people["discipline"], unit_id=unit_id(session),
                       checkpoint=date(2026, 3, 31), reason="机构改革")
    with pytest.raises(PermissionDenied):
        quotas.revoke_exemption(session, actor=people["supervisor"], unit_id=unit_id(session),
                                checkpoint=date(2026, 3, 31), reason="越权")
    with pytest.raises(ValidationError):
        quotas.revoke_exemption(session, actor=people["discipline"], unit_id=unit_id(session),
                                checkpoint=date(2026, 3, 31), reason=" ")
    quotas.revoke_exemption(session, actor=people["discipline"], unit_id=unit_id(session),
                            checkpoint=date(2026, 3, 31), reason="改革已于2月完成")
    assert statuses(row(session, date(2026, 4, 1)))[0] == "未达标"
    (kept,) = quotas.exemptions(session, actor=people["discipline"], year=2026)
    assert kept["revoked"] and kept["revoke_reason"] == "改革已于2月完成"
    with pytest.raises(NotFound):
        quotas.revoke_exemption(session, actor=people["discipline"], unit_id=unit_id(session),
                                checkpoint=date(2026, 3, 31), reason="再次撤销")


def test_whether_a_unit_carries_the_quota_is_per_year(session, people):
    lead = unit_id(session, "区科创营商局")
    quotas.set_unit_quota_year(session, actor=people["admin"], unit_id=lead, year=2027,
                               applies=True)
    quotas.set_unit_quota_year(session, actor=people["admin"], unit_id=unit_id(session),
                               year=2027, applies=False)
    names_2027 = {r["unit"] for r in quotas.compute(session, year=2027, on=date(2027, 1, 5))}
    names_2026 = {r["unit"] for r in quotas.compute(session, year=2026, on=date(2026, 1, 5))}
    assert "区科创营商局" in names_2027 and "区发改局" not in names_2027
    assert "区科创营商局" not in names_2026 and "区发改局" in names_2026
