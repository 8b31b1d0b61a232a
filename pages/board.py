import streamlit as st

from portal.ui.context import tr

st.title(tr("page.board"))
st.info(tr("soon.board"), icon=":material/schedule:")
