"""Home: what the lab is, the lessons, sharing and teacher mode."""

import streamlit as st

from ui.course import ordered_lessons
from ui.progress import continue_elsewhere, learner_progress

st.title("Calculus for ML Lab")
st.markdown(
    "Seven short lessons on the calculus behind machine learning, each turned into an experiment you "
    "can change: type a function, drag a slider, and watch derivatives, integrals, gradients, Jacobians, "
    "backpropagation, optimizers and support vector machines respond. Every page shows the numbers and "
    "the symbols side by side, and ends with a task whose answer is checked."
)

st.subheader("Lessons")
lessons = ordered_lessons()
progress = learner_progress(lessons)
for lesson in lessons:
    with st.container(border=True):
        st.page_link(lesson.path, label=f"{lesson.number}. {lesson.title}", icon=lesson.icon)
        st.caption(lesson.summary)
        if progress.get(lesson.url_path):
            st.caption(progress[lesson.url_path])
continue_elsewhere()

left, right = st.columns(2)
with left:
    st.subheader("Sharing a view")
    st.markdown(
        "Every control that shapes a page is kept in the address bar. Copy the URL and whoever opens it "
        "sees the same function, point, step size or network, computed afresh on their side. Values that "
        "arrive through a link are checked again on the server: anything out of range is ignored."
    )
with right:
    st.subheader("Teacher mode")
    st.markdown(
        "Add `teacher=1` to a shared link, then `hide=` or `lock=` followed by control names (the names "
        "you see in the URL, separated by commas). Hidden controls disappear but keep your value; locked "
        "ones are shown read-only; `lock=all` locks the whole page. Example: "
        "`?teacher=1&lock=all&hide=deriv_task_reveal`."
    )

st.caption("Typed math accepts ^ for powers, implicit products (2x, 3(x+1)), e, pi and the usual "
           "functions: sin, cos, tan, exp, ln/log, sqrt, abs, sigmoid and more.")
