"""Duplicates and 并案: similar earlier reports, merging a duplicate into a main report, links.

A merged duplicate follows its main report: every step of the main (assign, respond, reply,
return, reject) is copied onto it with its own timeline row, so its filer is answered and
rates on their own. It carries no deadline of its own (`current_due` stays empty), so cards,
notices and the figures count the group once, on the main report.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from portal import audit, clock
from portal.errors import NotFound, PermissionDenied, ValidationError
from portal.models import Notice, Report, ReportEvent, ReportLink, Unit
from portal.report_types import Status
from portal.roles import Actor, Role, require
from portal.suggest import text as chinese

WINDOW_DAYS = 90  # how far back a duplicate is looked for
MAX_CANDIDATES = 300  # the most recent candidates selected in SQL; the text is scored only on these
MIN_SCORE = 0.35
MERGEABLE = frozenset({Status.SUBMITTED, Status.RETURNED, Status.ASSIGNED, Status.ACKNOWLEDGED})
COPIED = ("status", "unit_id", "respond_due", "reply_due", "deadline_estimated", "responded_at",
          "replied_at")
FOLLOWED_ACTIONS = frozenset({"assign", "reject", "respond", "return", "reply"})
COUNTED = col(Report.merged_into_id).is_(None)  # a merged group counts once, on its main report
# The same rule for filters led by another column (a deadline): written so that SQLite does not
# walk the reports through an index on merged_into_id, which almost every report matches (the
# red cards of 1,000,000 reports: 220 ms that way, a few ms by the deadline's index).
COUNTED_BY_OTHER_INDEX = (col(Report.merged_into_id) + 0).is_(None)


@dataclass(frozen=True)
class Similar:
    report_id: int
    tracking_no: str
    title: str
    status: str
    created_at: datetime
    unit: str | None
    score: float  # 0–1
    text_score: float
    reasons: list[str]  # i18n keys: same_company, same_filer, same_unit, same_category


def _office(actor: Actor) -> None:
    require(actor, Role.SUPERVISOR, Role.DISCIPLINE)


def _load(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("error.report_not_found")
    return report


def _shared(report: Report) -> list:
    """SQL conditions for 'the same unit, category, company or filer' as `report`."""
    conditions = []
    for column, value in ((Report.credit_code, report.credit_code),
                          (Report.company_name, report.company_name),
                          (Report.contact_mobile, report.contact_mobile),
                          (Report.filer_user_id, report.filer_user_id),
                          (Report.category_id, report.category_id)):
        if value is not None and value != "":
            conditions.append(col(column) == value)
    for unit in {report.concerned_unit_id, report.unit_id} - {None}:  # either side names the unit
        conditions += [col(Report.unit_id) == unit, col(Report.concerned_unit_id) == unit]
    return conditions


def _candidates(session: Session, report: Report, days: int) -> list[Report]:
    since = report.created_at - timedelta(days=days)
    query = select(Report).where(
        col(Report.created_at) >= since,
        col(Report.created_at) <= report.created_at, COUNTED)
    if report.id is not None:
        query = query.where(Report.id != report.id)
    shared = _shared(report)
    if shared:
        query = query.where(or_(*shared))
    return list(session.exec(query.order_by(col(Report.created_at).desc()).limit(MAX_CANDIDATES)))


def text_similarity(text: str, others: list[str]) -> list[float]:
    """Cosine similarity of character 2–3-grams (traditional read as simplified)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # only when scoring

    if not others:
        return []
    docs = [chinese.compact(text), *(chinese.compact(o) for o in others)]
    try:
        matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 3),
                                 sublinear_tf=True).fit_transform(docs)
    except ValueError:  # nothing but one-character texts
        return [0.0] * len(others)
    import numpy as np  # loaded with the first comparison, not with every page

    return [float(v) for v in np.asarray((matrix[1:] @ matrix[0].T).todense()).ravel()]


def _reasons(report: Report, other: Report) -> list[str]:
    reasons = []
    if report.credit_code and report.credit_code == other.credit_code or (
            report.company_name and report.company_name == other.company_name):
        reasons.append("same_company")
    if (report.filer_user_id and report.filer_user_id == other.filer_user_id) or (
            report.contact_mobile and report.contact_mobile == other.contact_mobile):
        reasons.append("same_filer")
    if report.concerned_unit_id and report.concerned_unit_id in (other.concerned_unit_id,
                                                                 other.unit_id) or (
            report.unit_id and report.unit_id in (other.unit_id, other.concerned_unit_id)):
        reasons.append("same_unit")
    if report.category_id and report.category_id == other.category_id:
        reasons.append("same_category")
    return reasons


BONUS = {"same_company": 0.1, "same_filer": 0.1, "same_unit": 0.05, "same_category": 0.05}


def similar_reports(session: Session, *, actor: Actor, report_id: int, days: int = WINDOW_DAYS,
                    limit: int = 5, min_score: float = MIN_SCORE) -> list[Similar]:
    """Earlier reports that look like the same problem, best first, with a score."""
    _office(actor)
    return similar_to(session, actor=actor, report=_load(session, report_id), days=days,
                      limit=limit, min_score=min_score)


