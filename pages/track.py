import streamlit as st

from portal.ui.context import tr

st.title(tr("page.track"))
st.info(tr("soon.track"), icon=":material/schedule:")
