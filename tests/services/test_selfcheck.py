from datetime import date, datetime

import pytest

from portal import clock, selfcheck
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.roles import Role
from portal.selfcheck import EditConflict, FormIncomplete, RowInput
from tests.factories import make_user, unit_id


@pytest.fixture
def people(session):
    return {"supervisor": make_user(session, Role.SUPERVISOR),
            "discipline": make_user(session, Role.DISCIPLINE),
            "fgj": make_user(session, Role.UNIT, unit="区发改局"),
            "fgj2": make_user(session, Role.UNIT, unit="区发改局"),
            "zjj": make_user(session, Role.UNIT, unit="区住建局")}


@pytest.fixture
def at(monkeypatch):
    moment = {"now": datetime(2026, 11, 23, 10, 0)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


def answers(**problems) -> list[RowInput]:
    """32 rows answered 不存在, except those given as number=RowInput fields."""
    rows = [RowInput(category_number=n, has_problem=False) for n in range(1, 33)]
    for key, fields in problems.items():
        rows[int(key.removeprefix("n")) - 1] = RowInput(category_number=int(key[1:]),
                                                        has_problem=True, **fields)
    return rows


COMPLETE = {"description": "窗口一次性告知落实不到位", "measure": "制定告知清单并培训",
            "person": "王科长", "deadline": date(2026, 12, 31), "risk_level": "medium"}


def test_the_due_date_defaults_to_the_10th_working_day_after_the_quarter(session):
    assert selfcheck.default_due(session, 2026, 1) == (date(2026, 4, 15), False)
    assert selfcheck.default_due(session, 2026, 3) == (date(2026, 10, 20), False)
    due, estimated = selfcheck.default_due(session, 2026, 4)
    assert due == date(2027, 1, 14) and estimated  # 2027 has no official calendar yet


def test_supervisors_open_campaigns_and_the_next_one_in_one_click(session, people, at):
    first = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=3)
    assert first.due_date == date(2026, 10, 20)
    nxt = selfcheck.open_next_campaign(session, actor=people["supervisor"])
    assert (nxt.year, nxt.quarter) == (2026, 4)
    after = selfcheck.open_next_campaign(session, actor=people["supervisor"])
    assert (after.year, after.quarter) == (2027, 1)
    with pytest.raises(ValidationError):
        selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=3)
    with pytest.raises(PermissionDenied):
        selfcheck.open_next_campaign(session, actor=people["fgj"])


def test_a_form_has_32_rows_grouped_by_area(session, people, at):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    view = selfcheck.form_view(session, actor=people["fgj"], form_id=form.id)
    assert len(view["rows"]) == 32 and view["status"] == "draft"
    assert view["rows"][0]["area"] == "职责落实" and view["rows"][31]["area"] == "廉洁自律"
    assert selfcheck.open_form(session, actor=people["fgj2"], campaign_id=campaign.id).id == form.id


def test_submission_names_exactly_the_incomplete_rows(session, people, at):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    rows = answers(n15={"description": "告知不到位"}, n16=COMPLETE)
    rows[2].has_problem = None
    with pytest.raises(FormIncomplete) as incomplete:
        selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                         rows=rows)
    assert incomplete.value.missing == {3: ["has_problem"],
                                        15: ["risk_level", "measure", "person", "deadline"]}
    assert incomplete.value.params["rows"] == "3、15"
    assert selfcheck.form_view(session, actor=people["fgj"], form_id=form.id)["status"] == "draft"


def test_draft_submit_return_resubmit_accept(session, people, at):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    draft = selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id,
                                 version=form.version, rows=answers(n16=COMPLETE)[:20])
    submitted = selfcheck.submit(session, actor=people["fgj"], form_id=form.id,
                                 version=draft.version, rows=answers(n16=COMPLETE))
    assert submitted.status == "submitted" and not submitted.late
    with pytest.raises(ValidationError):
        selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id,
                             version=submitted.version, rows=answers())
    with pytest.raises(PermissionDenied):
        selfcheck.accept(session, actor=people["fgj"], form_id=form.id)
    with pytest.raises(ValidationError):
        selfcheck.return_form(session, actor=people["supervisor"], form_id=form.id, comment="")
    returned = selfcheck.return_form(session, actor=people["supervisor"], form_id=form.id,
                                     comment="第16类整改措施不具体")
    view = selfcheck.form_view(session, actor=people["fgj"], form_id=form.id)
    assert view["status"] == "returned" and view["review_comment"] == "第16类整改措施不具体"
    again = selfcheck.submit(session, actor=people["fgj"], form_id=form.id,
                             version=returned.version, rows=answers(n16=COMPLETE))
    assert selfcheck.accept(session, actor=people["supervisor"], form_id=again.id).status == \
        "accepted"


def test_late_submissions_are_flagged(session, people, at):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=3)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    submitted = selfcheck.submit(session, actor=people["fgj"], form_id=form.id,
                                 version=form.version, rows=answers())
    assert submitted.late  # due 20 Oct, submitted 23 Nov
    states = {r["unit"]: r["state"] for r in selfcheck.completion(
        session, actor=people["supervisor"], campaign_id=campaign.id)}
    assert states["区发改局"] == "late" and states["区住建局"] == "missing"


