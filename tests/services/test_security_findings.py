"""Issue #10, part A: each finding of the hostile test, reproduced and kept fixed."""

import zlib
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from portal import (
    cases,
    clock,
    escalation,
    exports,
    quotas,
    report_flow,
    reports,
    selfcheck,
    selfcheck_excel,
    text_rules,
)
from portal.attachments import MAX_BYTES, MAX_MB, Upload
from portal.cases import CaseInput
from portal.cli import main
from portal.errors import FormInvalid, NotFound, ValidationError
from portal.models import Report, TypicalCase
from portal.report_types import Rating
from portal.roles import Role
from portal.selfcheck import RowInput
from tests.factories import make_user, unit_id
from tests.services.test_reports import PNG, valid_input

MONDAY = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    monkeypatch.setattr(clock, "today", lambda: MONDAY.date())


@pytest.fixture
def people(session):
    return {"supervisor": make_user(session, Role.SUPERVISOR),
            "discipline": make_user(session, Role.DISCIPLINE),
            "fgj": make_user(session, Role.UNIT, unit="区发改局"),
            "zjj": make_user(session, Role.UNIT, unit="区住建局"),
            "company": make_user(session, Role.COMPANY)}


def assigned(session, people, actor=None, unit="区发改局", **changes):
    filed = reports.file_report(session, actor=actor, data=valid_input(**changes))
    report_flow.assign(session, actor=people["supervisor"], report_id=filed.report_id,
                       unit_id=unit_id(session, unit), category_number=16)
    return filed


# ---- finding 1: a unit never learns who filed or rated ------------------------------------

def test_a_unit_never_sees_the_company_user_who_filed_a_confidential_report(session, people):
    company = people["company"]
    filed = assigned(session, people, actor=company, confidential=True)
    view = reports.staff_view(session, actor=people["fgj"], report_id=filed.report_id)
    assert view.identity_hidden and view.contact_name is None
    file_event = next(e for e in view.events if e.action == "file")
    assert file_event.actor is None
    assert all(company.display_name != e.actor for e in view.events)
    office = reports.staff_view(session, actor=people["supervisor"], report_id=filed.report_id)
    assert next(e for e in office.events if e.action == "file").actor == company.display_name


def test_a_unit_never_sees_the_owner_who_rated_the_reply(session, people):
    company = people["company"]
    filed = assigned(session, people, actor=company, confidential=False)
    report_flow.reply(session, actor=people["fgj"], report_id=filed.report_id, result="已办结",
                      outcome="resolved")
    report_flow.rate_as_owner(session, actor=company, report_id=filed.report_id,
                              rating=Rating.UNSATISFIED, comment="仍未解决")
    view = reports.staff_view(session, actor=people["fgj"], report_id=filed.report_id)
    rated = next(e for e in view.events if e.action.startswith("rate_"))
    assert rated.actor is None and rated.note == "仍未解决"
    assert company.display_name not in {e.actor for e in view.events}
    # the unit still sees who on its own side acted
    assert next(e for e in view.events if e.action == "reply").actor == people["fgj"].display_name


# ---- finding 5: Excel cells are never live formulas ---------------------------------------

def _cells(data: bytes) -> list:
    sheet = load_workbook(BytesIO(data)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_a_case_title_with_a_formula_is_text_in_the_case_list_export():
    title = '=HYPERLINK("http://127.0.0.1:9/x","点此查看")'
    data = exports.workbook("典型案例", ["单位", "标题", "人数"],
                            [["区发改局", title, 2], ["区住建局", "+1-1", -3],
                             ["区财政局", "@SUM(A1)", 0], ["区应急局", "\t=1", 1]])
    cells = _cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells}
    assert by_value[title].data_type == "s" and by_value[title].quotePrefix
    assert by_value[-3].data_type == "n"  # numbers stay numbers


def test_a_self_check_cell_with_a_formula_is_text_in_the_workbook(session, people):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026,
                                       quarter=4)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    rows = [RowInput(category_number=n, has_problem=False) for n in range(1, 33)]
    rows[0] = RowInput(category_number=1, has_problem=True, description="=1+1",
                       risk="-2+3", measure="@cmd", person="=A1", deadline=date(2026, 12, 31))
    selfcheck.save_draft(session, actor=people["fgj"], form_id=form.id, version=form.version,
                         rows=rows)
    view = selfcheck.form_view(session, actor=people["fgj"], form_id=form.id)
    cells = _cells(selfcheck_excel.render(view))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {"=1+1", "-2+3", "@cmd", "=A1"} <= {c.value for c in cells}


# ---- finding 8: active PDFs and polyglots are refused; one size limit ----------------------

