"""The offices' figures (#13): one module, SQL aggregates only, every rate with its numerator and
denominator so nothing is ever shown as a bare percentage.

A report belongs to a period by the day it was accepted (`Report.accepted_on`, the day of its first
assignment). A merged duplicate (并案) counts once, on its main report. Definitions (issue #13):

- 受理量 accepted: reports accepted in the period; 不予受理 rejected: reports refused in the period
  (by the day of the refusal, counted for the unit the filer named).
- 办结量 closed: accepted reports with a reply that are not in 差评整改 now (已答复待评价, 已办结,
  已办结（未评价）); 办结率 closing_rate = closed / accepted.
- 按时响应率 on_time_response: responded by the respond deadline / responded or respond deadline passed.
- 按时办结率 on_time_closing: first reply by its reply deadline / replied or that deadline passed.
- 满意率 satisfaction: latest rating 满意 or 基本满意 / reports with a rating; 首次满意率 the same on
  the first rating.
- 差评整改率 rectification: rated 不满意 at least once and latest rating 满意/基本满意 / rated 不满意.
- 解决率 resolution: latest reply recorded 已解决 / reports with a reply outcome.
- notices: 提醒单/催办单/督办单/移交函 issued in the period, withdrawn ones excluded.
"""

import unicodedata
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Date, and_, case, literal, literal_column, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from portal import clock, supervised
from portal.cache import VersionedCache
from portal.duplicates import COUNTED
from portal.errors import PermissionDenied, ValidationError
from portal.escalation import LADDER
from portal.i18n import format_date, t
from portal.models import CatalogueArea, Category, Notice, Report, ReportEvent, ReportRating, Unit
from portal.roles import Actor, Role

MIN_DENOMINATOR = 5  # below this a rate is 样本不足 in rankings and charts
PLEASED = ("satisfied", "basically")
REPLIED = ("replied", "closed", "closed_unrated")
RATES = ("closing_rate", "on_time_response", "on_time_closing", "satisfaction",
         "first_satisfaction", "rectification", "resolution")
COUNTS = ("accepted", "rejected", "closed")
OFFICE_ROLES = (Role.SUPERVISOR, Role.DISCIPLINE, Role.ADMIN)


@dataclass(frozen=True)
class Ratio:
    num: int
    den: int

    @property
    def rate(self) -> float | None:
        return round(self.num / self.den, 4) if self.den else None

    @property
    def enough(self) -> bool:
        return self.den >= MIN_DENOMINATOR

    def as_dict(self) -> dict:
        return {"num": self.num, "den": self.den, "rate": self.rate}


def rate_label(figure: dict) -> str:
    """'97.5%（236/242）', 样本不足 under the minimum volume (the JSON keeps num/den), — for none."""
    if figure["den"] == 0:
        return "—"
    if figure["den"] < MIN_DENOMINATOR:
        return f"样本不足（{figure['num']}/{figure['den']}）"
    return f"{figure['num'] / figure['den'] * 100:.1f}%（{figure['num']}/{figure['den']}）"


def rankable(figure: dict) -> bool:
    return figure["den"] >= MIN_DENOMINATOR


_cache = VersionedCache()


def clear_cache() -> None:
    _cache.clear()


def _cached(session: Session, key: tuple, compute):  # noqa: ANN001, ANN202
    """A figure query's result until the next write (`portal.cache`: the same data version as
    the public board), keyed by the query, its arguments and today — the on-time figures count
    the deadlines passed by today, so a new day recomputes them. A year of ≈525,000 reports
    takes about a second to scan on SQLite; served from here it takes a millisecond. Callers
    get a copy and may change it."""
    return deepcopy(_cache.get(session, (*key, clock.today()), compute))


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError("error.stats_period", field="period")


def _empty() -> dict:
    figures: dict = dict.fromkeys(COUNTS, 0)
    figures.update({name: Ratio(0, 0).as_dict() for name in RATES})
    figures["notices"] = dict.fromkeys(LADDER, 0)
    return figures


