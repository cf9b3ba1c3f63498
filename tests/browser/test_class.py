"""A class in Chromium: a teacher and three students, each in a browser context of their own (own cookie jar).

One class is set up per module on the shared server (``classroom``): the teacher starts it on ``/class`` and
reads the join code, the join link and the private teacher link from the page; Ada joins by the link, Ben by
typing the code, and a student whose nickname is markup (``<b>Bo</b>``) by the link. Each answers the
derivatives task: Ada wrong then right, Ben right, Bo wrong. The tests then check what each of them sees:
the dashboard's live counts, a reload and a browser restart that keep the student in the class, a view the
teacher sends, a wrong teacher token, the addresses a student could copy, the cookies' attributes, and axe's
findings on the dashboard with the class in it.

Every wait is on visible text or an attribute, with generous deadlines: the machine may be loaded.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import unquote

import pytest

from tests.browser.conftest import CHART, assert_healthy, open_app, wait_idle
from tests.browser.test_accessibility import BLOCKING, axe_violations
from ui.membership import COOKIE_MAX_AGE, LEARNER_COOKIE, TEACHER_COOKIE

pytestmark = pytest.mark.browser

#: Deadline for "eventually" conditions: a recorded answer reaching the dashboard, a cookie being written.
EVENTUALLY_MS = 120_000
VIEWPORT = {"width": 1280, "height": 900}
RIGHT = "3x^2 - 4x"  # f'(x) of the task's f(x) = x³ − 2x² + 1
WRONG = "3x^2 - 2x"
MARKUP_NICKNAME = "<b>Bo</b>"
DERIVATIVES = "1. Derivatives"
SENT_VIEW_QUERY = "deriv_x0=1.5"


@dataclass
class Learner:
    nickname: str
    context: object
    tab: object
    resume_code: str = ""
    #: Every address the student's tab showed after joining.
    urls: list[str] = field(default_factory=list)


@dataclass
class Classroom:
    url: str
    teacher_context: object
    teacher: object
    code: str
    join_link: str
    teacher_link: str
    students: dict[str, Learner]


# --- reading the page -------------------------------------------------------------------------------------------------


def main(tab):
    return tab.locator('[data-testid="stMain"]')


def sidebar(tab):
    return tab.locator('[data-testid="stSidebar"]')


def keyed(tab, key: str):
    """The element Streamlit drew for the widget (or keyed element) ``key``."""
    return tab.locator(f".st-key-{key}")


def code_blocks(tab) -> list[str]:
    return [block.inner_text().strip() for block in tab.locator('[data-testid="stCode"]').all()]


#: A dashboard table -> a column only it has (``st.dataframe`` marks no key on the page).
TABLES = {"students": "Joined", "lessons": "Solved at the first try", "wrong": "Wrong answer"}


def grid(tab, name: str):
    """The accessible grid of the dashboard's table ``name`` (see ``TABLES``)."""
    header = tab.locator("th", has_text=re.compile(f"^{re.escape(TABLES[name])}$"))
    return main(tab).locator('[data-testid="stDataFrame"]').filter(has=header).locator("table")


def table(tab, name: str) -> list[dict[str, str]]:
    """The rows of the dashboard's table ``name``, as its accessible grid lists them."""
    grid_ = grid(tab, name)
    headers = [cell.inner_text().strip() for cell in grid_.locator("thead th").all()]
    return [dict(zip(headers, (cell.inner_text().strip() for cell in row.locator("td").all()), strict=True))
            for row in grid_.locator("tbody tr").all()]


def wait_for_table(tab, name: str, condition, what: str, timeout_ms: int = EVENTUALLY_MS) -> list[dict[str, str]]:
    """Poll the table ``name`` (the dashboard redraws it by itself) until ``condition(rows)``; fail saying ``what``."""
    deadline = time.monotonic() + timeout_ms / 1000
    rows: list[dict[str, str]] = []
    while time.monotonic() < deadline:
        try:
            if grid(tab, name).count():
                rows = table(tab, name)
                if condition(rows):
                    return rows
        except Exception:  # the fragment replaced the table while it was being read: read it again
            pass
        tab.wait_for_timeout(500)
    pytest.fail(f"the dashboard did not show {what} within {timeout_ms / 1000:g} s; last rows: {rows}")


