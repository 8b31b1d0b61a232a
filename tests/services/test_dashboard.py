"""The dashboards' service calls: 日调度 lists, red cards, the unit's figures and the 台账."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from portal import dashboard, quotas
from portal.errors import PermissionDenied
from portal.models import Notice, SelfcheckCampaign, SelfcheckCampaignUnit
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services import test_stats
from tests.services.test_stats import OCT, add_report

fixed_today = test_stats.fixed_today  # the same fixed Monday and the same October reports
october = test_stats.october

MONDAY = date(2026, 11, 23)  # the tests' today (fixed_today): Monday 09:00


@pytest.fixture
def live(session):
    """Open reports by their current deadline, and this morning's notices."""
    rows = {}
    for name, due, created in (("red", date(2026, 11, 20), datetime(2026, 11, 13, 9)),
                               ("today", MONDAY, datetime(2026, 11, 16, 9)),
                               ("next", date(2026, 11, 24), datetime(2026, 11, 17, 9)),
                               ("new", date(2026, 11, 30), datetime(2026, 11, 23, 8, 15))):
        report = add_report(session, status="assigned", accepted="11-13", respond_due="11-14",
                            reply_due="11-20")
        report.current_due, report.created_at = due, created
        session.add(report)
        rows[name] = report
    for number, at, withdrawn in (("提醒〔2026〕1号", datetime(2026, 11, 23, 8, 0), False),
                                  ("提醒〔2026〕2号", datetime(2026, 11, 23, 8, 5), True),
                                  ("提醒〔2026〕3号", datetime(2026, 11, 22, 16, 0), False)):
        session.add(Notice(kind="reminder", number=number, report_id=rows["red"].id,
                           unit_id=rows["red"].unit_id, issued_on=at.date(), issued_at=at,
                           reason="逾期", overdue_days=1, withdrawn=withdrawn))
    session.flush()
    return rows


def test_daily_dispatch_lists_today_s_work(session, live):
    office = make_user(session, Role.SUPERVISOR)
    day = dashboard.daily_dispatch(session, actor=office)
    assert [r["tracking_no"] for r in day["new"]] == [live["new"].tracking_no]
    assert [r["tracking_no"] for r in day["due_today"]] == [live["today"].tracking_no]
    assert day["due_today"][0]["card"] == "yellow"
    assert [r["tracking_no"] for r in day["due_next"]] == [live["next"].tracking_no]
    assert [(r["tracking_no"], r["overdue_days"]) for r in day["red"]] == [
        (live["red"].tracking_no, 3)]
    # this morning's, not withdrawn, not yesterday's
    assert [n["number"] for n in day["notices"]] == ["提醒〔2026〕1号"]
    with pytest.raises(PermissionDenied):
        dashboard.daily_dispatch(session, actor=make_user(session, Role.UNIT))


def test_the_office_dashboard_carries_figures_and_the_red_cards(session, october, live):
    office = make_user(session, Role.DISCIPLINE)
    board = dashboard.office_dashboard(session, actor=office, start=OCT[0], end=OCT[1])
    assert board["total"]["accepted"] == 9
    assert board["red_count"] == 1
    assert [r["tracking_no"] for r in board["overdue"]] == [live["red"].tracking_no]
    assert {row["unit"] for row in board["heat"]} == {"区发改局", "区住建局"}
    assert board["trend"][0]["period"] == "2026-10-01"


def test_the_red_cards_are_found_by_their_deadline_not_by_the_merge_column(session, live):
    """#17: nearly every report has no merged_into_id, so walking an index on it reads them
    all (220 ms at 1,000,000); the red cards are read by the index on the deadline."""
    from sqlalchemy import event

    office = make_user(session, Role.SUPERVISOR)
    statements = []
    listen = lambda *args: statements.append((args[2], args[3]))  # noqa: E731
    event.listen(session.get_bind(), "before_cursor_execute", listen)
    try:
        board = dashboard.office_dashboard(session, actor=office, start=date(2026, 11, 1),
                                           end=MONDAY)
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listen)
    assert board["red_count"] == 1
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    red = [(sql, params) for sql, params in statements if "reports.current_due <" in sql]
    assert len(red) == 2  # the rows and the count
    for sql, params in red:
        plan = " / ".join(row[3] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sql, params))
        assert "ix_reports_current_due" in plan, plan


