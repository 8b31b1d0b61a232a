"""The offices' figures on hand-made reports: every expected value is worked out below by hand."""

from datetime import date, datetime

import pytest
from sqlmodel import select

from portal import clock, report_flow, stats
from portal.errors import PermissionDenied, ValidationError
from portal.models import Category, Notice, Report, ReportEvent, ReportRating
from portal.roles import Role
from tests.factories import make_user, unit_id

TODAY = datetime(2026, 11, 23, 9, 0)
OCT = (date(2026, 10, 1), date(2026, 10, 31))
_numbers = iter(range(1, 100000))


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: TODAY)


def d(text: str) -> date:
    return date.fromisoformat(f"2026-{text}")


def t(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-{text} 10:00")


def add_report(session, unit="区发改局", *, status, accepted=None, respond_due=None,
               responded=None, reply_due=None, replied=None, outcome=None, ratings=(),
               merged_into=None, concerned=None, category=None) -> Report:
    report = Report(tracking_no=f"ST2026-{next(_numbers):06d}", query_code_hash="x",
                    kind="complaint", channel="web", title="审批超时", description="说明",
                    anonymous=False, confidential=False, status=status,
                    unit_id=unit_id(session, unit) if accepted else None,
                    concerned_unit_id=unit_id(session, concerned) if concerned else None,
                    accepted_on=d(accepted) if accepted else None,
                    respond_due=d(respond_due) if respond_due else None,
                    responded_at=t(responded) if responded else None,
                    first_reply_due=d(reply_due) if reply_due else None,
                    reply_due=d(reply_due) if reply_due else None,
                    first_replied_at=t(replied) if replied else None,
                    replied_at=t(replied) if replied else None,
                    reply_outcome=outcome, merged_into_id=merged_into, category_id=category)
    session.add(report)
    session.flush()
    for round_, rating in enumerate(ratings):
        session.add(ReportRating(report_id=report.id, unit_id=report.unit_id, round=round_,
                                 channel="web", rating=rating))
        session.flush()
    return report


def add_notice(session, report, kind, issued, *, withdrawn=False):
    session.add(Notice(kind=kind, number=f"N{next(_numbers)}", report_id=report.id,
                       unit_id=report.unit_id, issued_on=d(issued), reason="逾期",
                       overdue_days=1, withdrawn=withdrawn))
    session.flush()


@pytest.fixture
def october(session):
    """Reports of 区发改局 (A–L) and one of 区住建局 (M), as described letter by letter."""
    cat = session.exec(select(Category.id).where(Category.number == 16)).first()
    r = {}
    # A: on time throughout, rated 满意, 已解决.
    r["A"] = add_report(session, status="closed", accepted="10-08", respond_due="10-09",
                        responded="10-08", reply_due="10-15", replied="10-12",
                        outcome="resolved", ratings=["satisfied"], category=cat)
    # B: late response and late first reply, 不满意 then 基本满意 after 差评整改, 部分解决.
    r["B"] = add_report(session, status="closed", accepted="10-09", respond_due="10-10",
                        responded="10-12", reply_due="10-16", replied="10-20",
                        outcome="partly", ratings=["unsatisfied", "basically"], category=cat)
    # C: on time, rated 不满意 and now in 差评整改 (not closed), 未解决.
    r["C"] = add_report(session, status="reopened", accepted="10-13", respond_due="10-14",
                        responded="10-13", reply_due="10-20", replied="10-19",
                        outcome="unresolved", ratings=["unsatisfied"])
    # D: replied on its due day, not yet rated (已答复待评价 counts as closed).
    r["D"] = add_report(session, status="replied", accepted="10-20", respond_due="10-21",
                        responded="10-21", reply_due="10-27", replied="10-27", outcome="resolved")
    # E: responded, no reply, reply deadline 11-04 passed.
    r["E"] = add_report(session, status="acknowledged", accepted="10-28", respond_due="10-29",
                        responded="10-29", reply_due="11-04")
    # F: nothing done, both deadlines passed.
    r["F"] = add_report(session, status="assigned", accepted="10-30", respond_due="10-31",
                        reply_due="11-06")
    # G: 已办结（未评价）, reply a day late.
    r["G"] = add_report(session, status="closed_unrated", accepted="10-02", respond_due="10-09",
                        responded="10-02", reply_due="10-09", replied="10-10", outcome="resolved")
    # L: accepted 10-31 with deadlines still ahead (a 12345 工单's own deadline).
    r["L"] = add_report(session, status="assigned", accepted="10-31", respond_due="11-24",
                        reply_due="11-30")
    # H: a duplicate merged into A (并案): counts once, on A.
    r["H"] = add_report(session, status="closed", accepted="10-08", respond_due="10-09",
                        responded="10-08", reply_due="10-15", replied="10-12",
                        outcome="resolved", ratings=["unsatisfied"], merged_into=r["A"].id)
    # I and J: accepted outside October.
    add_report(session, status="closed", accepted="09-30", respond_due="10-01",
               responded="09-30", reply_due="10-09", replied="10-01", outcome="resolved",
               ratings=["satisfied"])
    add_report(session, status="assigned", accepted="11-02", respond_due="11-03",
               reply_due="11-09")
    # K: refused on 10-15; the filer named 区发改局.
    k = add_report(session, status="rejected", concerned="区发改局")
    session.add(ReportEvent(report_id=k.id, at=t("10-15"), action="reject", public=True,
                            note_public=True, from_status="submitted", to_status="rejected"))
    # M: 区住建局, on time and 满意.
    r["M"] = add_report(session, "区住建局", status="closed", accepted="10-10", respond_due="10-12",
                        responded="10-10", reply_due="10-16", replied="10-15",
                        outcome="resolved", ratings=["satisfied"])
    # Notices: F 提醒单 10-31 and B 提醒单 10-11 count; B's withdrawn 督办单 and E's 催办单 of
    # 11-05 (outside October) do not; M 催办单 10-14 counts for 区住建局.
    add_notice(session, r["F"], "reminder", "10-31")
    add_notice(session, r["B"], "reminder", "10-11")
    add_notice(session, r["B"], "supervision", "10-12", withdrawn=True)
    add_notice(session, r["E"], "urging", "11-05")
    add_notice(session, r["M"], "urging", "10-14")
    session.flush()
    return r


def ratio(num, den):
    return {"num": num, "den": den, "rate": round(num / den, 4) if den else None}


FGJ = {
    "accepted": 8,  # A B C D E F G L
    "rejected": 1,  # K
    "closed": 4,  # A B D G (C is in 差评整改)
    "closing_rate": ratio(4, 8),
    # responded on time: A C D E G; due: those 6 responded (A B C D E G) + F overdue; L not yet.
    "on_time_response": ratio(5, 7),
    # first reply on time: A C D; due: A B C D G replied + E F overdue; L not yet.
    "on_time_closing": ratio(3, 7),
    "satisfaction": ratio(2, 3),  # latest: A 满意, B 基本满意, C 不满意
    "first_satisfaction": ratio(1, 3),  # first: A 满意, B 不满意, C 不满意
    "rectification": ratio(1, 2),  # rated 不满意: B C; now pleased: B
    "resolution": ratio(3, 5),  # A D G 已解决 of A B C D G
    "notices": {"reminder": 2, "urging": 0, "supervision": 0, "transfer": 0},
}
ZJJ = {
    "accepted": 1, "rejected": 0, "closed": 1, "closing_rate": ratio(1, 1),
    "on_time_response": ratio(1, 1), "on_time_closing": ratio(1, 1),
    "satisfaction": ratio(1, 1), "first_satisfaction": ratio(1, 1),
    "rectification": ratio(0, 0), "resolution": ratio(1, 1),
    "notices": {"reminder": 0, "urging": 1, "supervision": 0, "transfer": 0},
}


def test_every_unit_figure_matches_the_hand_count(session, october):
    office = make_user(session, Role.SUPERVISOR)
    figures = stats.period_figures(session, actor=office, start=OCT[0], end=OCT[1])
    units = {row["unit"]: row for row in figures["units"]}
    assert units["区发改局"] == {"unit": "区发改局", **FGJ}
    assert units["区住建局"] == {"unit": "区住建局", **ZJJ}
    assert units["区财政局"]["accepted"] == 0
    assert units["区财政局"]["closing_rate"] == {"num": 0, "den": 0, "rate": None}


def test_the_district_total_adds_the_units_up(session, october):
    office = make_user(session, Role.DISCIPLINE)
    total = stats.period_figures(session, actor=office, start=OCT[0], end=OCT[1])["total"]
    assert total["accepted"] == 9 and total["closed"] == 5 and total["rejected"] == 1
    assert total["on_time_response"] == ratio(6, 8)
    assert total["on_time_closing"] == ratio(4, 8)
    assert total["satisfaction"] == ratio(3, 4)
    assert total["first_satisfaction"] == ratio(2, 4)
    assert total["rectification"] == ratio(1, 2)
    assert total["resolution"] == ratio(4, 6)
    assert total["notices"] == {"reminder": 2, "urging": 1, "supervision": 0, "transfer": 0}
    assert list(total) == ["accepted", "rejected", "closed", *stats.RATES, "notices"]


def test_the_summed_district_equals_a_district_wide_pass(session, october):
    figures = stats.compute(session, start=OCT[0], end=OCT[1])
    assert figures["total"] == stats.district(session, OCT[0], OCT[1])


def test_the_json_names_one_unit_when_asked(session, october):
    office = make_user(session, Role.ADMIN)
    figures = stats.period_figures(session, actor=office, start=OCT[0], end=OCT[1],
                                   unit_name="区住建局")
    assert [row["unit"] for row in figures["units"]] == ["区住建局"]
    assert figures["from"] == "2026-10-01" and figures["to"] == "2026-10-31"
    with pytest.raises(ValidationError):
        stats.period_figures(session, actor=office, start=OCT[0], end=OCT[1], unit_name="区不存在局")


def test_a_unit_user_sees_its_own_figures_and_the_district_only(session, october):
    clerk = make_user(session, Role.UNIT, unit="区住建局")
    figures = stats.period_figures(session, actor=clerk, start=OCT[0], end=OCT[1])
    assert [row["unit"] for row in figures["units"]] == ["区住建局"]
    assert figures["total"]["accepted"] == 9
    with pytest.raises(PermissionDenied):
        stats.area_figures(session, actor=clerk, start=OCT[0], end=OCT[1])
    with pytest.raises(PermissionDenied):
        stats.period_figures(session, actor=make_user(session, Role.COMPANY),
                             start=OCT[0], end=OCT[1])


def test_figures_per_area_put_uncategorised_reports_apart(session, october):
    office = make_user(session, Role.SUPERVISOR)
    areas = {row["area"]: row for row in stats.area_figures(session, actor=office,
                                                            start=OCT[0], end=OCT[1])}
    categorised = [name for name in areas if name != "未分类"]
    assert len(categorised) == 1  # A and B, category 16
    assert areas[categorised[0]]["accepted"] == 2
    assert areas[categorised[0]]["closing_rate"] == ratio(2, 2)
    assert areas["未分类"]["accepted"] == 7
    assert areas["未分类"]["rejected"] == 1


def test_a_reversed_period_is_refused(session):
    office = make_user(session, Role.SUPERVISOR)
    with pytest.raises(ValidationError):
        stats.period_figures(session, actor=office, start=OCT[1], end=OCT[0])


def test_small_denominators_are_shown_as_too_few_and_ranked_last(session, october):
    office = make_user(session, Role.SUPERVISOR)
    rows = stats.period_figures(session, actor=office, start=OCT[0], end=OCT[1])["units"]
    fgj = next(row for row in rows if row["unit"] == "区发改局")
    assert stats.rate_label(fgj["satisfaction"]) == "样本不足（2/3）"
    assert stats.rate_label(fgj["closing_rate"]) == "50.0%（4/8）"
    ranked = stats.ranking(rows, "closing_rate")
    assert ranked[0] == {"rank": 1, "unit": "区发改局", "closing_rate": ratio(4, 8)}
    assert all(row["rank"] is None for row in ranked[1:])  # 区住建局 1/1 and the empty units


def test_242_accepted_236_closed_is_97_5_percent_not_the_seed_s_98_3(session):
    for n in range(242):
        add_report(session, "区住建局", status="closed" if n < 236 else "acknowledged",
                   accepted="10-12", respond_due="10-13", responded="10-12",
                   reply_due="10-19", replied="10-16" if n < 236 else None)
    office = make_user(session, Role.SUPERVISOR)
    row = stats.period_figures(session, actor=office, start=OCT[0], end=OCT[1],
                               unit_name="区住建局")["units"][0]
    assert row["closed"] == 236
    assert row["closing_rate"] == {"num": 236, "den": 242, "rate": 0.9752}
    assert stats.rate_label(row["closing_rate"]) == "97.5%（236/242）"


def test_the_flow_keeps_the_accepted_day_and_the_first_reply_through_a_reopen(session, monkeypatch):
    from tests.services.test_report_flow import file

    supervisor = make_user(session, Role.SUPERVISOR)
    worker = make_user(session, Role.UNIT, unit="区发改局")
    filed = file(session)
    report_flow.assign(session, actor=supervisor, report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=16)
    report = session.get(Report, filed.report_id)
    assert report.accepted_on == date(2026, 11, 23)
    first_due = report.first_reply_due
    assert first_due == report.reply_due
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 24, 15, 0))
    report_flow.reply(session, actor=worker, report_id=filed.report_id, result="已处理",
                      outcome="resolved")
    report_flow._rate(session, report, None, "unsatisfied", "没解决")
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 26, 15, 0))
    report_flow.reply(session, actor=worker, report_id=filed.report_id, result="再处理",
                      outcome="resolved")
    assert report.first_replied_at == datetime(2026, 11, 24, 15, 0)
    assert report.first_reply_due == first_due
    assert report.replied_at == datetime(2026, 11, 26, 15, 0)
    assert report.accepted_on == date(2026, 11, 23)


