"""The figures are cached per query until the next write (the board's data version) or the next
day: a cached figure is never stale after a rating, a reply or a notice."""

from datetime import datetime

import pytest

from portal import clock, report_flow, stats
from portal.roles import Role
from tests.factories import make_user
from tests.services import test_stats
from tests.services.test_stats import OCT, add_notice, add_report, ratio

fixed_today = test_stats.fixed_today
october = test_stats.october


@pytest.fixture
def office(session):
    return make_user(session, Role.SUPERVISOR)


def fgj(figures: dict) -> dict:
    return next(row for row in figures["units"] if row["unit"] == "区发改局")


def test_a_repeated_query_is_served_from_the_cache(session, october, office, monkeypatch):
    first = stats.compute(session, start=OCT[0], end=OCT[1])
    areas = stats.area_figures(session, actor=office, start=OCT[0], end=OCT[1])
    weeks = stats.trend(session, actor=office, start=OCT[0], end=OCT[1], by="week")
    cells = stats.unit_area(session, actor=office, start=OCT[0], end=OCT[1])

    def no_query(*_args, **_kwargs):
        raise AssertionError("computed again although nothing was written")

    for name in ("_by_unit", "_area_figures", "_trend", "_unit_area"):
        monkeypatch.setattr(stats, name, no_query)
    assert stats.compute(session, start=OCT[0], end=OCT[1]) == first
    assert stats.area_figures(session, actor=office, start=OCT[0], end=OCT[1]) == areas
    assert stats.trend(session, actor=office, start=OCT[0], end=OCT[1], by="week") == weeks
    assert stats.unit_area(session, actor=office, start=OCT[0], end=OCT[1]) == cells


def test_changing_a_served_result_does_not_change_the_cache(session, october):
    first = stats.compute(session, start=OCT[0], end=OCT[1])
    fgj(first)["closing_rate"]["num"] = 99
    first["units"].clear()
    again = stats.compute(session, start=OCT[0], end=OCT[1])
    assert fgj(again)["closing_rate"] == ratio(4, 8)


def test_a_rating_shows_at_once(session, october, office):
    before = stats.compute(session, start=OCT[0], end=OCT[1])
    areas = stats.area_figures(session, actor=office, start=OCT[0], end=OCT[1])
    assert fgj(before)["satisfaction"] == ratio(2, 3)
    report_flow._rate(session, october["D"], None, "satisfied", "")  # D: replied, unrated
    after = stats.compute(session, start=OCT[0], end=OCT[1])
    assert fgj(after)["satisfaction"] == ratio(3, 4)
    assert after["total"]["satisfaction"] == ratio(4, 5)
    areas_after = stats.area_figures(session, actor=office, start=OCT[0], end=OCT[1])
    assert areas_after != areas
    weeks = stats.trend(session, actor=office, start=OCT[0], end=OCT[1], by="month")
    assert weeks[0]["satisfaction"] == ratio(4, 5)


def test_a_reply_shows_at_once(session, october, office):
    before = stats.compute(session, start=OCT[0], end=OCT[1])
    cells = stats.unit_area(session, actor=office, start=OCT[0], end=OCT[1])
    assert fgj(before)["closed"] == 4
    worker = make_user(session, Role.UNIT, unit="区发改局")
    report_flow.reply(session, actor=worker, report_id=october["E"].id, result="已处理",
                      outcome="resolved")  # E: responded, no reply yet
    after = stats.compute(session, start=OCT[0], end=OCT[1])
    assert fgj(after)["closed"] == 5
    assert fgj(after)["resolution"] == ratio(4, 6)
    assert stats.unit_area(session, actor=office, start=OCT[0], end=OCT[1]) != cells


def test_a_notice_shows_at_once(session, october, office):
    before = stats.compute(session, start=OCT[0], end=OCT[1])
    assert fgj(before)["notices"]["urging"] == 0
    add_notice(session, october["F"], "urging", "10-31")
    after = stats.compute(session, start=OCT[0], end=OCT[1])
    assert fgj(after)["notices"]["urging"] == 1


def test_a_new_report_shows_at_once(session, october):
    before = stats.compute(session, start=OCT[0], end=OCT[1])
    add_report(session, "区住建局", status="assigned", accepted="10-20", respond_due="10-21",
               reply_due="10-27")
    after = stats.compute(session, start=OCT[0], end=OCT[1])
    assert after["total"]["accepted"] == before["total"]["accepted"] + 1


def test_a_new_day_recomputes_the_deadlines_passed(session, october, monkeypatch):
    """L's respond deadline is 11-24: not yet due on 11-23, overdue on 11-25, with no write."""
    before = stats.compute(session, start=OCT[0], end=OCT[1])
    assert fgj(before)["on_time_response"] == ratio(5, 7)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 25, 9, 0))
    after = stats.compute(session, start=OCT[0], end=OCT[1])
    assert fgj(after)["on_time_response"] == ratio(5, 8)