def test_a_unit_home_shows_its_own_figures_beside_the_district(session, october):
    clerk = make_user(session, Role.UNIT, unit="区住建局")
    campaign = SelfcheckCampaign(year=2026, quarter=4, due_date=date(2026, 12, 20))
    session.add(campaign)
    session.flush()
    session.add(SelfcheckCampaignUnit(campaign_id=campaign.id,
                                      unit_id=unit_id(session, "区住建局")))
    session.flush()
    home = dashboard.unit_home(session, actor=clerk, start=OCT[0], end=OCT[1])
    assert home["unit"]["unit"] == "区住建局" and home["unit"]["accepted"] == 1
    assert home["total"]["accepted"] == 9
    assert home["selfcheck"] == {"campaign": "2026年第四季度", "due": date(2026, 12, 20),
                                 "status": "missing"}
    expected = next((r for r in quotas.compute(session, year=2026, on=MONDAY)
                     if r["unit"] == "区住建局"), None)
    assert home["quota"] == (None if expected is None else [
        {"date": c["date"], "status": c["status"], "cases": c["cases"],
         "required": c["required_cases"]} for c in expected["checkpoints"]])
    with pytest.raises(PermissionDenied):
        dashboard.unit_home(session, actor=make_user(session, Role.SUPERVISOR),
                            start=OCT[0], end=OCT[1])


def _ledger(session, actor):
    book = load_workbook(BytesIO(dashboard.ledger_workbook(session, actor=actor, start=OCT[0],
                                                           end=OCT[1])))
    sheet = book["台账"]
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, rows[0], rows[1:]


def test_the_ledger_has_one_row_per_accepted_report_and_hides_confidential_filers(
        session, october):
    secret = october["D"]
    secret.confidential, secret.contact_name, secret.contact_mobile = True, "张三", "13800000000"
    open_filer = october["A"]
    open_filer.confidential, open_filer.contact_name = False, "=HYPERLINK(\"http://x\")"
    session.add_all([secret, open_filer])
    session.flush()
    sheet, headers, rows = _ledger(session, make_user(session, Role.SUPERVISOR))
    assert list(headers) == list(dashboard.LEDGER_HEADERS)
    assert len(rows) == 9  # A–G, L and M; not the merged H, not September or November
    by_number = {row[0]: dict(zip(headers, row, strict=True)) for row in rows}
    b = by_number[october["B"].tracking_no]
    assert (b["受理日期"], b["按时响应"], b["按时答复"]) == ("2026-10-09", "否", "否")
    assert (b["首次评价"], b["最新评价"], b["解决情况"]) == ("不满意", "基本满意", "部分解决")
    assert b["提醒单"] == 1 and b["督办单"] == 0  # the withdrawn 督办单 is not counted
    f = by_number[october["F"].tracking_no]
    assert (f["按时响应"], f["按时答复"], f["状态"]) == ("否", "否", "已分办")
    assert by_number[october["L"].tracking_no]["按时响应"] is None  # deadline ahead: empty cell
    assert by_number[secret.tracking_no]["反映人"] == "张三"  # the office may read it
    name_cell = next(c for c in sheet["U"] if c.value == "=HYPERLINK(\"http://x\")")
    assert name_cell.data_type == "s"  # stored as text, never a live formula

    _, _, admin_rows = _ledger(session, make_user(session, Role.ADMIN))
    admin_view = {row[0]: row for row in admin_rows}
    assert admin_view[secret.tracking_no][-3:] == ("（保密）", "（保密）", "（保密）")
    with pytest.raises(PermissionDenied):
        _ledger(session, make_user(session, Role.UNIT))