def test_a_second_save_from_a_stale_copy_is_refused(session, people, at):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    loaded = form.version
    selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id, version=loaded,
                         rows=answers(n16=COMPLETE))
    with pytest.raises(EditConflict):
        selfcheck.save_draft(session, actor=people["fgj2"], form_id=form.id, version=loaded,
                             rows=answers())
    view = selfcheck.form_view(session, actor=people["fgj2"], form_id=form.id)
    assert view["rows"][15]["description"] == COMPLETE["description"]


def test_open_rectifications_are_carried_into_the_next_quarter(session, people, at):
    q3 = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=3)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q3.id)
    done = COMPLETE | {"progress": "done", "description": "已整改完毕的问题"}
    submitted = selfcheck.submit(session, actor=people["fgj"], form_id=form.id,
                                 version=form.version,
                                 rows=answers(n16=COMPLETE | {"progress": "in_progress"},
                                              n21=done))
    selfcheck.accept(session, actor=people["supervisor"], form_id=submitted.id)
    q4 = selfcheck.open_next_campaign(session, actor=people["supervisor"])
    nxt = selfcheck.open_form(session, actor=people["fgj"], campaign_id=q4.id)
    rows = selfcheck.form_view(session, actor=people["fgj"], form_id=nxt.id)["rows"]
    carried = [r for r in rows if r["carried"]]
    assert [r["category_number"] for r in carried] == [16]
    assert carried[0]["has_problem"] and carried[0]["progress"] == "in_progress"
    assert carried[0]["description"] == COMPLETE["description"]
    assert carried[0]["history"] == "2026年第三季度"
    other = selfcheck.open_form(session, actor=people["zjj"], campaign_id=q4.id)
    assert not any(r["carried"] for r in selfcheck.form_view(
        session, actor=people["zjj"], form_id=other.id)["rows"])


def test_a_unit_never_reads_another_units_form(session, people, at):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    with pytest.raises(NotFound):
        selfcheck.form_view(session, actor=people["zjj"], form_id=form.id)
    with pytest.raises(NotFound):
        selfcheck.save_draft(session, actor=people["zjj"], form_id=form.id,
                             version=form.version, rows=answers())
    with pytest.raises(PermissionDenied):
        selfcheck.completion(session, actor=people["zjj"], campaign_id=campaign.id)
    assert selfcheck.form_view(session, actor=people["discipline"], form_id=form.id)


def test_only_required_units_fill_a_campaign(session, people, at):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4,
                                       unit_ids=[unit_id(session, "区住建局")])
    with pytest.raises(NotFound):
        selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    assert [c["id"] for c in selfcheck.campaigns_for_unit(session, actor=people["zjj"])] == [
        campaign.id]


def test_completion_and_summary_count_problems_in_sql(session, people, at):
    q3 = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=3)
    q4 = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4)
    for campaign, problems in ((q3, answers(n16=COMPLETE)),
                               (q4, answers(n16=COMPLETE, n25=COMPLETE | {"progress": "done"}))):
        form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
        selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                         rows=problems)
    rows = {r["unit"]: r for r in selfcheck.completion(session, actor=people["discipline"],
                                                        campaign_id=q4.id)}
    assert rows["区发改局"]["problems"] == 2 and rows["区发改局"]["open"] == 1
    assert rows["区住建局"]["state"] == "missing"
    summary = selfcheck.summary(session, actor=people["supervisor"], campaign_id=q4.id)
    by_area = {a["area"]: (a["count"], a["previous"]) for a in summary["areas"]}
    assert by_area["工作效能"] == (1, 1) and by_area["廉洁自律"] == (1, 0)
    assert summary["progress"] == {"open": 1, "in_progress": 0, "done": 1}
    assert summary["previous"] == "2026年第三季度"


def test_a_returned_form_carries_notes_on_single_categories(session, people, at):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    submitted = selfcheck.submit(session, actor=people["fgj"], form_id=form.id,
                                 version=form.version, rows=answers(n16=COMPLETE))
    returned = selfcheck.return_form(session, actor=people["supervisor"], form_id=form.id,
                                     comment="", category_notes={16: " 请写明完成时间 ", 3: ""})
    assert submitted.status == returned.status == "returned"
    notes = {r["category_number"]: r["review_note"] for r in selfcheck.form_view(
        session, actor=people["fgj"], form_id=form.id)["rows"] if r["review_note"]}
    assert notes == {16: "请写明完成时间"}  # a note alone is enough to return
    with pytest.raises(ValidationError):
        selfcheck.return_form(session, actor=people["supervisor"], form_id=form.id,
                              comment="", category_notes={3: "   "})


def test_fill_progress_counts_answers_and_存在_rows_lacking_details():
    rows = answers(n15={"description": "告知不到位"}, n16=COMPLETE)
    rows[2].has_problem = None
    assert selfcheck.fill_progress(rows) == {"answered": 31, "total": 32, "incomplete": 1}


def test_the_next_quarter_is_previewed_before_it_opens(session, people, at):
    selfcheck.open_campaign(session, actor=people["supervisor"], year=2026, quarter=4)
    plan = selfcheck.preview_next_campaign(session, actor=people["supervisor"])
    assert (plan["name"], plan["due_date"], plan["due_estimated"]) == (
        "2027年第一季度", date(2027, 4, 14), True)  # 10th Mon–Fri day: no 2027 calendar yet
    assert plan["units"] >= 18
    with pytest.raises(PermissionDenied):
        selfcheck.preview_next_campaign(session, actor=people["fgj"])
