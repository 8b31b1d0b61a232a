"""Similar earlier reports, 并案 (merge/unmerge) and related links."""

from datetime import datetime, timedelta

import pytest

from portal import clock, duplicates, report_flow, reports
from portal.errors import PermissionDenied, ValidationError
from portal.models import Report
from portal.report_types import Rating, Status
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import valid_input

START = datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def at(monkeypatch):
    """Move the clock: at(hours) sets now to START + hours."""
    moment = {"now": START}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])

    def move(hours: float) -> None:
        moment["now"] = START + timedelta(hours=hours)
    return move


@pytest.fixture
def people(session):
    return {"supervisor": make_user(session, Role.SUPERVISOR),
            "fgj": make_user(session, Role.UNIT, unit="区发改局"),
            "unit": make_user(session, Role.UNIT, unit="区发改局")}


FOOD = ("餐饮许可证跑了四趟", "申请食品经营许可证，窗口每次只说一样缺的材料，前后跑了四趟还没受理。")
FOOD_AGAIN = ("食品经营许可证多次跑腿", "办理食品经营许可证时窗口每次只告知一项缺件，来回跑了四趟仍未受理。")
ROAD = ("园区道路破损", "园区主干道坑洼很多，下雨积水，货车无法通行，希望尽快修复。")


def file(session, title, description, **changes):
    return reports.file_report(session, actor=None, data=valid_input(
        title=title, description=description, **changes))


def assign(session, people, report_id, unit="区发改局"):
    report_flow.assign(session, actor=people["supervisor"], report_id=report_id,
                       unit_id=unit_id(session, unit), category_number=15)


def test_an_earlier_report_on_the_same_problem_is_listed_with_a_score(session, people, at):
    at(0)
    first = file(session, *FOOD)
    at(1)
    other = file(session, *ROAD)
    at(2)
    again = file(session, *FOOD_AGAIN)
    at(3)
    later = file(session, *FOOD)
    found = duplicates.similar_reports(session, actor=people["supervisor"],
                                       report_id=again.report_id)
    ids = [s.report_id for s in found]
    assert first.report_id in ids
    assert other.report_id not in ids  # a different problem of the same company
    assert later.report_id not in ids  # only earlier reports
    best = found[0]
    assert best.report_id == first.report_id and 0.35 <= best.score <= 1
    assert "same_company" in best.reasons and best.text_score > 0.3


def test_traditional_characters_do_not_hide_a_duplicate(session, people, at):
    at(0)
    first = file(session, *FOOD)
    at(1)
    again = file(session, "餐飲許可證跑了四趟", "申請食品經營許可證，窗口每次只說一樣缺的材料，前後跑了四趟。",
                 anonymous=True, concerned_unit_id=None)
    found = duplicates.similar_reports(session, actor=people["supervisor"],
                                       report_id=again.report_id)
    assert found and found[0].report_id == first.report_id and found[0].text_score > 0.5


def test_reports_older_than_the_window_are_not_candidates(session, people, at):
    at(0)
    first = file(session, *FOOD)
    at(24 * (duplicates.WINDOW_DAYS + 1))
    again = file(session, *FOOD_AGAIN)
    assert first.report_id not in [s.report_id for s in duplicates.similar_reports(
        session, actor=people["supervisor"], report_id=again.report_id)]


def test_only_a_bounded_set_of_candidates_is_scored(session, people, at, monkeypatch):
    at(0)
    first = file(session, *FOOD)
    at(1)
    file(session, *ROAD)
    at(2)
    again = file(session, *FOOD_AGAIN)
    monkeypatch.setattr(duplicates, "MAX_CANDIDATES", 1)  # only the newest candidate: ROAD
    assert first.report_id not in [s.report_id for s in duplicates.similar_reports(
        session, actor=people["supervisor"], report_id=again.report_id)]


