"""Widgets of the figures pages (#13): the period picker, KPI cards with num/den and a one-line
definition, and tables that carry their chart and Excel download one click away."""

from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from portal import clock, exports, stats
from portal.escalation import LADDER
from portal.roles import Actor
from portal.ui.context import audited, lang, tr

PERIODS = ("month", "quarter", "year", "custom")


def period_picker(key: str) -> tuple[date, date]:
    """本月 / 本季度 / 本年 / 自定义; the custom range defaults to this month."""
    today = clock.today()
    kind = st.radio(tr("stats.period"), PERIODS, horizontal=True, key=f"{key}_period",
                    format_func=lambda k: tr(f"stats.period.{k}"))
    if kind != "custom":
        return stats.period_range(kind, today)
    left, right = st.columns(2)
    start = left.date_input(tr("stats.from"), value=today.replace(day=1), format="YYYY/MM/DD",
                            key=f"{key}_from")
    end = right.date_input(tr("stats.to"), value=today, format="YYYY/MM/DD", key=f"{key}_to")
    return start, end


def rate_text(figure: dict) -> str:
    return stats.rate_label(figure)


def rate_card(column, label: str, figure: dict) -> None:  # noqa: ANN001
    """A rate as a card: the short value large (never cut off at 1366 px), num/den beneath."""
    if not figure["den"]:
        value = "—"
    elif not stats.rankable(figure):
        value = tr("stats.too_few")
    else:
        value = f"{figure['num'] / figure['den']:.1%}"
    column.metric(label, value)
    column.caption(tr("portal.of", num=figure["num"], den=figure["den"]))


def kpi_cards(total: dict) -> None:
    """Counts, then every rate as a card: the rate with num/den and its definition."""
    counts = st.columns(len(stats.COUNTS))
    for column, name in zip(counts, stats.COUNTS, strict=True):
        column.metric(tr(f"stats.{name}"), total[name], help=tr(f"stats.def.{name}"))
    for start in range(0, len(stats.RATES), 4):
        names = stats.RATES[start:start + 4]
        for column, name in zip(st.columns(4), names, strict=False):
            rate_card(column, tr(f"stats.{name}"), total[name])
            column.caption(tr(f"stats.def.{name}"))


def figure_columns(row: dict) -> dict:
    """One row of a figures table: counts, each rate with num/den (样本不足 under the minimum
    volume), and the notices by rung."""
    cells = {tr(f"stats.{name}"): row[name] for name in stats.COUNTS}
    for name in stats.RATES:
        cells[tr(f"stats.{name}")] = rate_text(row[name])
    for kind in LADDER:
        cells[tr(f"notice.kind.{kind}")] = row["notices"][kind]
    return cells


def sorted_units(rows: list[dict], figure: str) -> list[dict]:
    """Units by one figure, best first, with their rank; a rate under the minimum volume is not
    ranked and goes last (counts rank every unit)."""
    if figure in stats.COUNTS:
        ordered = sorted(rows, key=lambda r: -r[figure])
        return [{tr("scoring.col.rank"): i, tr("stats.unit"): r["unit"], **figure_columns(r)}
                for i, r in enumerate(ordered, 1)]
    return [{tr("scoring.col.rank"): r["rank"] or tr("stats.not_ranked"),
             tr("stats.unit"): r["unit"],
             **figure_columns(next(x for x in rows if x["unit"] == r["unit"]))}
            for r in stats.ranking(rows, figure)]


def download(title: str, table: list[dict], key: str) -> None:
    """An Excel download of exactly the table shown (formula-safe cells)."""
    headers = list(table[0]) if table else []
    st.download_button(tr("stats.download", title=title), mime=exports.MIME,
                       file_name=f"{title}.xlsx", key=key,
                       data=audited(lambda: exports.workbook(
                           title, headers, [list(r.values()) for r in table]), f"{title}.xlsx"))


def table_block(title: str, table: list[dict], key: str, chart: alt.Chart | None = None) -> None:
    """A chart (when given) with its table one click away and the table's Excel download."""
    st.subheader(title)
    if not table:
        st.caption(tr("stats.empty"))
        return
    if chart is not None:
        st.altair_chart(chart, use_container_width=True)
        with st.expander(tr("stats.show_table")):
            st.dataframe(table, hide_index=True, use_container_width=True)
    else:
        st.dataframe(table, hide_index=True, use_container_width=True)
    download(title, table, key)


