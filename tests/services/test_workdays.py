from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from portal import calendar_schedule, workdays
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.models import AuditEvent
from portal.roles import Role
from portal.workdays import add_working_days, is_working_day
from tests.factories import make_user

days = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=40)


def test_national_day_2026_acceptance():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)  # Sat 10 Oct is 调休


def test_spring_festival_2026_with_its_make_up_saturdays():
    assert is_working_day(date(2026, 2, 14))  # Saturday, worked
    assert is_working_day(date(2026, 2, 28))  # Saturday, worked
    assert not is_working_day(date(2026, 2, 17))  # Tuesday, 春节
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_zero_is_the_start_and_negative_is_refused():
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 10, 3), -1)


@settings(max_examples=200, deadline=None)
@given(days, counts, counts)
def test_adding_is_monotone(day, x, y):
    assert add_working_days(day, x) <= add_working_days(day, x + y)


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=1, max_value=40))
def test_never_lands_on_a_non_working_day(day, n):
    result = add_working_days(day, n)
    assert result > day and is_working_day(result)


@settings(max_examples=200, deadline=None)
@given(days, counts, counts)
def test_adding_twice_is_adding_the_sum(day, x, y):
    assert add_working_days(day, x + y) == add_working_days(add_working_days(day, x), y)


def test_2026_is_official_and_2027_is_not_until_an_admin_marks_it_complete(session):
    assert workdays.is_official(2026) and workdays.is_official(2026, session=session)
    assert not workdays.is_official(2027) and not workdays.is_official(2027, session=session)
    admin = make_user(session, Role.ADMIN)
    workdays.set_override(session, actor=admin, day=date(2027, 12, 31), is_working_day=False,
                          note="")
    assert not workdays.is_official(2027, session=session)  # #11: one date is not a schedule
    calendar_schedule.set_official(session, actor=admin, year=2027, official=True)
    assert workdays.is_official(2027, session=session)
    assert not workdays.is_official(2028, session=session)


def test_2027_falls_back_to_monday_to_friday_without_overrides(session):
    assert not workdays.is_official(2027, session=session)
    # 31 Dec 2026 is a Thursday; 1 Jan 2027 (元旦 in reality) counts as a plain Friday.
    assert add_working_days(date(2026, 12, 31), 1, session=session) == date(2027, 1, 1)
    assert add_working_days(date(2027, 1, 1), 1, session=session) == date(2027, 1, 4)


def test_2027_with_overrides_entered_by_an_admin(session):
    admin = make_user(session, Role.ADMIN)
    workdays.set_override(session, actor=admin, day=date(2027, 1, 1), is_working_day=False,
                          note="元旦")
    workdays.set_override(session, actor=admin, day=date(2027, 1, 9), is_working_day=True,
                          note="调休上班")
    calendar_schedule.set_official(session, actor=admin, year=2027, official=True)
    assert workdays.is_official(2027, session=session)
    assert add_working_days(date(2026, 12, 31), 1, session=session) == date(2027, 1, 4)
    assert add_working_days(date(2027, 1, 8), 1, session=session) == date(2027, 1, 9)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)  # no session: no overrides


def test_overrides_win_over_the_builtin_calendar(session):
    admin = make_user(session, Role.ADMIN)
    workdays.set_override(session, actor=admin, day=date(2026, 11, 24), is_working_day=False,
                          note="临时停电停工")
    assert not is_working_day(date(2026, 11, 24), session=session)
    assert is_working_day(date(2026, 11, 24))
    assert add_working_days(date(2026, 11, 23), 1, session=session) == date(2026, 11, 25)


def test_deadline_counts_from_the_next_working_day_after_the_cutoff(session):
    morning = datetime(2026, 11, 23, 9, 0)
    evening = datetime(2026, 11, 23, 17, 30)
    assert workdays.deadline(morning, 1, session=session) == (date(2026, 11, 24), False)
    assert workdays.deadline(evening, 1, session=session) == (date(2026, 11, 25), False)
    assert workdays.deadline(datetime(2026, 11, 20, 18, 0), 1, session=session)[0] == date(
        2026, 11, 24)  # Friday evening: counts from Monday


def test_deadline_at_exactly_the_cutoff_hour_already_counts_from_the_next_working_day(session):
    assert workdays.deadline(datetime(2026, 11, 23, 16, 59), 1, session=session)[0] == date(
        2026, 11, 24)
    assert workdays.deadline(datetime(2026, 11, 23, 17, 0), 1, session=session)[0] == date(
        2026, 11, 25)
    assert workdays.deadline(datetime(2026, 11, 23, 12, 0), 1, session=session,
                             cutoff_hour=12)[0] == date(2026, 11, 25)


def test_deadline_within_official_years_is_not_estimated():
    # Assigned on the last working day before National Day 2026, after hours.
    assert workdays.deadline(datetime(2026, 9, 30, 18, 0), 1) == (date(2026, 10, 9), False)