def cookie(context, name: str) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == name), None)


def wait_for_cookie(context, name: str) -> dict:
    deadline = time.monotonic() + EVENTUALLY_MS / 1000
    while time.monotonic() < deadline:
        found = cookie(context, name)
        if found is not None:
            return found
        time.sleep(0.25)
    pytest.fail(f"the browser never kept the cookie {name}")


def in_class_caption(tab):
    return sidebar(tab).get_by_text("In the class", exact=False)


# --- what the people do -----------------------------------------------------------------------------------------------


def join(student: Learner, url: str, code: str | None) -> None:
    """Open ``url`` (the join link, or the Class page), type the code unless the link filled it, pick the nickname,
    press Join, and keep the resume code the page shows once."""
    tab = student.tab
    open_app(tab, url)
    box = keyed(tab, "class_code").locator("input")
    if code is None:
        assert box.input_value() != "", "the join link did not fill in the code"
    else:
        box.fill(code)
    keyed(tab, "class_nickname").locator("input").fill(student.nickname)
    keyed(tab, "class_join").locator("button").click()
    main(tab).get_by_text("You joined", exact=False).wait_for(timeout=EVENTUALLY_MS)
    wait_idle(tab)
    assert_healthy(tab)
    codes = [text for text in code_blocks(tab) if re.fullmatch(r"[A-Z]{4}-[A-Z]{4}-[A-Z]{4}", text)]
    assert len(codes) == 1, f"no resume code shown after joining: {code_blocks(tab)}"
    student.resume_code = codes[0]
    student.urls.append(tab.url)
    wait_for_cookie(student.context, LEARNER_COOKIE)


def answer(student: Learner, text: str, verdict: str) -> None:
    """Type ``text`` into the derivatives task and press Enter; wait for the verdict."""
    tab = student.tab
    box = keyed(tab, "deriv_task_answer").locator("input")
    box.fill(text)
    box.press("Enter")
    main(tab).get_by_text(verdict, exact=False).first.wait_for(timeout=EVENTUALLY_MS)
    wait_idle(tab)
    student.urls.append(tab.url)


def open_derivatives_from_the_class_page(student: Learner) -> None:
    """Follow the lesson link the Class page shows after joining (in-app navigation: the same session)."""
    tab = student.tab
    main(tab).get_by_role("link", name=DERIVATIVES).click()
    tab.wait_for_selector(CHART, timeout=EVENTUALLY_MS)
    keyed(tab, "deriv_task_answer").wait_for(timeout=EVENTUALLY_MS)
    wait_idle(tab)
    student.urls.append(tab.url)


@pytest.fixture(scope="module")
def classroom(browser, app_url):
    contexts = []

    def new_context():
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        return context

    try:
        teacher_context = new_context()
        teacher = teacher_context.new_page()
        open_app(teacher, f"{app_url}/class")
        keyed(teacher, "class_start").locator("button").click()
        main(teacher).get_by_text("Your class:", exact=False).first.wait_for(timeout=EVENTUALLY_MS)
        wait_idle(teacher)
        assert_healthy(teacher)
        # What the teacher reads off the page: the join code in large type, the join link, the private link.
        code = main(teacher).locator('[data-testid="stMetric"]').filter(has_text="Join code") \
            .locator('[data-testid="stMetricValue"]').inner_text().strip()
        links = [text for text in code_blocks(teacher) if "?join=" in text]
        assert len(links) == 1, code_blocks(teacher)
        main(teacher).get_by_text("Your private teacher link", exact=True).click()
        main(teacher).get_by_text("?teach=", exact=False).first.wait_for(timeout=EVENTUALLY_MS)
        private = [text for text in code_blocks(teacher) if "?teach=" in text]
        assert len(private) == 1, code_blocks(teacher)

        students = {name: Learner(name, context, context.new_page())
                    for name, context in ((name, new_context()) for name in ("Ada", "Ben", MARKUP_NICKNAME))}
        ada, ben, bo = students["Ada"], students["Ben"], students[MARKUP_NICKNAME]
        join(ada, links[0], code=None)
        join(ben, f"{app_url}/class", code=code)
        join(bo, links[0], code=None)
        for student in students.values():
            open_derivatives_from_the_class_page(student)
        answer(ada, WRONG, "Not quite")
        answer(ada, RIGHT, "Correct")
        answer(ben, RIGHT, "Correct")
        answer(bo, WRONG, "Not quite")
        yield Classroom(app_url, teacher_context, teacher, code, links[0], private[0], students)
    finally:
        for context in contexts:
            context.close()


