import streamlit as st

from portal import companies
from portal.errors import FormInvalid
from portal.ui.auth import sign_in
from portal.ui.context import db, lang, tr
from portal.ui.text import message

st.title(tr("page.register"))
st.caption(tr("register.intro"))

FIELDS = [("company_name", "register.company_name", 100, "default"),
          ("credit_code", "register.credit_code", 18, "default"),
          ("contact_name", "register.contact_name", 40, "default"),
          ("contact_mobile", "register.mobile", 11, "default"),
          ("username", "register.username", 20, "default"),
          ("password", "register.password", 72, "password"),
          ("repeat", "register.repeat", 72, "password")]

errors: dict = {}
if st.session_state.get("register_submit"):
    values = {name: st.session_state.get(f"register_{name}", "") for name, *_ in FIELDS}
    try:
        with db() as session:
            account = companies.register_company(
                session, company_name=values["company_name"], credit_code=values["credit_code"],
                contact_name=values["contact_name"], mobile=values["contact_mobile"],
                username=values["username"], password=values["password"],
                repeat=values["repeat"])
        sign_in(account)
    except FormInvalid as invalid:
        errors = invalid.errors
        st.error(tr("report.fix_errors"))

for name, label, limit, kind in FIELDS:
    st.text_input(tr(label), max_chars=limit, type=kind, key=f"register_{name}")
    if name in errors:
        st.markdown(f":red[{message(errors[name], lang())}]")
st.button(tr("register.submit"), type="primary", key="register_submit")