def _sum(condition: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _report_figures(session: Session, start: date, end: date, key, joins) -> dict:
    """One GROUP BY over the period's accepted reports, with each report's first and latest
    rating picked by a grouped subquery over the ratings of those reports only."""
    today = clock.today()
    in_period = and_(col(Report.accepted_on) >= start, col(Report.accepted_on) <= end, COUNTED)
    per_report = (select(ReportRating.report_id.label("report_id"),
                         func.min(ReportRating.id).label("first_id"),
                         func.max(ReportRating.id).label("last_id"),
                         func.max(case((ReportRating.rating == "unsatisfied", 1), else_=0))
                         .label("ever_bad"))
                  .join(Report, col(Report.id) == ReportRating.report_id)
                  .where(in_period).group_by(ReportRating.report_id).subquery())
    first = aliased(ReportRating)
    last = aliased(ReportRating)
    responded = func.date(Report.responded_at)
    replied = func.date(Report.first_replied_at)
    pleased_last = col(last.rating).in_(PLEASED)
    bad = per_report.c.ever_bad == 1
    columns = [
        func.count(),
        _sum(col(Report.status).in_(REPLIED)),
        _sum(and_(col(Report.responded_at).is_not(None), responded <= Report.respond_due)),
        _sum(or_(col(Report.responded_at).is_not(None), col(Report.respond_due) < today)),
        _sum(and_(col(Report.first_replied_at).is_not(None), replied <= Report.first_reply_due)),
        _sum(or_(col(Report.first_replied_at).is_not(None), col(Report.first_reply_due) < today)),
        _sum(pleased_last), _sum(col(last.id).is_not(None)),
        _sum(col(first.rating).in_(PLEASED)),
        _sum(and_(bad, pleased_last)), _sum(bad),
        _sum(Report.reply_outcome == "resolved"), _sum(col(Report.reply_outcome).is_not(None)),
    ]
    query = (select(key, *columns).select_from(Report)
             .outerjoin(per_report, per_report.c.report_id == Report.id)
             .outerjoin(first, col(first.id) == per_report.c.first_id)
             .outerjoin(last, col(last.id) == per_report.c.last_id))
    for target, on in joins:
        query = query.outerjoin(target, on)
    result = {}
    for row in session.exec(query.where(in_period).group_by(key)).all():
        (group, accepted, closed, resp_n, resp_d, close_n, close_d, sat_n, sat_d, first_n,
         rect_n, rect_d, res_n, res_d) = (row[0], *(int(v) for v in row[1:]))
        result[group] = {
            "accepted": accepted, "closed": closed,
            "closing_rate": Ratio(closed, accepted).as_dict(),
            "on_time_response": Ratio(resp_n, resp_d).as_dict(),
            "on_time_closing": Ratio(close_n, close_d).as_dict(),
            "satisfaction": Ratio(sat_n, sat_d).as_dict(),
            "first_satisfaction": Ratio(first_n, sat_d).as_dict(),
            "rectification": Ratio(rect_n, rect_d).as_dict(),
            "resolution": Ratio(res_n, res_d).as_dict(),
        }
    return result


def _rejected(session: Session, start: date, end: date, key, joins) -> dict:
    """不予受理 by the day of the refusal (a refused report has no accepted day)."""
    since, until = datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())
    # The period's refusals first (`ix_report_events_action_at`, migration 0014), then their
    # reports by primary key: written as `reports.id IN (…)`, SQLite may instead walk every
    # counted report in `ix_reports_figures` and test each against the list.
    refused = (select(ReportEvent.report_id).distinct()
               .where(ReportEvent.action == "reject", col(ReportEvent.at) >= since,
                      col(ReportEvent.at) < until).subquery())
    query = select(key, func.count()).select_from(refused).join(
        Report, col(Report.id) == refused.c.report_id)
    for target, on in joins:
        query = query.outerjoin(target, on)
    query = query.where(Report.status == "rejected", COUNTED)
    return {group: int(n) for group, n in session.exec(query.group_by(key)).all()}