# --- the tests --------------------------------------------------------------------------------------------------------


def test_the_teacher_gets_a_join_code_a_link_a_qr_code_and_a_private_link(classroom):
    teacher = classroom.teacher
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ]{6}", classroom.code)
    assert classroom.join_link == f"{classroom.url}/class?join={classroom.code}"
    token = classroom.teacher_link.split("?teach=", 1)[1]
    assert classroom.teacher_link.startswith(f"{classroom.url}/class?teach=")
    assert len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token), "a teacher token of at least 128 bits"
    qr = main(teacher).locator('[data-testid="stImage"] img')
    assert qr.count() == 1
    assert qr.get_attribute("alt") == f"QR code of the join link {classroom.join_link}"
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100"), "the QR code image did not load"
    assert main(teacher).get_by_text("Anyone who has this link is the teacher", exact=False).count() == 1
    # The teacher's address bar never shows the token; the browser keeps it in a cookie instead.
    assert token not in teacher.url
    assert cookie(classroom.teacher_context, TEACHER_COOKIE)["value"] == token


def test_each_student_is_in_the_class_under_their_nickname_shown_literally(classroom):
    for student in classroom.students.values():
        caption = in_class_caption(student.tab)
        caption.wait_for(timeout=EVENTUALLY_MS)
        assert caption.inner_text().strip().endswith(f"as {student.nickname}")
    bo = classroom.students[MARKUP_NICKNAME].tab
    assert bo.locator("b", has_text="Bo").count() == 0, "the nickname was drawn as markup"


def test_the_live_dashboard_shows_who_joined_and_how_the_task_went(classroom):
    teacher = classroom.teacher  # left open since the class started: every figure arrives by the live refresh
    nicknames = [student.nickname for student in classroom.students.values()]
    expected = [(nickname, tried, solved) for nickname, tried, solved in zip(nicknames, "111", "110", strict=True)]
    wait_for_table(teacher, "students",
                   lambda rows: [(row["Student"], row["Tried"].split(" of ")[0], row["Solved"].split(" of ")[0])
                                 for row in rows] == expected,
                   f"the students, lessons tried and solved {expected}")
    lessons = wait_for_table(teacher, "lessons",
                             lambda rows: any(row["Lesson"] == DERIVATIVES and row["Answers"] == "4" for row in rows),
                             "the four answers to the derivatives task")
    derivatives = next(row for row in lessons if row["Lesson"] == DERIVATIVES)
    assert (derivatives["Attempted"], derivatives["Solved"], derivatives["Solved at the first try"]) == ("3", "2", "1")
    wrong = wait_for_table(teacher, "wrong", lambda rows: len(rows) >= 1, "the wrong answer")
    assert wrong == [{"Lesson": DERIVATIVES, "Wrong answer": WRONG, "Students": "2"}]
    # The nickname that is markup is a plain table cell: no element of the page draws it bold.
    assert main(teacher).locator("b", has_text="Bo").count() == 0
    assert_healthy(teacher)


def test_anonymize_hides_the_nicknames(classroom):
    teacher = classroom.teacher
    nicknames = [student.nickname for student in classroom.students.values()]
    wait_for_table(teacher, "students", lambda rows: len(rows) == 3, "three students")
    switch = keyed(teacher, "class_anonymize")
    switch.locator("label").click()
    try:
        wait_for_table(teacher, "students",
                       lambda rows: [row["Student"] for row in rows] == ["Student 1", "Student 2", "Student 3"],
                       "the anonymous names")
        wait_idle(teacher)
        shown = main(teacher).inner_text() + "\n".join(
            row["Student"] for row in table(teacher, "students"))
        for nickname in nicknames:
            assert nickname not in shown
    finally:
        switch.locator("label").click()
        wait_for_table(teacher, "students",
                       lambda rows: [row["Student"] for row in rows] == nicknames, "the nicknames again")


