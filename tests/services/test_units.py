import pytest
from sqlmodel import select

from portal import units
from portal.errors import PermissionDenied, ValidationError
from portal.models import AuditEvent
from portal.roles import Role
from tests.factories import make_user

QUOTA_UNITS = ["区发改局", "区社会事业发展局", "区公安分局", "区政法委", "区财政局",
               "区自然资源分局", "区生态环境分局", "区住建局", "区应急局", "区审计局",
               "区市场监管局", "区医保分中心", "高新税务局", "区法庭", "区检察室"]


def test_seeded_units_are_the_15_quota_units_and_3_lead_units(session):
    seeded = units.list_units(session)
    assert [u.name for u in seeded if u.quota_applies] == QUOTA_UNITS
    assert {u.name for u in seeded if not u.quota_applies} == {
        "区科创营商局", "区纪律检查委员会", "区政府督查考评办公室"}


def test_admin_adds_renames_and_deactivates_a_unit(session):
    admin = make_user(session, Role.ADMIN)
    unit = units.create_unit(session, actor=admin, name=" 区教育局 ", quota_applies=True)
    assert unit.name == "区教育局"
    units.update_unit(session, actor=admin, unit_id=unit.id, name="区教育体育局",
                      quota_applies=False, active=False)
    assert "区教育体育局" not in [u.name for u in units.list_units(session)]
    kept = [u for u in units.list_units(session, active_only=False) if u.id == unit.id]
    assert kept and not kept[0].active and not kept[0].quota_applies
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == unit.id,
                                                           AuditEvent.entity == "unit")).all()
    assert actions == ["unit.create", "unit.update"]


def test_unit_names_must_be_present_and_unique(session):
    admin = make_user(session, Role.ADMIN)
    with pytest.raises(ValidationError) as blank:
        units.create_unit(session, actor=admin, name="  ", quota_applies=False)
    assert blank.value.key == "error.unit_name_required"
    with pytest.raises(ValidationError) as taken:
        units.create_unit(session, actor=admin, name="区住建局", quota_applies=False)
    assert taken.value.key == "error.unit_name_taken"
    other = units.list_units(session)[1]
    with pytest.raises(ValidationError):
        units.update_unit(session, actor=admin, unit_id=other.id, name="区发改局",
                          quota_applies=True, active=True)


@pytest.mark.parametrize("role", [Role.UNIT, Role.SUPERVISOR, Role.DISCIPLINE, Role.COMPANY])
def test_only_admins_change_units(session, role):
    someone = make_user(session, role)
    with pytest.raises(PermissionDenied):
        units.create_unit(session, actor=someone, name="区新单位", quota_applies=False)
    with pytest.raises(PermissionDenied):
        units.update_unit(session, actor=someone, unit_id=units.list_units(session)[0].id,
                          name="改名", quota_applies=False, active=False)
