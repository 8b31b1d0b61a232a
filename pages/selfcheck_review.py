import altair as alt
import pandas as pd
import streamlit as st

from portal import cards, clock, selfcheck, units
from portal.i18n import format_date, format_datetime
from portal.roles import Role
from portal.ui import selfcheck_form
from portal.ui.context import db, lang, tr
from portal.ui.guard import require_login
from portal.ui.widgets import act, ask_to_confirm, card_styled, pending_confirmation, show_flash

me = require_login(Role.SUPERVISOR, Role.DISCIPLINE)
office = me.has(Role.SUPERVISOR)


st.title(tr("page.selfcheck_review"))
show_flash()
pending_confirmation()
with db() as session:
    campaigns = selfcheck.list_campaigns(session)
    unit_names = {u.id: u.name for u in units.list_units(session)}

if office:
    left, right = st.columns([1, 3])
    if left.button(tr("selfcheck.open_next"), key="review_open_next"):
        with db() as session:
            plan = selfcheck.preview_next_campaign(session, actor=me)
        words = {"units": plan["units"], "name": plan["name"],
                 "due": format_date(plan["due_date"], lang())}
        ask_to_confirm(tr("selfcheck.confirm_open", **words),
                lambda s: selfcheck.open_next_campaign(s, actor=me),
                tr("selfcheck.opened_for", **words))
    with right.expander(tr("selfcheck.open_custom")), st.form("review_open"):
        year = st.number_input(tr("selfcheck.year"), 2020, 2100, clock.today().year, step=1)
        quarter = st.selectbox(tr("selfcheck.quarter"), [1, 2, 3, 4],
                               format_func=lambda q: selfcheck.campaign_name(int(year), q))
        due = st.date_input(tr("selfcheck.due_date"), value=None, format="YYYY-MM-DD")
        chosen = st.multiselect(tr("selfcheck.units"), list(unit_names),
                                format_func=unit_names.get, placeholder=tr("common.all"))
        if st.form_submit_button(tr("selfcheck.open")):
            act(lambda s: selfcheck.open_campaign(s, actor=me, year=int(year), quarter=quarter,
                                                  due_date=due, unit_ids=chosen or None),
                tr("selfcheck.opened", name=selfcheck.campaign_name(int(year), quarter)))

if not campaigns:
    st.info(tr("selfcheck.none"))
    st.stop()
by_id = {c["id"]: c for c in campaigns}
campaign_id = st.selectbox(tr("selfcheck.campaign"), list(by_id),
                           format_func=lambda i: by_id[i]["name"], key="review_campaign")
campaign = by_id[campaign_id]
st.caption(tr("selfcheck.due", due=format_date(campaign["due_date"], lang())))
if campaign["due_estimated"]:
    st.warning(tr("selfcheck.estimated"))

with db() as session:
    rows = selfcheck.completion(session, actor=me, campaign_id=campaign_id)
    overview = selfcheck.summary(session, actor=me, campaign_id=campaign_id)
today = clock.today()
st.subheader(tr("selfcheck.completion"))


def card_of(row: dict) -> str:
    which = cards.card(campaign["due_date"], today) if row["waiting"] else None
    return tr(f"card.{which}") if which else ""


st.dataframe(card_styled([{tr("card.col"): card_of(r), tr("selfcheck.col.unit"): r["unit"],
               tr("selfcheck.col.state"): tr(f"selfcheck.state.{r['state']}"),
               tr("selfcheck.col.submitted_at"): format_datetime(r["submitted_at"], lang())
               if r["submitted_at"] else "",
               tr("selfcheck.col.problems"): r["problems"], tr("selfcheck.col.open"): r["open"]}
              for r in rows], tr("card.col")),
             hide_index=True, use_container_width=True)

reviewable = {r["form_id"]: r for r in rows if r["form_id"]}
if reviewable:
    form_id = st.selectbox(tr("selfcheck.review_pick"), list(reviewable),
                           format_func=lambda i: reviewable[i]["unit"], key="review_form")
    with db() as session:
        view = selfcheck.form_view(session, actor=me, form_id=form_id)
    named = {"unit": view["unit"], "name": view["campaign"]}
    with st.container(border=True):
        selfcheck_form.document(view["rows"])
    if office and view["status"] == "submitted":
        if st.button(tr("selfcheck.accept"), type="primary", key="review_accept"):
            ask_to_confirm(tr("selfcheck.confirm_accept", **named),
                    lambda s: selfcheck.accept(s, actor=me, form_id=form_id),
                    tr("selfcheck.accepted_named", **named))
        with st.form("review_return", clear_on_submit=True):
            comment = st.text_area(tr("selfcheck.return_comment"), max_chars=500,
                                   key="review_comment")
            with st.expander(tr("selfcheck.return_notes")):
                notes = {number: st.text_input(
                    tr("selfcheck.note_for", number=number), max_chars=500,
                    key=f"review_note_{number}")
                    for number in selfcheck_form.by_category(view["rows"])}
            if st.form_submit_button(tr("selfcheck.return")):
                act(lambda s: selfcheck.return_form(s, actor=me, form_id=form_id,
                                                    comment=comment, category_notes=notes),
                    tr("selfcheck.returned_named", **named))

st.subheader(tr("selfcheck.summary"))
st.write(tr("selfcheck.progress_line", **overview["progress"]))
this, before = tr("selfcheck.this_quarter"), tr("selfcheck.prev_quarter")
areas = pd.DataFrame(
    [{"area": a["area"], "quarter": this, "count": a["count"]} for a in overview["areas"]]
    + ([{"area": a["area"], "quarter": before, "count": a["previous"]}
        for a in overview["areas"]] if overview["previous"] else []))
st.caption(tr("selfcheck.by_area", previous=overview["previous"]) if overview["previous"]
           else tr("selfcheck.by_area_single"))
st.altair_chart(alt.Chart(areas).mark_bar().encode(
    x=alt.X("area:N", title=None, sort=None), xOffset="quarter:N",
    y=alt.Y("count:Q", title=tr("selfcheck.col.problems")),
    color=alt.Color("quarter:N", title=None)), use_container_width=True)
st.dataframe([{tr("selfcheck.col.number"): c["number"], tr("selfcheck.col.area"): c["area"],
               tr("selfcheck.col.category"): c["text"], this: c["count"], before: c["previous"]}
              for c in overview["categories"]], hide_index=True, use_container_width=True)