def test_a_student_stays_in_the_class_after_a_reload_and_a_browser_restart(classroom, browser):
    ada = classroom.students["Ada"]
    ada.tab.reload()
    wait_idle(ada.tab)
    in_class_caption(ada.tab).wait_for(timeout=EVENTUALLY_MS)
    assert in_class_caption(ada.tab).inner_text().strip().endswith("as Ada")
    ada.urls.append(ada.tab.url)

    # A fresh page of the same browser: the session is new, the cookie is all that says who this is.
    fresh = ada.context.new_page()
    try:
        open_app(fresh, classroom.url)
        in_class_caption(fresh).wait_for(timeout=EVENTUALLY_MS)
        main(fresh).get_by_text("Tasks solved: 1 of", exact=False).wait_for(timeout=EVENTUALLY_MS)
        assert main(fresh).get_by_text("Task solved", exact=False).count() >= 1
    finally:
        fresh.close()

    # A browser restart: only the cookies that outlive it (those with an expiry) come back.
    kept = [c for c in ada.context.cookies() if c["expires"] > 0]
    assert LEARNER_COOKIE in {c["name"] for c in kept}
    restarted = browser.new_context(viewport=VIEWPORT)
    try:
        restarted.add_cookies(kept)
        tab = restarted.new_page()
        open_app(tab, classroom.url)
        in_class_caption(tab).wait_for(timeout=EVENTUALLY_MS)
        assert in_class_caption(tab).inner_text().strip().endswith("as Ada")
        main(tab).get_by_text("Tasks solved: 1 of", exact=False).wait_for(timeout=EVENTUALLY_MS)
        assert_healthy(tab)
    finally:
        restarted.close()

    # Bo answered wrong only: the home page says the task was tried and not solved.
    bo = classroom.students[MARKUP_NICKNAME]
    tab = bo.context.new_page()
    try:
        open_app(tab, classroom.url)
        main(tab).get_by_text("Task attempted (1 try), not solved yet.", exact=False).wait_for(timeout=EVENTUALLY_MS)
        assert main(tab).get_by_text("Tasks solved: 0 of", exact=False).count() == 1
    finally:
        tab.close()


def test_a_view_the_teacher_sends_reaches_the_students(classroom):
    teacher = classroom.teacher
    view = f"{classroom.url}/derivatives?{SENT_VIEW_QUERY}"
    keyed(teacher, "class_view").locator("input").fill(view)
    keyed(teacher, "class_view").locator("input").press("Enter")
    wait_idle(teacher)
    keyed(teacher, "class_send").locator("button").click()
    main(teacher).get_by_text("students now see a link to this view", exact=False).wait_for(timeout=EVENTUALLY_MS)

    ben = classroom.students["Ben"]
    open_app(ben.tab, classroom.url)  # the next page Ben opens carries the banner
    main(ben.tab).get_by_text("Your teacher sent a view to the class.").wait_for(timeout=EVENTUALLY_MS)
    main(ben.tab).get_by_role("link", name="Open the view your teacher sent").click()
    ben.tab.wait_for_function(f"() => location.pathname.endsWith('/derivatives') "
                              f"&& location.search.includes('{SENT_VIEW_QUERY}')", timeout=EVENTUALLY_MS)
    ben.tab.wait_for_selector(CHART, timeout=EVENTUALLY_MS)
    wait_idle(ben.tab)
    assert ben.tab.get_by_role("slider", name="Point x₀").get_attribute("aria-valuetext") == "1.50"
    assert_healthy(ben.tab)
    ben.urls.append(ben.tab.url)


def test_a_wrong_teacher_token_shows_nothing_of_any_class(classroom, browser):
    token = classroom.teacher_link.split("?teach=", 1)[1]
    near_miss = token[:-1] + ("A" if token[-1] != "A" else "B")
    for wrong in (near_miss, secrets.token_urlsafe(32)):
        context = browser.new_context(viewport=VIEWPORT)
        try:
            tab = context.new_page()
            open_app(tab, f"{classroom.url}/class?teach={wrong}")
            main(tab).get_by_text("This teacher link does not open any class", exact=False) \
                .wait_for(timeout=EVENTUALLY_MS)
            shown = main(tab).inner_text()
            assert classroom.code not in shown
            for student in classroom.students.values():
                assert student.nickname not in shown
            assert "Your class" not in shown and "Join code" not in shown
            assert grid(tab, "students").count() == 0
            assert cookie(context, TEACHER_COOKIE) is None
            assert_healthy(tab)
        finally:
            context.close()


