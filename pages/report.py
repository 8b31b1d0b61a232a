import streamlit as st

from portal.ui.context import tr

st.title(tr("page.report"))
st.info(tr("soon.report"), icon=":material/schedule:")