def similar_to(session: Session, *, actor: Actor | None, report: Report,
               days: int = WINDOW_DAYS, limit: int = 5,
               min_score: float = MIN_SCORE) -> list[Similar]:
    """The same for a report not saved yet (a row being imported); `actor` None: the CLI."""
    if actor is not None:
        _office(actor)
    candidates = _candidates(session, report, days)
    scores = text_similarity(f"{report.title}。{report.description}",
                             [f"{c.title}。{c.description}" for c in candidates])
    units = dict(session.exec(select(Unit.id, Unit.name)).all())
    found = []
    for other, text_score in zip(candidates, scores, strict=True):
        reasons = _reasons(report, other)
        score = min(1.0, text_score + sum(BONUS[r] for r in reasons))
        if score >= min_score and text_score > 0.1:
            found.append(Similar(report_id=other.id, tracking_no=other.tracking_no,
                                 title=other.title, status=other.status,
                                 created_at=other.created_at, unit=units.get(other.unit_id),
                                 score=round(score, 2), text_score=round(text_score, 2),
                                 reasons=reasons))
    found.sort(key=lambda s: (-s.score, -s.report_id))
    return found[:limit]


# ---- 并案 --------------------------------------------------------------------------------

def _event(session: Session, report: Report, action: str, actor: Actor | None, note: str, *,
           public: bool, from_status: str | None = None) -> None:
    session.add(ReportEvent(report_id=report.id, at=clock.now(),
                            actor_id=actor.user_id if actor else None, action=action,
                            from_status=from_status or report.status, to_status=report.status,
                            unit_id=report.unit_id, note=note, public=public, note_public=public))


def _follow_state(duplicate: Report, main: Report) -> None:
    for name in COPIED:
        setattr(duplicate, name, getattr(main, name))
    if main.status == Status.CLOSED:  # the main filer has rated; this filer still rates
        duplicate.status = Status.REPLIED
    duplicate.rating = None
    duplicate.current_due = None
    duplicate.updated_at = clock.now()


def _withdraw_notices(session: Session, duplicate: Report, main: Report) -> None:
    """The duplicate's own pending notices end: the main report's deadlines rule now."""
    for notice in session.exec(select(Notice).where(
            Notice.report_id == duplicate.id, col(Notice.withdrawn).is_(False),
            col(Notice.complied).is_(None))):
        notice.withdrawn, notice.withdrawn_reason = True, f"已与 {main.tracking_no} 并案办理"
        session.add(notice)


def merge(session: Session, *, actor: Actor, duplicate_id: int, main_id: int,
          note: str = "") -> Report:
    """并案: `duplicate` is handled and answered with `main` from now on."""
    require(actor, Role.SUPERVISOR)
    if duplicate_id == main_id:
        raise ValidationError("error.triage_merge_self")
    duplicate, main = _load(session, duplicate_id), _load(session, main_id)
    if duplicate.merged_into_id is not None:
        raise ValidationError("error.triage_already_merged")
    if main.merged_into_id is not None:
        raise ValidationError("error.triage_main_is_duplicate")
    if session.exec(select(Report.id).where(Report.merged_into_id == duplicate.id)).first():
        raise ValidationError("error.triage_has_duplicates")
    if duplicate.status not in MERGEABLE:
        raise ValidationError("error.triage_not_mergeable")
    if main.status == Status.REJECTED:
        raise ValidationError("error.triage_main_rejected")
    before = duplicate.status
    _withdraw_notices(session, duplicate, main)
    duplicate.merged_into_id = main.id
    _follow_state(duplicate, main)
    _event(session, duplicate, "merge", actor, f"与 {main.tracking_no} 并案办理。{note}".strip(),
           public=True, from_status=before)
    _event(session, main, "merge_in", actor, f"{duplicate.tracking_no} 并入本件。{note}".strip(),
           public=False)
    session.add(duplicate)
    audit.record(session, actor=actor, action="merge", entity="report", entity_id=duplicate.id,
                 detail=f"{duplicate.tracking_no} -> {main.tracking_no}")
    session.commit()
    return duplicate


def unmerge(session: Session, *, actor: Actor, duplicate_id: int, reason: str) -> Report:
    """Undo 并案: the report goes back to the office's queue to be handled on its own."""
    require(actor, Role.SUPERVISOR)
    duplicate = _load(session, duplicate_id)
    if duplicate.merged_into_id is None:
        raise ValidationError("error.triage_not_merged")
    if not (reason or "").strip():
        raise ValidationError("error.triage_reason_required", field="reason")
    if duplicate.status in (Status.CLOSED, Status.REJECTED):
        raise ValidationError("error.triage_unmerge_finished")
    main = _load(session, duplicate.merged_into_id)
    before = duplicate.status
    duplicate.merged_into_id = None
    duplicate.status = Status.SUBMITTED
    duplicate.unit_id = duplicate.respond_due = duplicate.reply_due = None
    duplicate.responded_at = duplicate.replied_at = duplicate.current_due = None
    duplicate.deadline_estimated = False
    duplicate.updated_at = clock.now()
    _event(session, duplicate, "unmerge", actor, reason.strip(), public=True, from_status=before)
    _event(session, main, "unmerge_out", actor, f"{duplicate.tracking_no} 已解除并案：{reason.strip()}",
           public=False)
    session.add(duplicate)
    audit.record(session, actor=actor, action="unmerge", entity="report", entity_id=duplicate.id,
                 detail=f"{duplicate.tracking_no} from {main.tracking_no}")
    session.commit()
    return duplicate