PLAIN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n"


def _upload(session, data: bytes, name: str = "件.pdf"):
    return reports.file_report(session, actor=None, data=valid_input(
        uploads=[Upload(name, data)]))


@pytest.mark.parametrize("body", [
    b"1 0 obj << /Type /Catalog /OpenAction 3 0 R >> endobj",
    b"3 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj",
    b"3 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj",  # hex-escaped names
    b"4 0 obj << /Type /Annot /AA << /O 5 0 R >> >> endobj",
    b"5 0 obj << /S /Launch /F (cmd.exe) >> endobj",
    b"6 0 obj << /Type /EmbeddedFile /Length 3 >> endobj",
])
def test_a_pdf_with_active_content_is_refused(session, body):
    before = session.exec(select(func.count()).select_from(Report)).one()
    with pytest.raises(FormInvalid) as refused:
        _upload(session, b"%PDF-1.7\n" + body + b"\n%%EOF\n")
    assert refused.value.errors["attachments"].key == "error.file_active_pdf"
    assert session.exec(select(func.count()).select_from(Report)).one() == before


def test_a_script_hidden_in_a_compressed_object_stream_is_refused(session):
    hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    data = (b"%PDF-1.7\n7 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
            + str(len(hidden)).encode() + b" >>\nstream\n" + hidden + b"\nendstream\nendobj\n")
    with pytest.raises(FormInvalid) as refused:
        _upload(session, data)
    assert refused.value.errors["attachments"].key == "error.file_active_pdf"


@pytest.mark.parametrize("data", [
    PNG + b"<html><script>alert(1)</script></html>",
    b"\xff\xd8\xff\xe0" + b"\x00" * 100 + b"<SCRIPT src=//x></SCRIPT>",
    PLAIN_PDF + b"<!DOCTYPE html><body onload=alert(1)>",
])
def test_a_file_that_is_also_a_web_page_is_refused(session, data):
    with pytest.raises(FormInvalid) as refused:
        _upload(session, data, "图.png")
    assert refused.value.errors["attachments"].key == "error.file_polyglot"


def test_a_plain_pdf_and_a_file_at_the_exact_limit_are_accepted(session):
    assert _upload(session, PLAIN_PDF).report_id
    exact = PLAIN_PDF + b"0" * (MAX_BYTES - len(PLAIN_PDF))
    assert _upload(session, exact).report_id
    with pytest.raises(FormInvalid) as too_big:
        _upload(session, exact + b"0")
    assert too_big.value.errors["attachments"].key == "error.file_too_large"
    assert too_big.value.errors["attachments"].params["max"] == MAX_MB


def test_the_upload_widget_and_the_rule_share_one_number(project_root):
    import tomllib

    config = tomllib.loads((project_root / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == MAX_MB
    assert MAX_BYTES == MAX_MB * 1000 * 1000  # Streamlit's browser counts 1 MB = 10^6 bytes
    for path in ("portal/ui/report_form.py", "pages/cases.py"):
        source = (project_root / path).read_text(encoding="utf-8")
        assert source.count("st.file_uploader(") == source.count("max_upload_size=MAX_MB")


# ---- finding 9: scope closed in the services ----------------------------------------------

def _case(session, actor, unit="区发改局", report_ids=()):
    return cases.register(session, actor=actor, data=CaseInput(
        unit_id=unit_id(session, unit), category_number=16, title="推诿扯皮问题",
        summary="经查属实。", found_on=date(2026, 11, 2), source="report",
        report_ids=list(report_ids)))


def test_a_unit_cannot_link_another_units_report_to_its_case(session, people):
    theirs = assigned(session, people, unit="区住建局")
    ours = assigned(session, people, unit="区发改局")
    before = session.exec(select(func.count()).select_from(TypicalCase)).one()
    with pytest.raises(FormInvalid) as refused:
        _case(session, people["fgj"], report_ids=[theirs.report_id])
    assert refused.value.errors["reports"].key == "error.report_not_found"
    assert session.exec(select(func.count()).select_from(TypicalCase)).one() == before
    made = _case(session, people["fgj"], report_ids=[ours.report_id])
    assert made.id
    assert _case(session, people["discipline"], unit="区发改局",
                 report_ids=[theirs.report_id]).id  # discipline links any report


def test_a_filing_company_cannot_read_the_internal_notices_of_its_report(session, people):
    filed = assigned(session, people, actor=people["company"])
    escalation.issue_by_hand(session, actor=people["supervisor"], report_id=filed.report_id,
                             reason="请加快办理")
    with pytest.raises(NotFound):
        escalation.notices_for_report(session, actor=people["company"],
                                      report_id=filed.report_id)
    with pytest.raises(NotFound):
        escalation.notices_for_report(session, actor=people["zjj"], report_id=filed.report_id)
    assert len(escalation.notices_for_report(session, actor=people["fgj"],
                                             report_id=filed.report_id)) == 1


def test_the_office_sees_counts_not_case_titles_in_untrue_self_checks(session, people):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026,
                                       quarter=3)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                     rows=[RowInput(category_number=n, has_problem=False) for n in range(1, 33)])
    made = _case(session, people["discipline"])
    made.concluded_on = date(2026, 11, 10)
    for step in ("checking", "concluded", "verified"):
        cases.advance(session, actor=people["discipline"], case_id=made.id, to=step)
    office = selfcheck.untrue_answers(session, actor=people["supervisor"], year=2026)
    assert office and "推诿扯皮问题" not in repr(office)
    assert office[0]["evidence"] == ["已审核典型案例 1 件"]
    discipline = selfcheck.untrue_answers(session, actor=people["discipline"], year=2026)
    assert discipline[0]["evidence"] == ["典型案例：推诿扯皮问题"]


