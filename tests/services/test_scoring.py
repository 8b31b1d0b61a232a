"""考核评分 on the hand-made October reports, under rules chosen so each point is easy to check."""

from datetime import date

import pytest

from portal import scoring
from portal.errors import PermissionDenied, ValidationError
from portal.models import SelfcheckCampaign, SelfcheckCampaignUnit, SelfcheckForm
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services import test_stats

fixed_today = test_stats.fixed_today
october = test_stats.october

RULES_2026 = {"w_closing_rate": 18, "w_on_time_response": 16, "w_on_time_closing": 16,
              "w_satisfaction": 40, "w_resolution": 10, "d_supervision": 2, "d_transfer": 5,
              "d_red_card": 0.5, "d_selfcheck_late": 1, "d_selfcheck_missing": 3,
              "d_quota_missed": 5}


@pytest.fixture
def fourth_quarter_selfcheck(session):
    """Q4 due 2026-11-20 (passed): 区发改局 filed late, 区住建局 filed nothing."""
    campaign = SelfcheckCampaign(year=2026, quarter=4, due_date=date(2026, 11, 20))
    session.add(campaign)
    session.flush()
    for unit in ("区发改局", "区住建局"):
        session.add(SelfcheckCampaignUnit(campaign_id=campaign.id, unit_id=unit_id(session, unit)))
    session.add(SelfcheckForm(campaign_id=campaign.id, unit_id=unit_id(session, "区发改局"),
                              status="submitted", late=True))
    session.flush()


def test_the_quarter_score_explains_every_point(session, october, fourth_quarter_selfcheck):
    scoring.set_rules(session, actor=make_user(session, Role.ADMIN), year=2026,
                      values=RULES_2026)
    result = scoring.scores(session, actor=make_user(session, Role.DISCIPLINE), year=2026,
                            quarter=4)
    assert (result["from"], result["to"], result["rules_year"]) == ("2026-10-01", "2026-12-31",
                                                                    2026)
    fgj = result["units"][0]
    assert (fgj["unit"], fgj["rank"], fgj["accepted"]) == ("区发改局", 1, 9)  # A–G, L and J
    points = {i["item"]: i["points"] for i in fgj["items"]}
    assert points == {
        "closing_rate": 8.0,  # 4/9 × 18
        "on_time_response": 10.0,  # 5/8 × 16 (J's respond deadline 11-03 passed)
        "on_time_closing": 6.0,  # 3/8 × 16
        "satisfaction": 30.0,  # 2/3 is 样本不足: the district's 3/4 × 40
        "resolution": 6.0,  # 3/5 × 10
        "supervision": 0.0,  # B's 督办单 was withdrawn
        "transfer": 0.0,
        "red_card": -1.0,  # 提醒单 for F and B × 0.5
        "selfcheck_late": -1.0,
        "selfcheck_missing": 0.0,
        "quota_missed": 0.0,  # the 12-31 checkpoint is not yet due on 11-23
    }
    assert fgj["score"] == 58.0
    basis = {i["item"]: i["basis"] for i in fgj["items"]}
    assert basis["closing_rate"] == "44.4%（4/9）× 18"
    assert basis["satisfaction"] == "样本不足（2/3），按全区 75.0% × 40"
    zjj = next(u for u in result["units"] if u["unit"] == "区住建局")
    assert zjj["rank"] is None  # one report: listed, not ranked
    assert {i["item"]: i["points"] for i in zjj["items"]}["selfcheck_missing"] == -3.0


def test_a_year_without_own_rules_uses_the_default_row(session, october):
    result = scoring.scores(session, actor=make_user(session, Role.SUPERVISOR), year=2027)
    assert result["rules_year"] == 0
    assert (result["from"], result["to"]) == ("2027-01-01", "2027-12-31")


def test_rules_are_checked_and_only_admins_set_them(session):
    admin = make_user(session, Role.ADMIN)
    with pytest.raises(ValidationError, match="error.scoring_weights"):
        scoring.set_rules(session, actor=admin, year=2026,
                          values={**RULES_2026, "w_resolution": 11})
    with pytest.raises(ValidationError, match="error.scoring_deductions"):
        scoring.set_rules(session, actor=admin, year=2026, values={**RULES_2026, "d_transfer": -1})
    with pytest.raises(ValidationError, match="error.scoring_number"):
        scoring.set_rules(session, actor=admin, year=2026, values={**RULES_2026, "d_transfer": "x"})
    with pytest.raises(PermissionDenied):
        scoring.set_rules(session, actor=make_user(session, Role.DISCIPLINE), year=2026,
                          values=RULES_2026)
    with pytest.raises(PermissionDenied):
        scoring.scores(session, actor=make_user(session, Role.UNIT), year=2026)
    with pytest.raises(ValidationError):
        scoring.scores(session, actor=admin, year=2026, quarter=5)