def test_units_cannot_look_for_duplicates_or_merge(session, people, at):
    at(0)
    first, again = file(session, *FOOD), file(session, *FOOD_AGAIN)
    with pytest.raises(PermissionDenied):
        duplicates.similar_reports(session, actor=people["fgj"], report_id=again.report_id)
    with pytest.raises(PermissionDenied):
        duplicates.merge(session, actor=people["fgj"], duplicate_id=again.report_id,
                         main_id=first.report_id)


def test_a_merged_duplicate_follows_the_main_report_and_its_filer_rates_on_their_own(
        session, people, at):
    at(0)
    main = file(session, *FOOD)
    at(1)
    dup = file(session, *FOOD_AGAIN, contact_name="钱敏", contact_mobile="13800001111")
    assign(session, people, main.report_id)
    duplicates.merge(session, actor=people["supervisor"], duplicate_id=dup.report_id,
                     main_id=main.report_id, note="同一窗口同一问题")
    merged = session.get(Report, dup.report_id)
    assert merged.merged_into_id == main.report_id
    assert merged.status == Status.ASSIGNED and merged.unit_id == unit_id(session, "区发改局")
    assert merged.current_due is None  # no cards or notices of its own: counted once
    with pytest.raises(ValidationError, match="error.triage_report_merged"):
        report_flow.respond(session, actor=people["fgj"], report_id=dup.report_id, note="收到")

    at(2)
    report_flow.respond(session, actor=people["fgj"], report_id=main.report_id, note="已签收")
    report_flow.reply(session, actor=people["fgj"], report_id=main.report_id,
                      result="已一次性告知全部材料并当场受理",
                      outcome="resolved")
    assert session.get(Report, dup.report_id).status == Status.REPLIED
    view = reports.public_view(session, tracking_no=dup.tracking_no, query_code=dup.query_code)
    assert [e.action for e in view.events] == ["file", "merge", "respond", "reply"]
    assert view.events[-1].note == "已一次性告知全部材料并当场受理"
    assert main.tracking_no in view.events[1].note

    report_flow.rate_with_code(session, tracking_no=main.tracking_no, query_code=main.query_code,
                               rating=Rating.SATISFIED)
    assert session.get(Report, dup.report_id).status == Status.REPLIED  # not rated for them
    report_flow.rate_with_code(session, tracking_no=dup.tracking_no, query_code=dup.query_code,
                               rating=Rating.BASICALLY)
    assert session.get(Report, dup.report_id).status == Status.CLOSED
    main_events = reports.staff_view(session, actor=people["supervisor"],
                                     report_id=main.report_id).events
    assert "merge_in" in [e.action for e in main_events]


def test_an_unsatisfied_filer_of_a_duplicate_gets_their_own_rectification(session, people, at):
    at(0)
    main, dup = file(session, *FOOD), file(session, *FOOD_AGAIN)
    assign(session, people, main.report_id)
    duplicates.merge(session, actor=people["supervisor"], duplicate_id=dup.report_id,
                     main_id=main.report_id)
    report_flow.reply(session, actor=people["fgj"], report_id=main.report_id, result="已办",
                      outcome="resolved")
    report_flow.rate_with_code(session, tracking_no=dup.tracking_no, query_code=dup.query_code,
                               rating=Rating.UNSATISFIED, comment="我的还没办")
    reopened = session.get(Report, dup.report_id)
    assert reopened.status == Status.REOPENED and reopened.merged_into_id is None
    assert reopened.current_due is not None
    report_flow.reply(session, actor=people["fgj"], report_id=dup.report_id, result="已单独办理",
                      outcome="resolved")
    assert session.get(Report, main.report_id).status == Status.REPLIED


