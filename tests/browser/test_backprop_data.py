"""The backpropagation page in Chromium with an analyst's own file: upload it, pick the columns, train a step."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_healthy, open_app, wait_idle

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
ROWS = "".join(f"{18 + (i * 7) % 60},{500 + (i * 337) % 4000},{(i * 13) % 10 / 10:.1f},"
               f"{'<b>yes</b>' if (i * 7) % 60 < 20 else 'no'}\n" for i in range(80))
CHURN = ("\ufeffage;income;score;churned\r\n" + ROWS.replace(",", ";").replace("\n", "\r\n")).encode()


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMainBlockContainer"]')


def wait_for_text(page, text: str) -> None:
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=text, timeout=TIMEOUT_MS)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``."""
    box = page.get_by_role("combobox", name=label)
    box.scroll_into_view_if_needed()
    wait_idle(page)
    box.click()
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def test_an_uploaded_file_with_three_features_trains_and_draws_a_chosen_pair(page, app_url):
    open_app(page, f"{app_url}/backprop?backprop_dataset=upload%20CSV")
    assert "cannot carry the file" in main_text(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "churn.csv", "mimeType": "text/csv", "buffer": CHURN}])
    wait_for_text(page, "Read 80 rows (semicolon-separated), 3 features")
    wait_idle(page)
    text = main_text(page)
    assert "0 = “<b>yes</b>”, 1 = “no”" in text, "labels with markup are shown as written"
    assert page.locator('[data-testid="stMainBlockContainer"] b').filter(has_text="yes").count() == 0
    assert "drawn across “age” and “income”" in text

    choose(page, "Boundary picture: across", "score")
    wait_for_text(page, "drawn across “score” and “income”")

    # Leave "score" out of the features: two features, and no pair to choose any more.
    features = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Feature columns").first
    features.get_by_role("button", name="Remove score").click()
    wait_idle(page)
    wait_for_text(page, "Read 80 rows (semicolon-separated), 2 features")
    assert page.locator('[data-testid="stSelectbox"]').filter(has_text="Boundary picture").count() == 0

    page.get_by_role("button", name="Step", exact=True).click(timeout=TIMEOUT_MS)
    wait_for_text(page, "Epoch 1 of 150")
    assert_healthy(page)


def test_a_file_with_a_missing_value_is_marked_and_the_page_goes_on(page, app_url):
    open_app(page, f"{app_url}/backprop?backprop_dataset=upload%20CSV")
    content = b"age,income,churned\n31,1200,no\n45,,yes\n52,900,no\n"
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "gaps.csv", "mimeType": "text/csv", "buffer": content}])
    wait_for_text(page, "the value is missing")
    wait_idle(page)
    error = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "Line 3" in error and "income" in error
    assert "built-in circles dataset" in main_text(page)
    page.get_by_role("button", name="Step", exact=True).click(timeout=TIMEOUT_MS)
    wait_for_text(page, "Epoch 1 of 150")
    assert_healthy(page)