def _notices(session: Session, start: date, end: date, key, joins) -> dict:
    # the reports' figures count the reports' notices; notices_by_item counts every kind
    query = select(key, Notice.kind, func.count()).select_from(Notice).where(
        Notice.item_kind == "report")
    if joins:  # grouped by what the report says (its area); a notice names its unit itself
        query = query.join(Report, col(Report.id) == Notice.report_id)
    for target, on in joins:
        query = query.outerjoin(target, on)
    query = query.where(col(Notice.issued_on) >= start, col(Notice.issued_on) <= end,
                        col(Notice.withdrawn).is_(False))
    result: dict = {}
    for group, kind, n in session.exec(query.group_by(key, Notice.kind)).all():
        result.setdefault(group, dict.fromkeys(LADDER, 0))[kind] = int(n)
    return result


def _grouped(session: Session, start: date, end: date, *, report_key, report_joins,
             notice_key, rejected_key) -> dict:
    figures: dict = {}
    for group, values in _report_figures(session, start, end, report_key, report_joins).items():
        figures.setdefault(group, _empty()).update(values)
    for group, n in _rejected(session, start, end, rejected_key, report_joins).items():
        figures.setdefault(group, _empty())["rejected"] = n
    for group, counts in _notices(session, start, end, notice_key, report_joins).items():
        figures.setdefault(group, _empty())["notices"] = counts
    return figures


def _ordered(figures: dict) -> dict:
    """The JSON order of the issue: counts, rates, notices."""
    return {name: figures[name] for name in (*COUNTS[:2], "closed", *RATES, "notices")}


def district(session: Session, start: date, end: date) -> dict:
    """The district's figures (no unit restriction: the total is shown to every staff role)."""
    figures = _grouped(session, start, end, report_key=literal(1), report_joins=[],
                       notice_key=literal(1), rejected_key=literal(1))
    return _ordered(figures.get(1, _empty()))


def _sum_groups(groups) -> dict:  # noqa: ANN001
    """The district from the units' groups: every accepted report has exactly one unit, every
    notice one unit, and refusals without a named unit sit in the None group — so the sums are
    the district's numbers, without a second pass over the reports."""
    total = _empty()
    for figures in groups:
        for name in COUNTS:
            total[name] += figures[name]
        for name in RATES:
            num = total[name]["num"] + figures[name]["num"]
            den = total[name]["den"] + figures[name]["den"]
            total[name] = Ratio(num, den).as_dict()
        for kind in LADDER:
            total["notices"][kind] += figures["notices"][kind]
    return total


# Grouped by `unit_id + 0`, not `unit_id`: the same groups, but no index delivers the reports in
# that order, so SQLite's planner cannot trade the period's range on `ix_reports_figures`
# (migration 0014) for a walk through all 1,000,000 reports in `ix_reports_unit_status` order to
# save sorting the groups — which it does once ANALYZE statistics exist (2 s for a month instead
# of 20 ms). PostgreSQL hashes the groups either way.
UNIT_GROUP = col(Report.unit_id) + literal_column("0")


def _by_unit(session: Session, start: date, end: date) -> dict:
    return _grouped(session, start, end, report_key=UNIT_GROUP, report_joins=[],
                    notice_key=Notice.unit_id, rejected_key=Report.concerned_unit_id)


