"""12345 工单 import: read an Excel/CSV export, map its columns once per source, preview with
row-level errors, and import in batches of one transaction each.

The 工单编号 makes a re-import idempotent (a unique index on channel + number). A batch with a
bad row is refused whole, with the row numbers; the other batches go in. Imported reports keep
their original received time and deadline, carry channel 12345 and wait in the office's triage
queue; they are followed up through the hotline, so they have no query code of ours.
"""

import csv
import io
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from portal import audit, clock, text_rules
from portal.errors import ValidationError
from portal.identifiers import is_valid_credit_code, is_valid_mobile
from portal.models import ImportMapping, Report, ReportEvent, Sequence, Unit
from portal.report_types import Channel, Kind, Status
from portal.roles import Actor, Role, require

BATCH_SIZE = 1000
MAX_ROWS = 200_000
DEFAULT_SOURCE = "12345"

# target field → header names seen in 12345 exports (the first that matches is proposed)
FIELDS: dict[str, tuple[str, ...]] = {
    "order_no": ("工单编号", "工单号", "编号"),
    "received_at": ("受理时间", "登记时间", "来电时间", "创建时间"),
    "content": ("诉求内容", "来电内容", "工单内容", "问题描述", "内容"),
    "title": ("标题", "诉求标题", "工单标题"),
    "kind": ("诉求类型", "工单类型", "类型"),
    "due": ("办结时限", "截止时间", "办理时限", "处理时限"),
    "caller": ("来电人", "诉求人", "联系人", "姓名"),
    "phone": ("联系电话", "来电号码", "电话"),
    "company": ("企业名称", "单位名称", "公司名称"),
    "credit_code": ("统一社会信用代码", "信用代码"),
    "unit": ("涉及单位", "被反映单位", "承办单位", "责任单位"),
    "place": ("地点", "地址", "事发地点"),
}
REQUIRED = ("order_no", "received_at", "content")
_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})"
                        r"(?:[:：分](\d{1,2}))?)?")


@dataclass
class Row:
    number: int  # the row number in the sheet (the header is row 1)
    values: dict
    errors: list[tuple[str, dict]] = field(default_factory=list)  # (i18n key, params)
    warnings: list[tuple[str, dict]] = field(default_factory=list)
    already_imported: bool = False


@dataclass
class Outcome:
    imported: int = 0
    skipped: int = 0  # already imported before (same 工单编号)
    refused_batches: list[dict] = field(default_factory=list)  # first/last row, bad rows


# ---- reading -----------------------------------------------------------------------------