def unit_rate_chart(rows: list[dict], figure: str) -> alt.Chart | None:
    """Units by one rate, 样本不足 left out of the bars and named in the title."""
    data = pd.DataFrame([{"unit": r["unit"], "rate": r[figure]["num"] / r[figure]["den"] * 100,
                          "ratio": f"{r[figure]['num']}/{r[figure]['den']}"}
                         for r in rows if stats.rankable(r[figure])])
    if data.empty:
        return None
    name = tr(f"stats.{figure}")
    return alt.Chart(data, title=tr("stats.chart_units", name=name)).mark_bar().encode(
        x=alt.X("unit:N", title=tr("stats.unit"), sort="-y",
                axis=alt.Axis(labelAngle=-45, labelLimit=90)),
        y=alt.Y("rate:Q", title=f"{name}（%）", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("unit:N", title=tr("stats.unit")),
                 alt.Tooltip("rate:Q", title=f"{name}（%）", format=".1f"),
                 alt.Tooltip("ratio:N", title=tr("stats.ratio"))])


def trend_chart(trend: list[dict]) -> alt.Chart | None:
    data = pd.DataFrame([{"period": r["period"], "series": tr(f"stats.{name}"), "n": r[name]}
                         for r in trend for name in ("accepted", "closed")])
    if data.empty:
        return None
    return alt.Chart(data, title=tr("stats.chart_trend")).mark_line(point=True).encode(
        x=alt.X("period:O", title=tr("stats.period_start")),
        y=alt.Y("n:Q", title=tr("stats.count"), axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color("series:N", title=None),
        tooltip=[alt.Tooltip("period:O", title=tr("stats.period_start")),
                 alt.Tooltip("series:N", title=tr("stats.figure")),
                 alt.Tooltip("n:Q", title=tr("stats.count"))])


def heat_chart(cells: list[dict]) -> alt.Chart | None:
    data = pd.DataFrame([{"unit": c["unit"], "area": c["area"], "accepted": c["accepted"],
                          "closing": rate_text(c["closing_rate"])} for c in cells])
    if data.empty:
        return None
    return alt.Chart(data, title=tr("stats.chart_heat")).mark_rect().encode(
        x=alt.X("area:N", title=tr("stats.area"), axis=alt.Axis(labelAngle=0, labelLimit=120)),
        y=alt.Y("unit:N", title=tr("stats.unit")),
        color=alt.Color("accepted:Q", title=tr("stats.accepted"), scale=alt.Scale(scheme="reds")),
        tooltip=[alt.Tooltip("unit:N", title=tr("stats.unit")),
                 alt.Tooltip("area:N", title=tr("stats.area")),
                 alt.Tooltip("accepted:Q", title=tr("stats.accepted")),
                 alt.Tooltip("closing:N", title=tr("stats.closing_rate"))])


def report_table(rows: list[dict]) -> list[dict]:
    """Report rows (titles are user text: a dataframe shows them as text)."""
    from portal.i18n import format_date

    return [{tr("stats.col.number"): r["tracking_no"], tr("stats.col.title"): r["title"],
             tr("stats.unit"): r["unit"], tr("stats.col.status"): tr(f"status.{r['status']}"),
             tr("stats.col.due"): format_date(r["due"], lang()) if r["due"] else "",
             tr("stats.col.card"): tr(f"stats.card.{r['card']}") if r["card"] else "",
             tr("stats.col.overdue"): r["overdue_days"]} for r in rows]


def ledger_download(actor: Actor, start: date, end: date) -> None:
    """The period's 台账, built when the button is pressed (and audited then)."""
    from portal import dashboard
    from portal.ui.context import db

    def build() -> bytes:
        with db() as session:
            return dashboard.ledger_workbook(session, actor=actor, start=start, end=end)

    name = f"台账{start.isoformat()}至{end.isoformat()}.xlsx"
    st.download_button(tr("stats.ledger_download"), mime=exports.MIME, file_name=name,
                       key="stats_ledger_xlsx", data=audited(build, name))


def beside_district(unit: dict, total: dict) -> None:
    """The unit's figures in one column, the district's in the next."""
    names = (*stats.COUNTS, *stats.RATES)
    st.dataframe([{tr("stats.figure"): tr(f"stats.{name}"),
                   tr("stats.home_unit"): _cell(unit[name]),
                   tr("stats.home_district"): _cell(total[name])} for name in names],
                 hide_index=True, use_container_width=True)


def _cell(value: int | dict) -> str:
    return str(value) if isinstance(value, int) else rate_text(value)


def bulletin_form(actor: Actor) -> None:
    """月通报 / 周总结 on demand, with a progress bar while it is written."""
    from portal import bulletin
    from portal.errors import PortalError
    from portal.notice_doc import MIME as WORD_MIME
    from portal.ui.context import db, show_error

    today = clock.today()
    last_month = today.replace(day=1) - timedelta(days=1)
    iso = (today - timedelta(days=7)).isocalendar()
    with st.form("bulletin_form"):
        kind = st.radio(tr("bulletin.kind"), ("month", "week"), horizontal=True,
                        format_func=lambda k: tr(f"bulletin.kind.{k}"), key="bulletin_kind")
        left, right = st.columns(2)
        month = left.text_input(tr("bulletin.month"), value=f"{last_month:%Y-%m}",
                                key="bulletin_month")
        week = right.text_input(tr("bulletin.week"), value=f"{iso.year}-W{iso.week:02d}",
                                key="bulletin_week")
        made = st.form_submit_button(tr("bulletin.make"))
    if made:
        bar = st.progress(0.0)
        try:
            period = (bulletin.month_period(month) if kind == "month"
                      else bulletin.week_period(week))
            with db() as session:
                word, excel = bulletin.for_office(
                    session, actor=actor, period=period,
                    progress=lambda fraction, text: bar.progress(fraction, text=text))
        except PortalError as error:
            show_error(error)
            return
        st.session_state["bulletin_files"] = (period.slug, kind, word, excel)
    files = st.session_state.get("bulletin_files")
    if files:
        slug, kind, word, excel = files
        name = tr(f"bulletin.kind.{kind}")
        left, right = st.columns(2)
        left.download_button(tr("bulletin.word"), data=word, mime=WORD_MIME,
                             file_name=f"{name}{slug}.docx", key="bulletin_docx")
        right.download_button(tr("bulletin.excel"), data=excel, mime=exports.MIME,
                              file_name=f"{name}{slug}.xlsx", key="bulletin_xlsx")


def scoring_section(actor: Actor) -> None:
    """考核评分 of a quarter or the year: the ranking, and one unit's breakdown line by line."""
    from portal import scoring
    from portal.ui.context import db_read

    st.subheader(tr("scoring.title"))
    today = clock.today()
    left, right = st.columns(2)
    year = int(left.number_input(tr("scoring.year"), 2000, 2100, today.year, step=1,
                                 key="scoring_year"))
    quarter = right.selectbox(tr("scoring.quarter"), [None, 1, 2, 3, 4], key="scoring_quarter",
                              format_func=lambda q: tr("scoring.whole_year") if q is None
                              else tr("scoring.quarter_n", n=q))
    with db_read() as session:
        result = scoring.scores(session, actor=actor, year=year, quarter=quarter)
    table = [{tr("scoring.col.rank"): u["rank"] if u["rank"] else tr("scoring.unranked"),
              tr("stats.unit"): u["unit"], tr("stats.accepted"): u["accepted"],
              tr("scoring.col.score"): u["score"],
              **{tr(f"scoring.item.{i['item']}"): i["points"] for i in u["items"]}}
             for u in result["units"]]
    st.dataframe(table, hide_index=True, use_container_width=True)
    download(tr("scoring.title"), table, "scoring_xlsx")
    names = [u["unit"] for u in result["units"]]
    if names:
        pick = st.selectbox(tr("scoring.breakdown"), names, key="scoring_unit")
        unit = next(u for u in result["units"] if u["unit"] == pick)
        st.dataframe([{tr("scoring.col.item"): tr(f"scoring.item.{i['item']}"),
                       tr("scoring.col.points"): i["points"],
                       tr("scoring.col.basis"): i["basis"]} for i in unit["items"]],
                     hide_index=True, use_container_width=True)


def unit_duties(figures: dict) -> None:
    """The unit's latest self-check and its typical-case quota, one line each."""
    from portal.i18n import format_date

    check = figures["selfcheck"]
    if check is not None:
        st.text(tr("stats.home_selfcheck", campaign=check["campaign"],
                   status=tr(f"stats.selfcheck.{check['status']}"),
                   due=format_date(check["due"], lang())))
    if figures["quota"]:
        st.text(tr("stats.home_quota") + "；".join(
            f"{format_date(date.fromisoformat(c['date']), lang())} {c['status']}"
            f"（{c['cases']}/{c['required']}）" for c in figures["quota"]))


def notice_item_rows(counts: dict[str, dict[str, int]]) -> list[dict]:
    """Notices of the period by kind of supervised item (反映问题, 重点任务) and rung."""
    return [{tr("stats.item_kind"): tr(f"supervised.kind.{kind}"),
             **{tr(f"notice.kind.{rung}"): n for rung, n in rungs.items()}}
            for kind, rungs in counts.items()]