def test_the_weekly_trend_counts_each_report_in_the_week_it_was_accepted(session, october):
    office = make_user(session, Role.SUPERVISOR)
    weeks = stats.trend(session, actor=office, start=OCT[0], end=OCT[1], by="week")
    # Mondays: G 10-02 → 09-28; A B M → 10-05; C → 10-12; D → 10-20 → 10-19; E F L → 10-26
    assert [(w["period"], w["accepted"], w["closed"]) for w in weeks] == [
        ("2026-09-28", 1, 1), ("2026-10-05", 3, 3), ("2026-10-12", 1, 0), ("2026-10-19", 1, 1),
        ("2026-10-26", 3, 0)]
    months = stats.trend(session, actor=office, start=OCT[0], end=OCT[1], by="month")
    assert [(m["period"], m["accepted"], m["closed"]) for m in months] == [("2026-10-01", 9, 5)]
    assert months[0]["on_time_closing"] == ratio(4, 8)
    with pytest.raises(ValidationError):
        stats.trend(session, actor=office, start=OCT[0], end=OCT[1], by="day")


def test_the_heat_map_crosses_units_and_areas(session, october):
    office = make_user(session, Role.DISCIPLINE)
    cells = stats.unit_area(session, actor=office, start=OCT[0], end=OCT[1])
    by_key = {(c["unit"], c["area"] == "未分类"): c for c in cells}
    assert len(cells) == 3
    assert by_key[("区发改局", False)]["accepted"] == 2  # A B
    assert by_key[("区发改局", False)]["closing_rate"] == ratio(2, 2)
    assert by_key[("区发改局", True)]["closing_rate"] == ratio(2, 6)  # D G of C D E F G L
    assert by_key[("区住建局", True)]["accepted"] == 1


def test_period_shortcuts_run_from_the_start_of_month_quarter_and_year_to_today():
    today = date(2026, 11, 23)
    assert stats.period_range("month", today) == (date(2026, 11, 1), today)
    assert stats.period_range("quarter", today) == (date(2026, 10, 1), today)
    assert stats.period_range("year", today) == (date(2026, 1, 1), today)