def compute(session: Session, *, start: date, end: date, unit_name: str | None = None,
            only_unit_id: int | None = None) -> dict:
    """The district total and every active unit (or the one named): the shape of
    `python -m portal stats --json`. Trusted callers only (CLI, bulletin); pages use
    `period_figures`, which checks the actor."""
    _check_period(start, end)
    units = session.exec(select(Unit.id, Unit.name).where(col(Unit.active).is_(True))
                         .order_by(Unit.sort_order, Unit.id)).all()
    if unit_name is not None:
        units = [(uid, name) for uid, name in units if name == unit_name.strip()]
        if not units:
            raise ValidationError("error.stats_unit_unknown", field="unit", unit=unit_name)
    if only_unit_id is not None:
        units = [(uid, name) for uid, name in units if uid == only_unit_id]
    per_unit = _cached(session, ("units", start, end), lambda: _by_unit(session, start, end))
    return {"from": start.isoformat(), "to": end.isoformat(),
            "total": _ordered(_sum_groups(per_unit.values())),
            "units": [{"unit": name, **_ordered(per_unit.get(uid, _empty()))}
                      for uid, name in units]}


def period_figures(session: Session, *, actor: Actor, start: date, end: date,
                   unit_name: str | None = None) -> dict:
    """`compute` for a signed-in user: a unit user gets the district total and only their own
    unit's figures."""
    if actor.has(*OFFICE_ROLES):
        return compute(session, start=start, end=end, unit_name=unit_name)
    if not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    return compute(session, start=start, end=end, unit_name=unit_name,
                   only_unit_id=actor.unit_id)


def notices_by_item(session: Session, *, actor: Actor, start: date, end: date
                    ) -> dict[str, dict[str, int]]:
    """Notices issued in the period by kind of supervised item and rung (withdrawn excluded):
    {"report": {"reminder": n, …}, "task": {…}} — one GROUP BY."""
    if not actor.has(*OFFICE_ROLES):
        raise PermissionDenied()
    _check_period(start, end)
    counts = {kind: dict.fromkeys(LADDER, 0) for kind in supervised.KINDS}
    rows = session.exec(select(Notice.item_kind, Notice.kind, func.count())
                        .where(col(Notice.issued_on) >= start, col(Notice.issued_on) <= end,
                               col(Notice.withdrawn).is_(False))
                        .group_by(Notice.item_kind, Notice.kind)).all()
    for item_kind, kind, n in rows:
        counts.setdefault(item_kind, dict.fromkeys(LADDER, 0))[kind] = int(n)
    return counts


def area_figures(session: Session, *, actor: Actor, start: date, end: date) -> list[dict]:
    """The same figures per catalogue area (reports without a category under 未分类)."""
    if not actor.has(*OFFICE_ROLES):
        raise PermissionDenied()
    return area_figures_unchecked(session, start=start, end=end)


def area_figures_unchecked(session: Session, *, start: date, end: date) -> list[dict]:
    """`area_figures` for trusted callers (CLI, bulletin)."""
    _check_period(start, end)
    return _cached(session, ("areas", start, end), lambda: _area_figures(session, start, end))


def _area_figures(session: Session, start: date, end: date) -> list[dict]:
    joins = [(Category, col(Category.id) == Report.category_id),
             (CatalogueArea, col(CatalogueArea.id) == Category.area_id)]
    figures = _grouped(session, start, end, report_key=CatalogueArea.name, report_joins=joins,
                       notice_key=CatalogueArea.name, rejected_key=CatalogueArea.name)
    return [{"area": name or "未分类", **_ordered(values)}
            for name, values in sorted(figures.items(), key=lambda item: (item[0] is None,
                                                                           item[0] or ""))]


def _bucket(session: Session, by: str) -> ColumnElement:
    """The first day of the week (Monday) or month of the accepted day, in either dialect."""
    if session.get_bind().dialect.name == "sqlite":
        if by == "week":
            return func.date(Report.accepted_on, "weekday 0", "-6 days")
        return func.strftime("%Y-%m-01", Report.accepted_on)
    return func.cast(func.date_trunc(by, Report.accepted_on), Date)