def test_unmerge_sends_the_report_back_to_triage_and_it_no_longer_follows(session, people, at):
    at(0)
    main, dup = file(session, *FOOD), file(session, *FOOD_AGAIN)
    assign(session, people, main.report_id)
    duplicates.merge(session, actor=people["supervisor"], duplicate_id=dup.report_id,
                     main_id=main.report_id)
    with pytest.raises(ValidationError, match="error.triage_reason_required"):
        duplicates.unmerge(session, actor=people["supervisor"], duplicate_id=dup.report_id,
                           reason=" ")
    duplicates.unmerge(session, actor=people["supervisor"], duplicate_id=dup.report_id,
                       reason="并非同一事项")
    back = session.get(Report, dup.report_id)
    assert back.merged_into_id is None and back.status == Status.SUBMITTED
    assert back.unit_id is None and back.reply_due is None
    report_flow.reply(session, actor=people["fgj"], report_id=main.report_id, result="已办",
                      outcome="resolved")
    assert session.get(Report, dup.report_id).status == Status.SUBMITTED
    view = reports.public_view(session, tracking_no=dup.tracking_no, query_code=dup.query_code)
    assert [e.action for e in view.events] == ["file", "merge", "unmerge"]
    assert view.events[-1].note == "并非同一事项"
    rows, _ = reports.office_queue(session, actor=people["supervisor"],
                                   statuses=[Status.SUBMITTED])
    assert dup.report_id in [r["id"] for r in rows]
    with pytest.raises(ValidationError, match="error.triage_not_merged"):
        duplicates.unmerge(session, actor=people["supervisor"], duplicate_id=dup.report_id,
                           reason="再来一次")


def test_merges_that_would_make_chains_or_loops_are_refused(session, people, at):
    at(0)
    a, b, c = file(session, *FOOD), file(session, *FOOD_AGAIN), file(session, *FOOD)
    boss = people["supervisor"]
    with pytest.raises(ValidationError, match="error.triage_merge_self"):
        duplicates.merge(session, actor=boss, duplicate_id=a.report_id, main_id=a.report_id)
    duplicates.merge(session, actor=boss, duplicate_id=b.report_id, main_id=a.report_id)
    with pytest.raises(ValidationError, match="error.triage_main_is_duplicate"):
        duplicates.merge(session, actor=boss, duplicate_id=c.report_id, main_id=b.report_id)
    with pytest.raises(ValidationError, match="error.triage_has_duplicates"):
        duplicates.merge(session, actor=boss, duplicate_id=a.report_id, main_id=c.report_id)
    with pytest.raises(ValidationError, match="error.triage_already_merged"):
        duplicates.merge(session, actor=boss, duplicate_id=b.report_id, main_id=c.report_id)


def test_related_reports_are_linked_both_ways_and_can_be_unlinked(session, people, at):
    at(0)
    a, b = file(session, *FOOD), file(session, *ROAD)
    boss = people["supervisor"]
    duplicates.link(session, actor=boss, report_id=b.report_id, other_id=a.report_id)
    duplicates.link(session, actor=boss, report_id=a.report_id, other_id=b.report_id)  # no-op
    assert [r["id"] for r in duplicates.group(session, actor=boss, report_id=a.report_id)
            ["related"]] == [b.report_id]
    assert [r["id"] for r in duplicates.group(session, actor=boss, report_id=b.report_id)
            ["related"]] == [a.report_id]
    duplicates.unlink(session, actor=boss, report_id=a.report_id, other_id=b.report_id)
    assert duplicates.group(session, actor=boss, report_id=a.report_id)["related"] == []
    actions = [e.action for e in reports.staff_view(session, actor=boss,
                                                    report_id=a.report_id).events]
    assert actions.count("link") == 1 and actions.count("unlink") == 1


def test_the_public_board_counts_a_merged_group_once(session, people, at):
    from portal import board

    def accepted() -> int:
        rows = {r["unit"]: r for r in board.unit_figures(session)}
        return rows["区发改局"]["accepted"] if "区发改局" in rows else 0

    at(0)
    main, dup = file(session, *FOOD), file(session, *FOOD_AGAIN)
    before = accepted()
    assign(session, people, main.report_id)
    duplicates.merge(session, actor=people["supervisor"], duplicate_id=dup.report_id,
                     main_id=main.report_id)
    assert session.get(Report, dup.report_id).unit_id == unit_id(session, "区发改局")
    assert accepted() == before + 1
