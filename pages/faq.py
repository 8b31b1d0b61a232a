import streamlit as st

from portal.ui import knowledge_ui
from portal.ui.context import tr

# public page: no role guard needed beyond what st.navigation shows to everyone
st.title(tr("page.faq"))
knowledge_ui.faq()