def test_deadline_into_an_unofficial_year_is_flagged_estimated(session):
    due, estimated = workdays.deadline(datetime(2026, 12, 28, 10, 0), 5, session=session)
    assert due == date(2027, 1, 4) and estimated


def test_a_long_stretch_of_overrides_is_still_crossed(session):
    admin = make_user(session, Role.ADMIN)
    start = date(2027, 3, 1)
    for offset in range(40):
        workdays.set_override(session, actor=admin, day=start + timedelta(days=offset),
                              is_working_day=False, note="长假")
    assert add_working_days(start - timedelta(days=1), 1, session=session) == date(2027, 4, 12)


def test_sla_windows_are_data(session):
    admin = make_user(session, Role.ADMIN)
    assert [w.name for w in workdays.list_sla_windows(session)] == [
        "intake", "respond", "reply", "reopen", "reminder", "urging", "supervision",
        "followup", "close_unrated"]  # #11: the office's deadline, 回访 and closing unrated
    assert workdays.sla_days(session, "reply") == 5
    workdays.set_sla_window(session, actor=admin, name="reply", working_days=7)
    assert workdays.sla_days(session, "reply") == 7
    for bad in (0, 61, -5):
        with pytest.raises(ValidationError) as error:
            workdays.set_sla_window(session, actor=admin, name="reply", working_days=bad)
        assert (error.value.key, error.value.field, error.value.params) == (
            "error.sla_days_range", "working_days", {"min": 1, "max": 60})
    workdays.set_sla_window(session, actor=admin, name="reply", working_days=60)
    assert workdays.sla_days(session, "reply") == 60
    with pytest.raises(NotFound):
        workdays.set_sla_window(session, actor=admin, name="nothing", working_days=3)


def test_calendar_admin_validates_and_deletes(session):
    admin = make_user(session, Role.ADMIN)
    with pytest.raises(ValidationError) as error:
        workdays.set_override(session, actor=admin, day=date(2027, 2, 1), is_working_day=False,
                              note="长" * 101)
    assert (error.value.key, error.value.field, error.value.params) == (
        "error.calendar_note_too_long", "note", {"max": 100})
    assert workdays.list_overrides(session, actor=admin, year=2027) == []
    workdays.set_override(session, actor=admin, day=date(2027, 2, 1), is_working_day=False,
                          note="春节")
    assert [o.note for o in workdays.list_overrides(session, actor=admin, year=2027)] == ["春节"]
    workdays.delete_override(session, actor=admin, day=date(2027, 2, 1))
    assert workdays.list_overrides(session, actor=admin, year=2027) == []
    with pytest.raises(NotFound):
        workdays.delete_override(session, actor=admin, day=date(2027, 2, 1))


@pytest.mark.parametrize("role", [Role.UNIT, Role.SUPERVISOR, Role.DISCIPLINE, Role.COMPANY])
def test_only_admins_change_the_calendar_and_time_limits(session, role):
    someone = make_user(session, role)
    with pytest.raises(PermissionDenied):
        workdays.set_override(session, actor=someone, day=date(2027, 1, 1),
                              is_working_day=False, note="")
    with pytest.raises(PermissionDenied):
        workdays.delete_override(session, actor=someone, day=date(2027, 1, 1))
    with pytest.raises(PermissionDenied):
        workdays.set_sla_window(session, actor=someone, name="reply", working_days=3)


def test_a_note_is_stripped_before_its_length_is_checked_and_setting_twice_updates(session):
    admin = make_user(session, Role.ADMIN)
    row = workdays.set_override(session, actor=admin, day=date(2027, 2, 6),
                                is_working_day=True, note="  " + "班" * 100 + "  ")
    assert row.note == "班" * 100 and row.is_working_day
    workdays.set_override(session, actor=admin, day=date(2027, 2, 6), is_working_day=False,
                          note=" 改为休息 ")
    [only] = workdays.list_overrides(session, actor=admin, year=2027)
    assert (only.day, only.is_working_day, only.note) == (date(2027, 2, 6), False, "改为休息")


def test_every_calendar_and_time_limit_change_leaves_an_audit_row(session):
    admin = make_user(session, Role.ADMIN)
    workdays.set_override(session, actor=admin, day=date(2027, 1, 1), is_working_day=False,
                          note="元旦")
    workdays.delete_override(session, actor=admin, day=date(2027, 1, 1))
    workdays.set_sla_window(session, actor=admin, name="respond", working_days=2)
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.actor_id == admin.user_id)
                           .order_by(AuditEvent.id)).all()
    assert actions == ["calendar.set", "calendar.delete", "sla.set"]


def test_only_admins_read_the_override_list(session):
    with pytest.raises(PermissionDenied):
        workdays.list_overrides(session, actor=make_user(session, Role.UNIT), year=2027)
