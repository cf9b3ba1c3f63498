"""Calculus for ML Lab: entry point. Routes to the lesson pages; holds no math."""

import streamlit as st

from ui.lessons import LESSONS, SECTIONS
from ui.teacher import teacher_settings

st.set_page_config(page_title="Calculus for ML Lab", page_icon=":material/functions:", layout="wide")

home = st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)
navigation = {"": [home]}
for section in SECTIONS:
    pages = [st.Page(lesson.path, title=lesson.title, icon=lesson.icon) for lesson in LESSONS
             if lesson.section == section]
    if pages:
        navigation[section] = pages

page = st.navigation(navigation)

with st.sidebar:
    if teacher_settings().active:
        st.caption(":material/school: Teacher mode: some controls are hidden or locked by this link.")
    st.caption("Every setting lives in the URL: copy the address bar to share exactly this view.")

page.run()