def read_table(filename: str, data: bytes) -> tuple[list[str], list[list]]:
    """Header and data rows of the first sheet of an .xlsx, or of a .csv (UTF-8 or GBK)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file
            raise ValidationError("error.import_unreadable") from exc
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError("error.import_unreadable")
        rows = list(csv.reader(io.StringIO(text)))
    else:
        raise ValidationError("error.import_file_type")
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if not rows:
        raise ValidationError("error.import_empty")
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError("error.import_too_many", max=MAX_ROWS)
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    return header, rows[1:]


def guess_mapping(header: list[str]) -> dict[str, str]:
    """A first proposal: each field to the first header that names it."""
    mapping = {}
    for target, names in FIELDS.items():
        found = next((h for n in names for h in header if h == n), None)
        if found:
            mapping[target] = found
    return mapping


def saved_mapping(session: Session, *, source: str) -> dict[str, str] | None:
    row = session.get(ImportMapping, source)
    return json.loads(row.mapping) if row else None


def save_mapping(session: Session, *, actor: Actor, source: str, mapping: dict[str, str]) -> None:
    """Remember the column mapping of a source, so the next export maps itself."""
    require(actor, Role.SUPERVISOR)
    source = text_rules.check_chars((source or "").strip(), field="source", single_line=True)
    if not source or len(source) > 40:
        raise ValidationError("error.import_source_required", field="source")
    missing = [f for f in REQUIRED if not mapping.get(f)]
    if missing:
        raise ValidationError("error.import_mapping_missing",
                              fields="、".join(FIELD_LABELS[f] for f in missing))
    clean = {k: v for k, v in mapping.items() if k in FIELDS and v}
    row = session.get(ImportMapping, source) or ImportMapping(source=source, mapping="{}")
    row.mapping = json.dumps(clean, ensure_ascii=False)
    row.updated_at, row.updated_by_id = clock.now(), actor.user_id
    session.add(row)
    audit.record(session, actor=actor, action="save_mapping", entity="import_mapping",
                 detail=source)
    session.commit()


FIELD_LABELS = {"order_no": "工单编号", "received_at": "受理时间", "content": "诉求内容",
                "title": "标题", "kind": "诉求类型", "due": "办结时限", "caller": "来电人",
                "phone": "联系电话", "company": "企业名称", "credit_code": "统一社会信用代码",
                "unit": "涉及单位", "place": "地点"}


# ---- checking ----------------------------------------------------------------------------

def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_time(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    match = _DATE_TEXT.fullmatch(_text(value))
    if not match:
        raise ValueError(value)
    y, m, d, hh, mm, ss = (int(g) if g else 0 for g in match.groups())
    return datetime(y, m, d, hh, mm, ss)


def _kind(text: str) -> str:
    if "建议" in text:
        return Kind.SUGGESTION
    if any(w in text for w in ("求助", "咨询", "办不成", "诉求")):
        return Kind.UNDONE
    return Kind.COMPLAINT


def check_row(number: int, raw: dict, units: dict[str, int], now: datetime) -> Row:
    """Clean one mapped row; every problem is a row-level error with its field."""
    row = Row(number=number, values={})
    get = {k: _text(v) for k, v in raw.items()}
    values = row.values

    def error(key: str, **params: object) -> None:
        row.errors.append((key, params))

    order_no = get.get("order_no", "")
    if not order_no:
        error("error.import_order_no_required")
    elif len(order_no) > 40:
        error("error.import_order_no_length", max=40)
    values["order_no"] = order_no
    content = get.get("content", "")
    if len(content) < 5:
        error("error.import_content_required")
    elif len(content) > 5000:
        error("error.import_content_length", max=5000)
    title = get.get("title") or content[:30]
    if len(title) > 100:
        error("error.import_title_length", max=100)
    values.update(title=title if len(title) >= 4 else f"12345工单 {order_no}"[:100],
                  description=content, kind=_kind(get.get("kind", "")))
    for name in ("received_at", "due"):
        try:
            values[name] = parse_time(raw.get(name))
        except ValueError:
            error("error.import_bad_time", field=FIELD_LABELS[name], value=get.get(name, ""))
            values[name] = None
    if not get.get("received_at"):
        error("error.import_received_required")
    elif values.get("received_at") and values["received_at"] > now:
        error("error.import_received_future")
    phone = get.get("phone", "")
    values["mobile"] = phone if phone and is_valid_mobile(phone) else None
    if phone and values["mobile"] is None:
        if not re.fullmatch(r"[\d\- ()（）+]{5,20}", phone):
            error("error.import_bad_phone", value=phone)
        else:
            values["description"] = f"{content}（来电号码：{phone}）"
    code = get.get("credit_code", "").upper()
    if code and not is_valid_credit_code(code):
        error("error.credit_code_invalid")
    values["credit_code"] = code or None
    values["caller"] = get.get("caller", "")[:40] or None
    values["company"] = get.get("company", "")[:100] or None
    values["place"] = get.get("place", "")[:100]
    unit_name = get.get("unit", "")
    values["unit_id"] = units.get(unit_name) if unit_name else None
    if unit_name and values["unit_id"] is None:
        row.warnings.append(("import.warn_unit_unknown", {"unit": unit_name}))
    return row


def _mapped(header: list[str], mapping: dict[str, str], rows: list[list]) -> Iterable[dict]:
    index = {target: header.index(name) for target, name in mapping.items() if name in header}
    for values in rows:
        yield {target: values[i] if i < len(values) else None for target, i in index.items()}


def _check_mapping(header: list[str], mapping: dict[str, str]) -> None:
    missing = [f for f in REQUIRED if mapping.get(f) not in header]
    if missing:
        raise ValidationError("error.import_mapping_missing",
                              fields="、".join(FIELD_LABELS[f] for f in missing))


def check_rows(session: Session, *, header: list[str], rows: list[list],
               mapping: dict[str, str]) -> list[Row]:
    """Every row checked, and marked when its 工单编号 was imported before (it will be skipped)."""
    _check_mapping(header, mapping)
    units = dict(session.exec(select(Unit.name, Unit.id).where(col(Unit.active).is_(True))).all())
    now = clock.now()
    checked = [check_row(i + 2, raw, units, now) for i, raw in enumerate(_mapped(header, mapping,
                                                                                 rows))]
    seen: dict[str, int] = {}
    for row in checked:
        number = row.values["order_no"]
        if number and number in seen:
            row.errors.append(("error.import_order_no_twice", {"row": seen[number]}))
        elif number:
            seen[number] = row.number
    for start in range(0, len(checked), BATCH_SIZE):
        part = checked[start:start + BATCH_SIZE]
        known = _known(session, [r.values["order_no"] for r in part if r.values["order_no"]])
        for row in part:
            row.already_imported = row.values["order_no"] in known
    return checked


def _known(session: Session, numbers: list[str]) -> set[str]:
    if not numbers:
        return set()
    return set(session.exec(select(Report.external_no).where(
        Report.channel == Channel.HOTLINE_ORDER, col(Report.external_no).in_(numbers))).all())


def preview_hints(session: Session, *, actor: Actor, rows: list[Row]) -> dict[int, dict]:
    """For the rows shown in the preview: the suggested category and a possible duplicate."""
    from portal import duplicates, suggest

    require(actor, Role.SUPERVISOR)
    hints = {}
    for row in rows:
        v = row.values
        if row.errors or not v.get("received_at"):
            continue
        probe = Report(title=v["title"], description=v["description"],
                       created_at=v["received_at"], contact_mobile=v["mobile"],
                       company_name=v["company"], credit_code=v["credit_code"],
                       concerned_unit_id=v["unit_id"])
        similar = duplicates.similar_to(session, actor=actor, report=probe, limit=1)
        hints[row.number] = {
            "category": suggest.top_numbers(session, text=suggest.report_text(
                v["title"], v["description"]), k=1)[0],
            "similar": similar[0].tracking_no if similar else None}
    return hints


# ---- importing ---------------------------------------------------------------------------

def _reserve(session: Session, name: str, count: int) -> int:
    """Take `count` consecutive values of counter `name` at once; returns the first."""
    dialect = session.get_bind().dialect.name
    insert_ = pg_insert if dialect == "postgresql" else sqlite_insert
    table = Sequence.__table__
    statement = (insert_(table).values(name=name, value=count)
                 .on_conflict_do_update(index_elements=[table.c.name],
                                        set_={"value": table.c.value + count})
                 .returning(table.c.value))
    return session.execute(statement).scalar_one() - count + 1


def _unusable_code_hash() -> str:
    """A well-formed query-code hash that no code matches: 12345 工单 are followed by phone."""
    return f"{secrets.token_hex(16)}${secrets.token_hex(32)}"


def _insert_batch(session: Session, rows: list[Row], actor: Actor | None) -> int:
    now = clock.now()
    year = now.year
    first = _reserve(session, f"report:{year}", len(rows))
    records = []
    for offset, row in enumerate(rows):
        v = row.values
        records.append({
            "tracking_no": f"YS{year}-{first + offset:06d}", "query_code_hash": _unusable_code_hash(),
            "kind": v["kind"], "channel": Channel.HOTLINE_ORDER, "title": v["title"],
            "description": v["description"], "concerned_unit_id": v["unit_id"],
            "category_id": None, "occurred_on": None, "place": v["place"],
            "anonymous": v["caller"] is None and v["mobile"] is None,
            "contact_name": v["caller"], "contact_mobile": v["mobile"],
            "company_name": v["company"], "credit_code": v["credit_code"], "confidential": True,
            "filer_user_id": None, "entered_by_id": actor.user_id if actor else None,
            "status": Status.SUBMITTED, "unit_id": None, "respond_due": None, "reply_due": None,
            "deadline_estimated": False, "current_due": None, "reopen_count": 0,
            "created_at": v["received_at"], "updated_at": now, "external_no": v["order_no"],
            "original_due": v["due"].date() if v["due"] else None})
    ids = session.execute(insert(Report).returning(Report.id, sort_by_parameter_order=True),
                          records).scalars().all()
    session.execute(insert(ReportEvent), [
        {"report_id": report_id, "at": row.values["received_at"],
         "actor_id": actor.user_id if actor else None, "action": "import", "from_status": None,
         "to_status": Status.SUBMITTED, "unit_id": None, "public": True, "note_public": True,
         "note": f"12345工单 {row.values['order_no']}"}
        for report_id, row in zip(ids, rows, strict=True)])
    return len(ids)


def import_rows(session: Session, *, actor: Actor | None, checked: list[Row],
                progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Import checked rows in batches, one transaction each; a batch with a bad row is refused.

    `actor` None is the command line. `progress(done, total)` is called after each batch.
    """
    if actor is not None:
        require(actor, Role.SUPERVISOR)
    outcome = Outcome()
    total = len(checked)
    for start in range(0, total, BATCH_SIZE):
        batch = checked[start:start + BATCH_SIZE]
        bad = [r for r in batch if r.errors]
        if bad:
            outcome.refused_batches.append({
                "first_row": batch[0].number, "last_row": batch[-1].number,
                "bad_rows": [r.number for r in bad]})
        else:
            known = _known(session, [r.values["order_no"] for r in batch])
            fresh = [r for r in batch if r.values["order_no"] not in known]
            try:
                outcome.imported += _insert_batch(session, fresh, actor) if fresh else 0
                session.commit()
                outcome.skipped += len(batch) - len(fresh)
            except IntegrityError:  # imported by someone else meanwhile: nothing of it stays
                session.rollback()
                outcome.refused_batches.append({
                    "first_row": batch[0].number, "last_row": batch[-1].number,
                    "bad_rows": []})
        if progress:
            progress(min(start + BATCH_SIZE, total), total)
    audit.record(session, actor=actor, action="import_12345", entity="report",
                 detail=f"imported={outcome.imported} skipped={outcome.skipped} "
                        f"refused_batches={len(outcome.refused_batches)}")
    session.commit()
    return outcome


def import_file(session: Session, *, actor: Actor | None, filename: str, data: bytes,
                source: str = DEFAULT_SOURCE, mapping: dict[str, str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> tuple[list[Row], Outcome]:
    """Read, check and import a file with the given mapping, the source's saved one, or a guess."""
    header, rows = read_table(filename, data)
    mapping = mapping or saved_mapping(session, source=source) or guess_mapping(header)
    checked = check_rows(session, header=header, rows=rows, mapping=mapping)
    return checked, import_rows(session, actor=actor, checked=checked, progress=progress)