def follow_main(session: Session, main: Report, *, action: str, actor: Actor | None,
                note: str, public: bool, note_public: bool) -> None:
    """Copy a step of the main report onto its merged duplicates (called before the commit)."""
    if action not in FOLLOWED_ACTIONS or main.merged_into_id is not None:
        return
    for duplicate in session.exec(select(Report).where(Report.merged_into_id == main.id,
                                                       Report.status != Status.CLOSED)):
        before = duplicate.status
        _follow_state(duplicate, main)
        session.add(ReportEvent(report_id=duplicate.id, at=clock.now(),
                                actor_id=actor.user_id if actor else None, action=action,
                                from_status=before, to_status=duplicate.status,
                                unit_id=main.unit_id, note=note.strip(), public=public,
                                note_public=note_public))
        session.add(duplicate)


def detach_on_reopen(session: Session, duplicate: Report) -> None:
    """An unsatisfied filer of a merged duplicate gets their own 差评整改 with the same unit."""
    main = session.get(Report, duplicate.merged_into_id)
    duplicate.merged_into_id = None
    session.add(ReportEvent(report_id=duplicate.id, at=clock.now(), action="unmerge",
                            from_status=duplicate.status, to_status=duplicate.status,
                            unit_id=duplicate.unit_id, public=False, note_public=False,
                            note=f"不满意，解除与 {main.tracking_no if main else ''} 的并案，单独整改"))


def refuse_if_merged(report: Report, action: str) -> None:
    """A merged duplicate moves only with its main report; its filer still rates it, and the
    office can still add internal notes."""
    if report.merged_into_id is not None and not action.startswith("rate") and action != "note":
        raise ValidationError("error.triage_report_merged")


# ---- related reports ---------------------------------------------------------------------

def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def link(session: Session, *, actor: Actor, report_id: int, other_id: int) -> None:
    """Mark two reports as related (not the same problem): both stay on their own."""
    require(actor, Role.SUPERVISOR)
    if report_id == other_id:
        raise ValidationError("error.triage_merge_self")
    first, second = _pair(report_id, other_id)
    a, b = _load(session, first), _load(session, second)
    if session.get(ReportLink, (first, second)) is None:
        session.add(ReportLink(report_id=first, other_id=second, created_by_id=actor.user_id))
        _event(session, a, "link", actor, f"关联 {b.tracking_no}", public=False)
        _event(session, b, "link", actor, f"关联 {a.tracking_no}", public=False)
        session.commit()


def unlink(session: Session, *, actor: Actor, report_id: int, other_id: int) -> None:
    require(actor, Role.SUPERVISOR)
    found = session.get(ReportLink, _pair(report_id, other_id))
    if found is None:
        raise NotFound()
    session.delete(found)
    a, b = _load(session, report_id), _load(session, other_id)
    _event(session, a, "unlink", actor, f"取消关联 {b.tracking_no}", public=False)
    _event(session, b, "unlink", actor, f"取消关联 {a.tracking_no}", public=False)
    session.commit()


def merged_into(session: Session, *, actor: Actor, report_id: int) -> dict | None:
    """The main report this one follows, for anyone who may read the report."""
    from portal.reports import readable

    report = readable(session, actor=actor, report_id=report_id)
    if report.merged_into_id is None:
        return None
    main = _load(session, report.merged_into_id)
    return {"id": main.id, "tracking_no": main.tracking_no, "title": main.title}


def group(session: Session, *, actor: Actor, report_id: int) -> dict:
    """The report's main (if merged), its merged duplicates and its related reports."""
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        raise PermissionDenied()
    report = _load(session, report_id)

    def brief(r: Report) -> dict:
        return {"id": r.id, "tracking_no": r.tracking_no, "title": r.title, "status": r.status}

    main = session.get(Report, report.merged_into_id) if report.merged_into_id else None
    duplicates = session.exec(select(Report).where(Report.merged_into_id == report.id)
                              .order_by(Report.id)).all()
    linked_ids = session.exec(select(ReportLink.report_id, ReportLink.other_id).where(
        or_(ReportLink.report_id == report.id, ReportLink.other_id == report.id))).all()
    others = [b if a == report.id else a for a, b in linked_ids]
    related = session.exec(select(Report).where(col(Report.id).in_(others))
                           .order_by(Report.id)).all() if others else []
    return {"main": brief(main) if main else None, "duplicates": [brief(d) for d in duplicates],
            "related": [brief(r) for r in related]}