# ---- finding 10: limits, control characters, CLI years --------------------------------------

@pytest.mark.parametrize("bad", ["开办\x00许可证多次跑腿", "开办\u202e证可许\u202c多次跑腿",
                                 "开办\u2066许可证\u2069跑腿", "标题\n换行了"])
def test_titles_with_nul_bidi_overrides_or_line_breaks_are_refused(session, bad):
    with pytest.raises(FormInvalid) as refused:
        reports.file_report(session, actor=None, data=valid_input(title=bad))
    assert refused.value.errors["title"].key in {"error.text_forbidden_chars",
                                                 "error.text_single_line"}


def test_free_text_without_a_limit_now_has_one(session, people):
    filed = assigned(session, people)
    too_long = "长" * (text_rules.REASON + 1)
    with pytest.raises(ValidationError) as notice:
        escalation.issue_by_hand(session, actor=people["supervisor"],
                                 report_id=filed.report_id, reason=too_long)
    assert notice.value.key == "error.text_too_long"
    unit = unit_id(session, "区应急局")
    with pytest.raises(ValidationError) as exemption:
        quotas.exempt_unit(session, actor=people["discipline"], unit_id=unit,
                           checkpoint=date(2026, 3, 31), reason=too_long)
    assert exemption.value.key == "error.text_too_long"
    with pytest.raises(ValidationError) as nul:
        quotas.exempt_unit(session, actor=people["discipline"], unit_id=unit,
                           checkpoint=date(2026, 3, 31), reason="原则上\x00豁免")
    assert nul.value.key == "error.text_forbidden_chars"
    with pytest.raises(ValidationError) as returned:
        _returned_form(session, people, "意" * (text_rules.COMMENT + 1))
    assert returned.value.key == "error.text_too_long"


def _returned_form(session, people, comment):
    campaign = selfcheck.open_campaign(session, actor=people["supervisor"], year=2026,
                                       quarter=2)
    form = selfcheck.open_form(session, actor=people["fgj"], campaign_id=campaign.id)
    selfcheck.submit(session, actor=people["fgj"], form_id=form.id, version=form.version,
                     rows=[RowInput(category_number=n, has_problem=False) for n in range(1, 33)])
    return selfcheck.return_form(session, actor=people["supervisor"], form_id=form.id,
                                 comment=comment)


def test_a_public_summary_is_limited_and_clean(session, people):
    made = _case(session, people["discipline"])
    made.concluded_on = date(2026, 11, 10)
    for step in ("checking", "concluded", "verified"):
        cases.advance(session, actor=people["discipline"], case_id=made.id, to=step)
    for bad, key in (("摘" * (text_rules.PUBLIC_SUMMARY + 1), "error.text_too_long"),
                     ("某局\u202e工作人员", "error.text_forbidden_chars")):
        with pytest.raises(ValidationError) as refused:
            cases.expose(session, actor=people["discipline"], case_id=made.id,
                         public_summary=bad)
        assert refused.value.key == key
    assert not session.get(TypicalCase, made.id).exposed


@pytest.mark.parametrize("argv", [["quotas", "--year", "99999"], ["quotas", "--year", "-5"],
                                  ["quotas", "--date", "2026-02-30"],
                                  ["escalate", "--today", "9999-12-31", "--dry-run"],
                                  ["catalogue", "--year", "二〇二六"]])
def test_bad_cli_years_and_dates_give_a_chinese_message_and_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "参数错误" in err and "Traceback" not in err
    assert "年份" in err or "日期" in err
