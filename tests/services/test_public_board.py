"""The public board (亮晒) of a year or month: figures with num/den, no personal data, a cache
that follows every write."""

from datetime import date

import pytest

from portal import board, report_flow
from portal.models import SelfcheckCampaign, SelfcheckCampaignUnit, SelfcheckForm
from tests.factories import unit_id
from tests.services import test_stats
from tests.services.test_stats import add_report, ratio

fixed_today = test_stats.fixed_today
october = test_stats.october


@pytest.fixture(autouse=True)
def fresh_cache():
    board.clear_cache()
    yield
    board.clear_cache()


def test_the_month_board_gives_each_unit_s_public_figures(session, october):
    for report in october.values():
        report.contact_name, report.contact_mobile = "李四", "13912345678"
        session.add(report)
    campaign = SelfcheckCampaign(year=2026, quarter=4, due_date=date(2026, 12, 20))
    session.add(campaign)
    session.flush()
    for unit in ("区发改局", "区住建局"):
        session.add(SelfcheckCampaignUnit(campaign_id=campaign.id, unit_id=unit_id(session, unit)))
    session.add(SelfcheckForm(campaign_id=campaign.id, unit_id=unit_id(session, "区发改局"),
                              status="submitted"))
    session.flush()
    shown = board.period_board(session, year=2026, month=10)
    units = {u["unit"]: u for u in shown["units"]}
    fgj = units["区发改局"]
    assert fgj["accepted"] == 8
    assert fgj["closing_rate"] == ratio(4, 8)
    assert fgj["on_time_closing"] == ratio(3, 7)
    assert fgj["satisfaction"] == ratio(2, 3)
    assert fgj["selfcheck"] == {"num": 1, "den": 1}
    assert units["区住建局"]["selfcheck"] == {"num": 0, "den": 1}
    assert shown["total"]["accepted"] == 9 and shown["total"]["selfcheck"] == {"num": 1, "den": 2}
    assert set(fgj) == {"unit", "accepted", "closing_rate", "on_time_closing", "satisfaction",
                        "selfcheck", "quota"}
    assert "李四" not in str(shown) and "13912345678" not in str(shown)
    assert (shown["from"], shown["to"]) == ("2026-10-01", "2026-10-31")


def test_the_year_board_counts_the_whole_year(session, october):
    shown = board.period_board(session, year=2026)
    assert shown["total"]["accepted"] == 11  # October's nine, September's I, November's J
    assert (shown["from"], shown["to"]) == ("2026-01-01", "2026-12-31")


def test_the_cached_board_is_recomputed_after_a_write(session, october):
    first = board.period_board(session, year=2026, month=10)
    assert board.period_board(session, year=2026, month=10) is first  # cached
    report = october["D"]  # replied, unrated
    report_flow._rate(session, report, None, "satisfied", "")
    session.flush()
    after = board.period_board(session, year=2026, month=10)
    assert after is not first
    fgj = {u["unit"]: u for u in after["units"]}["区发改局"]
    assert fgj["satisfaction"] == ratio(3, 4)


def test_a_new_rating_row_alone_moves_the_cache_version(session, october):
    """Every service write is audited and writes events or ratings; a new rating row by itself
    is already enough to recompute the board."""
    first = board.period_board(session, year=2026, month=10)
    add_report(session, status="closed", accepted="10-15", respond_due="10-16",
               responded="10-15", reply_due="10-22", replied="10-20", outcome="resolved",
               ratings=["satisfied"])
    after = board.period_board(session, year=2026, month=10)
    assert after["total"]["accepted"] == first["total"]["accepted"] + 1