def trend(session: Session, *, actor: Actor, start: date, end: date, by: str = "month"
          ) -> list[dict]:
    """The figures per week or month of the period (one GROUP BY on the bucket)."""
    _check_period(start, end)
    if by not in ("week", "month"):
        raise ValidationError("error.stats_trend", field="by")
    if not actor.has(*OFFICE_ROLES):
        raise PermissionDenied()
    return _cached(session, ("trend", by, start, end), lambda: _trend(session, start, end, by))


def _trend(session: Session, start: date, end: date, by: str) -> list[dict]:
    rows = _report_figures(session, start, end, _bucket(session, by), [])
    return [{"period": _as_date(bucket).isoformat(), **_ordered({**_empty(), **values})}
            for bucket, values in sorted(rows.items(), key=lambda item: str(item[0]))]


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def unit_area(session: Session, *, actor: Actor, start: date, end: date) -> list[dict]:
    """受理量 and 办结率 per unit × area for the heat map (one GROUP BY over both)."""
    _check_period(start, end)
    if not actor.has(*OFFICE_ROLES):
        raise PermissionDenied()
    return _cached(session, ("heat", start, end), lambda: _unit_area(session, start, end))


def _unit_area(session: Session, start: date, end: date) -> list[dict]:
    rows = session.exec(
        select(Unit.name, CatalogueArea.name, func.count(), _sum(col(Report.status).in_(REPLIED)))
        .select_from(Report).join(Unit, col(Unit.id) == Report.unit_id)
        .outerjoin(Category, col(Category.id) == Report.category_id)
        .outerjoin(CatalogueArea, col(CatalogueArea.id) == Category.area_id)
        .where(col(Report.accepted_on) >= start, col(Report.accepted_on) <= end, COUNTED)
        .group_by(Unit.name, CatalogueArea.name)).all()
    return [{"unit": unit, "area": area or "未分类", "accepted": int(n),
             "closing_rate": Ratio(int(done), int(n)).as_dict()} for unit, area, n, done in rows]


def period_range(kind: str, today: date) -> tuple[date, date]:
    """本月 / 本季度 / 本年 up to and including `today`."""
    if kind == "month":
        return today.replace(day=1), today
    if kind == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if kind == "year":
        return date(today.year, 1, 1), today
    raise ValidationError("error.stats_period", field="period")


def ranking(rows: list[dict], figure: str) -> list[dict]:
    """Units ranked by one rate, best first; those under the minimum volume last, unranked."""
    ranked = sorted((r for r in rows if rankable(r[figure])),
                    key=lambda r: -(r[figure]["num"] / r[figure]["den"]))
    return ([{"rank": i, "unit": r["unit"], figure: r[figure]} for i, r in enumerate(ranked, 1)]
            + [{"rank": None, "unit": r["unit"], figure: r[figure]}
               for r in rows if not rankable(r[figure])])


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def text_table(figures: dict) -> str:
    """The figures as a readable Chinese table (one line per unit, the district total last)."""
    headers = [t("stats.unit"), *(t(f"stats.{name}") for name in (*COUNTS, *RATES)),
               t("stats.notices")]
    rows = [[row["unit"], *(str(row[name]) for name in COUNTS),
             *(rate_label(row[name]) for name in RATES),
             "/".join(str(row["notices"][kind]) for kind in LADDER)]
            for row in [*figures["units"], {"unit": t("stats.total"), **figures["total"]}]]
    widths = [max(_width(line[i]) for line in [headers, *rows]) + 2 for i in range(len(headers))]
    start, end = date.fromisoformat(figures["from"]), date.fromisoformat(figures["to"])
    lines = [t("stats.header", start=format_date(start), end=format_date(end)),
             "".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["".join(_pad(c, w) for c, w in zip(line, widths, strict=True)).rstrip()
              for line in rows]
    lines.append(t("stats.footnote", n=MIN_DENOMINATOR))
    return "\n".join(lines)