def test_the_teacher_link_opens_the_dashboard_on_another_device_and_leaves_the_address(classroom, browser):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        tab = context.new_page()
        open_app(tab, classroom.teacher_link)
        main(tab).get_by_text("Your class:", exact=False).first.wait_for(timeout=EVENTUALLY_MS)
        tab.wait_for_function("() => !location.search.includes('teach=')", timeout=EVENTUALLY_MS)
        wait_for_table(tab, "students", lambda rows: len(rows) == 3, "three students")
    finally:
        context.close()


def test_no_secret_in_an_address_a_student_could_copy(classroom):
    token = classroom.teacher_link.split("?teach=", 1)[1]
    for student in classroom.students.values():
        tab = student.tab
        if "/derivatives" not in tab.url:
            open_app(tab, f"{classroom.url}/derivatives")
        tab.wait_for_selector(CHART, timeout=EVENTUALLY_MS)
        wait_idle(tab)
        # The link builder at the foot of the lesson: the link it offers to copy.
        builder = main(tab).get_by_text("For teachers: share this view", exact=False)
        builder.click()
        built = main(tab).get_by_text(f"{classroom.url}/derivatives?", exact=False)
        built.first.wait_for(timeout=EVENTUALLY_MS)
        built_links = [text for text in code_blocks(tab) if text.startswith(f"{classroom.url}/derivatives?")]
        assert built_links, "the link builder shows no link"
        # Every link the page itself holds (the lessons, the sent view, the class page), as absolute addresses.
        hrefs = tab.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        copied = [*student.urls, tab.url, *built_links, *hrefs]
        secrets_held = {
            "the join code": classroom.code,
            "the student's browser token": wait_for_cookie(student.context, LEARNER_COOKIE)["value"],
            "the resume code": student.resume_code,
            "the resume code's letters": student.resume_code.replace("-", ""),
            "the teacher token": token,
        }
        for url in copied:
            plain = unquote(url)
            for what, secret in secrets_held.items():
                assert secret not in url and secret not in plain, f"{student.nickname}'s address {url} holds {what}"
        assert all("join=" not in url for url in copied)


def test_the_cookies_are_same_site_strict_and_kept_for_this_site_only(classroom):
    now = time.time()
    jars = [(student.context, LEARNER_COOKIE) for student in classroom.students.values()]
    jars.append((classroom.teacher_context, TEACHER_COOKIE))
    for context, name in jars:
        kept = wait_for_cookie(context, name)
        assert kept["sameSite"] == "Strict"
        assert kept["path"] == "/"
        assert kept["domain"] == "127.0.0.1", "a host-only cookie of the app's own host"
        assert kept["expires"] > now + COOKIE_MAX_AGE - 3600, "kept across browser restarts"
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,128}", kept["value"])
        # Another origin (another host name for the same server) is never sent or shown it.
        other = classroom.url.replace("127.0.0.1", "localhost")
        assert name not in {c["name"] for c in context.cookies(other)}
    tokens = {cookie(student.context, LEARNER_COOKIE)["value"] for student in classroom.students.values()}
    assert len(tokens) == 3, "each student's browser holds a token of its own"


def test_the_dashboard_with_a_class_in_it_has_no_serious_accessibility_violation(classroom):
    teacher = classroom.teacher
    wait_for_table(teacher, "wrong", lambda rows: len(rows) >= 1, "the wrong answer")
    wait_idle(teacher)
    # Whatever the students did since (reloads, a restart, the sent view), each checked answer counts once.
    derivatives = next(row for row in table(teacher, "lessons") if row["Lesson"] == DERIVATIVES)
    assert derivatives["Answers"] == "4"
    blocking = [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}"
                for v in axe_violations(teacher) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
